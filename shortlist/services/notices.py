"""Who is told what, and when: the staff messages (candidates' are in
`shortlist.services.interview_booking`). Each builds its placeholders' values and queues the
message in the caller's transaction (`shortlist.services.outbox.queue`), with a dedupe key so
the same event never tells anyone twice.

Told at the moment it happens (a call at the end of the use case):
- "scoring is open", to each scorer, when applications close;
- "HR has decided a review", to the chair, when HR records a decision on a candidate the
  engine sent for HR review;
- "late conflict", to HR, when a member declares a conflict after names are revealed.

Told by `shortlist tick` (within a tick of it becoming true): state that builds up from many
people's actions, where a check on every submission would cost the panel's hot path
(submitting scores is one transaction of at most 8 statements): "every score is in" and
"moderation needed" to the chair, "HR review needed" to HR, and the scoring reminder.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from shortlist import rules
from shortlist.extensions import db
from shortlist.services.refusals import MessagingRefused
from shortlist.filters import govuk_date
from shortlist.models import (Application, Decision, OrganisationRole, PanelMembership, Role, User, Vacancy,
                              VacancyMessaging)
from shortlist.rules.vocabulary import SCORING_ROLES
from shortlist.services import audit, outbox
from shortlist.services.transactions import transaction

SYSTEM = audit.Actor(None, "system")


def link(endpoint: str, **values: Any) -> str:
    """An absolute link for an e-mail (SHORTLIST_BASE_URL), built without a request."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["SHORTLIST_BASE_URL"] + path


def messaging(vacancy: Vacancy) -> VacancyMessaging:
    """The vacancy's message settings (its defaults when nobody has set them)."""
    row = db.session.scalar(select(VacancyMessaging).where(VacancyMessaging.vacancy_id == vacancy.id))
    if row is None:
        row = VacancyMessaging(vacancy_id=vacancy.id, scoring_deadline=None, reminder_days=3, contact="",
                               share_panel_names=False, what_to_bring="", adjustments="", self_booking=True,
                               booking_cutoff_hours=48)
    return row


def weekday_date(day: date) -> str:
    return f"{day:%A} {govuk_date(day)}"


def _staff(vacancy: Vacancy, user: User, **extra: Any) -> dict[str, Any]:
    return {"name": user.name, "organisation": vacancy.organisation, "vacancy_title": vacancy.title,
            "vacancy_reference": vacancy.reference, **extra}


def _hr_admins(vacancy: Vacancy) -> list[User]:
    """The HR administrators of the vacancy's organisation (issue 17), active ones."""
    held = select(OrganisationRole.user_id).where(OrganisationRole.organisation_id == vacancy.organisation_id,
                                                  OrganisationRole.role == Role.HR_ADMIN.value)
    return list(db.session.scalars(select(User).where(User.id.in_(held), User.active.is_(True)).order_by(User.id)))


def _chairs(vacancy: Vacancy) -> list[User]:
    return [m.user for m in vacancy.panel if m.role == "chair" and m.user.active]


def _scorers(vacancy: Vacancy) -> list[PanelMembership]:
    return [m for m in vacancy.panel if m.role in SCORING_ROLES and m.user.active]


# --------------------------------------------------------------------------- at the moment


def scoring_open(vacancy: Vacancy, actor: audit.Actor) -> int:
    """Applications have closed: each scorer is told shortlisting is open."""
    count = db.session.scalar(select(func.count()).select_from(Application)
                              .where(Application.vacancy_id == vacancy.id)) or 0
    deadline = messaging(vacancy).scoring_deadline
    queued = 0
    for m in _scorers(vacancy):
        context = _staff(vacancy, m.user, applications=count,
                         scoring_deadline=weekday_date(deadline) if deadline else "the date your chair gives you",
                         link=link("panel.conflicts", reference=vacancy.reference))
        queued += outbox.queue("scoring_open", outbox.to_user(m.user), context, actor=actor, vacancy=vacancy,
                               dedupe_key=f"scoring_open:{vacancy.id}:{m.user_id}") is not None
    return queued


