"""Signed-in sessions, held in the database as well as the browser's cookie.

Flask's session is a signed cookie: on its own, a copy of it would stay signed in until
it expired, whatever the user did. Here the cookie carries a random token whose hash is
a `UserSession` row: signing out ends the row (a copied cookie is then worth nothing),
and so do an idle spell longer than SESSION_IDLE_MINUTES, a session older than
PERMANENT_SESSION_LIFETIME, and a new password. Every worker process reads the same rows.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from shortlist.extensions import db
from shortlist.models import User, UserSession
from shortlist.models.base import utcnow

#: the key of the token in Flask's session
SESSION_KEY = "sid"
#: how often a session's last_seen_at is written (at most): an idle timeout needs no finer grain
TOUCH_EVERY = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(minutes=float(current_app.config["SESSION_IDLE_MINUTES"]))


def absolute_limit() -> timedelta:
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    return lifetime if isinstance(lifetime, timedelta) else timedelta(seconds=int(lifetime))


def start(user: User) -> str:
    """A new session for the user; returns the token for the cookie. The caller commits
    (with the sign-in's audit record)."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token)))
    return token


def _end_where(reason: str, *conditions: object) -> None:
    """End sessions outside the request's own transaction, so it never commits the view's work."""
    with db.engine.begin() as conn:
        conn.execute(update(UserSession).where(UserSession.ended_at.is_(None), *conditions)
                     .values(ended_at=utcnow(), ended_reason=reason))


def end(token: str | None, reason: str = "logout") -> None:
    if token:
        _end_where(reason, UserSession.token_hash == _hash(token))


def end_all(user_id: int, reason: str) -> None:
    """End every session of the user (a new password: whoever had the old one is signed out)."""
    _end_where(reason, UserSession.user_id == user_id)


def resume(user_id: str, token: str | None, now: datetime | None = None) -> tuple[User | None, str | None]:
    """(the signed-in user, None) when the cookie's token names a live session of theirs.

    Otherwise (None, why): why is None for no session at all (never signed in, signed
    out, another user's token), "idle" or "expired" for a session ended here because it
    was idle for longer than the idle limit, or is older than the absolute one."""
    if not token or not user_id.isdigit():
        return None, None
    now = now or utcnow()
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))
    if row is None or row.user_id != int(user_id) or row.ended_at is not None:
        return None, None
    reason = None
    if now - row.last_seen_at > idle_limit():
        reason = "idle"
    elif now - row.created_at > absolute_limit():
        reason = "expired"
    if reason:
        _end_where(reason, UserSession.id == row.id)
        return None, reason
    if now - row.last_seen_at >= TOUCH_EVERY:
        with db.engine.begin() as conn:
            conn.execute(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
    user = db.session.get(User, row.user_id)
    return (user, None) if user is not None and user.active else (None, None)


def lapsed_user(user_id: str | None, token: str | None, within: timedelta = timedelta(hours=8)) -> int | None:
    """The user whose session this cookie held, when that session ended by itself (idle, or
    at its longest life) within ``within``: not signed out, not another user's token."""
    if not token or not user_id or not user_id.isdigit():
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))
    if (row is None or row.user_id != int(user_id) or row.ended_at is None
            or row.ended_reason not in ("idle", "expired") or utcnow() - row.ended_at > within):
        return None
    return row.user_id


def touch(token: str | None) -> None:
    """Mark the live session as used now (the timeout warning's "Stay signed in")."""
    if token:
        with db.engine.begin() as conn:
            conn.execute(update(UserSession).where(UserSession.token_hash == _hash(token),
                                                   UserSession.ended_at.is_(None)).values(last_seen_at=utcnow()))
