"""The audit log: append-only, hash-chained rows written by `shortlist.services.audit` only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from shortlist.extensions import db
from shortlist.models.base import utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # No foreign keys: the log outlives the rows it describes (retention purges them).
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(254))  # e-mail or "system"/"cli"
    action: Mapped[str] = mapped_column(String(60), index=True)
    vacancy_reference: Mapped[str | None] = mapped_column(String(40), index=True)
    # the organisation an event is about when it names no vacancy (issue 17: its HR audit it);
    # the hashed data holds it too (data["organisation_id"]): this column indexes it
    organisation_id: Mapped[int | None] = mapped_column(index=True)
    subject: Mapped[str] = mapped_column(String(120), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """One row holding the chain's tip, locked while an event is appended."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))