def review_decided(vacancy: Vacancy, reference: str, outcome: str, event: str, actor: audit.Actor) -> int:
    """HR decided a candidate who was waiting for HR (a decision, or a reasonable-adjustment
    review): each chair is told, in neutral words (never what the review was about)."""
    queued = 0
    for chair in _chairs(vacancy):
        context = _staff(vacancy, chair, candidate_reference=reference, outcome=outcome,
                         link=link("panel.decisions", reference=vacancy.reference))
        queued += outbox.queue("review_decided", outbox.to_user(chair), context, actor=actor, vacancy=vacancy,
                               dedupe_key=f"review_decided:{event}:{chair.id}") is not None
    return queued


def late_conflict(vacancy: Vacancy, member: User, references: Iterable[str], actor: audit.Actor) -> int:
    """A member declared a conflict after names were revealed: HR is told, one message each."""
    queued = 0
    for reference in references:
        for hr in _hr_admins(vacancy):
            context = _staff(vacancy, hr, member_name=member.name, candidate_reference=reference,
                             link=link("panel.decisions", reference=vacancy.reference))
            queued += outbox.queue(
                "late_conflict", outbox.to_user(hr), context, actor=actor, vacancy=vacancy,
                dedupe_key=f"late_conflict:{vacancy.id}:{member.id}:{reference}:{hr.id}") is not None
    return queued


# --------------------------------------------------------------------------- by the tick


def _in_shortlisting() -> list[Vacancy]:
    return list(db.session.scalars(select(Vacancy).where(
        Vacancy.status == "shortlisting", Vacancy.shortlist_finalised_at.is_(None)).order_by(Vacancy.id)))


def due_reminders(today: date | None = None) -> dict[str, int]:
    """The scoring reminder, ``reminder_days`` before the deadline, to each scorer with
    applications still to submit (once per member and deadline; not to those who switched
    reminders off)."""
    from shortlist.services import panel

    today = today or date.today()
    counts = {"queued": 0}
    for vacancy in _in_shortlisting():
        settings = messaging(vacancy)
        deadline = settings.scoring_deadline
        if deadline is None or not settings.reminder_days:
            continue
        days_left = (deadline - today).days
        if not 0 <= days_left <= settings.reminder_days:
            continue
        with transaction():
            for m, progress in zip(panel.scorers(vacancy), panel.progress(vacancy, "shortlisting"), strict=True):
                left = progress.to_score - progress.submitted
                if left <= 0 or not m.user.active:
                    continue
                context = _staff(vacancy, m.user, unsubmitted=left, scoring_deadline=weekday_date(deadline),
                                 days_left=days_left, link=link("panel.scoring", reference=vacancy.reference),
                                 settings_link=link("account.notifications"))
                counts["queued"] += outbox.queue(
                    "scoring_reminder", outbox.to_user(m.user), context, actor=SYSTEM, vacancy=vacancy,
                    dedupe_key=f"scoring_reminder:{vacancy.id}:{m.user_id}:{deadline.isoformat()}") is not None
    return counts


def sweep() -> dict[str, int]:
    """What has become true since the last tick: every score in, moderation needed, a
    candidate waiting for HR's review."""
    from shortlist.services import panel
    from shortlist.services.recommendations import recommend_vacancy

    counts = {"all_submitted": 0, "moderation_needed": 0, "hr_review_needed": 0}
    for vacancy in _in_shortlisting():
        with transaction():
            progress = panel.progress(vacancy, "shortlisting")
            recs = recommend_vacancy(vacancy, "shortlisting")
            if progress and all(p.submitted >= p.to_score for p in progress):
                divergent = [r for r in recs if any(x.code == rules.codes.MODERATION_REQUIRED for x in r.reasons)]
                for chair in _chairs(vacancy):
                    context = _staff(vacancy, chair, stage="shortlisting",
                                     link=link("panel.moderation", reference=vacancy.reference))
                    counts["all_submitted"] += outbox.queue(
                        "all_submitted", outbox.to_user(chair), context, actor=SYSTEM, vacancy=vacancy,
                        dedupe_key=f"all_submitted:{vacancy.id}:shortlisting:{chair.id}") is not None
                    if divergent:
                        counts["moderation_needed"] += outbox.queue(
                            "moderation_needed", outbox.to_user(chair), context | {"candidates": len(divergent)},
                            actor=SYSTEM, vacancy=vacancy,
                            dedupe_key=f"moderation_needed:{vacancy.id}:shortlisting:{chair.id}") is not None
            decided = set(db.session.scalars(select(Decision.application_id).where(
                Decision.stage == "shortlisting", Decision.application.has(vacancy_id=vacancy.id))))
            link_decisions = link("panel.decisions", reference=vacancy.reference)
            ids = dict(db.session.execute(select(Application.reference, Application.id)
                                          .where(Application.vacancy_id == vacancy.id)).all())
            for rec in recs:
                if rec.outcome != rules.Outcome.HR_REVIEW or ids.get(rec.reference) in decided:
                    continue
                for hr in _hr_admins(vacancy):
                    context = _staff(vacancy, hr, candidate_reference=rec.reference, link=link_decisions)
                    counts["hr_review_needed"] += outbox.queue(
                        "hr_review_needed", outbox.to_user(hr), context, actor=SYSTEM, vacancy=vacancy,
                        dedupe_key=f"hr_review_needed:{vacancy.id}:{rec.reference}:{hr.id}") is not None
    return counts


