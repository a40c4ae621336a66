"""The interview stage: slots, and pre-employment checks for the appointed."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow

if TYPE_CHECKING:
    from shortlist.models.application import Application
    from shortlist.models.user import User

# Pre-employment checks (R14, R24, R33): tracked after a conditional offer, never a score.
CHECK_KINDS = {
    "dbs": "DBS check at the vacancy's level and barred lists",
    "right_to_work": "Right to work",
    "references": "References",
    "qualifications": "Qualifications seen",
    "registration": "Professional registration seen",
}
CHECK_STATUSES = {"outstanding": "Outstanding", "satisfactory": "Satisfactory", "concern": "Concern raised"}


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
        CheckConstraint(
            "kind IN ('dbs', 'right_to_work', 'references', 'qualifications', 'registration')", name="kind"),
        CheckConstraint("status IN ('outstanding', 'satisfactory', 'concern')", name="status"),
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
