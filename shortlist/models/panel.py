"""Panel membership and conflict-of-interest declarations."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import PANEL_ROLE_NAMES, PANEL_ROLES, sql_in

if TYPE_CHECKING:
    from shortlist.models.application import Application
    from shortlist.models.user import User
    from shortlist.models.vacancy import Vacancy



class PanelMembership(db.Model):
    __tablename__ = "panel_membership"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "user_id"),
        CheckConstraint(sql_in("role", PANEL_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    vacancy: Mapped[Vacancy] = relationship(back_populates="panel")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def role_label(self) -> str:
        return PANEL_ROLE_NAMES[self.role]

    @property
    def safer_recruitment_trained_on(self) -> date | None:
        """The member's training is the person's, the same on every panel (R18)."""
        return self.user.safer_recruitment_trained_on


class ConflictDeclaration(db.Model):
    """A panel member's answer to "do you know this applicant?" for one application."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (UniqueConstraint("application_id", "user_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # before_scoring: names only, before the anonymised application; after_reveal: once names are revealed
    phase: Mapped[str] = mapped_column(String(20), default="before_scoring")
    conflict: Mapped[bool]
    details: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A declared conflict is never withdrawn by the member alone (security review, finding 2):
    # they ask, with a reason; HR or the chair reviews it, with a reason. A withdrawn
    # declaration keeps its details and says who withdrew it and why.
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    withdrawal_requested_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    withdrawal_review: Mapped[str] = mapped_column(Text, default="", server_default="")

    application: Mapped[Application] = relationship(back_populates="conflicts")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class PanelDeparture(db.Model):
    """Someone who was on a vacancy's panel and was removed from it, when, by whom and why.
    Their submitted scores and declarations stay and keep counting (``SUBMITTED_SCORES_RULE``
    in shortlist.services.panel_changes); this row says, wherever they are shown, that the
    person has left the panel."""

    __tablename__ = "panel_departure"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    removed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])
