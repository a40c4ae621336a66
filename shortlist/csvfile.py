"""CSV files people open in a spreadsheet: a leaf module (the standard library only).

Every cell that a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage
return first) is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    # A record repeats the same texts on many rows (a criterion's wording, a candidate's
    # decision): each distinct text is made safe once. Only strings are remembered, so
    # 1 and True (equal as keys) keep their own cells.
    seen: dict[str, str] = {}

    def cell(value: Any) -> str:
        text = _cell(value)
        if type(value) is str:
            seen[value] = text
        return text

    def cells(row: Sequence[Any]) -> list[str]:
        try:
            return [seen[v] if v in seen else cell(v) for v in row]
        except TypeError:  # an unhashable value
            return [_cell(v) for v in row]

    writer.writerows(map(cells, rows))
    return out.getvalue()
