"""Webhooks (issue 18): HR registers a URL for an organisation's events; each event is a
delivery row written in the same transaction as the change that caused it (as the outbox's
e-mails are), then sent by the job queue (shortlist.worker) once that transaction commits.

A delivery is a POST of JSON to the registered URL, signed:

    Shortlist-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>

with ``Shortlist-Event`` and ``Shortlist-Delivery`` (the delivery's id) beside it. Any 2xx
answer delivers it. Anything else (another status, a refused connection, a time-out) is tried
again with backoff (1, 5, 15, 60, 180 minutes: ``shortlist tick`` sends those due) until
WEBHOOK_MAX_ATTEMPTS; every attempt's answer is kept in the delivery's log. No redirect is
followed and the URL's host is checked against the one HR registered, so a delivery reaches
only that host. HR can send any delivery again (a replay: a new delivery of the same body).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from shortlist import worker
from shortlist.extensions import db
from shortlist.models import Application, Organisation, User, Vacancy, WebhookDelivery, WebhookEndpoint
from shortlist.models.base import utcnow
from shortlist.permissions import organisations_for
from shortlist.services import audit
from shortlist.services.transactions import transaction

log = logging.getLogger(__name__)

EVENTS: dict[str, str] = {
    "shortlist.finalised": "A vacancy's shortlist is finalised: who is invited, reserve, not shortlisted",
    "decision.changed": "A shortlisting decision is recorded or changed",
    "interview.outcome_recorded": "An interview outcome is recorded: appoint, reserve or not appointed",
    "application.withdrawn": "An applicant withdrew",
}
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
                timedelta(hours=3))
SENDING_STALE = timedelta(minutes=5)
PENDING = "webhooks_pending"  # session.info key: deliveries written in the open transaction
SIGNATURE_HEADER = "Shortlist-Signature"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class WebhookRefused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# --------------------------------------------------------------------------- signing


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: float | None = None, tolerance: int = 300) -> bool:
    """What a receiver does (docs/api.md): the signature matches and its time is recent."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={parts.get('v1', '')}")


# --------------------------------------------------------------------------- registering


def _check_url(url: str) -> str:
    """The URL's host, or WebhookRefused: https, or http to this machine for testing."""
    url = url.strip()
    if not url or len(url) > 500:
        raise WebhookRefused("url", "Enter the URL, up to 500 characters")
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host or parts.username or parts.password:
        raise WebhookRefused("url", "Enter a URL like https://ats.example.org/shortlist-events")
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise WebhookRefused("url", "Use https: deliveries carry applicants' references and decisions")
    return host


def register(organisation: Organisation | None, url: str, events: Iterable[str], actor: audit.Actor, *,
             user: User | None = None, token_id: int | None = None,
             allowed_hosts: set[str] | None = None) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (shown once). HR registers for an organisation
    they administer (``user``); an integration registering through the API (``token_id``) may
    use only hosts HR has registered for its organisation (``allowed_hosts``)."""
    host = _check_url(url)
    events = [e for e in EVENTS if e in set(events)]
    if not events:
        raise WebhookRefused("events", "Select the events to send")
    if organisation is None or (user is not None and organisation.id not in organisations_for(user, "administer")):
        raise WebhookRefused("organisation", "Select the organisation whose events are sent")
    if allowed_hosts is not None and host not in allowed_hosts:
        raise WebhookRefused("url", f"{host} is not a host HR registered for {organisation.name}: ask HR to register "
                                    "it on the Integrations page first")
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction():
        endpoint = WebhookEndpoint(organisation_id=organisation.id, url=url.strip(), host=host, events=events,
                                   secret=secret, created_by_id=user.id if user else None,
                                   created_by_token_id=token_id)
        db.session.add(endpoint)
        db.session.flush()
        audit.record(actor, "webhook.registered", organisation_id=organisation.id, subject=f"webhook {endpoint.id}",
                     webhook=endpoint.id, organisation=organisation.code, url=endpoint.url, events=events)
    return endpoint, secret


def remove(endpoint_id: int, actor: audit.Actor, organisation_ids: Collection[int]) -> WebhookEndpoint | None:
    """Remove an endpoint of one of ``organisation_ids`` (None: no such endpoint of theirs)."""
    with transaction():
        endpoint = db.session.get(WebhookEndpoint, endpoint_id)
        if endpoint is None or endpoint.organisation_id not in organisation_ids:
            return None
        if endpoint.removed_at is None:
            endpoint.removed_at = utcnow()
            audit.record(actor, "webhook.removed", organisation_id=endpoint.organisation_id,
                         subject=f"webhook {endpoint.id}", webhook=endpoint.id, organisation=endpoint.org.code,
                         url=endpoint.url)
    return endpoint


def hosts_for(organisation_id: int) -> set[str]:
    """The hosts HR registered (on the page) for the organisation."""
    return set(db.session.scalars(select(WebhookEndpoint.host).where(
        WebhookEndpoint.organisation_id == organisation_id, WebhookEndpoint.created_by_id.is_not(None))))


def endpoints(organisation_ids: Collection[int], include_removed: bool = True) -> list[WebhookEndpoint]:
    """The endpoints of these organisations (live ones first)."""
    query = (select(WebhookEndpoint).where(WebhookEndpoint.organisation_id.in_(organisation_ids))
             .order_by(WebhookEndpoint.removed_at.is_not(None), WebhookEndpoint.id))
    if not include_removed:
        query = query.where(WebhookEndpoint.removed_at.is_(None))
    return list(db.session.scalars(query))


def deliveries(organisation_ids: Collection[int], limit: int = 100) -> list[WebhookDelivery]:
    """The latest deliveries to these organisations' endpoints."""
    return list(db.session.scalars(
        select(WebhookDelivery).join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookEndpoint.organisation_id.in_(organisation_ids))
        .order_by(WebhookDelivery.id.desc()).limit(limit)))


