"""Links that let a person set their password, with no server command line.

An account made for someone (added to a panel, or loaded with a campaign) has no
password. HR, or the recruiting manager of a vacancy whose panel the person is on, makes
a link for them: it works once, for ACCESS_LINK_HOURS (default 72), and only its SHA-256
is stored. The page that makes it shows it once, to be sent to the person; making a new
one ends any earlier one. A manager may only do this for an account that has never had a
password (so a manager cannot take over a colleague's account); HR may also do it to
reset one. Every link made and used is in the audit log (the link itself never is).

The accounts issue's invitations are meant to build on this: a purpose of their own on
``AccessLink`` and the same ``issue`` and ``redeem``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from shortlist.extensions import db
from shortlist.services.refusals import LinkRefused
from shortlist.models import AccessLink, PanelMembership, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.services import audit, sessions, users



@dataclass(frozen=True)
class IssuedLink:
    token: str  # shown once, never stored
    user: User
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime() -> timedelta:
    return timedelta(hours=int(current_app.config.get("ACCESS_LINK_HOURS", 72)))


def may_issue(actor: User, user: User, vacancy: Vacancy | None) -> bool:
    """HR for anyone; a vacancy's recruiting manager for someone on its panel who has
    never set a password."""
    if actor.is_hr:
        return True
    if vacancy is None or vacancy.recruiting_manager_id != actor.id or user.password_hash:
        return False
    return any(m.user_id == user.id for m in vacancy.panel)


def issue(actor: User, user: User, vacancy: Vacancy | None = None, purpose: str = "set_password") -> IssuedLink:
    """A new link for ``user`` (ending their earlier unused ones), audited; one transaction."""
    if not may_issue(actor, user, vacancy):
        if user.password_hash and not actor.is_hr:
            raise LinkRefused(f"{user.name} already has a password. If they have forgotten it, HR can make a link "
                              "to set a new one.")
        raise LinkRefused("Only HR, or the vacancy's recruiting manager for a member of its panel, can make this link.")
    now = utcnow()
    db.session.execute(
        update(AccessLink).where(AccessLink.user_id == user.id, AccessLink.purpose == purpose,
                                 AccessLink.used_at.is_(None), AccessLink.revoked_at.is_(None))
        .values(revoked_at=now))
    token = secrets.token_urlsafe(32)
    link = AccessLink(user_id=user.id, purpose=purpose, token_hash=_hash(token), created_by_id=actor.id,
                      created_at=now, expires_at=now + lifetime())
    db.session.add(link)
    audit.record(audit.Actor.of(actor), "access_link.issued", vacancy=vacancy.reference if vacancy else None,
                 subject=f"user {user.id}", email=user.email, purpose=purpose,
                 expires_at=link.expires_at.isoformat(timespec="minutes"), reset=bool(user.password_hash))
    db.session.commit()
    return IssuedLink(token, user, link.expires_at)


def find(token: str) -> AccessLink | None:
    """The link for this token while it still works (None: unknown, used, replaced or expired)."""
    if not token or len(token) > 200:
        return None
    link = db.session.scalar(select(AccessLink).where(AccessLink.token_hash == _hash(token)))
    if link is None or not link.usable(utcnow()) or not link.user.active:
        return None
    return link


def redeem(token: str, password: str, confirm: str) -> User:
    """Set the password through the link, once: the link is used up, the user's other
    sessions end, and the change is audited."""
    link = find(token)
    if link is None:
        raise LinkRefused("This link has expired or has already been used. Ask whoever sent it for a new one.")
    user = link.user
    if password != confirm:
        raise LinkRefused("Enter the same password twice", "confirm")
    problem = users.password_problem(password, user.email)
    if problem:
        raise LinkRefused(problem, "password")
    claimed = db.session.execute(
        update(AccessLink).where(AccessLink.id == link.id, AccessLink.used_at.is_(None)).values(used_at=utcnow()))
    if claimed.rowcount != 1:  # the same link used twice at once: only the first counts
        db.session.rollback()
        raise LinkRefused("This link has expired or has already been used. Ask whoever sent it for a new one.")
    had_password = bool(user.password_hash)
    user.password_hash = users.make_hash(password)
    audit.record(audit.Actor.of(user), "user.password_set", subject=f"user {user.id}", email=user.email,
                 via="access_link")
    db.session.commit()
    if had_password:
        sessions.end_all(user.id, "password_changed")
    return user


def panel_member(vacancy: Vacancy, membership_id: int) -> PanelMembership | None:
    return next((m for m in vacancy.panel if m.id == membership_id), None)
