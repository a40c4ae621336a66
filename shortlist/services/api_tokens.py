"""API tokens for integrations (issue 18): HR makes one per integration, for one organisation
and named scopes; it is shown once and only its SHA-256 kept; HR revokes it. Each call the
API takes is checked here: the token, its scope, its organisation and its rate limit."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, select, update

from shortlist.extensions import db
from shortlist.models import ApiToken, Organisation, User
from shortlist.models.base import utcnow
from shortlist.permissions import organisations_for
from shortlist.services import audit
from shortlist.services.transactions import transaction

#: the scopes a token may hold, in the order the Integrations page lists them, with what each allows
SCOPES: dict[str, str] = {
    "vacancies:read": "Read vacancies: their status and the panel's progress",
    "vacancies:write": "Create and update vacancies from the campaign-file structure",
    "applications:write": "Add applications in batches, and record withdrawals",
    "decisions:read": "Read the recommendations with their reasons, and the decisions",
    "outcomes:read": "Read interview outcomes",
    "webhooks:manage": "Register, change and remove webhooks",
    "sealed:read": "HR only: read sealed data (equality answers, criminal-record declarations) back",
}
log = logging.getLogger(__name__)
TOKEN_PREFIX = "slk_"  # what every token starts with, not a secret  # nosec B105
WINDOW = timedelta(minutes=1)


class TokenRefused(Exception):
    """The form's input is not a token HR can make (the message says why)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def organisations(user: User) -> list[Organisation]:
    """The organisations this person may make a token or a webhook for: those they are an HR
    administrator of (issue 17), by name."""
    ids = organisations_for(user, "administer")
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)))


def organisation_of(user: User, chosen: str | int | None) -> Organisation | None:
    """The organisation picked on the page (its id), if this person administers it."""
    try:
        wanted = int(chosen or 0)
    except (TypeError, ValueError):
        return None
    return next((o for o in organisations(user) if o.id == wanted), None)


def create(user: User, name: str, organisation: Organisation | None, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token for one of the organisations the person administers: the row and the token
    itself, which is never shown again."""
    name = " ".join(name.split())
    if not name:
        raise TokenRefused("name", "Enter the integration's name")
    if len(name) > 100:
        raise TokenRefused("name", "The integration's name must be 100 characters or fewer")
    if organisation is None or organisation.id not in organisations_for(user, "administer"):
        raise TokenRefused("organisation", "Select the organisation the integration works for")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise TokenRefused("scopes", "Select what the integration may do")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction():
        row = ApiToken(name=name, organisation_id=organisation.id, scopes=[s for s in SCOPES if s in scopes],
                       token_hash=digest(token), prefix=token[:10], created_by_id=user.id, window_calls=0)
        db.session.add(row)
        db.session.flush()
        audit.record(audit.Actor.of(user), "api_token.created", organisation_id=organisation.id,
                     subject=f"integration {name}", token=row.id, name=name, organisation=organisation.code,
                     scopes=row.scopes)
    return row, token


def revoke(user: User, token_id: int) -> ApiToken | None:
    """Revoke a token of an organisation the person administers (None: no such token of theirs)."""
    with transaction():
        row = db.session.get(ApiToken, token_id)
        if row is None or row.organisation_id not in organisations_for(user, "administer"):
            return None
        if row.revoked_at is None:
            row.revoked_at, row.revoked_by_id = utcnow(), user.id
            audit.record(audit.Actor.of(user), "api_token.revoked", organisation_id=row.organisation_id,
                         subject=f"integration {row.name}", token=row.id, name=row.name,
                         organisation=row.org.code)
    return row


def listed(user: User) -> list[ApiToken]:
    """The tokens of the organisations the person administers."""
    ids = organisations_for(user, "administer")
    return list(db.session.scalars(select(ApiToken).where(ApiToken.organisation_id.in_(ids))
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.name, ApiToken.id)))


# --------------------------------------------------------------------------- a call


@dataclass(frozen=True)
class Caller:
    """The integration behind a call: its token's id, name, organisation and scopes."""

    token_id: int
    name: str
    organisation_id: int
    organisation: str  # its name, for messages
    scopes: frozenset[str]

    @property
    def actor(self) -> audit.Actor:
        return audit.Actor(None, f"integration {self.name} (token {self.token_id})")

    def has(self, scope: str) -> bool:
        return scope in self.scopes


def authenticate(token: str) -> Caller | None:
    """The live token with this value, or None (unknown or revoked)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    return Caller(row.id, row.name, row.organisation_id, row.org.name, frozenset(row.scopes))


def record_call(caller: Caller, method: str, path: str, status: int) -> None:
    """The call in the audit log, as the integration, once it has its answer (its own
    transaction: a refused call's is kept too). A failure here leaves the answer as it is."""
    try:
        with transaction():
            audit.record(caller.actor, "api.called", organisation_id=caller.organisation_id,
                         subject=f"integration {caller.name}", token=caller.token_id,
                         method=method, path=path[:300], status=status)
    except Exception:  # logged; the integration still gets its answer
        log.exception("api: a call by token %s could not be audited", caller.token_id)


def count_call(caller: Caller, limit: int, now: datetime | None = None) -> int | None:
    """Count a call in the token's window and note its last use, in one UPDATE (safe across
    processes). Returns None when the call is allowed, else the seconds until the window ends."""
    now = now or utcnow()
    start = now.replace(second=0, microsecond=0)
    with transaction():
        db.session.execute(
            update(ApiToken).where(ApiToken.id == caller.token_id)
            .values(window_calls=case((ApiToken.window_start == start, ApiToken.window_calls + 1), else_=1),
                    window_start=start, last_used_at=now)
            .execution_options(synchronize_session=False))
        calls = db.session.scalar(select(ApiToken.window_calls).where(ApiToken.id == caller.token_id)) or 0
    if calls > limit:
        return max(1, int((start + WINDOW - now).total_seconds() + 0.999))
    return None
