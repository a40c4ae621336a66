"""People who use the app."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import USER_ROLES, sql_in

if TYPE_CHECKING:
    from shortlist.models.organisation import OrganisationRole


class Role(StrEnum):
    HR_ADMIN = "hr_admin"
    RECRUITING_MANAGER = "recruiting_manager"
    PANEL_MEMBER = "panel_member"

    @property
    def label(self) -> str:
        return {
            Role.HR_ADMIN: "HR administrator",
            Role.RECRUITING_MANAGER: "Recruiting manager",
            Role.PANEL_MEMBER: "Panel member",
        }[self]


class User(UserMixin, db.Model):
    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(sql_in("role", USER_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # the account's kind, kept by the services from the roles held in organisations (issue 17):
    # hr_admin if HR administrator anywhere, else recruiting_manager if one anywhere, else
    # panel_member. Who may see or do what is decided by the organisation roles themselves
    # (shortlist/permissions.py), never by this column.
    role: Mapped[str] = mapped_column(String(32))
    # creates organisations (and names their first HR administrators); sees no vacancy by it
    system_admin: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # safer-recruitment training (R18): the date on the person's certificate, one for every
    # panel they sit on; set by HR or by the person, every change audited (training.recorded)
    safer_recruitment_trained_on: Mapped[date | None]
    safer_recruitment_recorded_at: Mapped[datetime | None]
    safer_recruitment_note: Mapped[str | None] = mapped_column(Text)

    # read on first use (one statement for a request's signed-in person; other people's only
    # when a check asks, so loading a panel's users costs nothing more)
    organisation_roles: Mapped[list[OrganisationRole]] = relationship(
        back_populates="user", lazy="select", cascade="all, delete-orphan", order_by="OrganisationRole.id")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def organisation_ids(self, *roles: str) -> frozenset[int]:
        """The organisations where this person holds one of ``roles``."""
        return frozenset(r.organisation_id for r in self.organisation_roles if r.role in roles)

    @property
    def is_hr(self) -> bool:
        """An HR administrator of some organisation (which ones: shortlist/permissions.py)."""
        return any(r.role == Role.HR_ADMIN for r in self.organisation_roles)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
