"""Scores, agreed scores and decisions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import ADJUSTMENT_OUTCOMES, GAP_MARKS, STAGES, sql_in

if TYPE_CHECKING:
    from shortlist.models.application import Application
    from shortlist.models.user import User
    from shortlist.models.vacancy import Criterion



class ScoreSheet(db.Model):
    """One panel member's scores for one application at one stage.

    A sheet is a draft until `submitted_at` is set; others' scores for the
    application stay hidden from the member until then (R27).
    """

    __tablename__ = "score_sheet"
    __table_args__ = (
        UniqueConstraint("application_id", "user_id", "stage"),
        CheckConstraint(sql_in("stage", STAGES), name="stage"),
        # the sift pool's progress (issue 19): each allocation's sheet, its stage and whether
        # it is submitted, read from the index alone (panel.progress)
        Index("ix_score_sheet_progress", "application_id", "user_id", "stage", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship(back_populates="score_sheets")
    user: Mapped[User] = relationship()
    scores: Mapped[list[Score]] = relationship(back_populates="sheet", cascade="all, delete-orphan")


class Score(db.Model):
    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("sheet_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheet.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), index=True)
    value: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class AgreedScore(db.Model):
    """The moderated score for a criterion, with the chair's rationale (R27)."""

    __tablename__ = "agreed_score"
    __table_args__ = (
        UniqueConstraint("application_id", "criterion_id", "stage"),
        CheckConstraint(sql_in("stage", STAGES), name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    value: Mapped[int]
    rationale: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship(back_populates="agreed_scores")
    criterion: Mapped[Criterion] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Decision(db.Model):
    """A named person's decision about an application at a stage, with its reasons (R28, R31)."""

    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint("application_id", "stage"),
        CheckConstraint(sql_in("stage", STAGES), name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))
    # shortlisting: invite | reserve | reject; interview: appoint | reserve | not_appointed
    outcome: Mapped[str] = mapped_column(String(20))
    recommendation: Mapped[str] = mapped_column(String(30))  # the engine's outcome when decided
    reason: Mapped[str] = mapped_column(Text)
    reasons: Mapped[list[dict[str, str | None]]] = mapped_column(JSON, default=list)
    override_reason: Mapped[str | None] = mapped_column(String(40))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="decisions")
    decided_by: Mapped[User] = relationship()


class GapMark(db.Model):
    """A shortlister's view of one employment gap in an application (R20): explained, or
    to explore at interview. Never a score (R12); gaps to explore become interview probes."""

    __tablename__ = "gap_mark"
    __table_args__ = (
        UniqueConstraint("application_id", "user_id", "gap_start"),
        CheckConstraint(sql_in("mark", GAP_MARKS), name="mark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    gap_start: Mapped[str] = mapped_column(String(7))  # YYYY-MM, the gap's first month
    mark: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    marked_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # set when HR recorded the mark for the member (with HR's reason), None when the member marked it
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class PositiveAction(db.Model):
    """An HR tie-break under the Equality Act s.159 (R11): between two candidates with
    equal totals, with the characteristic, the evidence and the case's rationale."""

    __tablename__ = "positive_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    preferred_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"))
    characteristic: Mapped[str] = mapped_column(String(200))
    evidence_reference: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    preferred: Mapped[Application] = relationship(foreign_keys=[preferred_id])
    other: Mapped[Application] = relationship(foreign_keys=[other_id])
    recorded_by: Mapped[User] = relationship()


class AdjustmentReview(db.Model):
    """HR's review of an applicant's claim that they cannot meet an essential criterion
    because of their disability (R6, R9): met with a reasonable adjustment, or not met
    (no adjustment makes it achievable), with HR's reason. The rules engine reads it."""

    __tablename__ = "adjustment_review"
    __table_args__ = (
        UniqueConstraint("application_id", "criterion_id", "stage"),
        CheckConstraint(sql_in("stage", STAGES), name="stage"),
        CheckConstraint(sql_in("outcome", ADJUSTMENT_OUTCOMES), name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="shortlisting")
    outcome: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)

    criterion: Mapped[Criterion] = relationship()
    reviewed_by: Mapped[User] = relationship()
