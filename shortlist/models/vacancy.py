"""A vacancy and its person specification."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import DBS_LEVELS, VACANCY_STATUSES, sql_in

if TYPE_CHECKING:
    from shortlist.models.application import Application
    from shortlist.models.organisation import Organisation
    from shortlist.models.panel import PanelMembership
    from shortlist.models.sift import SiftPool
    from shortlist.models.user import User


class Vacancy(db.Model):
    __tablename__ = "vacancy"
    __table_args__ = (
        CheckConstraint(sql_in("dbs_level", DBS_LEVELS), name="dbs_level"),
        CheckConstraint(sql_in("status", VACANCY_STATUSES), name="status"),
        CheckConstraint("posts >= 1", name="posts"),
        CheckConstraint("scale_min < scale_max", name="scale_range"),
        CheckConstraint("min_scorers >= 1", name="min_scorers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # the employer (issue 17): its HR see and audit the vacancy
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    department: Mapped[str] = mapped_column(String(300), default="")
    grade: Mapped[str] = mapped_column(String(40), default="")
    posts: Mapped[int] = mapped_column(default=1)
    closing_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="open")
    recruiting_manager_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    dbs_level: Mapped[str] = mapped_column(String(20), default="none")
    dbs_barred_lists: Mapped[list[str]] = mapped_column(JSON, default=list)
    dbs_regulated_activity: Mapped[bool] = mapped_column(default=False)
    safeguarding_role: Mapped[bool] = mapped_column(default=False)
    # why a role with regulated activity is not a safeguarding role (R18); None: not said
    safeguarding_exemption: Mapped[str | None] = mapped_column(Text)
    customer_facing: Mapped[bool] = mapped_column(default=False)

    offer_interview: Mapped[bool] = mapped_column(default=False)
    waiver_policy: Mapped[bool] = mapped_column(default=False)
    declaration_triggers_scheme: Mapped[bool] = mapped_column(default=False)
    # the Armed Forces Covenant guaranteed interview (R7)
    armed_forces_scheme: Mapped[bool] = mapped_column(default=False)

    scale_min: Mapped[int] = mapped_column(default=0)
    scale_max: Mapped[int] = mapped_column(default=3)
    scale_met: Mapped[int] = mapped_column(default=2)
    divergence_gap: Mapped[int] = mapped_column(default=2)
    # score (as a string key, JSON objects have string keys) -> descriptor
    scale_descriptors: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    min_scorers: Mapped[int] = mapped_column(default=2)
    employment_gap_months: Mapped[int] = mapped_column(default=3)
    interview_cap_places: Mapped[int | None]
    interview_cap_reason: Mapped[str | None] = mapped_column(Text)
    # set when applications close (status open -> shortlisting): at the closing date, by the
    # system (closed_by None), or earlier by HR with a reason; scoring opens only after it
    applications_closed_at: Mapped[datetime | None]
    applications_closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    applications_closed_reason: Mapped[str | None] = mapped_column(Text)
    # set when the chair finalises the shortlist: names are revealed to the panel from then on
    shortlist_finalised_at: Mapped[datetime | None]
    shortlist_finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    # set-up task -> {"by": e-mail, "at": ISO time}: who confirmed the task completed (a task is
    # completed only when someone has); a change to a list task while a draft clears it
    setup_confirmations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # loaded with the vacancy (one join): pages, packs and messages name it
    org: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    recruiting_manager: Mapped[User | None] = relationship(foreign_keys=[recruiting_manager_id])
    applications_closed_by: Mapped[User | None] = relationship(foreign_keys=[applications_closed_by_id])
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="vacancy", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    panel: Mapped[list[PanelMembership]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan", order_by="PanelMembership.id"
    )
    applications: Mapped[list[Application]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan", order_by="Application.reference"
    )
    # a sift pool (issue 19), loaded with the vacancy (one join, no statement of its own)
    sift: Mapped[SiftPool | None] = relationship(lazy="joined", uselist=False, viewonly=True)
    questions: Mapped[list[InterviewQuestion]] = relationship(
        back_populates="vacancy", cascade="all, delete-orphan", order_by="InterviewQuestion.position"
    )

    @property
    def organisation(self) -> str:
        """The employer's name, as pages, packs and messages print it."""
        return self.org.name

    @property
    def descriptors(self) -> dict[int, str]:
        return {int(k): v for k, v in (self.scale_descriptors or {}).items()}

    @property
    def scale_points(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    def criteria_by_category(self) -> list[tuple[str, list[Criterion]]]:
        """Criteria grouped by category, in order of first appearance."""
        groups: dict[str, list[Criterion]] = {}
        for criterion in self.criteria:
            groups.setdefault(criterion.category, []).append(criterion)
        return list(groups.items())

    @property
    def names_revealed(self) -> bool:
        return self.shortlist_finalised_at is not None

    def __repr__(self) -> str:
        return f"<Vacancy {self.reference}>"


class Criterion(db.Model):
    __tablename__ = "criterion"
    __table_args__ = (UniqueConstraint("vacancy_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    category: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    essential: Mapped[bool] = mapped_column(default=True)
    methods: Mapped[list[str]] = mapped_column(JSON, default=list)
    shortlisting: Mapped[bool] = mapped_column(default=True)
    non_waivable: Mapped[bool] = mapped_column(default=False)
    pre_employment: Mapped[bool] = mapped_column(default=False)

    vacancy: Mapped[Vacancy] = relationship(back_populates="criteria")

    @property
    def methods_label(self) -> str:
        return "/".join(self.methods)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "category": self.category,
            "text": self.text,
            "essential": self.essential,
            "methods": list(self.methods),
            "shortlisting": self.shortlisting,
            "non_waivable": self.non_waivable,
            "pre_employment": self.pre_employment,
        }


class InterviewQuestion(db.Model):
    __tablename__ = "interview_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    vacancy: Mapped[Vacancy] = relationship(back_populates="questions")
    criterion: Mapped[Criterion] = relationship()


class SpecImportDraft(db.Model):
    """A person-specification import under review: proposals the manager edits before
    confirming. Nothing reaches the vacancy's criteria until they confirm."""

    __tablename__ = "spec_import_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    # {"criteria": [...], "dbs": {...}, "disability_confident": ..., "waiver_policy": ..., "warnings": [...]}
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
