"""The interview stage: slots, and pre-employment checks for the appointed."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import CHECK_KINDS, CHECK_STATUSES, sql_in

if TYPE_CHECKING:
    from shortlist.models.application import Application
    from shortlist.models.user import User



class InterviewSlot(db.Model):
    """When and where one shortlisted candidate is interviewed."""

    __tablename__ = "interview_slot"
    __table_args__ = (CheckConstraint("duration_minutes BETWEEN 5 AND 480", name="duration"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), unique=True
    )
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    location: Mapped[str] = mapped_column(Text)  # a room and address, or a video link
    arranged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship()
    arranged_by: Mapped[User | None] = relationship()


class PreEmploymentCheck(db.Model):
    __tablename__ = "pre_employment_check"
    __table_args__ = (
        UniqueConstraint("application_id", "kind"),
        CheckConstraint(sql_in("kind", CHECK_KINDS), name="kind"),
        CheckConstraint(sql_in("status", CHECK_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="outstanding")
    checked_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    recorded_by: Mapped[User | None] = relationship()
