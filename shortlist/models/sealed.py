"""Sealed data: seen only by HR, never by a panel (R10, R15, R17).

These live in their own tables so that no query a panel page makes can reach
them by accident: panel pages never join these tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow

if TYPE_CHECKING:
    from shortlist.models.application import Application


class EqualityMonitoring(db.Model):
    __tablename__ = "equality_monitoring"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), unique=True
    )
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="equality_monitoring")


class CriminalRecordDeclaration(db.Model):
    __tablename__ = "criminal_record_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), unique=True
    )
    unspent_convictions: Mapped[bool] = mapped_column(default=False)
    details: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="criminal_record_declaration")
