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
from shortlist.services import audit, sessions, two_factor, users
from shortlist.services.transactions import transaction

ANONYMOUS = audit.Actor(None, "anonymous")

#: what an attempt came to: refused before the password was checked, wrong, signed in, or the
#: password was right and a code from the person's authenticator app is wanted next (CODE), or
#: they must set two-factor sign-in up first (ENROL: their role requires it)
THROTTLED, FAILED, SIGNED_IN, CODE, ENROL = "throttled", "failed", "signed_in", "code", "enrol"


@dataclass(frozen=True)
class Attempt:
    outcome: str
    user: User | None = None
    #: the new session's token, for the browser's cookie (signed in only)
    session_token: str | None = None
    #: recovery codes to show once (signed in by setting two-factor sign-in up)
    recovery_codes: tuple[str, ...] = ()


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
        if two_factor.enabled(user):
            return Attempt(CODE, user)
        if two_factor.required(user):
            return Attempt(ENROL, user)
        return Attempt(SIGNED_IN, user, _start(user, email, address))


def _refused(user: User, address: str) -> bool:
    if users.sign_in_gate(user.email, address).refused:
        with transaction():
            audit.record(ANONYMOUS, "auth.login_throttled", email=user.email)
        return True
    return False


def finish_with_code(user_id: int, code: str, address: str) -> Attempt:
    """The second step, for someone whose password was right: a code from their app (or a
    recovery code). A wrong one counts as a failed sign-in for the account from this address."""
    user = users.by_id(user_id)
    if user is None or not user.active:
        return Attempt(FAILED)
    if _refused(user, address):
        return Attempt(THROTTLED)
    with transaction():
        how = two_factor.check(user, code)
        if how is None:
            users.record_failure(user.email, address)
            audit.record(ANONYMOUS, "auth.code_failed", email=user.email)
            return Attempt(FAILED, user)
        return Attempt(SIGNED_IN, user, _start(user, user.email, address, second_factor=how))


def finish_enrolment(user_id: int, code: str, address: str) -> Attempt:
    """Set two-factor sign-in up during sign-in (a role that requires it), with the first code
    from the app: on, recovery codes made, signed in. Refused (TwoFactorRefused) for a wrong
    code, which also counts as a failed sign-in from this address."""
    user = users.by_id(user_id)
    if user is None or not user.active:
        return Attempt(FAILED)
    if _refused(user, address):
        return Attempt(THROTTLED)
    try:
        with transaction():
            codes = two_factor.confirm_in(user, code)
            token = _start(user, user.email, address, second_factor="app")
    except two_factor.TwoFactorRefused:
        with transaction():
            users.record_failure(user.email, address)
            audit.record(ANONYMOUS, "auth.code_failed", email=user.email)
        raise
    return Attempt(SIGNED_IN, user, token, tuple(codes))


def _start(user: User, email: str, address: str, second_factor: str | None = None) -> str:
    """The writes of a completed sign-in, in the caller's transaction."""
    token = sessions.start(user)
    users.clear_failures(email, address)
    audit.record(audit.Actor.of(user), "auth.login", email=user.email, second_factor=second_factor)
    return token


def sign_out(user: User, token: str | None, timed_out: bool = False) -> None:
    """End the session (the cookie's token is then worth nothing), audited."""
    with transaction():
        audit.record(audit.Actor.of(user), "auth.logout", email=user.email)
    sessions.end(token, "idle" if timed_out else "logout")
