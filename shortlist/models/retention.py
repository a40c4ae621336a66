"""Data protection: per-vacancy retention and sharing settings, legal holds, grants of
access to criminal-record declarations, erasures and the anonymous aggregates kept
after a purge (R17, R35, R36).

Written only by `shortlist.services.retention` and `shortlist.services.sealed`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import LEGAL_HOLD_KINDS, sql_in

if TYPE_CHECKING:
    from shortlist.models.application import Application
    from shortlist.models.user import User
    from shortlist.models.vacancy import Vacancy

DEFAULT_RETENTION_MONTHS = 6
# DBS code of practice: certificate information no longer than 6 months after the decision (R17).
DECLARATION_MAX_MONTHS = 6
MAX_RETENTION_MONTHS = 72



class DataPolicy(db.Model):
    """A vacancy's retention period and whether declarations may be shared after shortlisting.

    A vacancy without a row has the defaults: 6 months, declarations HR only.
    """

    __tablename__ = "data_policy"
    __table_args__ = (
        CheckConstraint(f"retention_months BETWEEN 1 AND {MAX_RETENTION_MONTHS}", name="retention_months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), unique=True)
    retention_months: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_MONTHS)
    # KCSIE: a school may ask shortlisted candidates for a self-declaration to discuss at interview (R15).
    share_declarations: Mapped[bool] = mapped_column(default=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    vacancy: Mapped[Vacancy] = relationship()


class LegalHold(db.Model):
    """Suspends deletion of a vacancy's or one application's data while it is in force."""

    __tablename__ = "legal_hold"
    __table_args__ = (
        CheckConstraint(sql_in("kind", LEGAL_HOLD_KINDS), name="kind"),
        CheckConstraint(
            "(vacancy_id IS NULL AND application_id IS NOT NULL) OR "
            "(vacancy_id IS NOT NULL AND application_id IS NULL)",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No ON DELETE CASCADE: a held vacancy or application cannot be deleted (even by a campaign replace).
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancy.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    release_reason: Mapped[str] = mapped_column(Text, default="")

    vacancy: Mapped[Vacancy | None] = relationship()
    application: Mapped[Application | None] = relationship()
    placed_by: Mapped[User] = relationship(foreign_keys=[placed_by_id])
    released_by: Mapped[User | None] = relationship(foreign_keys=[released_by_id])

    @property
    def kind_label(self) -> str:
        return LEGAL_HOLD_KINDS[self.kind]

    @property
    def active(self) -> bool:
        return self.released_at is None


class DeclarationGrant(db.Model):
    """HR lets one person on a vacancy see shortlisted candidates' criminal-record declarations."""

    __tablename__ = "declaration_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Erasure(db.Model):
    """An application whose personal data the retention purge removed, and what it removed."""

    __tablename__ = "erasure"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_by: Mapped[str] = mapped_column(String(254))
    removed: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class ReportSnapshot(db.Model):
    """Anonymous counts for a vacancy's reports, taken before its personal data is purged."""

    __tablename__ = "report_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), unique=True)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
