"""E-mail: the outbox (one row per message, written in the same transaction as the action
that causes it and delivered afterwards by a job).

Written only by `shortlist.services.outbox`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow

if TYPE_CHECKING:
    from shortlist.models.application import Application
    from shortlist.models.user import User
    from shortlist.models.vacancy import Vacancy

MESSAGE_STATUSES = {
    "queued": "Waiting to be sent",
    "sending": "Sending",
    "sent": "Sent",
    "failed": "Not sent",
    "cancelled": "Cancelled",
    # a worker stopped while sending: it may or may not have gone, so it is never sent again
    # without a person checking first
    "uncertain": "Check whether it was sent",
}


class OutboxMessage(db.Model):
    """One e-mail: its recipient, what it says (rendered when it was queued) and its delivery."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed', 'cancelled', 'uncertain')",
                        name="status"),
        CheckConstraint("audience IN ('staff', 'candidate')", name="audience"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    audience: Mapped[str] = mapped_column(String(10))
    to_address: Mapped[str] = mapped_column(String(254))
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # a candidate's message: their address is personal data, purged with the application's
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"),
                                                       index=True)
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    # the employer's name as the vacancy gives it (issue 17 makes organisations a table:
    # this column then becomes a foreign key, filled by matching the name)
    organisation: Mapped[str] = mapped_column(String(200), default="", index=True)
    # the placeholders' values (GOV.UK Notify's personalisation)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)  # the plain-text part; the HTML part is made from it
    calendar: Mapped[bytes | None] = mapped_column(deferred=True)  # an .ics file to attach
    # the same event never queues the same message twice (e.g. "scoring_open:<vacancy>:<user>")
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    backend: Mapped[str] = mapped_column(String(10), default="")
    provider_reference: Mapped[str | None] = mapped_column(String(100))
    # what went wrong, in words for HR: never the recipient's address or other personal data
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]

    vacancy: Mapped[Vacancy | None] = relationship()
    application: Mapped[Application | None] = relationship()
    recipient: Mapped[User | None] = relationship(foreign_keys=[recipient_user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def status_label(self) -> str:
        return MESSAGE_STATUSES[self.status]
