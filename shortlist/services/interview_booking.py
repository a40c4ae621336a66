"""Candidates' messages and interview self-booking.

Candidates are e-mailed only once the shortlist is final (`outbox.queue` refuses before),
and their address is used by these messages alone:

- at finalising, each invited candidate gets the invitation (their own booking link when the
  vacancy lets candidates choose their time, else word that the employer will send one),
  each reserve the reserve message and each of the rest the plain "not shortlisted" one
  (the same words for everyone: never a reason, nothing from sealed data);
- when a time is booked or moved (by the candidate, or by staff for them) the candidate gets
  "interview confirmed" with a calendar file (METHOD:REQUEST, SEQUENCE bumped on every
  change, so their calendar updates the one entry); a cancelled time sends METHOD:CANCEL;
- when the chair first publishes times, invited candidates without a time are told.

Self-booking: the chair publishes times (date, time, length, place, capacity). A candidate's
link is signed (itsdangerous, with the app's SECRET_KEY), names their application and the
vacancy, carries their invitation's nonce and expires after BOOKING_LINK_DAYS. A new link
replaces the old one (a new nonce). A tampered, expired or replaced link opens a page that
says so and writes nothing. Taking a place is one conditional UPDATE (``booked = booked + 1
WHERE booked < capacity``, and a check constraint besides): the last place is never taken
twice. A candidate books or changes their time until the vacancy's cut-off (hours before the
interview), and may state adjustments they need: their words are added to the application's
adjustments, which only those who arrange or interview see (`permissions.sees_adjustments`).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from shortlist.dates import range_problem
from shortlist.rules.vocabulary import SCORING_ROLES
from shortlist.extensions import db
from shortlist.messages import calendar as ics
from shortlist.models import (
    Application,
    Decision,
    InterviewInvitation,
    InterviewSlot,
    InterviewTime,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.numbers import NotANumber, whole_number
from shortlist.services import audit, notices, outbox
from shortlist.services.refusals import BookingRefused, PanelRefused, Problem
from shortlist.services.transactions import transaction

LONDON = ZoneInfo("Europe/London")
SALT = "interview-booking"
ADJUSTMENTS_MAX = 2000


def now_local() -> datetime:
    """Now, as a naive Europe/London time: interview times are kept as the panel arranges them."""
    return datetime.now(LONDON).replace(tzinfo=None)


# --------------------------------------------------------------------------- words


def when(starts_at: datetime, minutes: int) -> str:
    return f"{notices.weekday_date(starts_at.date())} at {starts_at:%H:%M} ({minutes} minutes)"


def _details(slot: InterviewSlot | InterviewTime) -> str:
    return f"{when(slot.starts_at, slot.duration_minutes)}\n{slot.location}"


def _contact(vacancy: Vacancy) -> str:
    return notices.messaging(vacancy).contact or f"the recruitment team at {vacancy.organisation}"


def _panel_line(vacancy: Vacancy) -> str:
    if not notices.messaging(vacancy).share_panel_names:
        return ""
    people = [(m.user.name + (" (chair)" if m.role == "chair" else ""))
              for m in sorted(vacancy.panel, key=lambda m: (m.role != "chair", m.user.name))
              if m.role in SCORING_ROLES and m.user.active]
    if not people:
        return ""
    names = people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]
    return f"Your interview panel will be {names}."


def _candidate(vacancy: Vacancy, application: Application, **extra: Any) -> dict[str, Any]:
    settings = notices.messaging(vacancy)
    self_booking = settings.self_booking
    adjustments = settings.adjustments or (
        "If you need any adjustments for the interview, "
        + ("tell us on your booking page or contact " if self_booking else "contact ") + _contact(vacancy) + ".")
    return {
        "candidate_name": application.details.name if application.details else application.reference,
        "organisation": vacancy.organisation, "vacancy_title": vacancy.title,
        "vacancy_reference": vacancy.reference, "contact": _contact(vacancy), "panel": _panel_line(vacancy),
        "what_to_bring": settings.what_to_bring or "Photo identification, such as a passport or a driving licence.",
        "adjustments_contact": adjustments, **extra}


# --------------------------------------------------------------------------- links


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def link_lifetime() -> timedelta:
    return timedelta(days=int(current_app.config.get("BOOKING_LINK_DAYS", 28)))


def token_for(invitation: InterviewInvitation) -> str:
    return str(_serializer().dumps([invitation.application_id, invitation.vacancy_id, invitation.link_nonce]))


def booking_url(invitation: InterviewInvitation) -> str:
    return notices.link("booking.page", booking_token=token_for(invitation))


def calendar_url(invitation: InterviewInvitation) -> str:
    return notices.link("booking.calendar", booking_token=token_for(invitation))


class LinkProblem(Exception):
    """Why a booking link does not open: ``invalid`` (tampered or not ours), ``expired``,
    ``replaced`` (a newer link was sent) or ``closed`` (no longer invited)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def invitation_for(application: Application) -> InterviewInvitation:
    """The candidate's invitation row (made the first time it is needed), in the transaction."""
    row = db.session.scalar(select(InterviewInvitation).where(InterviewInvitation.application_id == application.id))
    if row is None:
        row = InterviewInvitation(application_id=application.id, vacancy_id=application.vacancy_id,
                                  link_nonce=secrets.token_hex(16), link_issued_at=utcnow(), calendar_sequence=None)
        db.session.add(row)
        db.session.flush()
    return row


