"""Split extracted text into lines of cells and remove page-break debris."""

from __future__ import annotations

import re
from collections import Counter

from .extract import CELL_BREAK
from .lexicon import CONTINUED, PAGE_DEBRIS
from .model import SpecImportError

#: A person specification is a few hundred lines; these bounds keep the time
#: spent on any 5 MB upload to a second or two.
MAX_LINES = 10_000
MAX_CELLS = 200_000
#: no criterion, heading or flattened table is longer: pasted junk or a whole file on one line
MAX_LINE_CHARS = 5000

_REMOVE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"\r\n?|[\x0b\x85\u2029]")
_GAP = re.compile(r"(?<=\S)[ ]{3,}(?=\S)")
_WS = re.compile(r"\s+")


class Line:
    """One line of the document: its cells (split on tabs or wide gaps), stripped."""

    __slots__ = ("no", "raw", "cells", "page_break", "debris", "text", "blank", "has_tab", "nonempty", "origin")

    def __init__(
        self, no: int, raw: str, cells: list[str], page_break: bool = False, debris: bool = False,
        origin: str | None = None,
    ) -> None:
        self.no = no
        #: how the line was rebuilt, when it was ("flattened": from a table run into a paragraph)
        self.origin = origin
        self.raw = raw
        self.cells = cells
        self.page_break = page_break
        self.debris = debris
        self.nonempty = [c for c in cells if c]
        self.blank = not self.nonempty
        self.has_tab = len(cells) > 1
        if len(self.nonempty) == 1 and CELL_BREAK not in self.nonempty[0]:
            self.text = self.nonempty[0]
        else:
            self.text = " ".join(c.replace(CELL_BREAK, " ") for c in self.nonempty).strip()

    def __repr__(self) -> str:
        return f"Line({self.no}, {self.cells!r})"


#: Typographic ligatures that PDFs keep as one character ("qualiﬁcation").
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})


def normalise(text: str) -> str:
    text = text.translate(_LIGATURES)
    text = _BREAKS.sub("\n", text)
    text = _REMOVE.sub("", text)
    text = _SPACES.sub(" ", text)
    return _CONTROL.sub("", text)


def squash(text: str) -> str:
    return _WS.sub(" ", text.replace(CELL_BREAK, " ")).strip()


_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_STRONG = re.compile(r"^(\*\*|__)(.+)\1$")


def _cells(physical: str) -> list[str]:
    stripped = physical.strip()
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        # A Markdown table row.
        if _MD_RULE.match(stripped):
            return [""]
        physical = "\t".join(stripped[1:-1].split("|"))
    else:
        physical = _GAP.sub("\t", physical)
    cells = []
    for cell in physical.split("\t"):
        cell = _MD_HEADING.sub("", cell.strip())
        strong = _MD_STRONG.match(cell)
        cells.append(strong.group(2).strip() if strong else cell)
    return cells


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    previous_blank = False
    cell_count = 0
    for number, physical in enumerate(normalise(text).split("\n"), start=1):
        if not physical.strip(" "):
            # A run of blank lines reads as one paragraph break.
            if previous_blank:
                continue
            previous_blank = True
            lines.append(Line(number, "", [""]))
            continue
        previous_blank = False
        if len(lines) > MAX_LINES:
            raise _too_long()
        parts = physical.split("\f")
        for index, part in enumerate(parts):
            if index > 0:
                lines.append(Line(number, "", [""], page_break=True))
            if len(parts) > 1 and not part.strip():
                continue
            cells = _cells(part)
            cell_count += len(cells)
            if cell_count > MAX_CELLS:
                raise _too_long()
            line = Line(number, part, cells)
            if not line.blank and PAGE_DEBRIS.match(squash(line.text)):
                line = Line(number, part, [""], debris=True)
            lines.append(line)
    _drop_running_heads(lines)
    _drop_continued(lines)
    return lines


def _too_long() -> SpecImportError:
    return SpecImportError(
        "The document is too long to be a person specification. Upload the person "
        "specification on its own."
    )


def _key(line: Line) -> str:
    return re.sub(r"[^0-9a-z]+", "", line.text.lower())


def _drop_running_heads(lines: list[Line]) -> None:
    """Blank lines repeated at the top or bottom of several pages (running heads)."""
    pages: list[list[int]] = [[]]
    for index, line in enumerate(lines):
        if line.page_break:
            pages.append([])
        elif not line.blank:
            pages[-1].append(index)
    if len(pages) < 3:
        return
    edge_pages: Counter[str] = Counter()
    edge_hits: Counter[str] = Counter()
    for page in pages:
        edges = set(page[:2]) | set(page[-2:])
        seen: set[str] = set()
        for index in edges:
            key = _key(lines[index])
            if key and len(key) <= 120:
                edge_hits[key] += 1
                if key not in seen:
                    seen.add(key)
                    edge_pages[key] += 1
    if not edge_pages:
        return
    totals: Counter[str] = Counter()
    for line in lines:
        if not line.blank:
            key = _key(line)
            if key in edge_pages:
                totals[key] += 1
    running = {k for k, pages_seen in edge_pages.items() if pages_seen >= 2 and totals[k] == edge_hits[k]}
    for index, line in enumerate(lines):
        if not line.blank and _key(line) in running:
            lines[index] = Line(line.no, line.raw, [""], debris=True)


def _drop_continued(lines: list[Line]) -> None:
    """'Person Specification (continued)' and the like: keep the heading, drop the note."""
    for index, line in enumerate(lines):
        if line.blank or len(line.cells) != 1:
            continue
        text = line.cells[0]
        if len(text) < 120 and CONTINUED.search(text):
            stripped = CONTINUED.sub("", text).strip()
            lines[index] = Line(line.no, line.raw, [stripped], debris=not stripped)
