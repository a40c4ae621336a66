"""Two-factor sign-in for password accounts: a code from an authenticator app (TOTP, RFC 6238,
30-second steps, six digits) after the password, or one of ten single-use recovery codes.

Required for the roles in TWO_FACTOR_REQUIRED_ROLES (HR administrators by default) when they
sign in with a password: they set it up during their first sign-in and cannot turn it off.
Anyone else may turn it on or off on their account's Two-factor sign-in page, where anyone
who has it on may also get ten new recovery codes (after a code from their app).

- Enrolment: a new secret (160 bits) is held unconfirmed until the person enters a first code
  from their app (shown as a QR code and as text); then it is on and ten recovery codes are
  shown, once. Only the recovery codes' hashes are kept.
- A code is accepted for the current step or the one either side (a clock a little out), and
  never twice: the step it matched is kept, and a code for that step or an earlier one fails.
- Wrong codes count as failed sign-ins for the account from that address (services/auth.py),
  so the same throttling applies to guessing codes as to guessing passwords.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, select

from shortlist.extensions import db
from shortlist.models import RecoveryCode, TwoFactor, User
from shortlist.models.base import utcnow
from shortlist.services import audit, users
from shortlist.services.refusals import TwoFactorRefused
from shortlist.services.transactions import transaction

ISSUER = "Shortlist"
STEP_SECONDS = 30
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a screen or paper


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str
    qr_svg: str  # an inline <svg> with a <title>


# --------------------------------------------------------------------------- reading


def required_roles() -> frozenset[str]:
    value = current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", ("hr_admin",))
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    return frozenset(v for v in value if v)


def required(user: User) -> bool:
    """Must this person use a second factor when they sign in with a password?"""
    return user.role in required_roles()


def _row(user: User) -> TwoFactor | None:
    return db.session.scalar(select(TwoFactor).where(TwoFactor.user_id == user.id))


def enabled(user: User) -> bool:
    row = _row(user)
    return row is not None and row.confirmed_at is not None


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def enrolment(user: User) -> Enrolment | None:
    """The enrolment in progress (an unconfirmed secret), to show as a QR code and as text."""
    row = _row(user)
    if row is None or row.confirmed_at is not None:
        return None
    uri = pyotp.TOTP(row.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=2, title="QR code to scan with your authenticator app")
    return Enrolment(row.secret, uri, svg)


# --------------------------------------------------------------------------- codes


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())[:40]


def _recovery_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{_normalise(code)}".encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user.id, c)) for c in codes)
    return codes


def _totp_step(secret: str, code: str, after: int | None, now: float | None = None) -> int | None:
    """The step this six-digit code is right for (this one or either side), if later than ``after``."""
    digits = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(digits) != 6 or len((code or "").strip().replace(" ", "")) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int((now if now is not None else time.time()) // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), digits) and (after is None or step > after):
            return step
    return None


def check(user: User, code: str) -> str | None:
    """"app" or "recovery" when ``code`` is right for this person (a recovery code is then used
    up; an app code's step is kept so it cannot be used again), else None. In the caller's
    transaction."""
    row = _row(user)
    if row is None or row.confirmed_at is None:
        return None
    step = _totp_step(row.secret, code, row.last_step)
    if step is not None:
        row.last_step = step
        return "app"
    found = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
        RecoveryCode.code_hash == _recovery_hash(user.id, code)))
    if found is None:
        return None
    found.used_at = utcnow()
    db.session.flush()
    audit.record(audit.Actor.of(user), "two_factor.recovery_code_used", subject=f"user {user.id}",
                 email=user.email, left=recovery_codes_left(user))
    return "recovery"


# --------------------------------------------------------------------------- changes


def start_enrolment(user: User) -> Enrolment:
    """A new secret to enrol (replacing an unfinished enrolment); nothing changes for a person
    who has it on already. One transaction."""
    with transaction():
        row = _row(user)
        if row is not None and row.confirmed_at is not None:
            raise TwoFactorRefused("Two-factor sign-in is already on.")
        if row is None:
            row = TwoFactor(user_id=user.id, secret=pyotp.random_base32(32))
            db.session.add(row)
        else:
            row.secret, row.created_at, row.last_step = pyotp.random_base32(32), utcnow(), None
    found = enrolment(user)
    assert found is not None
    return found


def ensure_enrolment(user: User) -> Enrolment:
    """The enrolment in progress, or a new one."""
    return enrolment(user) or start_enrolment(user)


def confirm_in(user: User, code: str) -> list[str]:
    """Turn it on with the first code from the app, in the caller's transaction; returns the ten
    recovery codes (to show once)."""
    row = _row(user)
    if row is None or row.confirmed_at is not None:
        raise TwoFactorRefused("Start setting up two-factor sign-in again.", "code")
    if not _normalise(code):
        raise TwoFactorRefused("Enter the 6-digit code from your authenticator app", "code")
    step = _totp_step(row.secret, code, None)
    if step is None:
        raise TwoFactorRefused("The code is not right. Check your authenticator app shows Shortlist and your "
                               "email address, and enter the code it shows now", "code")
    row.confirmed_at, row.last_step = utcnow(), step
    codes = _new_recovery_codes(user)
    audit.record(audit.Actor.of(user), "two_factor.enabled", subject=f"user {user.id}", email=user.email,
                 recovery_codes=len(codes))
    return codes


def confirm(user: User, code: str) -> list[str]:
    """Turn two-factor sign-in on (the account page): one transaction."""
    with transaction():
        return confirm_in(user, code)


def renew_recovery_codes(user: User, code: str) -> list[str]:
    """Ten new recovery codes (to show once) for someone with two-factor sign-in on, after a
    code their app shows now (a recovery code will not do): the old ones stop working, audited,
    one transaction. Refused (TwoFactorRefused) with nothing written when it is off or the
    code is not right."""
    if not enabled(user):
        raise TwoFactorRefused("Two-factor sign-in is not on: there are no recovery codes to replace.", "code")
    if not _normalise(code):
        raise TwoFactorRefused("Enter the 6-digit code from your authenticator app", "code")
    with transaction():
        row = _row(user)
        assert row is not None
        step = _totp_step(row.secret, code, row.last_step)
        if step is None:
            raise TwoFactorRefused("The code is not right. Enter the 6-digit code your authenticator app shows "
                                   "now (a recovery code will not do here)", "code")
        row.last_step = step
        codes = _new_recovery_codes(user)
        audit.record(audit.Actor.of(user), "two_factor.recovery_codes_renewed", subject=f"user {user.id}",
                     email=user.email, recovery_codes=len(codes))
    return codes


def turn_off(user: User, password: str) -> None:
    """Turn it off, after the person's password; refused for a role that must use it."""
    if required(user):
        raise TwoFactorRefused("Your role must use two-factor sign-in: it cannot be turned off.", "password")
    if not enabled(user):
        raise TwoFactorRefused("Two-factor sign-in is not on.", "password")
    if not password:
        raise TwoFactorRefused("Enter your password", "password")
    matches, _ = users.verify_password(user.password_hash or "", password) if user.password_hash else (False, False)
    if not matches:
        raise TwoFactorRefused("Enter your correct password", "password")
    with transaction():
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
        audit.record(audit.Actor.of(user), "two_factor.disabled", subject=f"user {user.id}", email=user.email)


def reset(user: User, actor: audit.Actor) -> bool:
    """For someone who has lost their app and their recovery codes (the `shortlist
    two-factor-reset` command, once their identity is checked): two-factor sign-in is off again
    (a role that requires it sets it up again at the next sign-in). False if it was not on."""
    with transaction():
        if _row(user) is None:
            return False
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
        audit.record(actor, "two_factor.reset", subject=f"user {user.id}", email=user.email)
    return True
