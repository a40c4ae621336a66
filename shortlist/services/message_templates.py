"""HR's wording for each kind of message, per organisation: checked (every placeholder must be
one the kind has; unknown ones are named), previewed with sample data, saved or put back to
the English default, each change audited. And each member of staff's own choice to switch
reminders off (invitations and the rest always go)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.permissions import organisations_for
from shortlist.services.refusals import TemplateRefused
from shortlist.messages import catalogue, render
from shortlist.models import MessageTemplate, NotificationPreference, Organisation, User
from shortlist.services import audit
from shortlist.services.transactions import transaction



@dataclass(frozen=True)
class Wording:
    subject: str
    body: str
    customised: bool  # HR's, not the default


@dataclass(frozen=True)
class Preview:
    subject: str
    html: Markup
    text: str


def organisations(within: Iterable[int]) -> list[str]:
    """The organisations (by name, as messages keep it) whose wording this HR administrator
    writes: those they administer (``within``)."""
    ids = sorted(set(within))
    if not ids:
        return []
    return sorted(db.session.scalars(select(Organisation.name).where(Organisation.id.in_(ids))))


def _row(organisation: str, kind: str) -> MessageTemplate | None:
    return db.session.scalar(select(MessageTemplate).where(
        MessageTemplate.organisation == organisation, MessageTemplate.kind == kind))


def wording(organisation: str, kind: str) -> Wording:
    spec = catalogue.kind(kind)
    row = _row(organisation, kind) if organisation else None
    if row is None:
        return Wording(spec.subject, spec.body, False)
    return Wording(row.subject, row.body, True)


def customised(organisation: str) -> set[str]:
    return set(db.session.scalars(select(MessageTemplate.kind).where(MessageTemplate.organisation == organisation)))


def preview(kind: str, subject: str, body: str) -> Preview:
    """The message as a recipient would see it, filled with sample data (refused if it is wrong)."""
    spec = catalogue.kind(kind)
    problems = render.check(spec, subject, body)
    if problems:
        raise TemplateRefused(problems)
    values = catalogue.sample_context(spec)
    filled = render.fill(body, values)
    return Preview(render.subject_text(subject, values), render.html_fragment(filled), render.plain_text(filled))


def save(user: User, organisation: str, kind: str, subject: str, body: str) -> None:
    spec = catalogue.kind(kind)
    if organisation not in organisations(organisations_for(user, "administer")):
        raise TemplateRefused([render.Problem("not_allowed", "Only the organisation’s HR changes the wording of "
                                                             "its messages", "subject")])
    organisation = organisation.strip()
    if not organisation:
        raise TemplateRefused([render.Problem("organisation_missing", "Choose the organisation", "subject")])
    subject, body = subject.strip(), body.replace("\r\n", "\n").strip()
    problems = render.check(spec, subject, body)
    if problems:
        raise TemplateRefused(problems)
    with transaction():
        before = wording(organisation, kind)
        row = _row(organisation, kind)
        if row is None:
            row = MessageTemplate(organisation=organisation, kind=kind, subject=subject, body=body)
            db.session.add(row)
        row.subject, row.body, row.updated_by_id = subject, body, user.id
        audit.record(audit.Actor.of(user), "template.saved", subject=f"{kind} for {organisation}"[:120], kind=kind,
                     organisation=organisation, before={"subject": before.subject, "body": before.body,
                                                        "default": not before.customised},
                     after={"subject": subject, "body": body})


def reset(user: User, organisation: str, kind: str) -> bool:
    """Back to the English default; False when it was the default already."""
    catalogue.kind(kind)
    if organisation not in organisations(organisations_for(user, "administer")):
        raise TemplateRefused([render.Problem("not_allowed", "Only the organisation’s HR changes the wording of "
                                                             "its messages", "subject")])
    row = _row(organisation, kind)
    if row is None:
        return False
    with transaction():
        audit.record(audit.Actor.of(user), "template.reset", subject=f"{kind} for {organisation}"[:120], kind=kind,
                     organisation=organisation, before={"subject": row.subject, "body": row.body})
        db.session.delete(row)
    return True


# --------------------------------------------------------------------------- staff preferences


def reminders_on(user_id: int) -> bool:
    row = db.session.get(NotificationPreference, user_id)
    return True if row is None else row.reminders


def set_reminders(user: User, on: bool) -> bool:
    """A member of staff switches their own reminders on or off; False when nothing changed."""
    row = db.session.get(NotificationPreference, user.id)
    before = True if row is None else row.reminders
    if before == on:
        return False
    with transaction():
        if row is None:
            row = NotificationPreference(user_id=user.id)
            db.session.add(row)
        row.reminders = on
        audit.record(audit.Actor.of(user), "preferences.updated", subject=user.email, before={"reminders": before},
                     after={"reminders": on})
    return True
