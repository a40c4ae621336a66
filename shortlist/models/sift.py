"""Sift pools (issue 19): a vacancy whose applications are shared among a pool of sifters,
each application read by ``vacancy.min_scorers`` of them, instead of by the whole panel."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import SIFT_PURPOSES, sql_in

if TYPE_CHECKING:
    from shortlist.models.user import User

ASSIGNMENT_PURPOSES = {"sift": "Sift", "moderation": "Third reader (moderation)"}


class SiftPool(db.Model):
    """The vacancy uses a sift pool (one row a vacancy). ``seed`` is drawn at the first
    allocation and reused by every reallocation, so the same inputs give the same result."""

    __tablename__ = "sift_pool"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), unique=True)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    allocated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[SiftPoolMember]] = relationship(
        back_populates="pool", cascade="all, delete-orphan", order_by="SiftPoolMember.id")


class SiftPoolMember(db.Model):
    """A panel scorer (chair or member) in the pool; ``capacity``: the most applications they
    take in this campaign (None: no limit)."""

    __tablename__ = "sift_pool_member"
    __table_args__ = (
        UniqueConstraint("pool_id", "user_id"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("sift_pool.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    capacity: Mapped[int | None]

    pool: Mapped[SiftPool] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class SiftAssignment(db.Model):
    """One application given to one sifter: to sift it (one of ``min_scorers``), or as a
    third reader for moderation. Rows are replaced only while their scores are not submitted."""

    __tablename__ = "sift_assignment"
    __table_args__ = (
        UniqueConstraint("application_id", "user_id"),
        CheckConstraint(sql_in("purpose", SIFT_PURPOSES), name="purpose"),
        Index("ix_sift_assignment_vacancy_user", "vacancy_id", "user_id", "application_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20), default="sift")
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
