"""E-mail: the outbox (one row per message, written in the same transaction as the action
that causes it and delivered afterwards by a job).

Written only by `shortlist.services.outbox`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import MESSAGE_AUDIENCES, MESSAGE_STATUSES, sql_in

if TYPE_CHECKING:
    from shortlist.models.application import Application
    from shortlist.models.user import User
    from shortlist.models.vacancy import Vacancy



class OutboxMessage(db.Model):
    """One e-mail: its recipient, what it says (rendered when it was queued) and its delivery."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(sql_in("status", MESSAGE_STATUSES), name="status"),
        CheckConstraint(sql_in("audience", MESSAGE_AUDIENCES), name="audience"),
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


class MessageTemplate(db.Model):
    """HR's wording for one kind of message, for one organisation (else the English default)."""

    __tablename__ = "message_template"
    __table_args__ = (UniqueConstraint("organisation", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # free text, as the vacancy names it (issue 17 turns it into a foreign key)
    organisation: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    updated_by: Mapped[User | None] = relationship()


class NotificationPreference(db.Model):
    """A member of staff's own choices: reminders off (invitations and the rest always go)."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    reminders: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VacancyMessaging(db.Model):
    """A vacancy's choices for its messages: the scoring deadline and its reminder, and what
    candidates are told about interviews (and whether they choose their own time)."""

    __tablename__ = "vacancy_messaging"
    __table_args__ = (
        CheckConstraint("reminder_days BETWEEN 0 AND 30", name="reminder_days"),
        CheckConstraint("booking_cutoff_hours BETWEEN 0 AND 720", name="booking_cutoff_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), unique=True)
    scoring_deadline: Mapped[date | None]
    reminder_days: Mapped[int] = mapped_column(default=3)  # 0: no reminder
    contact: Mapped[str] = mapped_column(String(254), default="")  # whom candidates ask
    share_panel_names: Mapped[bool] = mapped_column(default=False)
    what_to_bring: Mapped[str] = mapped_column(Text, default="")
    adjustments: Mapped[str] = mapped_column(Text, default="")  # how candidates ask for adjustments
    self_booking: Mapped[bool] = mapped_column(default=True)
    booking_cutoff_hours: Mapped[int] = mapped_column(default=48)  # no booking or change closer than this
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    vacancy: Mapped[Vacancy] = relationship()


class ScheduledTask(db.Model):
    """`shortlist tick`'s lock and its tasks' last runs. The lock is a lease: taken by one
    conditional UPDATE (so two ticks at once never both hold it, on SQLite or PostgreSQL),
    and it lapses if its holder dies."""

    __tablename__ = "scheduled_task"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_day: Mapped[date | None]  # the day a daily task last ran for
    last_outcome: Mapped[str] = mapped_column(Text, default="")
