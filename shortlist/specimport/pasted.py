"""Tables that arrive as text pasted out of a browser or Word, put back into rows.

Each function takes the document's lines and gives them back with the table rows
rebuilt as one line each, cells separated the way a Word table's are (so the row
reader reads them like any other table); lines that are not such a table pass
through unchanged.

* :func:`slash_cells`: cells joined by " / " ("1 / Degree in social work / A / R").
* :func:`pipe_cells`: a web table whose cells each end " |", one or more lines each.
* :func:`unstack`: several criteria in one cell, one per line, then their
  Essential/Desirable marks, then their methods, each stacked in the cells after it
  (n items, n marks, n method lists, in order).
* :func:`unflatten`: a whole table flattened into one paragraph, its columns named
  in capitals before each cell ("EXPERIENCE ESSENTIAL ... DESIRABLE ... HOW
  IDENTIFIED ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .extract import CELL_BREAK
from .lines import Line, squash
from .pieces import sentences

Classify = Callable[[str], tuple[str, object]]
RoleOf = Callable[[str], str | None]
MethodsOf = Callable[[str], object]

#: the kinds of cell (parser.classify_cell) that are a mark or a method, not text
_MARKS = ("ed", "s", "tick", "methods")


def _line(no: int, cells: list[str]) -> Line:
    return Line(no, "\t".join(c.replace(CELL_BREAK, " ") for c in cells), cells)


# --- " / " ------------------------------------------------------------------------

_SLASH = re.compile(r"\s+/\s+")
_NUMBER = re.compile(r"^\(?\d{1,2}[.)]?$|^\(?[a-z][.)]$")
#: a row must show its structure this often before " / " is read as a cell break
_SLASH_ROWS = 3


def _slash_parts(text: str, classify: Classify, codes: dict[str, str]) -> list[str] | None:
    """The cells of a line joined by " / ", or None when it is prose."""
    parts = [p.strip() for p in _SLASH.split(text)]
    if len(parts) < 3:
        return None
    kinds = []
    for index, part in enumerate(parts):
        if len(part) <= 3 and part.islower() and part.upper() in codes:
            parts[index] = part = part.upper()  # "i" for I, typed in a hurry
        kinds.append(classify(part)[0])
    # text beside text is one cell that has a " / " of its own ("literacy / numeracy")
    cells: list[str] = []
    cell_kinds: list[str] = []
    for part, kind in zip(parts, kinds):
        if cells and kind == "text" and cell_kinds[-1] == "text" and not _NUMBER.match(cells[-1]):
            cells[-1] = f"{cells[-1]} / {part}"
        else:
            cells.append(part)
            cell_kinds.append(kind)
    if not any(kind in _MARKS for kind in cell_kinds[1:]):
        return None
    if cells and _NUMBER.match(cells[0]) and len(cells) > 2:
        cells = cells[1:]  # the row's number
    return cells


def slash_cells(lines: list[Line], classify: Classify, codes: dict[str, str]) -> list[Line]:
    found = {
        index: cells
        for index, line in enumerate(lines)
        if len(line.nonempty) == 1 and " / " in line.text
        for cells in [_slash_parts(line.text, classify, codes)]
        if cells
    }
    if len(found) < _SLASH_ROWS:
        return lines
    return [_line(line.no, found[index]) if index in found else line for index, line in enumerate(lines)]


# --- " |" ---------------------------------------------------------------------------

#: a row must end " |" this often before a document is read as a pasted web table
_PIPE_ROWS = 3
_SPANS = re.compile(r"\b(?:SECTION|ESSENTIAL|DESIRABLE|CRITERIA)\b")


def _spans(cell: str) -> bool:
    """A heading across the table ("SECTION 2 – ESSENTIAL CRITERIA"), not a row's first cell."""
    return cell.upper() == cell and bool(_SPANS.search(cell))


