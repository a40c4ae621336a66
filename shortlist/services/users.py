"""User accounts: passwords (memory-hard hashes, a length and common-password policy) and
sign-in throttling (failures counted in the database, so across every worker process)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

from flask import current_app, has_app_context
from sqlalchemy import delete, func, or_, select
from werkzeug.security import check_password_hash

from shortlist.extensions import db
from shortlist.models import LoginFailure, Organisation, OrganisationRole, Role, User
from shortlist.rules.vocabulary import ORGANISATION_ROLES, USER_ROLES
from shortlist.models.base import utcnow
from shortlist.services import audit, sessions
from shortlist.services.transactions import transaction

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

# scrypt (hashlib, OpenSSL): memory-hard. N = 2**17, r = 8, p = 1 is OWASP's recommended
# minimum (128 MiB, about 0.4 s here). PASSWORD_SCRYPT_LOG2_N in the app's config can
# lower it for tests; every hash records its own parameters, so older ones still verify
# and are upgraded at the next sign-in.
SCRYPT_LOG2_N = 17
SCRYPT_R = 8
SCRYPT_P = 1
_PREFIX = "scrypt"
_LIMITS = {"ln": range(10, 21), "r": range(1, 33), "p": range(1, 17)}  # what a stored hash may ask for


class PasswordRejected(ValueError):
    pass


# --------------------------------------------------------------------------- hashing


def _log2_n() -> int:
    if has_app_context():
        return int(current_app.config.get("PASSWORD_SCRYPT_LOG2_N", SCRYPT_LOG2_N))
    return SCRYPT_LOG2_N


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, ln: int, r: int, p: int) -> bytes:
    n = 2**ln
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32,
                          maxmem=2 * 128 * r * (n + p + 2))


def make_hash(password: str, ln: int | None = None) -> str:
    """``scrypt$ln=17,r=8,p=1$<salt>$<key>`` (base64 without padding)."""
    ln = ln or _log2_n()
    salt = os.urandom(16)
    key = _scrypt(password, salt, ln, SCRYPT_R, SCRYPT_P)
    return f"{_PREFIX}$ln={ln},r={SCRYPT_R},p={SCRYPT_P}${_b64(salt)}${_b64(key)}"


def _parse(stored: str) -> tuple[dict[str, int], bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != _PREFIX:
        return None
    try:
        params = {k: int(v) for k, v in (item.split("=", 1) for item in parts[1].split(","))}
        salt, key = _unb64(parts[2]), _unb64(parts[3])
    except ValueError:
        return None
    if params.keys() != _LIMITS.keys() or any(params[k] not in _LIMITS[k] for k in params):
        return None
    return params, salt, key


def verify_password(stored: str, password: str) -> tuple[bool, bool]:
    """(matches, needs a new hash). Older Werkzeug hashes (``scrypt:…``/``pbkdf2:…``) still
    verify and always need a new hash; ours need one when the parameters have changed."""
    parsed = _parse(stored)
    if parsed is None:
        if stored.startswith(("scrypt:", "pbkdf2:")):
            return check_password_hash(stored, password), True
        return False, False
    params, salt, key = parsed
    matches = hmac.compare_digest(_scrypt(password, salt, params["ln"], params["r"], params["p"]), key)
    current = {"ln": _log2_n(), "r": SCRYPT_R, "p": SCRYPT_P}
    return matches, params != current


@cache
def _dummy_hash(ln: int) -> str:
    return make_hash("not-a-real-password-0000", ln)


# --------------------------------------------------------------------------- password policy


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("shortlist").joinpath("data/common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


_SWAPS = [str.maketrans({"0": "o", "@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "$": "s", "5": "s",
                         "7": "t", "+": "t"}),
          str.maketrans({"0": "o", "@": "a", "4": "a", "3": "e", "1": "l", "!": "l", "$": "s", "5": "s",
                         "7": "t", "+": "t"})]
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb")


def _variants(password: str) -> set[str]:
    lowered = password.lower()
    bases = {lowered, re.sub(r"[\W\d_]+$", "", lowered), re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)}
    out = set(bases)
    for base in bases:
        for swap in _SWAPS:
            swapped = base.translate(swap)
            out |= {swapped, re.sub(r"[\W\d_]+$", "", swapped)}
    return {v for v in out if v}


def _repetitive(password: str) -> bool:
    lowered = password.lower()
    if len(set(lowered)) < 5:
        return True
    if any(lowered == (unit * (len(lowered) // len(unit) + 1))[: len(lowered)]
           for unit in (lowered[:size] for size in range(1, len(lowered) // 2 + 1))):
        return True
    return any(lowered in seq * 3 or lowered in (seq * 3)[::-1] for seq in _SEQUENCES)


def password_problem(password: str, email: str = "") -> str | None:
    """Why this would be a poor new password (None: it is acceptable)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    if _variants(password) & common_passwords():
        return "Choose a password that is not one of the most common passwords, or one with a few letters changed"
    if _repetitive(password):
        return "Choose a password that is not a repeated or sequential run of characters"
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in password.lower():
        return "Choose a password that does not contain your email address"
    return None


def hash_password(password: str, email: str = "") -> str:
    problem = password_problem(password, email)
    if problem:
        raise PasswordRejected(problem)
    return make_hash(password)


# --------------------------------------------------------------------------- accounts


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user when the e-mail and password match an active account, else None.

    An unknown e-mail costs the same time as a wrong password. A hash made with older
    parameters (or by Werkzeug) is replaced on the user; the caller's commit keeps it."""
    user = find_by_email(email)
    if user is None or not user.password_hash:
        verify_password(_dummy_hash(_log2_n()), password)
        return None
    matches, rehash = verify_password(user.password_hash, password)
    if not matches or not user.active:
        return None
    if rehash:
        user.password_hash = make_hash(password)
    return user


