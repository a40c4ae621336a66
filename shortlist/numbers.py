"""Whole numbers from requests and forms, read in one place (security review, finding 10).

``str.isdigit()`` accepts "²" and "١", which ``int()`` then refuses or reads as another
number, and ``int()`` takes any length: every number a request carries is read here, as
ASCII digits of a bounded length, so a bad one is a 400 or a form error naming the field,
never a 500.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MAX_DIGITS = 9  # below 2**31: fits every integer column, on SQLite and PostgreSQL alike
_DIGITS = re.compile(r"[0-9]{1,%d}" % MAX_DIGITS)


class NotANumber(ValueError):
    """``message`` names the field, in GOV.UK's style."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def whole_number(text: str | None, label: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """``text`` as a whole number, or NotANumber saying what to enter for ``label``."""
    value = (text or "").strip()
    if not value:
        raise NotANumber(f"Enter {label}")
    if not _DIGITS.fullmatch(value):
        raise NotANumber(f"{label[0].upper()}{label[1:]} must be a whole number, like 3, in the digits 0 to 9"
                         if len(value) <= MAX_DIGITS else
                         f"{label[0].upper()}{label[1:]} must be {MAX_DIGITS} digits or fewer")
    number = int(value)
    if minimum is not None and number < minimum:
        raise NotANumber(f"{label[0].upper()}{label[1:]} must be {minimum} or more")
    if maximum is not None and number > maximum:
        raise NotANumber(f"{label[0].upper()}{label[1:]} must be {maximum} or less")
    return number


def optional_number(text: str | None, label: str, **bounds: int) -> int | None:
    """As whole_number, but an empty field is None."""
    return None if not (text or "").strip() else whole_number(text, label, **bounds)


def parse_int(text: str | None, label: str, **bounds: int) -> int:
    """A number a request must carry (an id in a query or a hidden field): 400 naming it if it is not one."""
    try:
        return whole_number(text, label, **bounds)
    except NotANumber as bad:
        raise BadRequest(bad.message) from None


_SIGNED = re.compile(r"-?[0-9]{1,%d}" % MAX_DIGITS)


def as_int(text: str | None) -> int | None:
    """``text`` as a whole number (ASCII digits, an optional minus, at most MAX_DIGITS), or
    None: for a value checked against a list of its own (a score on the scale, a row index)."""
    value = (text or "").strip()
    return int(value) if _SIGNED.fullmatch(value) else None


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` in URLs: ASCII digits below 2**31 (a longer one is a 404, never an
    overflow in the database)."""

    regex = r"[0-9]{1,%d}" % MAX_DIGITS

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, max if max is not None else 2**31 - 1, signed)
