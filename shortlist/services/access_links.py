"""Links that let a person set their password, with no server command line.

An account made for someone (added to a panel, or loaded with a campaign) has no
password. HR, or the recruiting manager of a vacancy whose panel the person is on, makes
a link for them: it works once, for ACCESS_LINK_HOURS (default 72), and only its SHA-256
is stored. The page that makes it shows it once, to be sent to the person; making a new
one ends any earlier one. A manager may only do this for an account that has never had a
password (so a manager cannot take over a colleague's account); HR may also do it to
reset one. Every link made and used is in the audit log (the link itself never is).

E-mailed links (issue 17) use the same table and the same ``redeem``, with a purpose of
their own, and go through the notifications outbox in the transaction that makes them:

- ``invite`` / ``queue_invitation``: an invitation to a new account (``invitation``, valid
  ACCESS_LINK_HOURS). Adding someone with no password to a panel sends one; HR's Users page
  calls ``invite`` too. One function for "invite this user", whoever asks.
- ``request_reset``: "Forgot your password?" (``password_reset``, valid PASSWORD_RESET_MINUTES).
  It answers nothing: the page says the same whether or not the address has an account, and
  at most PASSWORD_RESETS_PER_HOUR e-mails go to one person in an hour.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from shortlist.extensions import db
from shortlist.permissions import is_hr_of, may_manage_person, organisations_for
from shortlist.services import organisations
from shortlist.services.refusals import LinkRefused
from shortlist.models import AccessLink, Organisation, PanelMembership, Role, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.services import audit, notices, outbox, sessions, users
from shortlist.services.transactions import transaction

#: the e-mail sent with each e-mailed link (shortlist/messages/catalogue.py)
MESSAGE_KINDS = {"invitation": "account_invitation", "password_reset": "password_reset"}  # nosec B105: kinds
#: the organisation named in an account's e-mail when no vacancy names it
SOME_EMPLOYER = "Your employer"


@dataclass(frozen=True)
class IssuedLink:
    token: str  # shown once, never stored
    user: User
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime(purpose: str = "set_password") -> timedelta:
    if purpose == "password_reset":
        return timedelta(minutes=int(current_app.config.get("PASSWORD_RESET_MINUTES", 60)))
    return timedelta(hours=int(current_app.config.get("ACCESS_LINK_HOURS", 72)))


def _in_words(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} minutes" if minutes != 1 else "1 minute"
    hours = minutes // 60
    return f"{hours} hours" if hours != 1 else "1 hour"


def may_issue(actor: User, user: User, vacancy: Vacancy | None) -> bool:
    """HR of the vacancy's organisation (or, with no vacancy, of the person's) for someone
    with no password; a reset (they have one) only by HR of every organisation the person
    works in, so HR of one cannot take over an account another organisation relies on. A
    vacancy's recruiting manager for someone on its panel who has never set a password."""
    theirs = organisations.organisations_of(user)
    if user.password_hash and not theirs <= organisations_for(actor, "administer"):
        return False
    if vacancy is not None and is_hr_of(actor, vacancy):
        return True
    if vacancy is None and may_manage_person(actor, user, theirs):
        return True
    if vacancy is None or vacancy.recruiting_manager_id != actor.id or user.password_hash:
        return False
    return any(m.user_id == user.id for m in vacancy.panel)


def issue(actor: User, user: User, vacancy: Vacancy | None = None, purpose: str = "set_password") -> IssuedLink:
    """A new link for ``user`` (ending their earlier unused ones), audited; one transaction."""
    if not may_issue(actor, user, vacancy):
        if user.password_hash and not (actor.is_hr if vacancy is None else is_hr_of(actor, vacancy)):
            raise LinkRefused(f"{user.name} already has a password. If they have forgotten it, HR can make a link "
                              "to set a new one.")
        raise LinkRefused("Only HR, or the vacancy's recruiting manager for a member of its panel, can make this link.")
    with transaction():
        return _new_link(audit.Actor.of(actor), user, purpose, vacancy)


def _new_link(actor: audit.Actor, user: User, purpose: str, vacancy: Vacancy | None = None) -> IssuedLink:
    """A new link (ending the user's earlier unused ones for the same purpose), audited, in the
    caller's transaction."""
    now = utcnow()
    db.session.execute(
        update(AccessLink).where(AccessLink.user_id == user.id, AccessLink.purpose == purpose,
                                 AccessLink.used_at.is_(None), AccessLink.revoked_at.is_(None))
        .values(revoked_at=now))
    token = secrets.token_urlsafe(32)
    link = AccessLink(user_id=user.id, purpose=purpose, token_hash=_hash(token), created_by_id=actor.id,
                      created_at=now, expires_at=now + lifetime(purpose))
    db.session.add(link)
    audit.record(actor, "access_link.issued", vacancy=vacancy.reference if vacancy else None,
                 subject=f"user {user.id}", email=user.email, purpose=purpose,
                 expires_at=link.expires_at.isoformat(timespec="minutes"), reset=bool(user.password_hash))
    return IssuedLink(token, user, link.expires_at)


