"""Applications.

What a panel may see while shortlisting (`Application`, its evidence and employment
history) is kept apart from the applicant's personal details (`ApplicantDetails`),
and both apart from sealed data (`shortlist.models.sealed`), which only HR sees.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow

if TYPE_CHECKING:
    from shortlist.models.panel import ConflictDeclaration
    from shortlist.models.scoring import AgreedScore, Decision, ScoreSheet
    from shortlist.models.sealed import CriminalRecordDeclaration, EqualityMonitoring
    from shortlist.models.vacancy import Criterion, Vacancy


class Application(db.Model):
    """The anonymised application: what a shortlisting panel works from."""

    __tablename__ = "application"
    __table_args__ = (UniqueConstraint("vacancy_id", "reference"), UniqueConstraint("vacancy_id", "external_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(40))
    # the source system's own id for the application (an ATS's), when it came through the API or
    # an export: a batch sent twice adds nothing the second time
    external_id: Mapped[str | None] = mapped_column(String(100))
    # the applicant withdrew (told HR, or the source system said so through the API): the
    # application stays, with when, why and who recorded it
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "YYYY-MM" (the month a gap starts) -> the applicant's explanation
    gap_explanations: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    vacancy: Mapped[Vacancy] = relationship(back_populates="applications")
    details: Mapped[ApplicantDetails] = relationship(
        back_populates="application", cascade="all, delete-orphan", uselist=False
    )
    employment: Mapped[list[EmploymentSpell]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="EmploymentSpell.position"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    conflicts: Mapped[list[ConflictDeclaration]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    score_sheets: Mapped[list[ScoreSheet]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    agreed_scores: Mapped[list[AgreedScore]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    equality_monitoring: Mapped[EqualityMonitoring | None] = relationship(
        back_populates="application", cascade="all, delete-orphan", uselist=False
    )
    criminal_record_declaration: Mapped[CriminalRecordDeclaration | None] = relationship(
        back_populates="application", cascade="all, delete-orphan", uselist=False
    )


class ApplicantDetails(db.Model):
    """Personal details and disability-scheme facts: never shown to a panel while shortlisting.

    The rules engine reads the scheme facts server-side, so a panel sees only the
    computed result (in the scheme or not), never the declaration itself (R10).
    """

    __tablename__ = "applicant_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    adjustments: Mapped[str] = mapped_column(Text, default="")
    disability_declared: Mapped[bool] = mapped_column(default=False)
    offer_interview_opt_in: Mapped[bool] = mapped_column(default=False)
    unmet_due_to_disability: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Armed Forces service (R7): left on a date, or serving and due to leave on one; neither: none declared
    forces_left_on: Mapped[date | None] = mapped_column(Date)
    forces_discharge_due: Mapped[date | None] = mapped_column(Date)
    forces_last_long_term_employer: Mapped[bool] = mapped_column(default=False)

    application: Mapped[Application] = relationship(back_populates="details")


class EmploymentSpell(db.Model):
    __tablename__ = "employment_spell"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    start: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    end: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM, None = current
    employer: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))

    application: Mapped[Application] = relationship(back_populates="employment")


class Evidence(db.Model):
    """The applicant's statement against one criterion."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("application_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="evidence")
    criterion: Mapped[Criterion] = relationship()