def _invited(application: Application) -> bool:
    return db.session.scalar(select(Decision.outcome).where(
        Decision.application_id == application.id, Decision.stage == "shortlisting")) == "invite"


@dataclass(frozen=True)
class Opened:
    invitation: InterviewInvitation
    application: Application
    vacancy: Vacancy


def open_link(token: str) -> Opened:
    """The invitation a link is for, or LinkProblem. Reads only."""
    if not token or len(token) > 400:
        raise LinkProblem("invalid")
    try:
        data = _serializer().loads(token, max_age=int(link_lifetime().total_seconds()))
    except SignatureExpired:
        raise LinkProblem("expired") from None
    except BadSignature:
        raise LinkProblem("invalid") from None
    if (not isinstance(data, list) or len(data) != 3 or not all(isinstance(x, int) for x in data[:2])
            or not isinstance(data[2], str)):
        raise LinkProblem("invalid")
    application_id, vacancy_id, nonce = data
    invitation = db.session.scalar(select(InterviewInvitation).where(
        InterviewInvitation.application_id == application_id))
    if invitation is None or invitation.vacancy_id != vacancy_id:
        raise LinkProblem("invalid")
    if not hmac.compare_digest(invitation.link_nonce, nonce):
        raise LinkProblem("replaced")
    application = db.session.get(Application, application_id)
    vacancy = db.session.get(Vacancy, vacancy_id)
    if application is None or vacancy is None or not vacancy.names_revealed or not _invited(application):
        raise LinkProblem("closed")
    return Opened(invitation, application, vacancy)


def new_link(vacancy: Vacancy, application: Application, user: User) -> str:
    """A new booking link for the candidate, ending the old one (audited); sent to them as the
    'times to choose from' message. Returns the link."""
    _check_staff(vacancy, application, user)
    with transaction():
        invitation = invitation_for(application)
        invitation.link_nonce, invitation.link_issued_at = secrets.token_hex(16), utcnow()
        audit.record(audit.Actor.of(user), "interview.link_issued", vacancy=vacancy.reference,
                     subject=application.reference, replaced=True)
        url = booking_url(invitation)
        outbox.queue("interview_times_open", outbox.to_candidate(application),
                     _candidate(vacancy, application, booking_link=url, booking_deadline=_deadline_words(vacancy)),
                     actor=audit.Actor.of(user), vacancy=vacancy)
    return url


# --------------------------------------------------------------------------- at finalising


def on_finalise(vacancy: Vacancy, outcomes: dict[str, list[str]], actor: audit.Actor) -> int:
    """Queue each candidate's message in the finalising transaction (the caller commits):
    ``outcomes`` maps invite / reserve / reject to references."""
    by_reference = {a.reference: a for a in db.session.scalars(
        select(Application).options(selectinload(Application.details))
        .where(Application.vacancy_id == vacancy.id))}
    settings = notices.messaging(vacancy)
    queued = 0
    for reference in outcomes.get("invite", []):
        application = by_reference[reference]
        invitation = invitation_for(application)
        if settings.self_booking:
            details = ("Choose your interview time on your own booking page:\n\n" + booking_url(invitation)
                       + f"\n\nThe link is for you alone. {_deadline_sentence(vacancy)} "
                       "If no times are open yet, we will e-mail you when they are.")
        else:
            details = "We will contact you soon with the date, time and place of your interview."
        queued += outbox.queue("interview_invitation", outbox.to_candidate(application),
                               _candidate(vacancy, application, interview_details=details), actor=actor,
                               vacancy=vacancy, dedupe_key=f"interview_invitation:{application.id}") is not None
    for outcome, kind in (("reserve", "reserve"), ("reject", "not_shortlisted")):
        for reference in outcomes.get(outcome, []):
            application = by_reference[reference]
            queued += outbox.queue(kind, outbox.to_candidate(application), _candidate(vacancy, application),
                                   actor=actor, vacancy=vacancy,
                                   dedupe_key=f"{kind}:{application.id}") is not None
    return queued


