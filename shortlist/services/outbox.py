"""The outbox: every e-mail the app sends is first a row here, written in the same
transaction (with its audit record) as the action that causes it, then delivered by a job.

Delivery is idempotent, keyed by the row's id:

- a worker claims a row atomically (``UPDATE ... SET status='sending' WHERE id=? AND
  status='queued'``, committed before it sends), so two workers never both send it;
- a transient failure (server busy or unreachable, rate limit) puts it back in the queue
  with a later ``next_attempt_at`` (1, 5, 15, 60, then 180 minutes), until MAIL_MAX_ATTEMPTS;
- a permanent failure (address refused, wrong key) or the last attempt marks it failed,
  with the reason in words (never the address) for the outbox page and its sender;
- a row left "sending" by a worker that died is never sent again blindly: GOV.UK Notify
  is asked for it by its reference (the outbox id); otherwise it is marked "uncertain" for
  a person to check, who then marks it sent or sends it again.

The job runs on RQ when REDIS_URL is set, else on this process's worker thread
(`shortlist.worker`); `shortlist tick` delivers whatever is due, so a message whose
job was lost (Redis down at the time) still goes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shortlist import mail
from shortlist.extensions import db
from shortlist.services.refusals import CandidateMailRefused, OutboxRefused
from shortlist.messages import catalogue, render
from shortlist.models import Application, OutboxMessage, User, Vacancy
from shortlist.models.base import utcnow
from shortlist import worker
from shortlist.services import audit
from shortlist.services.transactions import transaction

log = logging.getLogger(__name__)

RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
                timedelta(hours=3))
SENDING_STALE = timedelta(minutes=10)  # a delivery takes seconds (SMTP_TIMEOUT, NOTIFY_TIMEOUT: 30 s)
PENDING = "outbox_pending"  # session.info key: ids queued in the open transaction



@dataclass(frozen=True)
class Recipient:
    address: str
    label: str  # what the audit log and the pages name: a staff e-mail or a candidate's reference
    audience: str  # "staff" | "candidate"
    user_id: int | None = None
    application_id: int | None = None


def to_user(user: User) -> Recipient:
    return Recipient(user.email, user.email, "staff", user_id=user.id)


def to_candidate(application: Application) -> Recipient:
    address = application.details.email if application.details else ""
    return Recipient(address, application.reference, "candidate", application_id=application.id)


# --------------------------------------------------------------------------- queueing


def wording(organisation: str, kind: str) -> tuple[str, str]:
    """The subject and body a message of this kind is written from (HR's, or the default)."""
    from shortlist.services import message_templates

    found = message_templates.wording(organisation, kind)
    return found.subject, found.body


def queue(kind: str, recipient: Recipient, context: Mapping[str, Any], *, actor: audit.Actor,
          vacancy: Vacancy | None = None, organisation: str | None = None, calendar: bytes | None = None,
          dedupe_key: str | None = None) -> int | None:
    """Write a message to the outbox in the current transaction (the caller commits).

    Returns its id, or None when nothing was queued: the recipient has no address, switched
    this kind (a reminder) off, or a message with the same ``dedupe_key`` exists already (the
    same event, seen twice).
    """
    spec = catalogue.kind(kind)
    if spec.audience != recipient.audience:
        raise ValueError(f"{kind} is for {spec.audience}, not {recipient.audience}")
    if recipient.audience == "candidate" and (vacancy is None or vacancy.shortlist_finalised_at is None):
        raise CandidateMailRefused(f"{kind}: candidates are e-mailed only once the shortlist is final")
    if not recipient.address.strip():
        return None
    if spec.reminder and recipient.user_id is not None:
        from shortlist.services import message_templates

        if not message_templates.reminders_on(recipient.user_id):
            return None  # they switched reminders off (never invitations or the rest)
    organisation = organisation if organisation is not None else (vacancy.organisation if vacancy else "")
    values = {name: str(context[name]) for name in spec.placeholders}
    subject, body = wording(organisation, kind)
    now = utcnow()
    row = {
        "kind": kind, "audience": recipient.audience, "to_address": recipient.address.strip(),
        "recipient_user_id": recipient.user_id, "application_id": recipient.application_id,
        "vacancy_id": vacancy.id if vacancy else None, "organisation": organisation, "context": values,
        "subject": render.subject_text(subject, values), "body": render.fill(body, values),
        "calendar": calendar, "dedupe_key": dedupe_key, "status": "queued", "attempts": 0,
        "backend": "", "last_error": "", "created_by_id": actor.id, "created_at": now, "updated_at": now,
    }
    message_id = _insert(row)
    if message_id is None:
        return None
    audit.record(actor, "message.queued", vacancy=vacancy.reference if vacancy else None,
                 subject=recipient.label, kind=kind, to=recipient.label, message=message_id)
    db.session.info.setdefault(PENDING, []).append(message_id)
    return message_id


def _insert(row: dict[str, Any]) -> int | None:
    """Insert the row; with a dedupe key, nothing (None) if that key is taken: ON CONFLICT DO
    NOTHING, so a race between two transactions never fails the action that caused it."""
    table = OutboxMessage.__table__
    if row["dedupe_key"] is None:
        return int(db.session.execute(insert(table).values(**row).returning(table.c.id)).scalar_one())
    dialect = db.session.get_bind().dialect.name
    statement: Any = (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)).values(**row)
    statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id)
    found = db.session.execute(statement).scalar_one_or_none()
    return int(found) if found is not None else None


