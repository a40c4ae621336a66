"""The interview stage: slots with the candidate's adjustments (R9), interview outcomes
gated on the essential criteria assessed at interview (R28), and the pre-employment
checklist for the appointed (R14, R24, R33: tracked, never scored).

Interview scores and agreed scores use `shortlist.services.panel` with stage "interview".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import (
    CHECK_KINDS,
    CHECK_STATUSES,
    Application,
    Decision,
    InterviewSlot,
    PreEmploymentCheck,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.permissions import may_arrange, sees_adjustments
from shortlist.services import audit
from shortlist.dates import range_problem
from shortlist.numbers import NotANumber, whole_number
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.permissions import is_scorer, may_decide
from shortlist.services.panel import (
    may_see_others,
    recommendation_for,
)
from shortlist.services.transactions import transaction

TIME = re.compile(r"^(?P<hour>\d{1,2})[:.](?P<minute>\d{2})$")
OUTCOME_LABELS = {"appoint": "Appoint (conditional offer)", "reserve": "Reserve", "not_appointed": "Not appointed"}


def _invited(vacancy: Vacancy) -> list[Application]:
    return list(db.session.scalars(
        select(Application)
        .options(selectinload(Application.details))
        .join(Decision, Decision.application_id == Application.id)
        .where(Application.vacancy_id == vacancy.id, Decision.stage == "shortlisting",
               Decision.outcome == "invite")
        .order_by(Application.reference)))


@dataclass(frozen=True)
class ScheduleRow:
    reference: str
    name: str
    adjustments: str  # "" where the access policy withholds them (sees_adjustments)
    slot: InterviewSlot | None
    outcome: str | None
    withheld: bool = False  # a member's row for a candidate they declared a conflict with


def schedule(vacancy: Vacancy, user: User) -> list[ScheduleRow]:
    """Every invited candidate with their slot; the adjustments to make for those who arrange
    or interview, never for a member about a candidate they declared a conflict with."""
    applications = _invited(vacancy)
    ids = [a.id for a in applications]
    slots = {s.application_id: s for s in db.session.scalars(
        select(InterviewSlot).where(InterviewSlot.application_id.in_(ids)))}
    outcomes = dict(db.session.execute(
        select(Decision.application_id, Decision.outcome)
        .where(Decision.application_id.in_(ids), Decision.stage == "interview")).all())
    from shortlist.services.sight import sight  # it reads panel's conflict state

    seen = sight(vacancy, user, "interview")
    return [ScheduleRow(a.reference, a.details.name if a.details else "",
                        (a.details.adjustments if a.details else "") if sees_adjustments(seen, a.reference) else "",
                        slots.get(a.id), outcomes.get(a.id), withheld=not sees_adjustments(seen, a.reference))
            for a in applications]


def _check_invited(vacancy: Vacancy, application: Application) -> None:
    if not vacancy.names_revealed:
        raise PanelRefused.one("interviews_not_open", "Interviews are arranged once the shortlist is finalised.")
    outcome = db.session.scalar(select(Decision.outcome).where(
        Decision.application_id == application.id, Decision.stage == "shortlisting"))
    if outcome != "invite":
        raise PanelRefused.one("not_shortlisted", f"{application.reference} was not invited to interview.")


def slot_details(on: date | None, time: str, duration: str, location: str, *,
                 after: tuple[datetime, str] | None = None) -> tuple[datetime | None, int, list[Problem]]:
    """An interview's start, length and place as someone arranging it typed them: the start
    (on ``on``, a date already checked, None when it is not valid), the length in minutes,
    and what is wrong, by field. With ``after`` (now, a field), a start not after now is
    refused at that field."""
    problems: list[Problem] = []
    starts_at = None
    clock = TIME.match(time.strip())
    if clock is None or int(clock["hour"]) > 23 or int(clock["minute"]) > 59:
        problems.append(Problem("slot_time_invalid", "Enter the start time on the 24-hour clock, for example 14:30",
                                "time"))
    elif on is not None:
        starts_at = datetime.combine(on, datetime.min.time()).replace(hour=int(clock["hour"]),
                                                                      minute=int(clock["minute"]))
        if after is not None and starts_at <= after[0]:
            problems.append(Problem("slot_in_past", "The interview time must be in the future", after[1]))
    try:
        minutes = whole_number(duration, "the length in minutes")
    except NotANumber:
        minutes = 0
    if not 5 <= minutes <= 480:
        problems.append(Problem("slot_duration_invalid", "Enter a length from 5 to 480 minutes", "duration"))
    if not location.strip():
        problems.append(Problem("slot_location_missing", "Enter the room and address, or the video link",
                                "location"))
    elif len(location) > 1000:
        problems.append(Problem("too_long", "The place must be 1000 characters or fewer", "location"))
    return starts_at, minutes, problems


def arrange(vacancy: Vacancy, application: Application, user: User, day: str, time: str,
            duration: str, location: str) -> InterviewSlot:
    """Set or change a candidate's interview slot."""
    if not may_arrange(vacancy, user):
        raise PanelRefused.one("not_allowed", "Only the recruiting manager, the chair or HR arranges interviews.")
    _check_invited(vacancy, application)
    problems: list[Problem] = []
    try:
        on: date | None = date.fromisoformat(day.strip())
    except ValueError:
        problems.append(Problem("slot_date_invalid", "Enter the interview date, for example 10 12 2026", "day"))
        on = None
    out_of_range = range_problem(on, "The interview date")
    if out_of_range:
        problems.append(Problem("slot_date_invalid", out_of_range, "day"))
        on = None
    starts_at, minutes, more = slot_details(on, time, duration, location)
    problems += more
    if problems:
        raise PanelRefused(problems)
    assert starts_at is not None
    with transaction():
        slot = db.session.scalar(select(InterviewSlot).where(InterviewSlot.application_id == application.id))
        before = None if slot is None else {"starts_at": slot.starts_at.isoformat(), "minutes": slot.duration_minutes,
                                            "location": slot.location}
        from shortlist.services import interview_booking

        if slot is None:
            slot = InterviewSlot(application_id=application.id, starts_at=starts_at, location="")
            db.session.add(slot)
        elif (slot.starts_at, slot.duration_minutes, slot.location) == (starts_at, minutes, location.strip()):
            return slot  # nothing changed: nobody is told again
        interview_booking.release_place(slot.interview_time_id)  # a time set by hand holds no published place
        slot.starts_at, slot.duration_minutes, slot.location = starts_at, minutes, location.strip()
        slot.interview_time_id = None
        slot.arranged_by_id = user.id
        audit.record(audit.Actor.of(user), "interview.arranged", vacancy=vacancy.reference,
                     subject=application.reference, before=before,
                     after={"starts_at": starts_at.isoformat(), "minutes": minutes, "location": slot.location})
        db.session.flush()
        interview_booking.confirm(vacancy, application, slot, audit.Actor.of(user))  # with its calendar file
    return slot