def _cutoff(vacancy: Vacancy) -> timedelta:
    return timedelta(hours=notices.messaging(vacancy).booking_cutoff_hours)


def _deadline_sentence(vacancy: Vacancy) -> str:
    hours = notices.messaging(vacancy).booking_cutoff_hours
    if not hours:
        return "You can choose or change your time until your interview starts."
    return f"You can choose or change your time until {hours} hours before your interview."


def _deadline_words(vacancy: Vacancy) -> str:
    hours = notices.messaging(vacancy).booking_cutoff_hours
    return f"{hours} hours before your interview" if hours else "your interview starts"


# --------------------------------------------------------------------------- calendar and confirmation


def _organizer() -> tuple[str, str]:
    name, address = parseaddr(current_app.config.get("MAIL_REPLY_TO") or current_app.config["MAIL_FROM"])
    return name or "Shortlist", address


def calendar_for(vacancy: Vacancy, application: Application, invitation: InterviewInvitation,
                 slot: InterviewSlot | InterviewTime, method: str) -> bytes:
    """The candidate's calendar file at the invitation's current SEQUENCE."""
    organizer_name, organizer_email = _organizer()
    host = urlsplit(current_app.config["SHORTLIST_BASE_URL"]).hostname or "shortlist"
    details = application.details
    return ics.calendar_file(ics.Interview(
        uid=ics.interview_uid(vacancy.id, application.id, host), sequence=invitation.calendar_sequence or 0,
        starts_at=slot.starts_at, minutes=slot.duration_minutes,
        summary=f"Interview: {vacancy.title} ({vacancy.organisation})", location=slot.location,
        description=f"Your interview for {vacancy.title} ({vacancy.reference}). Questions: {_contact(vacancy)}",
        organizer_email=organizer_email, organizer_name=vacancy.organisation or organizer_name,
        attendee_email=details.email if details else "", attendee_name=details.name if details else ""),
        method=method)


def _next_sequence(invitation: InterviewInvitation) -> None:
    invitation.calendar_sequence = 0 if invitation.calendar_sequence is None else invitation.calendar_sequence + 1


def confirm(vacancy: Vacancy, application: Application, slot: InterviewSlot, actor: audit.Actor) -> None:
    """Tell the candidate their (new) time, with the calendar file (in the caller's transaction)."""
    invitation = invitation_for(application)
    _next_sequence(invitation)
    settings = notices.messaging(vacancy)
    change = ""
    if settings.self_booking and slot.interview_time_id is not None:
        change = (f"You can change your time until {_change_until(vacancy, slot)}: {booking_url(invitation)}")
    context = _candidate(vacancy, application, interview_details=_details(slot),
                         calendar_link=calendar_url(invitation), change_booking=change)
    outbox.queue("interview_confirmed", outbox.to_candidate(application), context, actor=actor, vacancy=vacancy,
                 calendar=calendar_for(vacancy, application, invitation, slot, "REQUEST"))


def _change_until(vacancy: Vacancy, slot: InterviewSlot | InterviewTime) -> str:
    at = slot.starts_at - _cutoff(vacancy)
    return f"{at:%H:%M} on {notices.weekday_date(at.date())}"


# --------------------------------------------------------------------------- published times


def _check_staff(vacancy: Vacancy, application: Application | None, user: User) -> None:
    from shortlist.services.interviews import may_arrange

    if not may_arrange(vacancy, user):
        raise BookingRefused("Only the recruiting manager, the chair or HR arranges interviews.")
    if not vacancy.names_revealed:
        raise BookingRefused("Interviews are arranged once the shortlist is finalised.")
    if application is not None and (application.vacancy_id != vacancy.id or not _invited(application)):
        raise BookingRefused(f"{application.reference} was not invited to interview.")


def times(vacancy: Vacancy) -> list[InterviewTime]:
    return list(db.session.scalars(select(InterviewTime).where(InterviewTime.vacancy_id == vacancy.id)
                                   .order_by(InterviewTime.starts_at, InterviewTime.id)))


def time_of(vacancy: Vacancy, time_id: int) -> InterviewTime | None:
    """The vacancy's published time with this id (None: no such time, or another vacancy's)."""
    found = db.session.get(InterviewTime, time_id)
    return found if found is not None and found.vacancy_id == vacancy.id else None


def bookable(vacancy: Vacancy, time: InterviewTime) -> bool:
    """Still open to book: before the cut-off, with a place left."""
    return time.places_left > 0 and time.starts_at - _cutoff(vacancy) > now_local()


