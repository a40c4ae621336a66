"""Wording shared by messages: a manager reads these, so keep them plain."""

from __future__ import annotations

from datetime import date

from shortlist.rules.types import Criterion

_MAX_TEXT = 90


def label(criterion: Criterion) -> str:
    """'K2 "Experience of family therapy"' (long texts shortened)."""
    text = " ".join(criterion.text.split())
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 1].rstrip() + "…"
    return f'{criterion.key} "{text}"'


def number(value: float) -> str:
    """2 -> '2', 2.5 -> '2.5', 2.3333 -> '2.33'."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def listing(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
