"""Put back together table rows that a PDF wrapped over several lines.

A Word table keeps each row on one line (cells separated by tabs, paragraphs in a
cell by U+2028). A PDF does not: its text comes out line by line, so one row of a
person-specification table reads

    Qualifications    Care Certificate, or willingness to        E    A / C
                      complete it within 12 weeks of starting
                      in post

and a page break can fall inside a row, with the header row printed again above
the rest of it. Text copied out of a PDF into a text file looks the same, with
tabs or runs of spaces between the columns.

:func:`stitch` finds such tables by their header row (one line, or two when a
narrow column's heading wraps: "E/" over "D"), works out which column each piece
of text stands in (by tab position, or by where it starts on the line), and
joins the lines of each row into one line shaped like a Word table row. Rows are
told apart by their marks: each row has one line with its Essential/Desirable
mark, tick or method (top-aligned rows have it on their first line); a line that
starts in lower case, or follows a line ending in "and", "of", a comma..., goes
on the row before it; a new category in the first column starts a new row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import lexicon as lx
from .extract import CELL_BREAK
from .lines import Line, squash

Roles = list[str | None]
RolesOf = Callable[[list[str]], Roles | None]
Classify = Callable[[str], tuple[str, object]]
MethodsOf = Callable[[str], object]

_RUN = re.compile(r"\S+(?: \S+)*")
#: Longest header cell and longest piece of a wrapped header's second line.
_HEADER_CELL = 40
_HEADER_TAIL = 20
_MAX_COLUMNS = 12
_MAX_FRAGMENTS = 24

_TEXT_ROLES = ("lead", "category")


@dataclass
class _Table:
    roles: Roles
    names: list[str]
    starts: list[int] | None  # character offsets (text laid out with spaces), or None (tabs)

    @property
    def lead(self) -> int | None:
        """The criteria column (the last one headed so, as the row reader takes it)."""
        found = [index for index, role in enumerate(self.roles) if role == "lead"]
        return found[-1] if found else None

    @property
    def category(self) -> int | None:
        return self.roles.index("category") if "category" in self.roles else None


@dataclass
class _Record:
    line: Line
    cells: dict[int, str]
    marked: bool = False
    method_only: bool = False


@dataclass
class _Row:
    no: int
    cells: dict[int, list[str]] = field(default_factory=dict)
    marked: bool = False
    #: lead-column pieces added after the row's marks (they may open the next row)
    tail: list[int] = field(default_factory=list)

    def add(self, column: int, text: str) -> None:
        pieces = self.cells.setdefault(column, [])
        if pieces and re.search(r"[A-Za-z]-$", pieces[-1]) and text[:1].islower():
            pieces[-1] = pieces[-1] + text  # "multi-" / "disciplinary"
        else:
            pieces.append(text)


def _fragments(raw: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _RUN.finditer(raw)]


def _positional(line: Line) -> bool:
    return "\t" not in line.raw and "|" not in line.raw.strip()[:1]


class _Stitcher:
    def __init__(self, lines: list[Line], roles_of: RolesOf, classify: Classify,
                 methods_of: MethodsOf | None = None) -> None:
        self.lines = lines
        self.roles_of = roles_of
        self.classify = classify
        self.methods_of = methods_of or (lambda text: classify(text)[0] == "methods")

    # --- header rows ------------------------------------------------------------

    def _next_nonblank(self, index: int, limit: int = 1) -> int | None:
        j = index + 1
        while j < len(self.lines) and self.lines[j].blank and not self.lines[j].page_break and limit > 0:
            j += 1
            limit -= 1
        if j < len(self.lines) and not self.lines[j].blank:
            return j
        return None

    def header_at(self, index: int) -> tuple[_Table, int] | None:
        """The table whose header row starts at ``index`` and how many lines it takes."""
        line = self.lines[index]
        if line.blank or len(line.raw) > 400:
            return None
        if not _positional(line):
            if len(line.nonempty) < 2 or len(line.cells) > _MAX_COLUMNS:
                return None
            roles = self.roles_of(line.cells)
            if roles is None:
                return None
            return _Table(roles, list(line.cells), None), 1
        frags = _fragments(line.raw)
        if len(frags) < 2 or len(frags) > _MAX_COLUMNS or any(len(t) > _HEADER_CELL for _, t in frags):
            return None
        names = [t for _, t in frags]
        starts = [s for s, _ in frags]
        roles = self.roles_of(names)
        nxt = self._next_nonblank(index, limit=0)
        if nxt is not None and _positional(self.lines[nxt]):
            tail = _fragments(self.lines[nxt].raw)
            merged = self._merge_header(starts, names, tail)
            if merged is not None and roles is not None:
                # the header reads on its own: take the next line only into its mark and
                # method columns ("Method of" / "assessment"), never a category below it
                under = {min(range(len(starts)), key=lambda k: abs(starts[k] - s)) for s, _ in tail}
                if any(roles[k] in _TEXT_ROLES for k in under):
                    merged = None
            if merged is not None:
                merged_roles = self.roles_of(merged)
                if merged_roles is not None:
                    return _Table(merged_roles, merged, starts), nxt - index + 1
        if roles is None:
            return None
        return _Table(roles, names, starts), 1

    @staticmethod
    def _merge_header(starts: list[int], names: list[str], tail: list[tuple[int, str]]) -> list[str] | None:
        if not tail or len(tail) > len(starts):
            return None
        merged = list(names)
        for start, text in tail:
            if len(text) > _HEADER_TAIL:
                return None
            column = min(range(len(starts)), key=lambda k: abs(starts[k] - start))
            if abs(starts[column] - start) > 8:
                return None
            joiner = "" if merged[column].endswith("/") or text.startswith("/") else " "
            merged[column] = merged[column] + joiner + text
        return merged

    def same_header(self, index: int, table: _Table) -> int:
        """Lines taken by a repeat of ``table``'s header at ``index`` (after a page break), or 0."""
        found = self.header_at(index)
        if found is None:
            return 0
        other, consumed = found
        if [r for r in other.roles if r] != [r for r in table.roles if r]:
            return 0
        return consumed

    # --- cells ------------------------------------------------------------------

    def _kind(self, text: str) -> str:
        kind, _value = self.classify(text)
        return kind

    @staticmethod
    def _cost(role: str | None, kind: str) -> int:
        if role in _TEXT_ROLES or role is None:
            return {"text": 0, "methods": 25}.get(kind, 60)
        if role in ("essential", "desirable"):
            return {"tick": 0, "ed": 0, "s": 0, "text": 5}.get(kind, 25)
        if role == "ed":
            return {"ed": 0, "s": 0, "tick": 10, "methods": 25}.get(kind, 60)
        if role == "shortlist":
            return {"tick": 0, "s": 0}.get(kind, 60)
        if role == "method":
            return {"methods": 0, "s": 0, "text": 10, "ed": 25}.get(kind, 60)
        if role and role.startswith("m:"):
            return {"tick": 0}.get(kind, 60)
        if role == "ignore":
            return 5
        return 60

    def assign(self, line: Line, table: _Table) -> dict[int, str] | None:
        """Which column each piece of the line stands in; None where the line is no row."""
        width = len(table.roles)
        if table.starts is None or not _positional(line):
            cells = line.cells
            if not _positional(line):
                if len(cells) > width:
                    extra = cells[width:]
                    if any(extra):
                        return None
                    cells = cells[:width]
                return {k: c for k, c in enumerate(cells) if c}
            # one piece of text without tabs: the lead column's
            if len(line.nonempty) != 1 or table.lead is None:
                return None
            return {table.lead: line.nonempty[0]}
        frags = _fragments(line.raw)
        if not frags or len(frags) > _MAX_FRAGMENTS:
            return None
        starts = table.starts
        kinds = [self._kind(text) for _, text in frags]
        inf = 10**9
        # cost[i][j]: fragments 0..i placed, fragment i in column j (columns never go back)
        cost = [[inf] * width for _ in frags]
        back = [[-1] * width for _ in frags]
        for i, (start, _text) in enumerate(frags):
            for j in range(width):
                here = abs(start - starts[j]) + self._cost(table.roles[j], kinds[i])
                if i == 0:
                    cost[i][j] = here
                    continue
                for k in range(j + 1):
                    if cost[i - 1][k] >= inf:
                        continue
                    share = 3 if k == j else 0
                    if k == j and kinds[i] != "text":
                        share = 40
                    total = cost[i - 1][k] + here + share
                    if total < cost[i][j]:
                        cost[i][j] = total
                        back[i][j] = k
        j = min(range(width), key=lambda k: cost[-1][k])
        placed = [0] * len(frags)
        for i in range(len(frags) - 1, -1, -1):
            placed[i] = j
            j = back[i][j]
        out: dict[int, str] = {}
        for (start, text), column, kind in zip(frags, placed, kinds):
            # text cannot cross a cell's border: a line that does is not a table row
            if column + 1 < width and kind == "text":
                span = starts[column + 1] - starts[column]
                if start + len(text) > starts[column + 1] + max(4, span // 4):
                    return None
            out[column] = f"{out[column]} {text}" if column in out else text
        return out

    # --- a table ----------------------------------------------------------------

    def _is_mark(self, role: str | None, text: str) -> bool:
        if role in ("essential", "desirable", "ed", "shortlist") or (role or "").startswith("m:"):
            kind = self._kind(text)
            return kind in ("tick", "ed", "s") and not (kind == "tick" and lx.is_not_tick(text))
        return False

    def record(self, line: Line, table: _Table, cells: dict[int, str]) -> _Record:
        rec = _Record(line, cells)
        for column, text in cells.items():
            if self._is_mark(table.roles[column], text):
                rec.marked = True
        rec.method_only = bool(cells) and all(table.roles[c] == "method" for c in cells)
        return rec

    def collect(self, start: int, table: _Table) -> tuple[int, list[_Record]]:
        records: list[_Record] = []
        index = start
        blank_at: int | None = None
        n = len(self.lines)
        while index < n:
            line = self.lines[index]
            if line.page_break:
                # the next page may open with a running head and the header row again
                index = self._after_page_break(index + 1, table)
                continue
            if line.debris:
                index += 1
                continue
            if line.blank:
                if blank_at is None:
                    blank_at = index
                index += 1
                continue
            repeat = self.same_header(index, table)
            if repeat:
                index += repeat
                blank_at = None
                continue
            other = self.header_at(index)
            if other is not None and any(r in ("lead", "category") for r in other[0].roles):
                break  # another table
            text = squash(line.text)
            if line.origin == SPANNING:
                break
            if lx.parse_legend(text) or lx.spec_title(text) or lx.is_admin_line(text):
                break
            cells = self.assign(line, table)
            if cells is None:
                break
            rec = self.record(line, table, cells)
            joined = " ".join(cells.values())
            if not rec.marked and (lx.is_statement(joined) or lx.NONSPEC_HEADING.match(joined.strip())
                                   or lx.DBS_HEADING.match(joined)):
                break
            if blank_at is not None and not rec.marked and not self._continues(records, rec, table):
                if table.starts is None or lx.ends_sentence(joined):
                    break
            records.append(rec)
            blank_at = None
            index += 1
        end = blank_at if blank_at is not None else index
        return end, records

    def _after_page_break(self, index: int, table: _Table) -> int:
        """Skip what stands above a repeated header row at the top of a page."""
        seen = 0
        j = index
        while j < len(self.lines) and seen <= 3:
            line = self.lines[j]
            if line.page_break:
                break
            if not line.blank:
                if self.same_header(j, table):
                    return j
                seen += 1
            j += 1
        return index

    def _continues(self, records: list[_Record], rec: _Record, table: _Table) -> bool:
        lead = table.lead
        text = rec.cells.get(lead, "") if lead is not None else ""
        if not text:
            return bool(rec.method_only)
        if lx.first_letter_case(text) == "lower":
            return True
        if self._heading_row(rec, table):
            return True
        for previous in reversed(records):
            last = previous.cells.get(lead) if lead is not None else None
            if last:
                return lx.ends_with_joiner(last)
        return False

    def _heading_row(self, rec: _Record, table: _Table) -> str | None:
        """A row that only names a category ('QUALIFICATIONS') in the lead column."""
        if rec.marked or table.lead is None or set(rec.cells) != {table.lead}:
            return None
        text = squash(rec.cells[table.lead])
        if not text or lx.strip_bullet(text)[1]:
            return None
        core = lx.split_annotation(text)[0]
        letters = [ch for ch in core if ch.isalpha()]
        if letters and core.upper() == core and len(core.split()) <= 8:
            return text
        if lx.strong_heading(core):
            return text
        return None

    def worth_stitching(self, records: list[_Record], table: _Table) -> bool:
        if table.starts is not None:
            return True
        lead = table.lead
        previous = ""
        for rec in records:
            text = rec.cells.get(lead, "") if lead is not None else ""
            if rec.method_only and not rec.marked:
                return True
            if text and previous and lx.first_letter_case(text) == "lower":
                return True  # the rest of the row above: a wrapped line
            if text and not rec.marked and len(rec.cells) == 1 and previous and lx.ends_with_joiner(previous):
                return True
            if text:
                previous = text
        return False

    def _method_continues(self, row: _Row, column: int, text: str) -> bool:
        pieces = row.cells.get(column)
        if not pieces:
            return False
        last = pieces[-1].rstrip()
        if last.endswith(("/", ",", "&", "+", "-", "–")) or re.search(r"\b(?:and|or)$", last, re.I):
            return True
        if lx.first_letter_case(text) == "lower" or text.lstrip().startswith(("/", ",", "&")):
            return True
        return not self.methods_of(text)

    def assemble(self, records: list[_Record], table: _Table) -> list[Line]:
        out: list[Line] = []
        lead = table.lead
        category = table.category
        row: _Row | None = None

        def flush() -> None:
            nonlocal row
            if row is not None and row.cells:
                out.append(self._row_line(row, table))
            row = None

        if category is None and lead is not None and any(
            table.roles[c] in ("essential", "desirable") and self._kind(t) == "text"
            for rec in records for c, t in rec.cells.items()
        ):
            # criteria listed in Essential / Desirable columns: the first column names the row
            category = lead
        for rec in records:
            # where the first column names each row, a line with only that column is the
            # row's name (wrapped, or above its first criterion), not a heading row
            heading = None if category == lead else self._heading_row(rec, table)
            lead_text = rec.cells.get(lead, "") if lead is not None else ""
            if heading is not None and not (row is not None and self._text_continues(row, lead, heading)):
                flush()
                out.append(Line(rec.line.no, heading, [heading]))
                continue
            # a new category in its own column opens a row
            cat_text = rec.cells.get(category, "") if category is not None else ""
            new_category = bool(cat_text) and not (
                row is not None and self._text_continues(row, category, cat_text)
            )
            # methods: a new method expression marks a row unless it continues the last one
            method_mark = False
            for column, text in rec.cells.items():
                if table.roles[column] == "method":
                    if row is not None and self._method_continues(row, column, text):
                        continue
                    if self.methods_of(text) or self._kind(text) == "s":
                        method_mark = True
            marked = rec.marked or method_mark
            if row is None or (new_category and any(c != category for c in row.cells)):
                flush()
                row = _Row(rec.line.no)
            elif marked and row.marked:
                moved: list[str] = []
                if lead_text and row.tail and self._text_continues(row, lead, lead_text, tail_only=True):
                    moved = self._split_tail(row, lead)
                flush()
                row = _Row(rec.line.no)
                for piece in moved:
                    row.add(lead, piece)
            for column, text in rec.cells.items():
                role = table.roles[column]
                if role == "method" and row.cells.get(column) and not self._method_continues(row, column, text):
                    row.cells[column][-1] += " /"
                row.add(column, text)
                if column == lead and row.marked:
                    row.tail.append(len(row.cells[lead]) - 1)
            if marked:
                row.marked = True
                row.tail = []
        flush()
        return out

    @staticmethod
    def _text_continues(row: _Row, column: int | None, text: str, tail_only: bool = False) -> bool:
        if column is None:
            return False
        pieces = row.cells.get(column)
        if not pieces:
            return False
        if tail_only and not row.tail:
            return False
        if lx.first_letter_case(text) == "lower":
            return True
        return lx.ends_with_joiner(pieces[-1]) and not lx.ends_sentence(pieces[-1])

    @staticmethod
    def _split_tail(row: _Row, lead: int | None) -> list[str]:
        """The lead-column pieces after a row's marks that begin the next row."""
        if lead is None:
            return []
        pieces = row.cells.get(lead, [])
        for position in reversed(row.tail):
            piece = pieces[position]
            before = pieces[position - 1] if position > 0 else ""
            opens = lx.first_letter_case(piece) == "upper" or lx.strip_bullet(piece)[1]
            if opens and not (before and lx.ends_with_joiner(before) and not lx.ends_sentence(before)):
                moved = pieces[position:]
                del pieces[position:]
                row.tail = [p for p in row.tail if p < position]
                return moved
        return []

    @staticmethod
    def _paragraphs(pieces: list[str]) -> str:
        """The lines of a wrapped cell: a bullet, or a line that cannot carry on the one
        before it, opens a new paragraph (U+2028); other lines join with a space."""
        out: list[str] = []
        for piece in pieces:
            if not out:
                out.append(piece)
                continue
            last = out[-1]
            bullet = lx.strip_bullet(piece)[1]
            carries_on = lx.first_letter_case(piece) == "lower" or (
                lx.ends_with_joiner(last) and not lx.ends_sentence(last)
            )
            new = bullet or (
                not carries_on and (lx.ends_sentence(last) or lx.opens_like_criterion(piece))
            )
            out[-1:] = [last, piece] if new else [f"{last} {piece}"]
        return CELL_BREAK.join(out)

    def _row_line(self, row: _Row, table: _Table) -> Line:
        cells: list[str] = []
        for column, role in enumerate(table.roles):
            pieces = row.cells.get(column, [])
            if role in ("lead", "essential", "desirable"):
                cells.append(self._paragraphs(pieces))
            else:
                cells.append(" ".join(pieces))
        return Line(row.no, "\t".join(cells), cells)

    # --- the document -----------------------------------------------------------

    def run(self) -> list[Line]:
        out: list[Line] = []
        index = 0
        n = len(self.lines)
        table: _Table | None = None
        while index < n:
            if self.lines[index].origin == SPANNING and table is not None:
                # a category row across the table: the rows below it belong to the same table
                out.append(self.lines[index])
                end, records = self.collect(index + 1, table)
                if records and self.worth_stitching(records, table):
                    out.extend(self.assemble(records, table))
                else:
                    out.extend(self.lines[index + 1:max(end, index + 1)])
                index = max(end, index + 1)
                continue
            if self.lines[index].origin:
                # a row rebuilt from pasted text is whole already
                out.append(self.lines[index])
                index += 1
                continue
            found = self.header_at(index)
            if found is None:
                out.append(self.lines[index])
                index += 1
                continue
            table, consumed = found
            end, records = self.collect(index + consumed, table)
            if not records or not self.worth_stitching(records, table):
                out.extend(self.lines[index:max(end, index + 1)])
                index = max(end, index + 1)
                continue
            header = self.lines[index]
            out.append(Line(header.no, "\t".join(table.names), list(table.names)))
            out.extend(self.assemble(records, table))
            index = end
        return out


#: Line.origin of a category row across a table (pasted.SPANNING)
SPANNING = "spanning"


def stitch(lines: list[Line], roles_of: RolesOf, classify: Classify, methods_of: MethodsOf | None = None) -> list[Line]:
    """``lines`` with every wrapped table row joined into one line (see the module's notes).

    ``methods_of(text)`` tells whether a method cell's text names methods by itself
    ("Interview"), so that it starts a row rather than carrying on the one above."""
    return _Stitcher(lines, roles_of, classify, methods_of).run()
