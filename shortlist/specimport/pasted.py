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
from . import lexicon as lx
from .lines import MAX_LINE_CHARS, Line, squash
from .pieces import flat_items

Classify = Callable[[str], tuple[str, object]]
RoleOf = Callable[[str], str | None]
MethodsOf = Callable[[str], object]

#: the kinds of cell (parser.classify_cell) that are a mark or a method, not text
_MARKS = ("ed", "s", "tick", "methods")


#: Line.origin of a row rebuilt here (already whole: the PDF row stitcher leaves it alone)
PASTED = "pasted"


def _line(no: int, cells: list[str], origin: str = PASTED) -> Line:
    return Line(no, "\t".join(c.replace(CELL_BREAK, " ") for c in cells), cells, origin=origin)


# --- " / " ------------------------------------------------------------------------

_SLASH = re.compile(r"\s+/\s+")
_NUMBER = re.compile(r"^\(?\d{1,2}[.)]?$|^\(?[a-z][.)]$")
#: a weighting or score cell ("4")
_FIGURE = re.compile(r"^\d{1,2}$")
_ROW_START = re.compile(r"^\(?\d{1,2}[.)]?\s+/(?:\s|$)")
#: a row must show its structure this often before " / " is read as a cell break
_SLASH_ROWS = 3
_HEADER_ROLES = ("lead", "category", "essential", "desirable", "ed", "method", "shortlist")


def _header_parts(parts: list[str], role_of: RoleOf) -> bool:
    """ "Criteria / E/D / How assessed", "Requirement / Weighting 1-5 / How we assess ..."."""
    roles = [role_of(part) if part else None for part in parts if part]
    return len(roles) >= 2 and all(r in _HEADER_ROLES or r == "ignore" for r in roles) and any(
        r in _HEADER_ROLES for r in roles) and roles.count("ignore") < len(roles) - 1


def _named_header(parts: list[str], role_of: RoleOf) -> bool:
    """ "General skills & experience required / Essential/Desirable / How is it assessed?": a
    header repeated per section, the section's name over the criteria column."""
    roles = [role_of(part) for part in parts[1:]]
    return (
        len(parts) >= 3 and len(parts[0]) <= 60 and not lx.ends_sentence(parts[0])
        and all(role in _HEADER_ROLES for role in roles)
        and any(role in ("essential", "desirable", "ed", "method") for role in roles)
    )


def _split_slash(text: str) -> list[str]:
    """ "1 / Degree / A" -> ["1", "Degree", "A"]; a row ending " /" ends with an empty cell."""
    text = text.strip()
    trailing = text.endswith(" /") or text == "/"
    leading = text.startswith("/ ")
    text = text.strip("/ ")
    parts = [p.strip() for p in _SLASH.split(text)] if text else []
    return ([""] if leading else []) + parts + ([""] if trailing else [])


def _slash_parts(parts: list[str], classify: Classify, codes: dict[str, str]) -> tuple[list[str], list[str]]:
    """The cells of a line joined by " / ", and what kind each is ("text", "methods", ...)."""
    kinds = []
    for index, part in enumerate(parts):
        if len(part) <= 3 and part.islower() and part.upper() in codes:
            parts[index] = part = part.upper()  # "i" for I, typed in a hurry
        kinds.append(classify(part)[0] if part else "empty")
    # text beside text is one cell that has a " / " of its own ("literacy / numeracy")
    cells: list[str] = []
    cell_kinds: list[str] = []
    for part, kind in zip(parts, kinds):
        if cells and kind == "text" and cell_kinds[-1] == "text" and not _NUMBER.match(cells[-1]) \
                and not _FIGURE.match(part):
            cells[-1] = f"{cells[-1]} / {part}"
        else:
            cells.append(part)
            cell_kinds.append(kind)
    return cells, cell_kinds


def _join_broken_rows(lines: list[Line]) -> list[Line]:
    """A row whose cells were pasted over several lines ("2 /", the criterion, "/ A.I")."""
    out: list[Line] = []
    open_row: Line | None = None
    for line in lines:
        if line.blank and open_row is not None:
            continue
        text = line.text.strip() if len(line.nonempty) == 1 else ""
        if open_row is not None and text and (text.startswith("/") or not _ROW_START.match(text)) and (
            open_row.text.rstrip().endswith("/") or text.startswith("/")
        ):
            joined = f"{open_row.text.rstrip()} {text}"
            open_row = Line(open_row.no, joined, [joined])
            continue
        if open_row is not None:
            out.append(open_row)
            open_row = None
        if text and (text.endswith(" /") or _ROW_START.match(text)):
            open_row = line
            continue
        out.append(line)
    if open_row is not None:
        out.append(open_row)
    return out


def _join_next_cells(lines: list[Line]) -> list[Line]:
    """A two-column table pasted a cell a line: "• Qualified Teacher Status", then
    "/ Application Form" (the row's next cell, after the " / " a table's cells are
    joined with)."""
    out: list[Line] = []
    for line in lines:
        text = line.text.strip() if len(line.nonempty) == 1 and not line.has_tab else ""
        if text.startswith("/ ") and len(text) > 2:
            back = len(out) - 1
            while back >= 0 and out[back].blank and back >= len(out) - 2:
                back -= 1
            before = out[back] if back >= 0 else None
            if before is not None and not before.blank and len(before.nonempty) == 1 and not before.has_tab \
                    and not before.text.rstrip().endswith("/"):
                joined = f"{before.text.strip()} {text}"
                del out[back:]
                out.append(Line(before.no, joined, [joined]))
                continue
        out.append(line)
    return out


def slash_cells(lines: list[Line], classify: Classify, codes: dict[str, str], role_of: RoleOf) -> list[Line]:
    if sum(1 for line in lines if line.text.startswith("/ ") and len(line.nonempty) == 1) >= _SLASH_ROWS:
        lines = _join_next_cells(lines)
    joined = _join_broken_rows(lines) if any(_ROW_START.match(line.text) for line in lines if line.text) else lines
    rows: dict[int, list[str]] = {}
    loose: dict[int, list[str]] = {}  # cells of lines that are rows only in a document of rows
    structure = 0
    for index, line in enumerate(joined):
        if len(line.nonempty) != 1 or "/" not in line.text:
            continue
        parts = _split_slash(line.text)
        if len(parts) < 2:
            continue
        if _header_parts(parts, role_of) or _named_header(parts, role_of):
            while parts and not parts[-1]:
                parts.pop()  # "... / How we assess /": the row's last " /" ends no cell
            rows[index] = parts  # a header row: "SECTION / CRITERIA", "Criteria / E/D / How assessed"
            structure += _SLASH_ROWS
            continue
        cells, kinds = _slash_parts(parts, classify, codes)
        if len(cells) >= 3 and any(kind in _MARKS for kind in kinds[1:]):
            rows[index] = cells
            structure += 1
        elif len(cells) == 2 and kinds[0] == "text" and kinds[1] == "methods":
            rows[index] = cells  # "• Qualified Teacher Status / Application Form"
            structure += 1
        elif _NUMBER.match(parts[0]) or lx.heading_text(parts[0]) is not None:
            # "2 / Ability to ... / A.I", "Skills, Knowledge & Experience / · Ability to ...": a row
            # when the document's other rows say so
            rest, _kinds = _slash_parts(parts[1:], classify, codes)
            loose[index] = [parts[0], *rest]
    if structure < _SLASH_ROWS:
        return lines
    rows.update(loose)
    return [_line(line.no, rows[index]) if index in rows else line for index, line in enumerate(joined)]


