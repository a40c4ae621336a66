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
    from shortlist.models.vacancy import Vacancy



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
    # None: a time the chair set by hand; else the published time the slot takes a place in
    interview_time_id: Mapped[int | None] = mapped_column(ForeignKey("interview_time.id"), index=True)
    arranged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # None: the candidate booked it
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship()
    arranged_by: Mapped[User | None] = relationship()
    interview_time: Mapped[InterviewTime | None] = relationship()


class InterviewTime(db.Model):
    """A time the chair publishes for invited candidates to choose (self-booking).

    ``booked`` counts the slots holding a place in it. It only changes by a conditional
    UPDATE (``booked = booked + 1 WHERE booked < capacity``), and the check constraint
    holds it to the capacity: two candidates can never both take the last place.
    """

    __tablename__ = "interview_time"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 5 AND 480", name="duration"),
        CheckConstraint("capacity BETWEEN 1 AND 50", name="capacity"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="booked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]  # local (Europe/London) time, as the panel arranges it
    duration_minutes: Mapped[int] = mapped_column(default=60)
    location: Mapped[str] = mapped_column(Text)  # a room and address, or a video link
    capacity: Mapped[int] = mapped_column(default=1)
    booked: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    vacancy: Mapped[Vacancy] = relationship()

    @property
    def places_left(self) -> int:
        return self.capacity - self.booked


class InterviewInvitation(db.Model):
    """An invited candidate's interview arrangements: their booking link's current nonce (a
    new link replaces the old one) and their calendar entry's SEQUENCE (bumped each time the
    interview moves or is cancelled, so calendars update the one entry)."""

    __tablename__ = "interview_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    link_nonce: Mapped[str] = mapped_column(String(32))
    link_issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    calendar_sequence: Mapped[int | None]  # None until a calendar file is first sent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship()


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
