"""One way to write (issue 15.3): a use case's writes and its audit record are one
transaction, and a clash with another request's write is tried again from the start.

    with transaction():
        ...  # every write of the use case, and its audit.record
    # committed here; on any error rolled back (nothing stored) and raised again

    saved = retrying(lambda: _save(...))  # _save opens its own `with transaction():`
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from shortlist.extensions import db

T = TypeVar("T")

#: another request's write got there first: a unique constraint (two inserts of one row) or a
#: version check (two updates of one row)
CLASHES: tuple[type[Exception], ...] = (IntegrityError, StaleDataError)
ATTEMPTS = 3


@contextmanager
def transaction() -> Iterator[None]:
    """Commit everything written in the block at its end; on an error, store none of it."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def retrying(work: Callable[[], T], *, attempts: int = ATTEMPTS,
             clashes: tuple[type[Exception], ...] = CLASHES) -> T:
    """``work()``, a whole use case, run again from the start (after a rollback) when it
    clashes with another request's write: the next attempt reads what that one committed,
    so it usually ends in a clean refusal ("already submitted") rather than a 500. The last
    attempt's clash is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except clashes:
            db.session.rollback()
            if attempt == attempts:
                raise
    raise AssertionError("attempts must be at least 1")


def abandon() -> None:
    """Drop whatever a failed request left unwritten (the error pages' handler)."""
    db.session.rollback()