# --- " / " cells of several lines beside columns about the criteria -----------------


def _caps_line(text: str) -> bool:
    return len(text) <= 60 and text.upper() == text and any(ch.isalpha() for ch in text) and " / " not in text


def _split_aside(text: str) -> list[str]:
    """ " / " cells, except a " / " between words in lower case ("personal / pupil / colleague
    information"): a cell's own."""
    parts = _split_slash(text)
    out: list[str] = []
    for part in parts:
        if out and part[:1].islower() and out[-1][-1:].islower():
            out[-1] = f"{out[-1]} / {part}"
        else:
            out.append(part)
    return out


def _aside_row(row: list[tuple[int, str]], width: int) -> Line:
    """A row's lines (number, text) as one line of ``width`` cells."""
    parts = _split_aside("\n".join(text for _no, text in row))
    cells = [CELL_BREAK.join(x.strip() for x in part.split("\n") if x.strip()) for part in parts]
    cells = (cells + [""] * width)[:width] if len(cells) <= width else cells
    return _line(row[0][0], cells)


def _next_text(lines: list[Line], at: int) -> str | None:
    """The next line's text at or after ``at``, past blank lines (not past page debris)."""
    while at < len(lines) and lines[at].blank and not lines[at].debris:
        at += 1
    return None if at >= len(lines) else (lines[at].text or lines[at].raw).strip()