def submit(message_id: int) -> None:
    """Hand a queued message to a worker (RQ, or this process's thread)."""
    worker.enqueue(deliver, message_id, description=f"shortlist message {message_id}",
                   timeout=timedelta(minutes=2))


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    ids = session.info.pop(PENDING, None)
    if not ids or not has_app_context() or not current_app.config.get("MAIL_DELIVER_AFTER_COMMIT"):
        return
    for message_id in ids:
        try:
            submit(message_id)
        except Exception:  # Redis down, say: the row stays queued and `shortlist tick` sends it
            log.exception("outbox: could not hand message %s to a worker", message_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


# --------------------------------------------------------------------------- delivering


def backend() -> mail.Backend:
    return mail.backend_for(current_app.config)


def envelope(message: OutboxMessage) -> mail.Envelope:
    """What the backend sends: the text and HTML parts made from the kept (filled) body."""
    return mail.Envelope(
        outbox_id=message.id, kind=message.kind, to=message.to_address, subject=message.subject,
        text=render.plain_text(message.body), html=render.html_document(message.subject, message.body),
        attempt=message.attempts, personalisation=dict(message.context or {}), calendar=message.calendar)


def _label(message: OutboxMessage) -> str:
    if message.audience == "candidate":
        return message.application.reference if message.application else f"message {message.id}"
    return message.to_address


def _vacancy_reference(message: OutboxMessage) -> str | None:
    return message.vacancy.reference if message.vacancy else None


def _claim(message_id: int, token: str, now: datetime) -> bool:
    with transaction():
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == "queued",
                   or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
            .values(status="sending", claim_token=token, claimed_at=now, attempts=OutboxMessage.attempts + 1,
                    updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
    return claimed == 1


def _finish(message_id: int, token: str, **values: Any) -> bool:
    values.setdefault("updated_at", utcnow())
    done = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "sending",
               OutboxMessage.claim_token == token)
        .values(claim_token=None, **values)
        .execution_options(synchronize_session=False)).rowcount
    return done == 1


