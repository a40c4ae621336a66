"""Safer-recruitment training, held on the person (R18): the date on their certificate,
the same on every panel they sit on. HR records or corrects anyone's; a person their own.
Every change is one transaction with its audit record (training.recorded: before, after,
who, and why, for a correction)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.permissions import may_manage_person
from shortlist.services.refusals import TrainingRefused
from shortlist.services.transactions import transaction
from shortlist.filters import govuk_date
from shortlist.models import User
from shortlist.models.base import utcnow
from shortlist.services import audit

MAX_REASON = 2000



def may_record(actor: User, person: User) -> bool:
    from shortlist.services.organisations import organisations_of

    return actor.id == person.id or may_manage_person(actor, person, organisations_of(person))


def record_training(actor: User, person: User, trained_on: date, reason: str = "",
                    today: date | None = None) -> None:
    """Record the date on the person's safer-recruitment certificate. Changing a date
    already recorded is a correction: it needs a reason."""
    if not may_record(actor, person):
        raise TrainingRefused("Only HR or the person themselves records their training.", "trained_on")
    if trained_on > (today or date.today()):
        raise TrainingRefused("The date on the certificate must be today or in the past", "trained_on")
    reason = " ".join(reason.split())
    before = person.safer_recruitment_trained_on
    if before == trained_on:
        return
    if before is not None and not reason:
        raise TrainingRefused("Say why the date is being corrected", "reason")
    if len(reason) > MAX_REASON:
        raise TrainingRefused(f"Give the reason in {MAX_REASON} characters or fewer", "reason")
    with transaction():
        _record(person, trained_on, reason or None, audit.Actor.of(actor))


def _record(person: User, trained_on: date, reason: str | None, actor: audit.Actor,
            source: str | None = None) -> None:
    before = person.safer_recruitment_trained_on
    person.safer_recruitment_trained_on = trained_on
    person.safer_recruitment_recorded_at = utcnow()
    person.safer_recruitment_note = reason or source
    audit.record(actor, "training.recorded", subject=f"user {person.id}", email=person.email,
                 before=before.isoformat() if before else None, after=trained_on.isoformat(), reason=reason,
                 **({"source": source} if source else {}))


def from_campaign(emails_and_dates: dict[str, date], actor: audit.Actor, filename: str) -> list[tuple[str, date, date]]:
    """A campaign file's panel dates, in the load's transaction: a person with no date
    recorded gets the file's; one who has a different date keeps theirs. Returns
    (e-mail, kept date, the file's date) for each date not taken."""
    if not emails_and_dates:
        return []
    kept = []
    for person in db.session.scalars(select(User).where(User.email.in_(emails_and_dates))):
        given = emails_and_dates[person.email]
        if person.safer_recruitment_trained_on is None:
            _record(person, given, None, actor, source=f"campaign file {filename}".strip())
        elif person.safer_recruitment_trained_on != given:
            kept.append((person.email, person.safer_recruitment_trained_on, given))
    return kept


def kept_message(name: str, kept: date, given: date) -> str:
    return (f"{name}'s safer-recruitment training is held on their account ({govuk_date(kept)}), so the file's "
            f"date ({govuk_date(given)}) was not used. HR corrects it on the person's training page if it is wrong.")


def people() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.name, User.email)))
