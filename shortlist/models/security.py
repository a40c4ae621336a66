"""Sign-in sessions and failed sign-ins: kept in the database so that every worker
process sees the same (a session ended in one is ended in all; throttling counts the
failures made through any of them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.extensions import db
from shortlist.models.base import utcnow

SESSION_END_REASONS = ("logout", "idle", "expired", "password_changed")


class UserSession(db.Model):
    """One signed-in session. The browser's (signed) session cookie holds a random token;
    only its SHA-256 is stored, so the table cannot be used to sign in."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(20))


class LoginFailure(db.Model):
    """A failed sign-in. The account (the e-mail as typed, normalised) and the client
    address are kept only as keyed hashes: enough to count, nothing to read back."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TwoFactor(db.Model):
    """A person's authenticator app (TOTP, RFC 6238): the shared secret, from when it was
    confirmed with a first code (until then it is an enrolment in progress), and the last
    30-second step a code was accepted for, so no code is accepted twice."""

    __tablename__ = "two_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(db.Model):
    """One of a person's single-use recovery codes, for when the authenticator app is lost.
    Only a hash is held; the codes are shown once, when two-factor sign-in is turned on."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
