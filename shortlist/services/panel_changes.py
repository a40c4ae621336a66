"""Removing someone from a vacancy's panel, and the one rule for what they leave behind.

SUBMITTED_SCORES_RULE is that rule, stated on the confirmation page: scores a member
submitted were given independently, before they left, so they stay and keep counting, in
the recommendations (the rules engine reads every submitted sheet: scoring_data.gather),
moderation, the shortlisting record, the interview packs and the campaign export, each
marked as from someone who has left the panel. Their conflict declarations stay too (so
the candidates they declared stay without their scores). Drafts never count, there or
anywhere. Once scoring has started, removal needs a reason, recorded with the departure
(PanelDeparture) and in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import (
    Application,
    ConflictDeclaration,
    PanelDeparture,
    PanelMembership,
    ScoreSheet,
    User,
    Vacancy,
)
from shortlist.services import audit, vacancies
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.transactions import transaction

SUBMITTED_SCORES_RULE = (
    "Scores they have submitted stay in the record and keep counting: they were given independently, before "
    "they left. They count in the recommendations, on the moderation pages, in the shortlisting record, in the "
    "interview packs and in exports, each marked as from someone who has left the panel. Their declarations of "
    "conflicts of interest stay, so the candidates they declared are still scored without them. Drafts they "
    "have not submitted never count.")


@dataclass(frozen=True)
class RemovalImpact:
    """What removing one member leaves behind, for the confirmation page."""

    membership: PanelMembership
    submitted: dict[str, int]  # stage -> sheets they submitted
    drafts: int
    conflicts: int
    scoring_started: bool  # anyone has submitted scores for this vacancy: a reason is needed
    last_chair: bool
    owed_gap_marks: int  # employment gaps on their submitted sheets still unmarked (HR must record them)

    @property
    def reason_required(self) -> bool:
        return self.scoring_started or bool(self.submitted) or bool(self.drafts) or bool(self.conflicts)


def _in_vacancy(vacancy: Vacancy):  # noqa: ANN202 - a SQLAlchemy Select of application ids
    return select(Application.id).where(Application.vacancy_id == vacancy.id)


def removal_impact(vacancy: Vacancy, membership: PanelMembership) -> RemovalImpact:
    from shortlist.services.blockers import finalise_blockers  # read model over the finalise check

    apps = _in_vacancy(vacancy)
    sheets = db.session.execute(
        select(ScoreSheet.stage, ScoreSheet.submitted_at.is_not(None), func.count())
        .where(ScoreSheet.application_id.in_(apps), ScoreSheet.user_id == membership.user_id)
        .group_by(ScoreSheet.stage, ScoreSheet.submitted_at.is_not(None))).all()
    submitted = {stage: n for stage, done, n in sheets if done}
    drafts = sum(n for _stage, done, n in sheets if not done)
    conflicts = db.session.scalar(select(func.count()).select_from(ConflictDeclaration).where(
        ConflictDeclaration.application_id.in_(apps), ConflictDeclaration.user_id == membership.user_id,
        ConflictDeclaration.conflict.is_(True))) or 0
    started = db.session.scalar(select(
        select(ScoreSheet.id).where(ScoreSheet.application_id.in_(apps), ScoreSheet.submitted_at.is_not(None))
        .exists())) or False
    chairs = [m for m in vacancy.panel if m.role == "chair"]
    owed = sum(1 for b in finalise_blockers(vacancy) if b.code == "gap_not_marked"
               and membership.user.email in b.emails) if submitted.get("shortlisting") else 0
    return RemovalImpact(membership, submitted, drafts, conflicts, bool(started),
                         membership.role == "chair" and len(chairs) == 1, owed)


def remove_member(vacancy: Vacancy, actor: User, membership: PanelMembership, reason: str) -> PanelDeparture:
    """Take the member off the panel, recording the departure (with the reason, required once
    scoring has started or they have done any panel work) in the same transaction."""
    impact = removal_impact(vacancy, membership)
    reason = reason.strip()
    if impact.reason_required and not reason:
        raise PanelRefused([Problem("reason_required",
                                    f"Give the reason for removing {membership.user.name} from the panel", "reason")])
    if len(reason) > 2000:
        raise PanelRefused([Problem("too_long", "The reason must be 2000 characters or fewer", "reason")])
    user = membership.user
    with transaction():
        departure = PanelDeparture(vacancy_id=vacancy.id, user_id=user.id, role=membership.role, reason=reason,
                                   removed_by_id=actor.id)
        db.session.add(departure)
        vacancy.panel.remove(membership)
        audit.record(audit.Actor.of(actor), "panel.member_removed", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", email=user.email, role=departure.role, reason=reason,
                     submitted_sheets=impact.submitted, after_scoring=impact.scoring_started)
        vacancies.task_changed(vacancy, actor, "panel")  # a draft's panel step needs confirming again
        if vacancy.sift is not None:  # they leave the sift pool too: their unscored allocation goes to others
            from shortlist.services import sift

            sift.member_left(vacancy, actor, user.id)
    return departure


def departures(vacancy: Vacancy) -> dict[str, PanelDeparture]:
    """Those who have left the panel (and are not back on it), by e-mail: the latest departure each."""
    on_panel = {m.user_id for m in vacancy.panel}
    out: dict[str, PanelDeparture] = {}
    for d in db.session.scalars(select(PanelDeparture).join(User, User.id == PanelDeparture.user_id)
                                .where(PanelDeparture.vacancy_id == vacancy.id)
                                .order_by(PanelDeparture.removed_at)):
        if d.user_id not in on_panel:
            out[d.user.email] = d
    return out
