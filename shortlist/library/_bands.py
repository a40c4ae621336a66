"""Reading an NHS Agenda for Change band written any common way."""

from __future__ import annotations

import re

_DASH = re.compile(r"[\u2010-\u2015\u2212]")
_BAND = re.compile(
    r"(?:nhs\s*)?(?:(?:afc|agenda\s+for\s+change)\s*)?(?:pay\s*)?(?:band|b)?\s*[:.]?\s*"
    r"(\d)\s*([a-d])?"
    r"(?:\s*(?:-|/|to)\s*(?:(\d)\s*)?([a-d]))?"
)
_LETTERS = "abcd"


def parse_band(text: object) -> tuple[str, ...] | None:
    """The AfC band(s) a label names, or None when it is not an NHS band.

    "Band 6" -> ("6",); "AfC band 8C" -> ("8c",); "8a-8b" -> ("8a", "8b");
    "Band 8" -> ("8a", "8b", "8c", "8d"); "P07", "Grade 6", "6a", "" -> None.
    """
    if not isinstance(text, str):
        return None
    value = _DASH.sub("-", " ".join(text.casefold().split()))
    match = _BAND.fullmatch(value)
    if not match:
        return None
    number, first, number2, second = match.groups()
    if number == "0" or (number2 is not None and number2 != number):
        return None
    if number != "8":
        return (number,) if first is None and second is None else None
    if first is None:
        return None if second else tuple("8" + letter for letter in _LETTERS)
    if second is None:
        return ("8" + first,)
    low, high = _LETTERS.index(first), _LETTERS.index(second)
    if high < low:
        return None
    return tuple("8" + letter for letter in _LETTERS[low:high + 1])


def band_name(bands: tuple[str, ...]) -> str:
    """("8a", "8b") -> "band 8a-8b"; all four 8s -> "band 8"."""
    if len(bands) == 4 and all(b.startswith("8") for b in bands):
        return "band 8"
    if len(bands) == 1:
        return f"band {bands[0]}"
    return f"band {bands[0]}-{bands[-1]}"