def calendar_file(vacancy: Vacancy, application: Application, slot: InterviewSlot, host: str) -> str:
    """An iCalendar event for the slot, written by the icalendar library (its escaping and
    line folding: a bare carriage return in a location no longer ends a line, security
    review finding 12): the candidate's reference, never their name, no adjustment, no
    scheme, and local (floating) times as the panel arranged them."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//shortlist//interview slots//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    event = icalendar.Event()
    event.add("uid", f"{vacancy.reference}-{application.reference}-{slot.id}@{host}")
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.starts_at + timedelta(minutes=slot.duration_minutes))
    event.add("summary", f"Interview {application.reference}: {vacancy.title} ({vacancy.reference})")
    # a lone CR is a line break to a person, and never a line ending in the file
    event.add("location", slot.location.replace("\r\n", "\n").replace("\r", "\n"))
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


# --------------------------------------------------------------------------- outcomes


def decide_outcome(vacancy: Vacancy, application: Application, user: User, outcome: str,
                   reason: str) -> Decision:
    """Appoint (a conditional offer), reserve or not appoint, after interview."""
    if not may_decide(vacancy, user):
        raise PanelRefused.one("not_the_chair", "Only the panel's chair or HR records interview outcomes.")
    _check_invited(vacancy, application)
    if outcome not in OUTCOME_LABELS:
        raise PanelRefused.one("decision_missing", "Select an outcome", "outcome")
    if len(reason) > 5000:
        raise PanelRefused.one("too_long", "The reason must be 5000 characters or fewer", "reason")
    if is_scorer(vacancy, user) and not may_see_others(vacancy, application, user, "interview"):
        raise PanelRefused.one("submit_first", f"Submit your own interview scores for {application.reference} first, "
                      "or ask HR to decide if you declared a conflict.")
    rec = recommendation_for(vacancy, application.reference, "interview")
    refusals = rules.check_interview_decision(rec, outcome, reason)
    if refusals:
        raise PanelRefused(Problem(r.code, r.message, "reason" if r.code == rules.codes.REASON_REQUIRED
                                   else "outcome", r.criterion) for r in refusals)
    with transaction():
        row = db.session.scalar(select(Decision).where(
            Decision.application_id == application.id, Decision.stage == "interview").with_for_update())
        before = None if row is None else {"outcome": row.outcome, "reason": row.reason}
        if row is None:
            row = Decision(application_id=application.id, stage="interview")
            db.session.add(row)
        row.outcome, row.recommendation, row.reason = outcome, rec.outcome.value, reason.strip()
        row.reasons = [{"code": r.code, "criterion": r.criterion, "message": r.message} for r in rec.reasons]
        row.override_reason = None
        row.decided_by_id, row.decided_at = user.id, utcnow()
        if outcome == "appoint":
            have = set(db.session.scalars(select(PreEmploymentCheck.kind).where(
                PreEmploymentCheck.application_id == application.id)))
            for kind in required_checks(vacancy):
                if kind not in have:
                    db.session.add(PreEmploymentCheck(application_id=application.id, kind=kind))
        audit.record(audit.Actor.of(user), "decision.recorded", vacancy=vacancy.reference,
                     subject=application.reference, stage="interview", before=before, outcome=outcome,
                     recommendation=rec.outcome.value, reasons=[r.code for r in rec.reasons], reason=row.reason,
                     override_reason=None)
    return row


def required_checks(vacancy: Vacancy) -> list[str]:
    kinds = list(CHECK_KINDS)
    if vacancy.dbs_level == "none":
        kinds.remove("dbs")
    return kinds


def checks_for(application: Application) -> list[PreEmploymentCheck]:
    order = list(CHECK_KINDS)
    rows = db.session.scalars(select(PreEmploymentCheck).where(
        PreEmploymentCheck.application_id == application.id))
    return sorted(rows, key=lambda c: order.index(c.kind))


def record_check(vacancy: Vacancy, application: Application, user: User, kind: str, status: str,
                 checked_on: str, note: str) -> None:
    """Record a pre-employment check's result: a condition of the offer, never a score."""
    if not may_arrange(vacancy, user):
        raise PanelRefused.one("not_allowed", "Only the recruiting manager, the chair or HR records pre-employment checks.")
    check = db.session.scalar(select(PreEmploymentCheck).where(
        PreEmploymentCheck.application_id == application.id, PreEmploymentCheck.kind == kind))
    if check is None:
        raise PanelRefused.one("no_such_check", "Pre-employment checks are recorded for appointed candidates only.")
    problems: list[Problem] = []
    if status not in CHECK_STATUSES:
        problems.append(Problem("check_status_invalid", "Select the check's result", f"status-{kind}"))
    day: date | None = None
    if checked_on.strip():
        try:
            day = date.fromisoformat(checked_on.strip())
        except ValueError:
            problems.append(Problem("check_date_invalid", "Enter the date checked as YYYY-MM-DD",
                                    f"checked-{kind}"))
    elif status != "outstanding":
        problems.append(Problem("check_date_missing", "Enter the date the check was completed",
                                f"checked-{kind}"))
    if len(note) > 2000:
        problems.append(Problem("too_long", "The note must be 2000 characters or fewer", f"note-{kind}"))
    if problems:
        raise PanelRefused(problems)
    with transaction():
        before = {"status": check.status, "checked_on": check.checked_on.isoformat() if check.checked_on else None}
        check.status, check.checked_on, check.note, check.recorded_by_id = status, day, note.strip(), user.id
        audit.record(audit.Actor.of(user), "check.recorded", vacancy=vacancy.reference, subject=application.reference,
                     kind=kind, before=before,
                     after={"status": status, "checked_on": day.isoformat() if day else None})


def slot_for(application: Application) -> InterviewSlot | None:
    return db.session.scalar(select(InterviewSlot).where(InterviewSlot.application_id == application.id))