def deliver(message_id: int, now: datetime | None = None) -> str:
    """Send one message if it is due (at ``now``) and nobody else is sending it. Returns what
    happened: sent, retry, failed, uncertain or skipped (not due, or claimed by another worker)."""
    token = uuid.uuid4().hex
    now = now or utcnow()
    if not _claim(message_id, token, now):
        return "skipped"
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    sender = backend()
    attempts, label, kind, vacancy = message.attempts, _label(message), message.kind, _vacancy_reference(message)
    try:
        reference = sender.send(envelope(message))
    except mail.Transient as exc:
        limit = int(current_app.config.get("MAIL_MAX_ATTEMPTS", 6))
        if attempts >= limit:
            outcome, error = "failed", f"Not sent after {attempts} attempts. The last: {exc}"
            values: dict[str, Any] = {"status": "failed", "last_error": error, "next_attempt_at": None}
        else:
            outcome, error = "retry", str(exc)
            delay = exc.retry_after or RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
            values = {"status": "queued", "last_error": error, "next_attempt_at": exc.retry_at or now + delay}
    except mail.Permanent as exc:
        outcome, error = "failed", str(exc)
        values = {"status": "failed", "last_error": error, "next_attempt_at": None}
    except mail.Uncertain as exc:
        outcome, error = "uncertain", f"{exc}. Check whether it arrived before sending it again."
        values = {"status": "uncertain", "last_error": error, "next_attempt_at": None}
    except Exception as exc:  # our own fault: nothing went, and trying again would fail the same way
        log.exception("outbox: message %s", message_id)
        outcome, error = "failed", f"The message could not be sent ({type(exc).__name__}); see the server log"
        values = {"status": "failed", "last_error": error, "next_attempt_at": None}
    else:
        outcome, error = "sent", ""
        values = {"status": "sent", "provider_reference": reference[:100], "sent_at": utcnow(),
                  "last_error": "", "next_attempt_at": None}
    values["backend"] = sender.name
    if outcome == "sent" and sender.name != "outbox":
        values.update(_without_secret_link(message))
    with transaction():
        if not _finish(message_id, token, **values):
            return "skipped"  # another worker took the message over: this one wrote nothing
        if outcome == "sent":
            audit.record(audit.Actor(None, "system"), "message.sent", vacancy=vacancy, subject=label, kind=kind,
                         to=label, message=message_id, attempts=attempts, backend=sender.name)
        elif outcome in ("failed", "uncertain"):
            audit.record(audit.Actor(None, "system"), f"message.{outcome}", vacancy=vacancy, subject=label,
                         kind=kind, to=label, message=message_id, attempts=attempts, error=error)
    return outcome


#: what the outbox keeps in place of a sent message's set-password link
LINK_REMOVED = "(link removed once sent: only its recipient has it)"


def _without_secret_link(message: OutboxMessage) -> dict[str, Any]:
    """A sent invitation or password reset, kept without its link (catalogue: secret_link)."""
    spec = catalogue.KINDS.get(message.kind)
    link = (message.context or {}).get("link", "")
    if spec is None or not spec.secret_link or not link:
        return {}
    return {"body": message.body.replace(link, LINK_REMOVED),
            "context": {**message.context, "link": LINK_REMOVED}}


def due_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or utcnow()
    return list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "queued",
               or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
        .order_by(OutboxMessage.id).limit(limit)))