def slash_aside_table(lines: list[Line], header_of: Callable[[list[str]], object | None],
                      is_aside: Callable[[str], bool]) -> list[Line]:
    """A Word table pasted with " / " between cells whose header names the criteria and
    columns about them ("SKILLS/ ABILITY/ EXPERIENCE / TO DO WHAT? / HOW WELL? NOW OR WITH
    TRAINING? / HOW IMPORTANT ...?"), each cell holding several items one a line: a row's
    lines, joined, split at " / " into as many cells as the header has, the last cell as
    long as the first. Section names in capitals between the rows pass through."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        found = None
        for span in (2, 1):
            chunk = lines[index:index + span]
            if len(chunk) < span or any(len(line.nonempty) != 1 or line.has_tab for line in chunk):
                continue
            if span == 2 and not all(is_aside(p) for p in _split_slash(chunk[1].text) if p):
                continue  # the header's second line carries on its columns about the criteria
            parts = [p for p in _split_slash("\n".join(line.text for line in chunk)) if p]
            cells = [squash(p.replace("\n", " ")) for p in parts]
            if len(cells) >= 3 and sum(1 for c in cells if is_aside(c)) >= 2 and header_of(cells) is not None:
                found = (span, cells)
                break
        if found is None:
            out.append(lines[index])
            index += 1
            continue
        span, header = found
        width = len(header)
        out.append(_line(lines[index].no, header))
        index += span
        row: list[tuple[int, str]] = []

        while index < len(lines):
            line = lines[index]
            text = (line.raw if line.debris else line.text).strip()
            if line.has_tab or len(line.nonempty) > 1 or not text:
                if row:
                    out.append(_aside_row(row, width))
                    row = []
                following = _next_text(lines, index + 1)
                if following is None or line.has_tab or len(line.nonempty) > 1 or not _caps_line(following):
                    break  # the table ends (a blank line not followed by another section)
                index += 1
                continue
            if not row and _caps_line(text):
                out.append(line)  # a section's name
                index += 1
                continue
            row.append((line.no, text))
            index += 1
            parts = _split_aside("\n".join(t for _no, t in row))
            nxt = _next_text(lines, index)
            if len(parts) >= width:
                first = len([x for x in parts[0].split("\n") if x.strip()])
                last = len([x for x in parts[-1].split("\n") if x.strip()])
                if last >= first or nxt is None or " / " in nxt or _caps_line(nxt):
                    out.append(_aside_row(row, width))
                    row = []
            elif len(parts) == 1 and (nxt is None or _caps_line(nxt)):
                out.append(_aside_row(row, width))  # a row of one cell ("Limited", "N/A") before the next section
                row = []
        if row:
            out.append(_aside_row(row, width))
    return out


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


def _unbulleted(text: str) -> str:
    inner, bullet = lx.strip_bullet(text)
    return inner if bullet and len(inner) <= 40 else text


def unstack(lines: list[Line], classify: Classify, role_of: RoleOf, methods_of: MethodsOf) -> list[Line]:
    tokens: list[tuple[int, int, str]] = []  # (line index, cell index, text)
    for index, line in enumerate(lines):
        for cell_index, cell in enumerate(line.cells):
            if cell.strip():
                tokens.append((index, cell_index, cell.strip()))
    # "- D", "- Interview": a mark or a method listed with a dash is still a mark or a method
    bare = [_unbulleted(text) for _, _, text in tokens]
    kinds = [classify(text)[0] for text in bare]
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
        while given < k and end + given < len(tokens) and methods_of(bare[end + given]):
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
            cells = [lx.strip_bullet(tokens[first + n][2])[0], bare[first + k + n]]
            if given:
                method = bare[first + 2 * k + n]
                found = methods_of(method)
                # a method named in one word ("Interview") reads as one beside its criterion
                cells.append(", ".join(sorted(found)) if isinstance(found, set) and " " not in method.strip()
                             else method)
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
#
# Two ways a table reaches a paragraph:
#
# * its cells named in capitals before each one ("EXPERIENCE ESSENTIAL Recent relevant
#   cleaning experience KEY SKILLS & ABILITIES DESIRABLE To be a good team worker ... HOW
#   IDENTIFIED Application form");
# * its header once, then its cells one after another ("Factor Essential Criteria Method of
#   Assessment Qualifications EA Youth Service ... Shortlisting by Application Form Experience
#   A minimum of ..."), or a header per section ("Personal Qualities Essential Desirable Method
#   of assessment Ability to ... ⭐ ⭐ Interview References").
#
# Rows are rebuilt as table lines marked FLATTENED: every criterion read from them carries a
# doubt, because where one cell ends and the next begins is the importer's guess.

FLATTENED = "flattened"
#: shorter than this, a line is a heading or a criterion, not a flattened table
_FLAT_MIN = 120

_LABEL = re.compile(
    r"\b(ESSENTIAL(?:\s+CRITERIA)?|DESIRABLE(?:\s+CRITERIA)?|HOW\s+(?:IDENTIFIED|ASSESSED|TESTED|EVIDENCED)"
    r"|METHODS?\s+OF\s+ASSESSMENT|ASSESSED\s+BY|EVIDENCED\s+BY|IDENTIFIED\s+BY)\b\s*:?"
)
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'’&,/-]*$|^(?:AND|OF|&|/|-|–)$")
_SMALL = ("AND", "OF", "&", "/", "-", "–")
_WORDS = re.compile(r"\S+")
#: ticks gathered after the criteria once their columns were lost
_TICK = re.compile(r"^(?:⭐|✓|✔|☑|√|\u2713|\u2714|\uf0fc)+$")


def _trailing_caps(text: str, methods_of: MethodsOf) -> tuple[str, str]:
    """Split "Application form / Certificates EXPERIENCE" into its text and the category in
    capitals at its end (a run of capitals naming a category, not an acronym like "HCPC")."""
    words = text.split()
    at = len(words)
    while at > 0 and _CAPS_WORD.match(words[at - 1]) and not methods_of(words[at - 1]):
        at -= 1
    while at < len(words) and words[at].upper() in _SMALL:
        at += 1
    caps = words[at:]
    if not any(w.lower().strip(",&/") in lx.CATEGORY_VOCAB for w in caps):
        return text.strip(), ""
    return " ".join(words[:at]), " ".join(caps)


def _as_paragraphs(text: str) -> str:
    """A flattened cell's criteria, one per paragraph: the table's line breaks are gone, so
    sentences and capitals that follow a lower-case word without punctuation mark them."""
    return CELL_BREAK.join(flat_items(text))


def _label_kind(label: str) -> str:
    word = label.split()[0]
    if word == "ESSENTIAL":
        return "essential"
    if word == "DESIRABLE":
        return "desirable"
    return "method"


def _labelled(line: Line, methods_of: MethodsOf) -> list[Line] | None:
    """Cells named in capitals: "QUALIFICATIONS ESSENTIAL ... DESIRABLE ... HOW IDENTIFIED ..."."""
    text = line.text
    labels = list(_LABEL.finditer(text))
    kinds = [_label_kind(m.group(1)) for m in labels]
    marks = sum(1 for k in kinds if k != "method")
    if not marks or (marks < 2 and "method" not in kinds) or len(labels) < 2:
        return None
    rows: list[dict[str, str]] = []
    _lead, category = _trailing_caps(text[: labels[0].start()], methods_of)
    words = category.split()
    while len(words) > 1 and words[0].lower() in lx.HEADER_WORDS:
        words = words[1:]  # "REQUIREMENTS RELEVANT EXPERIENCE": the first column's header, then the category
    category = " ".join(words)
    row: dict[str, str] = {"category": category}
    for n, (match, kind) in enumerate(zip(labels, kinds)):
        stop = labels[n + 1].start() if n + 1 < len(labels) else len(text)
        body = text[match.end(): stop].strip()
        next_kind = kinds[n + 1] if n + 1 < len(labels) else None
        body, next_category = _trailing_caps(body, methods_of) if next_kind != "method" else (body, "")
        row["method" if kind == "method" else kind] = body
        if next_category or kind == "method":
            rows.append(row)
            row = {"category": next_category}
    if len(row) > 1:
        rows.append(row)
    rest = ""
    if rows and rows[-1].get("method"):
        # the last method cell runs on to the paragraph's end: the rows after the labelled
        # first one came without labels ("... References QUALIFICATIONS DipSW ...")
        rows[-1]["method"], rest = _leading_methods(rows[-1]["method"], methods_of)
    rows.extend(_unlabelled_rows(rest, rows[-1].get("category", "") if rows else "", methods_of))
    out = [_line(line.no, ["Category", "Essential", "Desirable", "How assessed"])]
    for found in rows:
        out.append(_line(line.no, [
            found.get("category", ""),
            _as_paragraphs(found.get("essential", "")),
            _as_paragraphs(found.get("desirable", "")),
            found.get("method", ""),
        ], FLATTENED))
    return out


def _leading_methods(text: str, methods_of: MethodsOf) -> tuple[str, str]:
    """ "Application form/ Interview/ References Experience of ..." -> the methods it opens
    with, and the rest."""
    words = text.split()
    end = 0
    seen: set[str] = set()
    for start, stop in _method_runs(words, methods_of):
        found = set(methods_of(" ".join(words[start:stop])) or ())
        if start != end or found & seen:
            break  # a method named again opens the next cell's methods
        seen |= found
        end = stop
    # within one run, a method named a second time opens the next cell's methods
    # ("Application form/ Interview/ References Application form/ Certificates")
    named: set[str] = set()
    for index, word in enumerate(words[:end]):
        code = set(methods_of(word.strip("/,;")) or ()) if lx.method_word(word) else set()
        if code & named or _caps_run(words, index) > index:
            # (or a category named in capitals: "... Interview QUALIFICATIONS NVQ ...")
            end = index
            break
        named |= code
    return " ".join(words[:end]), " ".join(words[end:])


def _caps_run(words: list[str], at: int) -> int:
    """The end of a category named in capitals at ``at`` ("INTERPERSONAL/ COMMUNICATION
    SKILLS"), or ``at`` when none starts there."""
    end = at
    vocab = False
    while end < len(words) and _CAPS_WORD.match(words[end]) and len(words[end].strip("/&,-–")) != 1:
        known = words[end].lower().strip(",&/") in lx.CATEGORY_VOCAB or words[end] in _SMALL
        if vocab and not known:
            break  # "QUALIFICATIONS NVQ Level 3": the criterion opens with an acronym
        vocab = vocab or known
        end += 1
    if end > at and any(w.lower().strip(",&/") in lx.CATEGORY_VOCAB for w in words[at:end]) and (
        end == len(words) or not words[end][:1].islower()  # "IT skills": an acronym in a sentence
    ):
        return end
    return at


def _unlabelled_rows(text: str, category: str, methods_of: MethodsOf) -> list[dict[str, str]]:
    """Rows of a flattened table after its labelled first row: categories in capitals, the
    criteria in sentences, each run of methods closing the criteria before it."""
    words = text.split()
    if not words:
        return []
    runs = dict(_method_runs(words, methods_of))
    rows: list[dict[str, str]] = []
    buffer: list[str] = []

    def close(methods: str = "") -> None:
        if buffer:
            rows.append({"category": category, "essential": " ".join(buffer), "method": methods})
            buffer.clear()

    at = 0
    while at < len(words):
        caps = _caps_run(words, at)
        if caps > at:
            close()
            category = " ".join(words[at:caps])
            at = caps
            continue
        if at in runs:
            end = runs[at]
            while end in runs:
                end = runs[end]  # "Application form/" "Interview/" "References": one run
            end = next((i for i in range(at + 1, end) if _caps_run(words, i) > i), end)  # "... SKILLS"
            close(" ".join(words[at:end]))
            at = end
            continue
        buffer.append(words[at])
        at += 1
    close()
    return rows


def _method_runs(words: list[str], methods_of: MethodsOf) -> list[tuple[int, int]]:
    """Runs of words that name methods ("Shortlisting by Application Form", "Interview
    Assessment exercise References"): (start, end) word indexes."""
    runs: list[tuple[int, int]] = []
    at = 0
    while at < len(words):
        word = words[at]
        if not word[:1].isupper() or not lx.method_word(word):
            at += 1
            continue
        if (
            word.lower().strip(",.;:") in lx.CATEGORY_VOCAB
            and not (at + 1 < len(words) and (lx.method_word(words[at + 1]) or lx.method_filler(words[at + 1])))
        ):
            at += 1  # "Qualifications" alone, in a row's name, is no method
            continue
        end = at
        while end < len(words) and (lx.method_word(words[end]) or lx.method_filler(words[end])):
            end += 1
        while end > at and not lx.method_word(words[end - 1]) and words[end - 1].lower() in lx.JOINERS:
            end -= 1  # "... Interview and": the "and" belongs to what follows
        if methods_of(" ".join(words[at:end])):
            runs.append((at, end))
            at = end
        else:
            at += 1
    return runs


def _header_runs(words: list[str], role_of: RoleOf) -> list[tuple[int, int, list[str]]]:
    """Where a table's header stands in a paragraph: (start, end, roles), at least a criteria
    or Essential column and a method column, each named by up to four words."""
    found: list[tuple[int, int, list[str]]] = []
    at = 0
    while at < len(words):
        roles: list[str] = []
        end = at
        while end < len(words):
            for size in (4, 3, 2, 1):
                phrase = " ".join(words[end: end + size])
                role = role_of(phrase) if end + size <= len(words) else None
                if role in _HEADER_ROLES and words[end][:1].isupper():
                    roles.append(role)
                    end += size
                    break
            else:
                break
        if len(roles) >= 3 and "method" in roles and ({"lead", "essential", "ed"} & set(roles)):
            if roles[0] == "lead" and at > 0 and lx.strong_heading(f"{words[at - 1]} {words[at]}"):
                # "Personal Qualities Essential ...": "Qualities" names the section, not the column
                at += 1
                roles = roles[1:]
            found.append((at, end, roles))
            at = end
        else:
            at += 1
    return found


def _named_before(words: list[str], start: int, floor: int) -> int:
    """Where a section's name ("Personal Qualities", "Skills and Experience") begins just
    before its header."""
    best = start
    for size in range(1, 6):
        at = start - size
        if at < floor:
            break
        if lx.strong_heading(" ".join(words[at:start])):
            best = at
    return best


def _header_once(line: Line, role_of: RoleOf, methods_of: MethodsOf) -> list[Line] | None:
    """A header once (or once a section), then the cells run on."""
    words = _WORDS.findall(line.text)
    headers = _header_runs(words, role_of)
    if not headers:
        return None
    out: list[Line] = []
    starts = [_named_before(words, start, headers[n - 1][1] if n else 0) for n, (start, _e, _r) in enumerate(headers)]
    for n, (start, end, roles) in enumerate(headers):
        name = " ".join(words[starts[n]:start])
        stop = starts[n + 1] if n + 1 < len(headers) else len(words)
        body = words[end:stop]
        runs = _method_runs(body, methods_of)
        if "category" in roles and len(runs) >= 1:
            # one row a method: "Qualifications <criterion> Shortlisting by Application Form"
            out.append(_line(line.no, ["Category", "Criteria", "How assessed"]))
            previous = 0
            for run_start, run_end in runs:
                row = body[previous:run_start]
                category_end = next((k for k in range(min(len(row) - 1, 5), 0, -1)
                                     if lx.strong_heading(" ".join(row[:k]))), 0)
                if category_end and row[category_end].startswith("("):
                    # "Experience/Training (including research if appropriate)": the name's note
                    close = next((k for k in range(category_end, min(len(row) - 1, category_end + 8))
                                  if row[k].endswith(")")), None)
                    if close is not None:
                        category_end = close + 1
                out.append(_line(line.no, [" ".join(row[:category_end]), _as_paragraphs(" ".join(row[category_end:])),
                                           " ".join(body[run_start:run_end])], FLATTENED))
                previous = run_end
            continue
        # a section: its criteria (ticks between them), its methods before or after them
        methods = [" ".join(body[a:b]) for a, b in runs if a == 0 or b == len(body) or _only_ticks(body[b:])]
        keep = [w for k, w in enumerate(body) if not any(a <= k < b for a, b in runs
                                                          if " ".join(body[a:b]) in methods)]
        items: list[str] = []
        current: list[str] = []
        for word in keep:
            if _TICK.match(word):
                if current:
                    items.append(" ".join(current))
                    current = []
                continue
            current.append(word)
        if current:
            items.append(" ".join(current))
        out.append(_line(line.no, [name or "Criteria"]))
        out.append(_line(line.no, ["Criteria", "How assessed"]))
        for item in items:
            for piece in flat_items(item):
                out.append(_line(line.no, [piece, " / ".join(methods)], FLATTENED))
    return out


def _only_ticks(words: list[str]) -> bool:
    return all(_TICK.match(w) for w in words)


def unflatten(lines: list[Line], role_of: RoleOf, methods_of: MethodsOf) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        rebuilt = None
        if len(line.nonempty) == 1 and _FLAT_MIN <= len(line.text) <= MAX_LINE_CHARS:
            rebuilt = _labelled(line, methods_of) or _header_once(line, role_of, methods_of)
        out.extend(rebuilt if rebuilt else [line])
    return out


# --- several criteria in one cell, their marks and methods stacked beside them ---------
#
# A Word or PDF table cell holding several criteria, one paragraph each, with the
# next cells holding their marks ("D", "E", "E") and methods ("A, R", "C", ...) one
# paragraph each in the same order; or the same table pasted as text, its cells joined by
# " / " and each cell's paragraphs on lines of their own. Each item becomes a row.

_STACK_KINDS = ("ed", "s", "tick", "methods")


def _pieces(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(CELL_BREAK) if p.strip()]


def _stacked_column(pieces: list[str], classify: Classify, methods_of: MethodsOf) -> bool:
    return len(pieces) >= 2 and all(
        classify(p)[0] in _STACK_KINDS or methods_of(p) for p in pieces
    )


def _item_pieces(pieces: list[str], count: int) -> list[str] | None:
    """The cell's criteria, ``count`` of them: one a paragraph, or one a bullet with its
    wrapped lines."""
    if len(pieces) == count:
        return pieces
    grouped: list[str] = []
    for piece in pieces:
        if lx.strip_bullet(piece)[1] or not grouped:
            grouped.append(piece)
        else:
            grouped[-1] = f"{grouped[-1]} {piece}"
    return grouped if len(grouped) == count else None


def _split_stacked(line: Line, classify: Classify, methods_of: MethodsOf) -> list[Line] | None:
    columns = [_pieces(cell) for cell in line.cells]
    stacked = [i for i, pieces in enumerate(columns) if _stacked_column(pieces, classify, methods_of)]
    if not stacked:
        return None
    count = len(columns[stacked[0]])
    if any(len(columns[i]) != count for i in stacked):
        return None
    texts = [i for i, pieces in enumerate(columns)
             if i not in stacked and i < stacked[0] and len(pieces) >= 2]
    if len(texts) != 1:
        return None
    items = _item_pieces(columns[texts[0]], count)
    if items is None:
        return None
    out = []
    for n in range(count):
        cells = []
        for i, cell in enumerate(line.cells):
            if i in stacked:
                cells.append(columns[i][n])
            elif i == texts[0]:
                cells.append(items[n])
            else:
                cells.append(cell if n == 0 else "")
        out.append(_line(line.no, cells, origin=line.origin or PASTED))
    return out


def unstack_cells(lines: list[Line], classify: Classify, methods_of: MethodsOf) -> list[Line]:
    """Rows whose cells stack several criteria, their marks and methods become a row each."""
    out: list[Line] = []
    for line in lines:
        split = _split_stacked(line, classify, methods_of) if len(line.nonempty) >= 2 and any(
            CELL_BREAK in cell for cell in line.cells) else None
        out.extend(split or [line])
    return out


def slash_rows_over_lines(lines: list[Line], role_of: RoleOf) -> list[Line]:
    """A table pasted with " / " between cells whose cells run over several lines (each of
    a cell's paragraphs on a line of its own): under a " / " header naming its k columns,
    a line without " / " carries on the cell before it, and a line with one starts the
    next cell, or the next row once the row has its k cells."""
    out: list[Line] = []
    width = 0
    row: list[list[str]] | None = None
    row_no = 0
    multi = False
    rebuilt: list[Line] = []

    def close() -> None:
        nonlocal row
        if row is not None:
            rebuilt.append(_line(row_no, [CELL_BREAK.join(p for p in cell if p) for cell in row]))
            row = None

    for line in lines:
        text = line.text.strip() if len(line.nonempty) == 1 and not line.has_tab else ""
        parts = _split_slash(text) if text and "/" in text else []
        if len(parts) >= 3 and _header_parts(parts, role_of):
            close()
            out.extend(rebuilt)
            rebuilt = []
            width = len([p for p in parts if p])
            out.append(line)
            continue
        if not width or line.blank or not text:
            close()
            out.extend(rebuilt)
            rebuilt = []
            if line.blank and width:
                continue
            width = 0 if not line.blank else width
            out.append(line)
            continue
        separated = len(parts) >= 2
        if row is None:
            if not separated:
                if not text.endswith(":"):
                    width = 0  # the table has ended (a group's heading, "Knowledge:", has not)
                out.append(line)
                continue
            row, row_no = [[p] for p in parts], line.no
            continue
        if not separated:
            most = max(len(c) for c in row[:-1]) if len(row) > 1 else 1
            ended = len(row[-1]) >= most if most > 1 else not lx.strip_bullet(text)[1]
            if len(row) >= width and ended:
                close()
                out.extend(rebuilt)
                rebuilt = []
                width = 0
                out.append(line)
                continue
            row[-1].append(text)
            multi = True
            continue
        if len(row) >= width:
            close()
            row, row_no = [[p] for p in parts], line.no
            continue
        row[-1].append(parts[0])
        row.extend([p] for p in parts[1:])
        multi = True
    close()
    out.extend(rebuilt)
    return out if multi else lines


# --- a category row spanning the table -----------------------------------------------

#: Line.origin of a row of one cell between a table's rows: the category of the rows below
SPANNING = "spanning"


def spanning_rows(lines: list[Line], classify: Classify) -> list[Line]:
    """A row of one cell merged across the table ("(i) Professional experience") between its
    header or rows and more rows is the category of the rows below it, not a criterion."""
    out = list(lines)
    for index in range(1, len(lines) - 1):
        line, before, after = lines[index], lines[index - 1], lines[index + 1]
        if len(line.nonempty) != 1 or line.has_tab or CELL_BREAK in line.text:
            continue
        if index >= 2 and len(before.nonempty) == 1 and classify(before.text)[0] == "methods":
            before = lines[index - 2]  # the header's methods cell, its list pasted on a line of its own
        if len(before.nonempty) < 2 or len(after.nonempty) < 2:
            continue
        text = line.text.strip()
        name, numbered = lx.strip_bullet(text)
        if lx.BULLET.match(text) and not numbered:
            continue
        if numbered and not re.match(r"^\(?(?:\d{1,2}|[ivx]{1,4}|[a-h])[.)]\s", text):
            continue  # a bullet: an item
        if len(name) > 160 or lx.ends_sentence(name) or classify(name)[0] != "text":
            continue
        if lx.ends_with_joiner(name) or lx.first_letter_case(name) != "upper":
            continue  # a wrapped line of the row above
        if not numbered and lx.heading_text(name) is None:
            continue  # only a numbered row or one that reads as a heading names a category
        out[index] = Line(line.no, name, [name], origin=SPANNING)
    return out


# --- rows flattened to one line each -------------------------------------------------

#: "Experience of working with volunteers E Application form/Interview": a row whose cells
#: lost their breaks, its mark and methods at the end
_FLAT_ROW = re.compile(r"^(?P<text>.*?\S)\s+(?P<mark>[ED])\s+(?P<methods>[A-Za-z][A-Za-z ,/&+.-]{1,80})$")
#: "At least 2 years' ...", "A minimum of ...", "3 years' ...": an amount opens a criterion
_AMOUNT = re.compile(r"^(?:at\s+least|a\s+minimum|minimum|\d+\+?\s+(?:years?|months?))\b", re.I)
#: a document shows this many such rows before its lines are read as rows
_FLAT_ROWS = 3


def _category_in_front(text: str) -> tuple[str, str] | None:
    """ "Work experience At least 2 years' ...": the row's category, written in front of its
    first criterion when the category cell lost its break."""
    words = text.split()
    for count in (1, 2, 3):
        if len(words) <= count + 2:
            break
        name, rest = " ".join(words[:count]), " ".join(words[count:])
        if lx.first_letter_case(rest) != "upper" or lx.first_letter_case(words[count - 1]) == "upper" and count > 1 \
                and words[count - 1].isupper():
            continue
        if lx.heading_text(name) is not None and (lx.opens_like_criterion(rest) or _AMOUNT.match(rest)):
            return name, rest
    return None


def flat_rows(lines: list[Line], methods_of: MethodsOf) -> list[Line]:
    found: dict[int, list[str]] = {}
    for index, line in enumerate(lines):
        if len(line.nonempty) != 1 or line.has_tab:
            continue
        match = _FLAT_ROW.match(line.text.strip())
        if not match or not methods_of(match.group("methods")):
            continue
        text = match.group("text")
        cells = [text, match.group("mark"), match.group("methods")]
        front = _category_in_front(text)
        if front is not None:
            cells = [front[0], front[1], *cells[1:]]
        found[index] = cells
    if len(found) < _FLAT_ROWS:
        return lines
    return [_line(line.no, found[index]) if index in found else line for index, line in enumerate(lines)]


# --- a numbered weighting legend ------------------------------------------------------

#: "1. are desirable, but not necessary", "5. we expect to be immediately available ...": what a
#: weighting column's figures mean, numbered like a list of criteria
_WEIGHT_LINE = re.compile(r"^\(?[1-9][.)]?\s+(?:are|is|we|these|those|it)\b", re.I)
_WEIGHT_WORDS = re.compile(r"\b(?:essential|desirable)\b", re.I)


def weighting_legend(lines: list[Line]) -> list[Line]:
    """Drops a numbered legend of weights (two or more lines saying which figures are
    essential and which desirable), so its lines are not read as criteria."""
    runs: list[list[int]] = []
    for index, line in enumerate(lines):
        if line.blank:
            continue
        if len(line.nonempty) == 1 and _WEIGHT_LINE.match(line.text.strip()):
            if runs and runs[-1] and all(lines[j].blank for j in range(runs[-1][-1] + 1, index)):
                runs[-1].append(index)
            else:
                runs.append([index])
        else:
            runs.append([])
    drop: set[int] = set()
    for run in runs:
        if len(run) >= 2 and sum(1 for i in run if _WEIGHT_WORDS.search(lines[i].text)) >= 2:
            drop.update(run)
    if not drop:
        return lines
    return [Line(line.no, "", [""]) if index in drop else line for index, line in enumerate(lines)]


# --- a web table whose rows open with "| " and whose cells end " |" -------------------
#
# "| FACTORS |" / "ESSENTIAL |" / "DESIRABLE |" / "HOW IDENTIFIED |", then "| Experience |" /
# "Experience of ... |" ...: each row opens with "| ", each cell ends with " |" (over as many
# lines as its text takes), an empty cell is a "|" of its own. A row spanned from the row above
# (the factor merged down the table) has fewer cells: the missing ones are its first. Also the
# same table with every "|" on a line of its own and the cells padded by blank lines.

_ROWS_OPENED = 3


def _lone_bars_to_ends(lines: list[Line]) -> list[Line]:
    """Every "|" on a line of its own: a "|" after text closes that text's cell ("text |");
    a "|" after a blank line (or at the start) opens a row ("| " before the next text)."""
    out: list[Line] = []
    opening = False
    previous_blank = True
    for line in lines:
        raw = line.raw.strip()
        if raw == "|":
            if previous_blank or not out or out[-1].blank:
                opening = True
            else:
                text = out[-1].raw.strip() + " |"
                out[-1] = Line(out[-1].no, text, [text])
            previous_blank = False
            continue
        if line.blank:
            previous_blank = True
            out.append(line)
            continue
        previous_blank = False
        if opening:
            text = "| " + raw
            out.append(Line(line.no, text, [text]))
            opening = False
        else:
            out.append(line)
    return [line for line in out if not line.blank]


def _bars(raw: str) -> tuple[bool, bool, int]:
    text = raw.strip()
    return text.startswith("|"), text.endswith("|") and len(text) > 1, text.count("|")


def bar_rows(lines: list[Line]) -> list[Line]:
    """A web table pasted as "| a | b | c |" rows (read as cells already), where some rows
    lost their opening bar ("Experience | ... | Interview |"), a row broke over two lines
    ("| Knowledge | ... of:" / "| Shortlisting by Application Form |"), a heading across the
    table is "| SECTION 2 - ESSENTIAL CRITERIA |" and an empty row a lone "|"."""
    whole = sum(1 for line in lines if _bars(line.raw) == (True, True, line.raw.strip().count("|"))
                and line.raw.strip().count("|") >= 3 and line.has_tab)
    if whole < 2:
        return lines
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        raw = line.raw.strip()
        opens, ends, count = _bars(raw)
        if line.has_tab or line.blank or "|" not in raw:
            out.append(line)
            index += 1
            continue
        if raw == "|":
            out.append(Line(line.no, "", [""]))
            index += 1
            continue
        if opens and not ends and count >= 2 and index + 1 < len(lines):
            following = lines[index + 1].raw.strip()
            if following.endswith("|") and not lines[index + 1].blank:
                # a row broken over two lines: its next cell opens the next line
                raw = f"{raw} {following if following.startswith('|') else '| ' + following}"
                index += 1
                opens, ends, count = _bars(raw)
        if ends and not opens and count >= 2:
            raw = "| " + raw  # the row lost its opening bar
            opens, count = True, count + 1
        if opens and ends and count >= 2:
            cells = [squash(c) for c in raw[1:-1].split("|")]
            if len(cells) == 1:
                out.append(Line(line.no, cells[0], cells))
            else:
                out.append(Line(line.no, "\t".join(cells), cells))
        else:
            out.append(line)
        index += 1
    return out


def pipe_rows(lines: list[Line], role_of: RoleOf, methods_of: MethodsOf) -> list[Line]:
    lone = sum(1 for line in lines if line.raw.strip() == "|")
    if lone >= 2 * _ROWS_OPENED and lone >= sum(1 for line in lines if "|" in line.raw) * 0.8:
        lines = _lone_bars_to_ends(lines)
    opened = sum(1 for line in lines if line.raw.lstrip().startswith("| ") and line.raw.rstrip().endswith("|")
                 and line.raw.strip().count("|") == 2)
    if opened < _ROWS_OPENED:
        return lines
    rows: list[tuple[int, list[str]]] = []
    row: list[str] | None = None
    cell: list[str] = []
    width = 0
    out: list[Line] = []
    first = None

    def close_row() -> None:
        nonlocal row
        if row is not None:
            rows.append((row_no, row))
            row = None

    row_no = 0
    for index, line in enumerate(lines):
        raw = line.raw.strip()
        if line.blank:
            continue
        opens = raw.startswith("|")
        ends = raw.endswith("|") and (len(raw) > 1 or not opens)
        inner = raw[1:] if opens else raw
        inner = inner[:-1] if ends and inner.endswith("|") else inner
        inner = squash(inner)
        if raw == "|":
            # an empty cell, or a row opening with an empty cell once this row has its methods
            complete = row is not None and row and methods_of(row[-1].replace(CELL_BREAK, " "))
            if row is None or complete:
                close_row()
                row, row_no = [], line.no
                if first is None:
                    first = index
                cell = []
                continue
            row.append("")
            continue
        if opens:
            close_row()
            row, row_no = [], line.no
            if first is None:
                first = index
            cell = []
        if row is None:
            if first is None:
                out.append(line)
                continue
            row, row_no = [], line.no
        cell.append(inner)
        if ends:
            row.append(CELL_BREAK.join(p for p in cell if p))
            cell = []
    if cell and row is not None:
        row.append(CELL_BREAK.join(p for p in cell if p))
    close_row()
    if len(rows) < _ROWS_OPENED:
        return lines
    header = [squash(c) for c in rows[0][1]]
    if sum(1 for c in header if role_of(c) in _HEADER_ROLES) < 2:
        return lines
    width = len(header)
    rebuilt = [_line(rows[0][0], header)]
    for no, cells in rows[1:]:
        if len(cells) == 1 and width > 1:
            rebuilt.append(_line(no, [cells[0].replace(CELL_BREAK, " ")], origin=SPANNING))
            continue
        if len(cells) < width:
            cells = [""] * (width - len(cells)) + cells  # the first cells spanned from above
        rebuilt.append(_line(no, [_joined(c) for c in cells]))
    return out + rebuilt


def _joined(cell: str) -> str:
    """A cell's lines: a line going on in lower case, or after one that does not end a
    sentence, carries on the one before (a wrapped line, not a new paragraph)."""
    pieces = [p for p in cell.split(CELL_BREAK) if p]
    if not pieces:
        return ""
    out = [pieces[0]]
    for piece in pieces[1:]:
        if lx.first_letter_case(piece) == "lower" or not (lx.ends_sentence(out[-1]) or out[-1].endswith(";")):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return CELL_BREAK.join(out)


# --- a bullet on a line of its own ------------------------------------------------------

_LONE_BULLET = re.compile(r"^[-*•·▪◦●–]$")


def lone_bullets(lines: list[Line]) -> list[Line]:
    """ "-" (or "*", "•") on a line of its own, its item on the next line: one bulleted line."""
    if sum(1 for line in lines if _LONE_BULLET.match(line.text.strip()) and len(line.nonempty) == 1) < 2:
        return lines
    out: list[Line] = []
    pending: Line | None = None
    for line in lines:
        if len(line.nonempty) == 1 and not line.has_tab and _LONE_BULLET.match(line.text.strip()):
            if pending is not None:
                out.append(pending)
            pending = line
            continue
        if pending is not None and not line.blank and len(line.nonempty) == 1 and not line.has_tab:
            text = f"- {line.text.strip()}"
            out.append(Line(line.no, text, [text]))
            pending = None
            continue
        if pending is not None and line.blank:
            continue
        if pending is not None:
            out.append(pending)
            pending = None
        out.append(line)
    if pending is not None:
        out.append(pending)
    return out


# --- a header and the first row's category on one line ------------------------------

#: a header's method column, named ("Method of Assessment", "How assessed", "M.O.A.")
_NAMES_METHODS = re.compile(r"(?i)\b(?:method|assess|identified|evidenced|measured|tested|m\.?o\.?a)")


def header_then_name(lines: list[Line], role_of: RoleOf) -> list[Line]:
    """ "Factor Essential Criteria Method of Assessment Qualifications/ Experience": a table's
    header pasted as words, the first row's category after it on the same line."""
    out: list[Line] = []
    for line in lines:
        text = line.text.strip() if len(line.nonempty) == 1 and not line.has_tab else ""
        split = (_header_and_rest(text, role_of)
                 if text and len(text) < _FLAT_MIN and _NAMES_METHODS.search(text) else None)
        if split is None:
            out.append(line)
            continue
        cells, rest = split
        out.append(_line(line.no, cells))
        out.append(Line(line.no, rest, [rest], origin=SPANNING))
    return out


def _header_and_rest(text: str, role_of: RoleOf) -> tuple[list[str], str] | None:
    words = text.split()
    cells: list[str] = []
    roles: list[str] = []
    at = 0
    while at < len(words):
        for size in (4, 3, 2, 1):
            if at + size > len(words):
                continue
            phrase = " ".join(words[at: at + size])
            role = role_of(phrase)
            if role in _HEADER_ROLES and words[at][:1].isupper():
                cells.append(phrase)
                roles.append(role)
                at += size
                break
        else:
            break
    rest = " ".join(words[at:])
    if len(cells) < 3 or "method" not in roles or not ({"lead", "essential", "ed"} & set(roles)):
        return None
    if not rest or len(rest.split()) > 6 or lx.ends_sentence(rest) or lx.first_letter_case(rest) != "upper":
        return None
    return cells, rest


def alternatives(lines: list[Line]) -> list[Line]:
    """ "Hold five GCSEs ..." / "OR" / "Have three years' experience ...": one criterion met
    either way, not two."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if (
            out and index + 1 < len(lines) and len(line.nonempty) == 1 and not line.has_tab
            and line.text.strip() in ("OR", "Or", "or")
            and len(out[-1].nonempty) == 1 and not out[-1].has_tab and not out[-1].origin
            and len(lines[index + 1].nonempty) == 1 and not lines[index + 1].has_tab
        ):
            text = f"{out[-1].text.strip()} OR {lines[index + 1].text.strip()}"
            out[-1] = Line(out[-1].no, text, [text])
            index += 2
            continue
        out.append(line)
        index += 1
    return out


def spread_header(lines: list[Line], role_of: RoleOf) -> list[Line]:
    """ "Criteria" / "Essential" / "Desirable" / "How identified", one a line (blank lines
    between): a table's header pasted a cell a line, not ESSENTIAL / DESIRABLE headings."""
    out: list[Line] = []
    index = 0
    roles_wanted = ("lead", "essential", "desirable", "ed", "method")
    while index < len(lines):
        run: list[Line] = []
        at = index
        while at < len(lines):
            line = lines[at]
            if line.blank and run and at + 1 < len(lines) and not lines[at + 1].blank:
                at += 1
                continue
            if len(line.nonempty) == 1 and not line.has_tab and role_of(line.text) in roles_wanted:
                run.append(line)
                at += 1
                continue
            break
        roles = {role_of(line.text) for line in run}
        if len(run) >= 3 and {"essential", "desirable"} <= roles and ({"lead", "method"} & roles):
            out.append(_line(run[0].no, [line.text for line in run]))
            index = at
            continue
        out.append(lines[index])
        index += 1
    return out


# --- rows labelled in their first word ----------------------------------------------

#: "Essential Master's level qualification", "Desirable Formal training qualification",
#: "Mitigation If there is no ...": a two-column table (the label, then the cell) pasted a row a line
_LABEL_ROW = re.compile(r"^(?P<label>[Ee]ssential|ESSENTIAL|[Dd]esirable|DESIRABLE|[Mm]itigations?|MITIGATIONS?)\s+(?P<rest>(?!(?i:criteria|requirements?|attributes)\b)[^\sa-z][^a-z]*[a-z].*|n/a)$")
#: a row that says something about the rows above it, not a criterion
_NOTE_LABELS = {"mitigation", "mitigations", "note", "notes", "comment", "comments", "guidance"}


def labelled_rows(lines: list[Line]) -> list[Line]:
    """Rows labelled "Essential ..." / "Desirable ..." in their first word, when a document labels
    rows both ways, become a label cell and a criterion cell; rows labelled as notes
    ("Mitigation ...", and a table's "Mitigation | n/a" rows) are left out."""
    labels: set[str] = set()
    for line in lines:
        if len(line.nonempty) == 1 and not line.has_tab:
            match = _LABEL_ROW.match(line.text.strip())
            if match:
                labels.add(match.group("label").lower())
    labelled = {"essential", "desirable"} <= labels
    out: list[Line] = []
    for line in lines:
        first = line.nonempty[0].strip().rstrip(":").lower() if line.nonempty else ""
        if len(line.nonempty) >= 2 and first in _NOTE_LABELS:
            continue
        if labelled and len(line.nonempty) == 1 and not line.has_tab:
            match = _LABEL_ROW.match(line.text.strip())
            if match:
                if match.group("label").lower() in _NOTE_LABELS:
                    continue
                out.append(_line(line.no, [match.group("label"), match.group("rest")]))
                continue
        out.append(line)
    return out


# --- fixed-width columns ----------------------------------------------------------------

#: a cell of a line laid out in fixed-width columns: text up to a gap of three spaces or more
_FIXED_CELL = re.compile(r"\S(?:.*?\S)?(?=\s{3,}|\s*$)")
#: a line going on under the column it wrapped in (no label at the line's start)
_INDENTED = re.compile(r"^ {8,}\S")
_FIXED_ROLES = ("essential", "desirable", "ed", "method")
#: fixed-width tables read at most this many lines (bounded cost)
_FIXED_MAX_LINES = 600


#: a line laid out in columns is short: longer lines are not read as one (bounded cost)
_FIXED_LINE_CHARS = 300


def _fixed_cells(raw: str) -> list[tuple[int, str]]:
    if len(raw) > _FIXED_LINE_CHARS:
        return [(0, raw.strip())]
    return [(m.start(), m.group(0)) for m in _FIXED_CELL.finditer(raw.replace("\t", "    "))]


def _column_starts(lines: list[Line], width: int) -> list[int] | None:
    """The start of each column, from where the cells of the table's lines begin."""
    counts: dict[int, int] = {}
    for line in lines:
        for start, _text in _fixed_cells(line.raw):
            counts[start] = counts.get(start, 0) + 1
    clusters: list[list[int]] = []
    for start in sorted(counts):
        if clusters and start - clusters[-1][-1] <= 3:
            clusters[-1].append(start)
        else:
            clusters.append([start])
    weighted = sorted(clusters, key=lambda c: -sum(counts[s] for s in c))[:width]
    if len(weighted) < width:
        return None
    return sorted(min(c) for c in weighted)


def _column_items(fragments: list[str], width: int) -> list[str]:
    """A column's lines as the items they hold: a line carries on the one before unless that
    one ended a sentence, or this one opens like a criterion, or the one before stopped well
    short of the column's width (it was not wrapped)."""
    items: list[list[str]] = []
    for fragment in fragments:
        if items:
            prev = items[-1][-1]
            lower = lx.first_letter_case(fragment) == "lower"
            single = len(fragment.split()) == 1
            new = not lower and (
                lx.ends_sentence(prev)
                or (not single and not lx.ends_with_joiner(prev)
                    and (lx.opens_like_criterion(fragment) or len(prev) < 0.6 * width))
            )
            if not new:
                items[-1].append(fragment)
                continue
        items.append([fragment])
    return [" ".join(item) for item in items]


def fixed_columns(lines: list[Line], role_of: RoleOf) -> list[Line]:
    """Text laid out in fixed-width columns ("REQUIREMENTS    ESSENTIAL    DESIRABLE", each
    row's items wrapping over lines indented under their column), as text from a PDF keeps
    it: each row becomes one line of cells, each cell's items one paragraph each."""
    for index, line in enumerate(lines[:_FIXED_MAX_LINES]):
        if "\t" in line.raw:
            continue  # cells a word processor or PDF separated: not laid out in spaces
        cells = _fixed_cells(line.raw)
        if len(cells) < 3:
            continue
        roles = [role_of(text) for _start, text in cells]
        if sum(r in _FIXED_ROLES for r in roles) < 2 or any(r is None for r in roles):
            continue
        body = lines[index + 1: index + 1 + _FIXED_MAX_LINES]
        if any("\t" in b.raw for b in body):
            continue
        starts = _column_starts([b for b in body if not b.blank], len(cells))
        if starts is None:
            continue
        # lines going on under a column: the wrapped items that make the layout
        indented = sum(
            1 for b in body
            if _INDENTED.match(b.raw) and any(abs(_fixed_cells(b.raw)[0][0] - s) <= 2 for s in starts[1:])
        )
        if indented < 3:
            continue
        return lines[:index] + [_line(line.no, [text for _s, text in cells])] + _fixed_rows(body, starts) + lines[
            index + 1 + len(body):]
    return lines


def _fixed_rows(body: list[Line], starts: list[int]) -> list[Line]:
    widths = [b - a - 2 for a, b in zip(starts, starts[1:])]
    rows_out: list[tuple[int, list[list[str]]]] = []
    tail: list[Line] = []
    for at, line in enumerate(body):
        if line.blank:
            continue
        cells = _fixed_cells(line.raw)
        if len(cells) == 1 and cells[0][0] < starts[1] and len(cells[0][1]) > starts[1] + 20:
            tail = body[at:]  # a paragraph across the columns: the table has ended
            break
        placed: list[list[str]] = [[] for _ in starts]
        for start, text in cells:
            column = max(i for i, s in enumerate(starts) if s <= start + 2) if start + 2 >= starts[0] else 0
            placed[column].append(text)
        if placed[0] or not rows_out:
            rows_out.append((line.no, [[" ".join(placed[0])]] + [[] for _ in starts[1:]]))
        for column in range(1, len(starts)):
            rows_out[-1][1][column].extend(placed[column])
    out: list[Line] = []
    for no, columns in rows_out:
        cells = [columns[0][0] if columns[0] else ""]
        for column in range(1, len(starts)):
            width = widths[column] if column < len(widths) else max(
                (len(f) for _n, c in rows_out for f in c[column]), default=40)
            cells.append(CELL_BREAK.join(_column_items(columns[column], width)))
        out.append(_line(no, cells))
    return out + tail
