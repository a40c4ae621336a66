"""Signing in and out with a password: the checks, every write and its audit record.

The view (shortlist/views/auth.py) reads the form, calls ``attempt`` and sets the browser's
session from what it returns; it writes nothing itself.

Throttling (security review finding 6): an attempt is refused before its password is checked
when *this address* has failed too often, for this account or for any
(``users.sign_in_gate``). The account's failures from anywhere only add a growing, capped delay:
a stranger can slow an account down, never lock its owner out.
"""

from __future__ import annotations

from dataclasses import dataclass

from shortlist.models import User
from shortlist.services import audit, sessions, users
from shortlist.services.transactions import transaction

ANONYMOUS = audit.Actor(None, "anonymous")

#: what an attempt came to
THROTTLED, FAILED, SIGNED_IN = "throttled", "failed", "signed_in"


@dataclass(frozen=True)
class Attempt:
    outcome: str
    user: User | None = None
    #: the new session's token, for the browser's cookie (signed in only)
    session_token: str | None = None


def normalise(email: str) -> str:
    return (email or "").strip().lower()[:254]


def attempt(email: str, password: str, address: str) -> Attempt:
    """One sign-in attempt from ``address``: refused (throttled), failed, or signed in (a new
    session started, this pair's failures forgotten); each audited, one transaction."""
    email = normalise(email)
    gate = users.sign_in_gate(email, address)
    if gate.refused:  # before the password is checked, whether it is right or not
        with transaction():
            audit.record(ANONYMOUS, "auth.login_throttled", email=email)
        return Attempt(THROTTLED)
    users.wait(gate.delay)  # the account's failures from anywhere slow it down; never lock it
    with transaction():
        user = users.authenticate(email, password)
        if user is None:
            users.record_failure(email, address)
            audit.record(ANONYMOUS, "auth.login_failed", email=email)
            return Attempt(FAILED)
        return Attempt(SIGNED_IN, user, _start(user, email, address))


def _start(user: User, email: str, address: str) -> str:
    """The writes of a completed sign-in, in the caller's transaction."""
    token = sessions.start(user)
    users.clear_failures(email, address)
    audit.record(audit.Actor.of(user), "auth.login", email=user.email)
    return token


def sign_out(user: User, token: str | None, timed_out: bool = False) -> None:
    """End the session (the cookie's token is then worth nothing), audited."""
    with transaction():
        audit.record(audit.Actor.of(user), "auth.logout", email=user.email)
    sessions.end(token, "idle" if timed_out else "logout")