def deliver_due(now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Deliver every message that is due (first tries whose job was lost, and retries)."""
    counts: dict[str, int] = {}
    for message_id in due_ids(now, limit):
        outcome = deliver(message_id, now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def recover_stale(now: datetime | None = None) -> dict[str, int]:
    """Rows left "sending" by a worker that stopped: never sent again blindly."""
    now = now or utcnow()
    counts = {"sent": 0, "requeued": 0, "uncertain": 0}
    stale = list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - SENDING_STALE)))
    sender = backend()
    for message in stale:
        try:
            found: str | None = sender.lookup(message.id) if message.backend in ("", sender.name) else None
            known = sender.name != "smtp" and message.backend in ("", sender.name)
        except (NotImplementedError, mail.DeliveryError):
            found, known = None, False
        with transaction():
            label, vacancy = _label(message), _vacancy_reference(message)
            if found:
                message.status, message.provider_reference, message.sent_at = "sent", found[:100], now
                message.claim_token, message.last_error = None, ""
                audit.record(audit.Actor(None, "system"), "message.sent", vacancy=vacancy, subject=label,
                             kind=message.kind, to=label, message=message.id, attempts=message.attempts,
                             backend=sender.name)
                counts["sent"] += 1
            elif known:  # the provider says it never arrived: safe to send
                message.status, message.claim_token, message.next_attempt_at = "queued", None, None
                message.last_error = "The worker stopped while sending; the provider had not received it, so it is " \
                                     "queued again"
                counts["requeued"] += 1
            else:
                message.status, message.claim_token = "uncertain", None
                message.last_error = ("The worker stopped while sending it, so it may or may not have gone. Check "
                                      "with the recipient or the mail server's log, then mark it sent or send it again.")
                audit.record(audit.Actor(None, "system"), "message.uncertain", vacancy=vacancy, subject=label,
                             kind=message.kind, to=label, message=message.id, attempts=message.attempts,
                             error=message.last_error)
                counts["uncertain"] += 1
    return counts


# --------------------------------------------------------------------------- HR's actions



ACTION_WORDS = {"resent": "sent again", "cancelled": "cancelled", "marked_sent": "marked sent"}


def _act(message: OutboxMessage, user: User, action: str, allowed: tuple[str, ...]) -> str:
    if message.status not in allowed:
        raise OutboxRefused(f"This message's status is \u201c{message.status_label}\u201d: it cannot be "
                            f"{ACTION_WORDS[action]}.")
    previous = message.status
    label = _label(message)
    audit.record(audit.Actor.of(user), f"message.{action}", vacancy=_vacancy_reference(message), subject=label,
                 kind=message.kind, to=label, message=message.id, previous_status=previous)
    return previous


def resend(message: OutboxMessage, user: User) -> None:
    """Send a failed message again, or one a person has checked did not arrive."""
    with transaction():
        _act(message, user, "resent", ("failed", "uncertain", "cancelled"))
        message.status, message.attempts, message.next_attempt_at, message.last_error = "queued", 0, None, ""
        db.session.info.setdefault(PENDING, []).append(message.id)


def cancel(message: OutboxMessage, user: User) -> None:
    with transaction():
        _act(message, user, "cancelled", ("queued", "failed", "uncertain"))
        message.status, message.next_attempt_at = "cancelled", None


def mark_sent(message: OutboxMessage, user: User) -> None:
    """A person checked that an uncertain message arrived."""
    with transaction():
        _act(message, user, "marked_sent", ("uncertain",))
        message.status, message.sent_at = "sent", message.sent_at or utcnow()


# --------------------------------------------------------------------------- reading


def has_calendar(message: OutboxMessage) -> bool:
    return message.calendar is not None


def messages(status: str | None = None, kind: str | None = None, vacancy_id: int | None = None,
             limit: int = 200, organisations: Collection[str] | None = None) -> list[OutboxMessage]:
    """The newest messages; of the organisations named (by name, as messages keep it) when given."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if organisations is not None:
        query = query.where(OutboxMessage.organisation.in_(sorted(organisations)))
    if status:
        query = query.where(OutboxMessage.status == status)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if vacancy_id:
        query = query.where(OutboxMessage.vacancy_id == vacancy_id)
    return list(db.session.scalars(query))


def counts_by_status(organisations: Collection[str] | None = None) -> dict[str, int]:
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    if organisations is not None:
        query = query.where(OutboxMessage.organisation.in_(sorted(organisations)))
    return dict(db.session.execute(query).all())  # type: ignore[arg-type]


def problems_caused_by(user: User, vacancy_id: int | None = None) -> list[OutboxMessage]:
    """Messages this person's actions caused that did not go (failed) or may not have."""
    query = (select(OutboxMessage).where(OutboxMessage.created_by_id == user.id,
                                         OutboxMessage.status.in_(("failed", "uncertain")))
             .order_by(OutboxMessage.id.desc()).limit(100))
    if vacancy_id is not None:
        query = query.where(OutboxMessage.vacancy_id == vacancy_id)
    return list(db.session.scalars(query))


def message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)
