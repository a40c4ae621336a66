"""What a member typed, kept across an idle sign-out (issue 14, finding 4).

A scoring form sent after the sign-in lapsed (an idle timeout, or the session's longest
life) cannot be saved: nobody is signed in. It is kept instead, for the person whose
session it was (proved by the session cookie's token, whose session ended for that
reason), and shown back to them, unsaved, when they sign in again and the page opens.
Bounded: only the pages in STASHABLE, at most MAX_FIELDS fields and MAX_CHARS characters,
one per person and page, kept for KEEP_HOURS.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import delete, select

from shortlist.extensions import db
from shortlist.models import PendingForm, User
from shortlist.models.base import utcnow
from shortlist.services.transactions import transaction

STASHABLE = frozenset({"panel.score"})
MAX_FIELDS = 400
MAX_CHARS = 200_000
KEEP_HOURS = 8
SKIPPED = frozenset({"csrf_token", "submit", "save", "mark_gaps", "timed_out"})


def stash(user_id: int, path: str, form: Mapping[str, str]) -> bool:
    """Keep the posted fields for the user and page (replacing any earlier ones); False when
    too big to keep."""
    data = {k: v for k, v in form.items() if k not in SKIPPED}
    if len(data) > MAX_FIELDS or sum(len(k) + len(v) for k, v in data.items()) > MAX_CHARS or len(path) > 500:
        return False
    with transaction():
        db.session.execute(delete(PendingForm).where(
            (PendingForm.user_id == user_id) & (PendingForm.path == path)
            | (PendingForm.created_at < utcnow() - timedelta(hours=KEEP_HOURS))))  # and anyone's out of date
        db.session.add(PendingForm(user_id=user_id, path=path, data=data))
    return True


def take(user: User, path: str) -> dict[str, str] | None:
    """The user's kept fields for this page, removed as they are handed back (None: nothing kept)."""
    row = db.session.scalar(select(PendingForm).where(PendingForm.user_id == user.id, PendingForm.path == path)
                            .order_by(PendingForm.created_at.desc()))
    if row is None:
        return None
    fresh = utcnow() - row.created_at <= timedelta(hours=KEEP_HOURS)
    data = dict(row.data) if fresh else None
    with transaction():
        db.session.execute(delete(PendingForm).where(PendingForm.user_id == user.id, PendingForm.path == path))
    return data