def pipe_cells(lines: list[Line]) -> list[Line]:
    ends = sum(1 for line in lines if not line.blank and line.raw.rstrip().endswith("|")
               and not line.raw.lstrip().startswith("|"))
    if ends < _PIPE_ROWS:
        return lines
    out: list[Line] = []
    buffer: list[str] = []  # the lines of the cell being read
    buffer_no = 0
    row: list[str] = []
    row_no = 0
    width = 0  # cells a row of the current table has (from its header)

    def flush_row() -> None:
        nonlocal row
        if row:
            for cell in row:
                if cell:
                    out.append(_line(row_no, [cell]))
            row = []

    def close_cell(text: str, no: int) -> None:
        nonlocal row, row_no
        if not row:
            if not text:
                return
            if _spans(text) or not width:
                out.append(_line(no, [text]))
                return
            row_no = no
        row.append(text)
        if len(row) == width:
            out.append(_line(row_no, row))
            row = []

    for line in lines:
        raw = line.raw.strip()
        markdown = raw.startswith("|") and raw.endswith("|") and raw.count("|") >= 3
        if line.blank or markdown or "|" not in raw:
            if line.blank:
                continue
            if not width or markdown:
                out.append(line)
                continue
            if not buffer:
                buffer_no = line.no
            buffer.append(squash(line.text))
            continue
        parts = [squash(p) for p in raw.split("|")]
        tail = parts.pop()  # after the last "|": the start of the next cell
        if len(parts) >= 2:
            # a whole row on one line (a table's header): it sets the width
            if buffer:
                out.append(_line(buffer_no, [CELL_BREAK.join(buffer)]))
                buffer = []
            flush_row()
            cells = [p for p in parts]
            width = len(cells)
            out.append(_line(line.no, cells))
        else:
            text = CELL_BREAK.join([*buffer, parts[0]] if parts[0] else buffer)
            close_cell(text, buffer_no if buffer else line.no)
            buffer = []
        if tail:
            buffer_no = line.no
            buffer.append(tail)
    if buffer:
        close_cell(CELL_BREAK.join(buffer), buffer_no)
    flush_row()
    return out


# --- stacked cells: n items, n marks, n methods --------------------------------------

_STRONG_ROLES = ("lead", "category", "essential", "desirable", "ed", "method", "shortlist")


def unstack(lines: list[Line], classify: Classify, role_of: RoleOf, methods_of: MethodsOf) -> list[Line]:
    tokens: list[tuple[int, int, str]] = []  # (line index, cell index, text)
    for index, line in enumerate(lines):
        for cell_index, cell in enumerate(line.cells):
            if cell.strip():
                tokens.append((index, cell_index, cell.strip()))
    kinds = [classify(text)[0] for _, _, text in tokens]
    groups: list[tuple[int, int, int]] = []  # (first item token, k, methods given)
    at = 0
    while at < len(tokens):
        if kinds[at] != "ed":
            at += 1
            continue
        end = at
        while end < len(tokens) and kinds[end] == "ed":
            end += 1
        k = end - at
        marks_lines = {tokens[i][0] for i in range(at, end)}
        first = at - k
        if k < 2 or len(marks_lines) < k or first < 0:
            at = end
            continue
        items = range(first, at)
        if any(kinds[i] != "text" or role_of(tokens[i][2]) in _STRONG_ROLES for i in items):
            at = end
            continue
        given = 0
        while given < k and end + given < len(tokens) and methods_of(tokens[end + given][2]):
            given += 1
        if given not in (0, k):
            at = end
            continue
        groups.append((first, k, given))
        at = end + given
    if not groups:
        return lines
    rows_at: dict[int, list[list[str]]] = {}
    used: set[int] = set()
    for first, k, given in groups:
        rows = []
        for n in range(k):
            cells = [tokens[first + n][2], tokens[first + k + n][2]]
            if given:
                cells.append(tokens[first + 2 * k + n][2])
            rows.append(cells)
        rows_at[first] = rows
        used.update(range(first, first + 2 * k + given))
    out: list[Line] = []
    kept: list[str] = []
    kept_line = -1

    def flush() -> None:
        nonlocal kept
        if kept:
            out.append(lines[kept_line] if len(kept) == len(lines[kept_line].nonempty) else
                       _line(lines[kept_line].no, kept))
            kept = []

    for position, (index, _cell, text) in enumerate(tokens):
        if index != kept_line:
            flush()
            # blank lines between the last token's line and this one
            start = tokens[position - 1][0] + 1 if position else 0
            out.extend(line for line in lines[start:index] if line.blank)
            kept_line = index
        if position in rows_at:
            flush()
            out.extend(_line(lines[index].no, cells) for cells in rows_at[position])
        if position not in used:
            kept.append(text)
    flush()
    last = tokens[-1][0] + 1 if tokens else 0
    out.extend(lines[last:])
    return _join_headers(out, role_of)


