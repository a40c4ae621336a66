"""Generated documents (interview packs, shortlisting records): made off the request path
by a background job, kept in the database so every web and worker machine serves the
same file, and access-controlled like the data in them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shortlist.extensions import db
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import DOCUMENT_KINDS, DOCUMENT_STATUSES, sql_in

if TYPE_CHECKING:
    from shortlist.models.user import User
    from shortlist.models.vacancy import Vacancy



class GeneratedDocument(db.Model):
    """One PDF of a vacancy's pack (whole, one candidate's, one member's copy) or record.

    ``fingerprint`` is a hash of everything the document was made from: when the data
    changes, the current fingerprint differs and the file is out of date (never served).
    """

    __tablename__ = "generated_document"
    __table_args__ = (
        CheckConstraint(sql_in("kind", DOCUMENT_KINDS), name="kind"),
        CheckConstraint(sql_in("status", DOCUMENT_STATUSES), name="status"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # the variant: "" for every invited candidate, else one candidate's reference
    candidate_reference: Mapped[str] = mapped_column(String(40), default="")
    # a panel member's own copy (their name in the footer); None for the panel's copy
    member_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    pages: Mapped[int | None]
    size: Mapped[int] = mapped_column(default=0)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    vacancy: Mapped[Vacancy] = relationship()
    member: Mapped[User | None] = relationship(foreign_keys=[member_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