def _organisation(user: User, vacancy: Vacancy | None) -> str:
    """The employer an account's e-mail speaks for: the vacancy's, else that of the latest panel
    the person sits on."""
    if vacancy is not None:
        return vacancy.organisation
    found = db.session.scalar(
        select(Organisation.name).join(Vacancy, Vacancy.organisation_id == Organisation.id)
        .join(PanelMembership, PanelMembership.vacancy_id == Vacancy.id)
        .where(PanelMembership.user_id == user.id).order_by(PanelMembership.id.desc()).limit(1))
    if found is None and user.organisation_roles:  # no panel yet: an organisation they hold a role in
        found = user.organisation_roles[0].organisation.name
    return found or ""


def _send(actor: audit.Actor, user: User, purpose: str, vacancy: Vacancy | None,
          organisation: str | None) -> IssuedLink:
    issued = _new_link(actor, user, purpose, vacancy)
    organisation = organisation if organisation is not None else _organisation(user, vacancy)
    context = {"name": user.name, "organisation": organisation or SOME_EMPLOYER,
               "role": Role(user.role).label if user.role in set(Role) else user.role,
               "link": notices.link("access.set_password", token=issued.token),
               "expires_in": _in_words(lifetime(purpose))}
    outbox.queue(MESSAGE_KINDS[purpose], outbox.to_user(user), context, actor=actor, vacancy=vacancy,
                 organisation=organisation)
    return issued


def queue_invitation(actor: User | audit.Actor, user: User, vacancy: Vacancy | None = None,
                     organisation: str | None = None) -> IssuedLink:
    """Invite ``user`` to set their password, in the caller's transaction: an invitation link
    (valid ACCESS_LINK_HOURS, replacing any earlier one) e-mailed through the outbox, both
    audited. Refused (LinkRefused) for a deactivated account or one that has a password
    already (they use "Forgot your password?")."""
    if not user.active:
        raise LinkRefused(f"{user.name}'s account is deactivated: reactivate it before inviting them.")
    if user.password_hash:
        raise LinkRefused(f"{user.name} already has a password. If they have forgotten it, they can choose "
                          "\u201cForgot your password?\u201d on the sign-in page.")
    who = actor if isinstance(actor, audit.Actor) else audit.Actor.of(actor)
    return _send(who, user, "invitation", vacancy, organisation)


def invite(actor: User | audit.Actor, user: User, vacancy: Vacancy | None = None,
           organisation: str | None = None) -> IssuedLink:
    """Invite this user (the one function for it: a panel, HR's Users page): queue_invitation
    as a use case of its own, one transaction."""
    with transaction():
        return queue_invitation(actor, user, vacancy, organisation)


def _resets_sent_lately(user: User, now: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(AccessLink).where(
        AccessLink.user_id == user.id, AccessLink.purpose == "password_reset",
        AccessLink.created_at > now - timedelta(hours=1))) or 0


def request_reset(email: str) -> None:
    """"Forgot your password?": e-mail a reset link (valid PASSWORD_RESET_MINUTES) when the
    address is an active account's and it has not had PASSWORD_RESETS_PER_HOUR of them in the
    last hour. Says nothing either way (the page's answer is always the same); the request is
    audited, with what happened, for HR."""
    email = (email or "").strip().lower()[:254]
    with transaction():
        user = users.find_by_email(email)
        limit = int(current_app.config.get("PASSWORD_RESETS_PER_HOUR", 3))
        if user is None or not user.active:
            outcome = "no_account"
        elif _resets_sent_lately(user, utcnow()) >= limit:
            outcome = "too_many"
        else:
            _send(audit.Actor(None, "anonymous"), user, "password_reset", None, None)
            outcome = "sent"
        audit.record(audit.Actor(None, "anonymous"), "auth.reset_requested", email=email, outcome=outcome)


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
    with transaction():
        claimed = db.session.execute(
            update(AccessLink).where(AccessLink.id == link.id, AccessLink.used_at.is_(None)).values(used_at=utcnow()))
        if claimed.rowcount != 1:  # the same link used twice at once: only the first counts (nothing written)
            raise LinkRefused("This link has expired or has already been used. Ask whoever sent it for a new one.")
        db.session.execute(  # the person's other links (an older invitation, a reset) end with this one
            update(AccessLink).where(AccessLink.user_id == user.id, AccessLink.id != link.id,
                                     AccessLink.used_at.is_(None), AccessLink.revoked_at.is_(None))
            .values(revoked_at=utcnow()))
        had_password = bool(user.password_hash)
        user.password_hash = users.make_hash(password)
        audit.record(audit.Actor.of(user), "user.password_set", subject=f"user {user.id}", email=user.email,
                     via="access_link", purpose=link.purpose)
    if had_password:
        sessions.end_all(user.id, "password_changed")
    return user


def panel_member(vacancy: Vacancy, membership_id: int) -> PanelMembership | None:
    return next((m for m in vacancy.panel if m.id == membership_id), None)