# --------------------------------------------------------------------------- events


def _event_name(action: str, data: dict[str, Any]) -> str | None:
    if action == "shortlist.finalised":
        return "shortlist.finalised"
    if action == "decision.recorded":
        return "interview.outcome_recorded" if data.get("stage") == "interview" else "decision.changed"
    if action == "application.withdrawn":
        return "application.withdrawn"
    return None


SOURCES = frozenset({"shortlist.finalised", "decision.recorded", "application.withdrawn"})


def on_audit(action: str, vacancy_reference: str | None, subject: str, data: dict[str, Any],
             occurred_at: datetime) -> None:
    """An audited change that is a webhook event: a delivery for each endpoint of the vacancy's
    organisation that asked for it, in the change's own transaction (called by audit.record)."""
    name = _event_name(action, data)
    if name is None or vacancy_reference is None:
        return
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == vacancy_reference))
    if vacancy is None:
        return
    targets = [e for e in endpoints({vacancy.organisation_id}, include_removed=False) if name in e.events]
    if not targets:
        return
    payload_data: dict[str, Any]
    if name == "shortlist.finalised":
        payload_data = {k: data.get(k) for k in ("invited", "reserve", "rejected")}
    else:
        external = db.session.scalar(select(Application.external_id).where(
            Application.vacancy_id == vacancy.id, Application.reference == subject))
        payload_data = {"application": subject, "external_id": external}
        if name == "application.withdrawn":
            payload_data["reason"] = data.get("reason")
        else:
            before = data.get("before") or {}
            payload_data.update({"stage": data.get("stage"), "outcome": data.get("outcome"),
                                 "previous_outcome": before.get("outcome") if isinstance(before, dict) else None,
                                 "recommendation": data.get("recommendation"), "reason": data.get("reason")})
    for endpoint in targets:
        delivery_id = str(uuid.uuid4())
        body = json.dumps({"id": delivery_id, "event": name, "occurred_at": occurred_at.isoformat(timespec="seconds")
                           + "Z", "organisation": vacancy.organisation, "vacancy": vacancy.reference,
                           "data": payload_data}, sort_keys=True, default=str)
        row = WebhookDelivery(endpoint_id=endpoint.id, event=name, vacancy_reference=vacancy.reference, body=body,
                              status="queued", attempts=0, last_error="", log=[])
        db.session.add(row)
        db.session.flush()
        db.session.info.setdefault(PENDING, []).append(row.id)


def replay(delivery_id: int, actor: audit.Actor, organisation_ids: Collection[int]) -> WebhookDelivery | None:
    """Send a delivery's body again, as a new delivery (its own attempts and log); None: no
    such delivery to one of ``organisation_ids``'s endpoints."""
    with transaction():
        original = db.session.get(WebhookDelivery, delivery_id)
        if original is None or original.endpoint.organisation_id not in organisation_ids:
            return None
        if original.endpoint.removed_at is not None:
            raise WebhookRefused("delivery", "That webhook was removed, so its deliveries cannot be sent again")
        row = WebhookDelivery(endpoint_id=original.endpoint_id, event=original.event,
                              vacancy_reference=original.vacancy_reference, body=original.body, status="queued",
                              attempts=0, last_error="", log=[], replay_of_id=original.id)
        db.session.add(row)
        db.session.flush()
        db.session.info.setdefault(PENDING, []).append(row.id)
        audit.record(actor, "webhook.replayed", vacancy=original.vacancy_reference,
                     organisation_id=original.endpoint.organisation_id, subject=f"webhook {row.endpoint_id}",
                     delivery=original.id, replay=row.id, event=original.event)
    return row


