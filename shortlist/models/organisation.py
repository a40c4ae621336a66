"""Employers (issue 17): each vacancy belongs to one organisation, and people hold roles in
organisations (an HR administrator of Kent sees and audits Kent's vacancies only)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.models.retention import MAX_RETENTION_MONTHS
from shortlist.rules.vocabulary import ORGANISATION_ROLE_NAMES, ORGANISATION_ROLES, sql_in

if TYPE_CHECKING:
    from shortlist.models.user import User


class Organisation(db.Model):
    """An employer: its name, a short code campaign files and URLs name it by, the e-mail
    domains its staff's addresses end with, its own retention default (months; None: the
    product's default), and whether its people may sign in with a password (its single sign-on's
    provider settings are in SSO_SETTINGS_FILE, under its code)."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(f"retention_months IS NULL OR retention_months BETWEEN 1 AND {MAX_RETENTION_MONTHS}",
                        name="retention_months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    retention_months: Mapped[int | None]
    # False: people whose address is in its e-mail domains sign in through its single sign-on only
    password_sign_in: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.code}>"


class OrganisationRole(db.Model):
    """A role one person holds in one organisation (ORGANISATION_ROLES)."""

    __tablename__ = "organisation_role"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id", "role"),
        CheckConstraint(sql_in("role", ORGANISATION_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="organisation_roles")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def label(self) -> str:
        return f"{ORGANISATION_ROLE_NAMES[self.role]}, {self.organisation.name}"