def publish_time(vacancy: Vacancy, user: User, *, day: Any, time: str, duration: str, location: str,
                 capacity: str) -> InterviewTime:
    """The chair (or whoever arranges) publishes a time; invited candidates without a time are
    told the first time times open (once each)."""
    from shortlist.services.interviews import slot_details

    _check_staff(vacancy, None, user)
    problems: list[Problem] = []
    if day.error:
        problems.append(Problem("slot_date_invalid", day.error, day.error_id))
    elif day.value is None:
        problems.append(Problem("slot_date_invalid", "Enter the interview date", day.error_id))
    elif range_problem(day.value, "The interview date"):
        problems.append(Problem("slot_date_invalid", range_problem(day.value, "The interview date"), day.error_id))
    on = day.value if day.value is not None and not problems else None
    starts_at, minutes, more = slot_details(on, time, duration, location, after=(now_local(), day.error_id))
    problems += more
    try:
        places = whole_number(capacity, "the number of candidates")
    except NotANumber:
        places = 0
    if not 1 <= places <= 50:
        problems.append(Problem("capacity_invalid", "Enter how many candidates this time is for, from 1 to 50",
                                "capacity"))
    if problems:
        raise PanelRefused(problems)
    assert starts_at is not None
    first = not times(vacancy)
    with transaction():
        row = InterviewTime(vacancy_id=vacancy.id, starts_at=starts_at, duration_minutes=minutes,
                            location=location.strip(), capacity=places, booked=0, created_by_id=user.id)
        db.session.add(row)
        db.session.flush()
        actor = audit.Actor.of(user)
        audit.record(actor, "interview.time_published", vacancy=vacancy.reference, subject=f"time {row.id}",
                     after={"starts_at": starts_at.isoformat(), "minutes": minutes, "location": row.location,
                            "capacity": places})
        if first and notices.messaging(vacancy).self_booking:
            _tell_times_open(vacancy, actor)
    return row


def _tell_times_open(vacancy: Vacancy, actor: audit.Actor) -> None:
    booked = set(db.session.scalars(select(InterviewSlot.application_id).join(Application).where(
        Application.vacancy_id == vacancy.id)))
    from shortlist.services.interviews import _invited as invited_applications

    for application in invited_applications(vacancy):
        if application.id in booked:
            continue
        invitation = invitation_for(application)
        outbox.queue("interview_times_open", outbox.to_candidate(application),
                     _candidate(vacancy, application, booking_link=booking_url(invitation),
                                booking_deadline=_deadline_words(vacancy)),
                     actor=actor, vacancy=vacancy, dedupe_key=f"interview_times_open:{application.id}")


def remove_time(vacancy: Vacancy, user: User, time_id: int) -> None:
    _check_staff(vacancy, None, user)
    row = db.session.get(InterviewTime, time_id)
    if row is None or row.vacancy_id != vacancy.id:
        raise BookingRefused("There is no such interview time.")
    if row.booked:
        raise BookingRefused("Candidates have booked this time: cancel or move their interviews first.")
    with transaction():
        audit.record(audit.Actor.of(user), "interview.time_removed", vacancy=vacancy.reference, subject=f"time {row.id}",
                     before={"starts_at": row.starts_at.isoformat(), "minutes": row.duration_minutes,
                             "location": row.location, "capacity": row.capacity})
        db.session.delete(row)


# --------------------------------------------------------------------------- booking


def _take_place(time_id: int) -> bool:
    done = db.session.execute(
        update(InterviewTime).where(InterviewTime.id == time_id, InterviewTime.booked < InterviewTime.capacity)
        .values(booked=InterviewTime.booked + 1).execution_options(synchronize_session=False))
    return done.rowcount == 1


def release_place(time_id: int | None) -> None:
    if time_id is not None:
        db.session.execute(
            update(InterviewTime).where(InterviewTime.id == time_id, InterviewTime.booked > 0)
            .values(booked=InterviewTime.booked - 1).execution_options(synchronize_session=False))


def _slot_dict(slot: InterviewSlot | None) -> dict[str, Any] | None:
    if slot is None:
        return None
    return {"starts_at": slot.starts_at.isoformat(), "minutes": slot.duration_minutes, "location": slot.location,
            "time": slot.interview_time_id}