def account_kind(user: User, fallback: str = Role.PANEL_MEMBER) -> str:
    """The account's kind (User.role) from the roles it holds in organisations: HR
    administrator anywhere, else recruiting manager anywhere, else ``fallback`` when it holds
    none (a panel member, or someone whose organisation is still to be named)."""
    held = {r.role for r in user.organisation_roles}
    if Role.HR_ADMIN in held:
        return Role.HR_ADMIN.value
    if Role.RECRUITING_MANAGER in held:
        return Role.RECRUITING_MANAGER.value
    return Role.PANEL_MEMBER.value if held else str(fallback)


def upsert_user(email: str, name: str, role: Role | str, password: str | None, actor: audit.Actor,
                organisations: Sequence[Organisation] = (), *, system_admin: bool | None = None) -> User:
    """Create the user, or update their name and password, and give them ``role`` in each of
    ``organisations`` (roles held elsewhere stay; a panel member holds none); one
    transaction. A new password ends the user's signed-in sessions."""
    role = str(role)
    email = email.strip().lower()
    new_hash = hash_password(password, email) if password is not None else None  # refused: nothing changes
    with transaction():
        user = find_by_email(email)
        created = user is None
        if user is None:
            user = User(email=email, name=name, role=role if role in USER_ROLES else Role.PANEL_MEMBER.value)
            db.session.add(user)
        else:
            user.name = name
        before = sorted((r.organisation_id, r.role) for r in user.organisation_roles)
        if role in ORGANISATION_ROLES:
            for organisation in organisations:
                if (organisation.id, role) not in before:
                    user.organisation_roles.append(OrganisationRole(organisation=organisation, role=role))
        if system_admin is not None:
            user.system_admin = system_admin
        if new_hash is not None:
            user.password_hash = new_hash
        db.session.flush()
        user.role = account_kind(user, role if role in USER_ROLES else Role.PANEL_MEMBER)
        if created:
            audit.record(actor, "user.created", subject=f"user {user.id}", email=email, role=user.role)
        after = sorted((r.organisation_id, r.role) for r in user.organisation_roles)
        if after != before:
            codes = {r.organisation_id: r.organisation.code for r in user.organisation_roles}
            audit.record(actor, "user.roles_changed", subject=f"user {user.id}", email=email,
                         before=[[codes.get(o, str(o)), r] for o, r in before], after=[[codes[o], r] for o, r in after])
        if password is not None:
            audit.record(actor, "user.password_set", subject=f"user {user.id}", email=email)
    if password is not None and not created:
        sessions.end_all(user.id, "password_changed")
    return user


# --------------------------------------------------------------------------- throttling


def _key(value: str) -> str:
    """A keyed hash: countable, not readable (an e-mail as typed, a client address)."""
    secret = (current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _window() -> timedelta:
    return timedelta(minutes=float(current_app.config["LOGIN_THROTTLE_WINDOW_MINUTES"]))


@dataclass(frozen=True)
class SignInGate:
    """What a sign-in attempt meets before its password is checked (security review,
    finding 6): ``refused`` when this address has failed too often, for this account or for
    any; else a ``delay`` that grows with the account's failures from anywhere. A stranger
    can slow an account down (by seconds, capped), never lock its owner out."""

    refused: bool
    delay: float


def sign_in_gate(email: str, address: str, now: datetime | None = None) -> SignInGate:
    since = (now or utcnow()) - _window()
    account, where = _key(email.strip().lower()), _key(address or "")
    by_pair, by_address, by_account = db.session.execute(
        select(func.count().filter(LoginFailure.account == account, LoginFailure.address == where),
               func.count().filter(LoginFailure.address == where),
               func.count().filter(LoginFailure.account == account))
        .where(LoginFailure.failed_at >= since, or_(LoginFailure.account == account, LoginFailure.address == where))
    ).one()
    config = current_app.config
    pair_limit = int(config["LOGIN_THROTTLE_ACCOUNT_LIMIT"])
    refused = by_pair >= pair_limit or by_address >= int(config["LOGIN_THROTTLE_ADDRESS_LIMIT"])
    # from the limit on, each failure for the account doubles the wait: 0.25 s, 0.5 s, 1 s, ...
    extra = by_account - pair_limit
    delay = 0.0 if extra < 0 else min(0.25 * 2 ** min(extra, 16), float(config["LOGIN_ACCOUNT_DELAY_MAX_SECONDS"]))
    return SignInGate(refused=refused, delay=delay)


def throttled(email: str, address: str, now: datetime | None = None) -> bool:
    """Too many recent failures from this address (for this account, or for any) to try again yet."""
    return sign_in_gate(email, address, now).refused


def wait(seconds: float) -> None:
    """The account's delay, before its password is checked (tests replace it to measure it)."""
    if seconds > 0:
        time.sleep(seconds)


def record_failure(email: str, address: str, now: datetime | None = None) -> None:
    """Count a failed sign-in (and forget those older than the window). The caller commits."""
    now = now or utcnow()
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < now - _window()))
    db.session.add(LoginFailure(account=_key(email.strip().lower()), address=_key(address or ""), failed_at=now))


def clear_failures(email: str, address: str) -> None:
    """A correct password: the account's count from this address starts again (the attempts
    from other addresses, and this address's count for other accounts, stay)."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.account == _key(email.strip().lower()),
                                                  LoginFailure.address == _key(address or "")))


def by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)
