"""People who use the app."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import USER_ROLES, sql_in


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
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # safer-recruitment training (R18): the date on the person's certificate, one for every
    # panel they sit on; set by HR or by the person, every change audited (training.recorded)
    safer_recruitment_trained_on: Mapped[date | None]
    safer_recruitment_recorded_at: Mapped[datetime | None]
    safer_recruitment_note: Mapped[str | None] = mapped_column(Text)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_hr(self) -> bool:
        return self.role == Role.HR_ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
