"""Single sign-on: the provider accounts linked to users, and sign-ins under way."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.extensions import db
from shortlist.models.base import utcnow


class SsoIdentity(db.Model):
    """A person's account at an organisation's identity provider (its issuer and subject,
    which never change), linked to their Shortlist user at their first sign-in with it."""

    __tablename__ = "sso_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    #: the organisation whose settings signed the person in (its short code)
    organisation: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(254))  # as the provider gave it when last used
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)


class SsoAttempt(db.Model):
    """A sign-in sent to a provider and not yet back: the state's SHA-256 (the browser holds
    the state), the nonce and PKCE verifier to check the answer with. Used once: the callback
    deletes it before anything else, so a replayed answer finds nothing."""

    __tablename__ = "sso_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)
    organisation: Mapped[str] = mapped_column(String(40))
    nonce: Mapped[str] = mapped_column(String(100))
    code_verifier: Mapped[str] = mapped_column(String(128))
    redirect_uri: Mapped[str] = mapped_column(Text)
    next_url: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
