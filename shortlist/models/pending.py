"""A form posted after its sign-in had lapsed, kept for its author until they sign in again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.extensions import db
from shortlist.models.base import utcnow


class PendingForm(db.Model):
    """What a member typed into a form and sent after being signed out for inactivity: kept
    (never applied) until the same person signs in again and opens the page, which shows it
    back to them to check and save. One per person and page; the newest wins."""

    __tablename__ = "pending_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
