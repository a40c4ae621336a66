"""The range of dates the app accepts, at every entry point (security review, finding 8).

A closing date in 9999 made every page that adds a retention period to it fail, and the
purge stop; forms, campaign files, the CSV intake and the interview service now refuse
a date outside these years, with a message naming the field."""

from __future__ import annotations

from datetime import date

FIRST_YEAR = 1900
LAST_YEAR = 2100


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def range_problem(value: date | None, label: str) -> str | None:
    """The error message for a date outside the range (None: in range, or no date)."""
    if value is None or year_in_range(value.year):
        return None
    return f"{label} must be between {FIRST_YEAR} and {LAST_YEAR}"
