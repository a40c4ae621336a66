"""Closing applications, the step between a published vacancy and its shortlisting.

Applications close at the end of the closing date, automatically, or earlier when HR
closes them with a reason. Only then does the panel declare conflicts and score: nobody
scores a field that can still grow. Each close is audited (applications.closed), the
automatic one by "system" in the transaction of whatever first needs it (the daily
`shortlist close-applications`, or the first panel action after the closing date).
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.permissions import is_hr_of
from shortlist.services.refusals import CloseRefused
from shortlist.services.transactions import transaction
from shortlist.filters import govuk_date
from shortlist.models import Application, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import CLOSED_STATUSES
from shortlist.services import audit

MAX_REASON = 2000



def closing_date_passed(vacancy: Vacancy, today: date | None = None) -> bool:
    """Applications are taken to the end of the closing date."""
    return (today or date.today()) > vacancy.closing_date


def applications_closed(vacancy: Vacancy, today: date | None = None) -> bool:
    """Closed: recorded as closed, or published and past its closing date (recorded by
    `close_if_due` the first time it matters). A draft has never opened."""
    if vacancy.status in CLOSED_STATUSES or vacancy.applications_closed_at is not None:
        return True
    return vacancy.status == "open" and closing_date_passed(vacancy, today)


def open_message(vacancy: Vacancy) -> str:
    """Why the panel cannot start yet."""
    if vacancy.status == "draft":
        return "This vacancy has not been published: the panel starts once applications have closed."
    return (f"Applications are open until {govuk_date(vacancy.closing_date)}. The panel declares conflicts "
            "and scores once they close, at the end of the closing date or earlier if HR closes them.")


def _close(vacancy: Vacancy, actor: audit.Actor, by: User | None, reason: str, early: bool) -> None:
    applications = db.session.scalar(
        select(func.count()).select_from(Application).where(Application.vacancy_id == vacancy.id)) or 0
    vacancy.applications_closed_at = utcnow()
    vacancy.applications_closed_by_id = by.id if by else None
    vacancy.applications_closed_reason = reason
    vacancy.status = "shortlisting"
    audit.record(actor, "applications.closed", vacancy=vacancy.reference, subject=f"vacancy {vacancy.reference}",
                 closing_date=vacancy.closing_date.isoformat(), early=early, reason=reason,
                 applications=applications)
    from shortlist.services import notices

    notices.scoring_open(vacancy, actor)  # each scorer is told, in this transaction


def automatic_reason(vacancy: Vacancy) -> str:
    return f"The closing date, {govuk_date(vacancy.closing_date)}, has passed."


def close_if_due(vacancy: Vacancy, today: date | None = None) -> bool:
    """Record the automatic close of a published vacancy past its closing date, in the
    caller's transaction (the caller commits). True when it closed it now."""
    if vacancy.status != "open" or vacancy.applications_closed_at is not None:
        return False
    if not closing_date_passed(vacancy, today):
        return False
    _close(vacancy, audit.Actor(None, "system"), None, automatic_reason(vacancy), early=False)
    return True


def close_due(today: date | None = None) -> list[str]:
    """Close every published vacancy past its closing date (the daily command): one
    transaction, one audit record each. Returns their references."""
    day = today or date.today()
    due = db.session.scalars(select(Vacancy).where(
        Vacancy.status == "open", Vacancy.applications_closed_at.is_(None),
        Vacancy.closing_date < day).order_by(Vacancy.reference)).all()
    with transaction():
        closed = [v.reference for v in due if close_if_due(v, day)]
    return closed


def close_applications(vacancy: Vacancy, actor: User, reason: str, today: date | None = None) -> None:
    """HR closes applications: before the closing date only with a reason (audited)."""
    day = today or date.today()
    if not is_hr_of(actor, vacancy):
        raise CloseRefused("Only HR closes applications.")
    if vacancy.status == "draft":
        raise CloseRefused("This vacancy has not been published yet: publish it before closing its applications.")
    if vacancy.status != "open" or vacancy.applications_closed_at is not None:
        raise CloseRefused("Applications for this vacancy are already closed.")
    early = not closing_date_passed(vacancy, day)
    reason = reason.strip()
    if early and not reason:
        raise CloseRefused("Give the reason for closing applications before the closing date", "reason")
    if len(reason) > MAX_REASON:
        raise CloseRefused(f"Give the reason in {MAX_REASON} characters or fewer", "reason")
    with transaction():
        _close(vacancy, audit.Actor.of(actor), actor, reason or automatic_reason(vacancy), early)


def closed_at_for_load(on: date | None) -> datetime:
    """When a loaded campaign's applications closed: the day its file gives, else now."""
    return datetime.combine(on, time()) if on else utcnow()