def _join_headers(lines: list[Line], role_of: RoleOf) -> list[Line]:
    """A header row whose cells came one per line ("Requirement" / "Essential or
    desirable" / "How assessed") becomes one line again."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        run = index
        while (
            run < len(lines)
            and len(lines[run].nonempty) == 1
            and not lines[run].has_tab
            and role_of(lines[run].text) in ("lead", "essential", "desirable", "ed", "method", "shortlist")
        ):
            run += 1
        if run - index >= 2:
            out.append(_line(lines[index].no, [line.text for line in lines[index:run]]))
            index = run
        else:
            out.append(lines[index])
            index += 1
    return out


# --- a table flattened into one paragraph ------------------------------------------

_LABEL = re.compile(
    r"\b(ESSENTIAL(?:\s+CRITERIA)?|DESIRABLE(?:\s+CRITERIA)?|HOW\s+(?:IDENTIFIED|ASSESSED|TESTED|EVIDENCED)"
    r"|METHODS?\s+OF\s+ASSESSMENT|ASSESSED\s+BY|EVIDENCED\s+BY|IDENTIFIED\s+BY)\b\s*:?"
)
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'’&,/-]*$|^(?:AND|OF|&|/|-|–)$")


def _trailing_caps(text: str, methods_of: MethodsOf) -> tuple[str, str]:
    """Split "Application form / Certificates EXPERIENCE" into its text and the
    category in capitals at its end."""
    words = text.split()
    at = len(words)
    while at > 0 and _CAPS_WORD.match(words[at - 1]) and not methods_of(words[at - 1]):
        at -= 1
    while at < len(words) and words[at].upper() in ("AND", "OF", "&", "/", "-", "–"):
        at += 1
    return " ".join(words[:at]), " ".join(words[at:])


def _as_paragraphs(text: str) -> str:
    """Sentences of a flattened cell are its paragraphs: the table's line breaks are gone."""
    return CELL_BREAK.join(sentences(text))


def unflatten(lines: list[Line], methods_of: MethodsOf) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        if len(line.nonempty) != 1:
            out.append(line)
            continue
        text = line.text
        labels = list(_LABEL.finditer(text))
        kinds = [_label_kind(m.group(1)) for m in labels]
        if len(labels) < 3 or "method" not in kinds or not ({"essential", "desirable"} & set(kinds)):
            out.append(line)
            continue
        rows: list[dict[str, str]] = []
        lead, category = _trailing_caps(text[: labels[0].start()].strip(), methods_of)
        if lead:
            out.append(_line(line.no, [lead]))
        row: dict[str, str] = {"category": category}
        for n, (match, kind) in enumerate(zip(labels, kinds)):
            stop = labels[n + 1].start() if n + 1 < len(labels) else len(text)
            body = text[match.end(): stop].strip()
            if kind == "method":
                body, next_category = _trailing_caps(body, methods_of)
                row["method"] = body
                rows.append(row)
                row = {"category": next_category}
            else:
                row[kind] = body
        if len(row) > 1:
            rows.append(row)
        out.append(_line(line.no, ["Category", "Essential", "Desirable", "How assessed"]))
        for found in rows:
            out.append(_line(line.no, [
                found.get("category", ""),
                _as_paragraphs(found.get("essential", "")),
                _as_paragraphs(found.get("desirable", "")),
                found.get("method", ""),
            ]))
    return out


def _label_kind(label: str) -> str:
    word = label.split()[0]
    if word == "ESSENTIAL":
        return "essential"
    if word == "DESIRABLE":
        return "desirable"
    return "method"
