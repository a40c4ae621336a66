"""Small text helpers shared by the build script and the library (no dependencies)."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"(\d+)")


def squash(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) to one space."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def tokens(text: str) -> list[str]:
    """Lower-case words for searching: "Master's level" -> ["masters", "level"]."""
    return _TOKEN.findall(_APOSTROPHES.sub("", text.casefold()))


def slug(text: str) -> str:
    """"Leadership & Management" -> "leadership-and-management"."""
    return "-".join(tokens(text.replace("&", " and ")))


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key that puts "ks-2" before "ks-10"."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text))


def shorten(text: str, limit: int = 90) -> str:
    text = squash(text)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip(" ,;:") + "\u2026"
