"""Integrations: API tokens that other systems (an ATS, ESR, iTrent) use to reach the JSON API.

A token belongs to one organisation and holds named scopes (shortlist.services.api_tokens.SCOPES).
Only its SHA-256 is kept: the token itself is shown once, to the HR administrator who made it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow

if TYPE_CHECKING:
    from shortlist.models.organisation import Organisation
    from shortlist.models.user import User


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the integration's name, as HR wrote it ("Trac nightly export"); the audit log names it
    name: Mapped[str] = mapped_column(String(100))
    # the organisation whose vacancies the token reaches (issue 17): its HR administrators make it
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # the token's first characters, shown on the page so HR can tell tokens apart
    prefix: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None]
    # the rate limit's fixed window: its start (to the minute) and the calls made in it
    window_start: Mapped[datetime | None]
    window_calls: Mapped[int] = mapped_column(default=0)

    org: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def organisation(self) -> str:
        """The organisation's name, as the page and the audit log print it."""
        return self.org.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class WebhookEndpoint(db.Model):
    """A URL HR registered for an organisation's events. Deliveries go to this URL only (no
    redirect is followed), signed with ``secret`` (HMAC-SHA256; shown to HR once, kept to sign)."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    host: Mapped[str] = mapped_column(String(255))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # made through the API by an integration (its token's id), not on the page
    created_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_token.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    org: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def organisation(self) -> str:
        """The organisation's name, as the page and the audit log print it."""
        return self.org.name

    @property
    def active(self) -> bool:
        return self.removed_at is None


class WebhookDelivery(db.Model):
    """One event sent to one endpoint: its body as first made (a replay sends the same body
    again, as a new delivery), each attempt's answer, and when the next is due."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    vacancy_reference: Mapped[str | None] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    # queued | sending | delivered | failed
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(40))
    claimed_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    # every attempt: {"at": ISO time, "status_code": int or null, "error": text}
    log: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    replay_of_id: Mapped[int | None] = mapped_column(ForeignKey("webhook_delivery.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    endpoint: Mapped[WebhookEndpoint] = relationship()


class ImportDraft(db.Model):
    """An uploaded export waiting for its column mapping: kept until it is imported (then
    removed) or replaced by the next upload of the same person for the same vacancy."""

    __tablename__ = "import_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportProfile(db.Model):
    """A saved column mapping for an organisation's exports: our field -> the export's column."""

    __tablename__ = "import_profile"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