def _book(vacancy: Vacancy, application: Application, time_id: Any, *, by: User | None,
          adjustments: str = "") -> InterviewSlot:
    """Take a place in a published time for the candidate (moving them from their old one),
    tell them, audit, commit; or BookingRefused with nothing written."""
    if len(adjustments) > ADJUSTMENTS_MAX:
        raise BookingRefused(f"Adjustments must be {ADJUSTMENTS_MAX} characters or fewer", "adjustments")
    try:
        chosen = int(str(time_id)) if str(time_id).isdigit() and len(str(time_id)) < 12 else None
    except ValueError:
        chosen = None
    time = db.session.get(InterviewTime, chosen) if chosen is not None else None
    if time is None or time.vacancy_id != vacancy.id:
        raise BookingRefused("Select an interview time")
    staff = by is not None
    stated = adjustments.strip()
    with transaction():  # a refusal below rolls back all of it
        # one request at a time per candidate (a row lock on PostgreSQL; SQLite writes one at a time)
        if db.session.scalar(select(InterviewInvitation.id).where(
                InterviewInvitation.application_id == application.id).with_for_update()) is None:
            invitation_for(application)
        slot = db.session.scalar(select(InterviewSlot).where(InterviewSlot.application_id == application.id))
        if not staff and slot is not None and slot.starts_at - _cutoff(vacancy) <= now_local():
            raise BookingRefused("Your interview is too soon to change here. Contact "
                                 f"{_contact(vacancy)} if you need to change it.")
        moved = slot is None or slot.interview_time_id != time.id
        if not moved and not stated:
            return slot  # nothing changed
        if moved:
            if not staff and time.starts_at - _cutoff(vacancy) <= now_local():
                raise BookingRefused("That time can no longer be booked. Choose another time.")
            if not _take_place(time.id):
                raise BookingRefused("That time has just been taken. Choose another time.")
            before = _slot_dict(slot)
            if slot is not None:
                release_place(slot.interview_time_id)
            else:
                slot = InterviewSlot(application_id=application.id, starts_at=time.starts_at, location="")
                db.session.add(slot)
            slot.starts_at, slot.duration_minutes, slot.location = time.starts_at, time.duration_minutes, time.location
            slot.interview_time_id = time.id
            slot.arranged_by_id = by.id if by else None
        if stated and application.details is not None:
            noted = f"Asked for when booking the interview: {stated}"
            if noted not in (application.details.adjustments or ""):
                application.details.adjustments = "\n\n".join(
                    p for p in ((application.details.adjustments or "").strip(), noted) if p)
        actor = audit.Actor.of(by) if by else audit.Actor(None, f"candidate {application.reference}")
        audit.record(actor, "interview.booked", vacancy=vacancy.reference, subject=application.reference,
                     before=before if moved else _slot_dict(slot), after=_slot_dict(slot),
                     by="staff" if staff else "candidate", adjustments_stated=bool(stated))
        if moved:
            db.session.flush()
            confirm(vacancy, application, slot, actor)
    return slot


def book(token: str, time_id: Any, adjustments: str = "") -> InterviewSlot:
    """The candidate books (or changes to) a published time through their link."""
    opened = open_link(token)
    if not notices.messaging(opened.vacancy).self_booking:
        raise BookingRefused("This vacancy's interview times are arranged by the employer.")
    return _book(opened.vacancy, opened.application, time_id, by=None, adjustments=adjustments)


def book_for(vacancy: Vacancy, application: Application, user: User, time_id: Any) -> InterviewSlot:
    """Staff book a published time on a candidate's behalf (the cut-off does not apply to them)."""
    _check_staff(vacancy, application, user)
    return _book(vacancy, application, time_id, by=user)


def cancel(vacancy: Vacancy, application: Application, user: User) -> None:
    """Cancel a candidate's interview time: their place is freed, the calendar entry removed
    (METHOD:CANCEL at the next SEQUENCE)."""
    _check_staff(vacancy, application, user)
    slot = db.session.scalar(select(InterviewSlot).where(InterviewSlot.application_id == application.id))
    if slot is None:
        raise BookingRefused(f"{application.reference} has no interview time to cancel.")
    with transaction():
        invitation = invitation_for(application)
        before = _slot_dict(slot)
        release_place(slot.interview_time_id)
        actor = audit.Actor.of(user)
        audit.record(actor, "interview.cancelled", vacancy=vacancy.reference, subject=application.reference,
                     before=before)
        _next_sequence(invitation)
        outbox.queue("interview_cancelled", outbox.to_candidate(application),
                     _candidate(vacancy, application, interview_details=_details(slot)), actor=actor, vacancy=vacancy,
                     calendar=calendar_for(vacancy, application, invitation, slot, "CANCEL"))
        db.session.delete(slot)


def candidate_slot(application: Application) -> InterviewSlot | None:
    return db.session.scalar(select(InterviewSlot).where(InterviewSlot.application_id == application.id))
