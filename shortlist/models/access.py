"""Single-use links that let a person set their password (an account made for them has none)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import ACCESS_LINK_PURPOSES, sql_in

if TYPE_CHECKING:
    from shortlist.models.user import User

#: what a link is for (ACCESS_LINK_PURPOSES, in shortlist/rules/vocabulary.py); the accounts
#: issue's invitations are meant to add their own purpose there, on the same table


class AccessLink(db.Model):
    """A link for one user that works once, until ``expires_at``. Only the token's SHA-256
    is held: the link itself is shown once, to whoever made it, and never stored or logged."""

    __tablename__ = "access_link"
    __table_args__ = (CheckConstraint(sql_in("purpose", ACCESS_LINK_PURPOSES), name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20), default="set_password")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # a newer link for the same user and purpose ends this one
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at