def submit(delivery_id: int) -> None:
    worker.enqueue(deliver, delivery_id, description=f"shortlist webhook {delivery_id}",
                   timeout=timedelta(minutes=2))


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    ids = session.info.pop(PENDING, None)
    if not ids or not has_app_context() or not current_app.config.get("WEBHOOK_DELIVER_AFTER_COMMIT", True):
        return
    for delivery_id in ids:
        try:
            submit(delivery_id)
        except Exception:  # Redis down, say: the row stays queued and `shortlist tick` sends it
            log.exception("webhooks: could not hand delivery %s to a worker", delivery_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


# --------------------------------------------------------------------------- delivering


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # a redirect is an answer, not followed
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (checked URL)
    try:
        with _opener.open(request, timeout=timeout) as answer:  # nosec B310: https, or http to this machine
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _claim(delivery_id: int, token: str, now: datetime) -> bool:
    with transaction():
        claimed = db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "queued",
                   or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now))
            .values(status="sending", claim_token=token, claimed_at=now, attempts=WebhookDelivery.attempts + 1)
            .execution_options(synchronize_session=False)).rowcount
    return claimed == 1


def deliver(delivery_id: int, now: datetime | None = None) -> str:
    """Send one delivery if it is due and nobody else is sending it: delivered, retry, failed
    or skipped."""
    now = now or utcnow()
    token = uuid.uuid4().hex
    if not _claim(delivery_id, token, now):
        return "skipped"
    db.session.expire_all()
    row = db.session.get(WebhookDelivery, delivery_id)
    assert row is not None
    endpoint = row.endpoint
    body = row.body.encode()
    code: int | None = None
    error = ""
    if endpoint.removed_at is not None:
        error = "the webhook was removed"
    elif (urlsplit(endpoint.url).hostname or "").lower() != endpoint.host:
        error = "the URL's host is not the one registered"
    else:
        stamp = int(time.time())
        headers = {"Content-Type": "application/json", "User-Agent": "Shortlist-Webhooks/1",
                   "Shortlist-Event": row.event, "Shortlist-Delivery": str(row.id),
                   SIGNATURE_HEADER: sign(endpoint.secret, stamp, body)}
        try:
            code = _post(endpoint.url, body, headers, float(current_app.config.get("WEBHOOK_TIMEOUT", 10)))
        except Exception as exc:  # refused, unreachable, timed out: tried again
            error = f"{type(exc).__name__}: {exc}"[:500]
    ok = code is not None and 200 <= code < 300
    if code is not None and not ok:
        error = f"answered {code}" + (" (a redirect: not followed)" if 300 <= code < 400 else "")
    limit = int(current_app.config.get("WEBHOOK_MAX_ATTEMPTS", 6))
    entry = {"at": utcnow().isoformat(timespec="seconds") + "Z", "status_code": code, "error": error}
    values: dict[str, Any] = {"last_status_code": code, "last_error": error, "log": [*(row.log or []), entry]}
    values["claim_token"] = None  # released
    if ok:
        outcome = "delivered"
        values.update(status="delivered", delivered_at=utcnow(), next_attempt_at=None)
    elif endpoint.removed_at is not None or row.attempts >= limit:
        outcome = "failed"
        values.update(status="failed", next_attempt_at=None)
    else:
        outcome = "retry"
        values.update(status="queued", next_attempt_at=now + RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1])
    with transaction():
        db.session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id,
                                                         WebhookDelivery.claim_token == token)
                           .values(**values).execution_options(synchronize_session=False))
    return outcome


def due_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or utcnow()
    return list(db.session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.status == "queued",
                                         or_(WebhookDelivery.next_attempt_at.is_(None),
                                             WebhookDelivery.next_attempt_at <= now))
        .order_by(WebhookDelivery.id).limit(limit)))


def deliver_due(now: datetime | None = None) -> dict[str, int]:
    """Every delivery due (retries, and first tries whose job was lost): `shortlist tick`'s step.
    A delivery left "sending" by a worker that stopped is queued again first."""
    now = now or utcnow()
    with transaction():  # a delivery left "sending" by a worker that stopped is queued again
        db.session.execute(update(WebhookDelivery).where(
            WebhookDelivery.status == "sending", WebhookDelivery.claimed_at < now - SENDING_STALE)
            .values(status="queued", claim_token=None).execution_options(synchronize_session=False))
    counts: dict[str, int] = {}
    for delivery_id in due_ids(now):
        outcome = deliver(delivery_id, now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