# --------------------------------------------------------------------------- a vacancy's choices



def _settings_dict(row: VacancyMessaging) -> dict[str, Any]:
    return {"scoring_deadline": row.scoring_deadline.isoformat() if row.scoring_deadline else None,
            "reminder_days": row.reminder_days, "contact": row.contact, "share_panel_names": row.share_panel_names,
            "what_to_bring": row.what_to_bring, "adjustments": row.adjustments, "self_booking": row.self_booking,
            "booking_cutoff_hours": row.booking_cutoff_hours}


def save_messaging(vacancy: Vacancy, user: User, *, deadline: Any, reminder_days: str, contact: str,
                   share_panel_names: str, what_to_bring: str, adjustments: str, self_booking: str,
                   booking_cutoff_hours: str) -> None:
    """HR or the recruiting manager sets the vacancy's message choices (audited)."""
    from shortlist.permissions import can

    if not can(user, "manage", vacancy):
        raise MessagingRefused([("contact", "Only HR or the recruiting manager sets these")])
    problems: list[tuple[str, str]] = []
    if deadline.error:
        problems.append((deadline.error_id, deadline.error))
    days = reminder_days.strip()
    if not days.isdigit() or not 0 <= int(days) <= 30:
        problems.append(("reminder_days", "Enter the number of days before the deadline for the reminder, "
                                          "from 0 (no reminder) to 30"))
    contact = contact.strip()
    if not contact:
        problems.append(("contact", "Enter the e-mail address or phone number candidates use to contact you"))
    elif len(contact) > 254:
        problems.append(("contact", "The contact must be 254 characters or fewer"))
    for name, text in (("what_to_bring", what_to_bring), ("adjustments", adjustments)):
        if len(text) > 2000:
            problems.append((name, "This must be 2000 characters or fewer"))
    for name, choice in (("share_panel_names", share_panel_names), ("self_booking", self_booking)):
        if choice not in ("yes", "no"):
            problems.append((name, "Select yes or no"))
    hours = booking_cutoff_hours.strip()
    if not hours.isdigit() or not 0 <= int(hours) <= 720:
        problems.append(("booking_cutoff_hours", "Enter how many hours before an interview booking closes, "
                                                 "from 0 to 720"))
    if problems:
        raise MessagingRefused(problems)
    with transaction():
        row = db.session.scalar(select(VacancyMessaging).where(VacancyMessaging.vacancy_id == vacancy.id))
        before = _settings_dict(row) if row else None
        if row is None:
            row = messaging(vacancy)
            db.session.add(row)
        row.scoring_deadline, row.reminder_days, row.contact = deadline.value, int(days), contact
        row.share_panel_names, row.self_booking = share_panel_names == "yes", self_booking == "yes"
        row.what_to_bring, row.adjustments = what_to_bring.strip(), adjustments.strip()
        row.booking_cutoff_hours, row.updated_by_id = int(hours), user.id
        audit.record(audit.Actor.of(user), "messaging.updated", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", before=before, after=_settings_dict(row))
