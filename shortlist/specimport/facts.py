"""Vacancy facts read from anywhere in the document: DBS level and barred lists,
Disability Confident statements and disability waiver statements."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shortlist.rules.vocabulary import BARRED_LISTS

from .lexicon import is_not_tick, is_tick
from .lines import Line

LEVEL_RANK = {"none": 0, "basic": 1, "standard": 2, "enhanced": 3}

_BOX_BEFORE = re.compile(r"^(?:\[\s*([xX✓✔]?)\s*\]|([☐☒☑□■✓✔]))\s*")
_BOX_AFTER = re.compile(r"\s*[:\-–]?\s*(?:\[\s*([xX✓✔]?)\s*\]|([☐☒☑□■✓✔])|\b(yes|no|x|X)\b)\s*$")
_LABEL = re.compile(
    r"^(not\s+required|none|no\s+dbs(?:\s+required)?|basic|standard|enhanced)"
    r"(?:\s+(?:dbs|disclosure|check|level))*"
    r"(?:\s+(?:with|\+|and)\s+(?:(?:children|adults)(?:['’]s?)?\s+)?barred\s+lists?"
    r"(?:\s*\(?\s*(?:children|adults|children\s+and\s+adults)\s*\)?)?)?\s*:?$",
    re.I,
)
_DBS_CONTEXT = re.compile(
    r"\b(?:dbs|disclosure|safeguarding check|criminal record|crb|barred list)", re.I
)

_SENTENCE_LEVEL = re.compile(
    r"\b(basic|standard|enhanced)\s+(?:level\s+)?(?:\(?dbs\)?|disclosure|criminal\s+record"
    r"|crb|police\s+check|check|certificate)",
    re.I,
)
_SENTENCE_LEVEL_AFTER = re.compile(
    r"\b(?:dbs|disclosure)\s+(?:check\s+)?(?:level\s+)?(?:at\s+|of\s+)?(?:an?\s+)?(?:the\s+)?"
    r"\(?(basic|standard|enhanced)\b",
    re.I,
)
_SENTENCE_NONE = re.compile(
    r"\b(?:no\s+dbs(?:\s+check)?\s+(?:is\s+)?required"
    r"|(?:dbs|disclosure)(?:\s+(?:check|level|disclosure|requirement))?\s*[:\-–]?\s*(?:is\s+)?"
    r"(?:not\s+(?:required|applicable|needed)|none\b|n/a\b)"
    r"|does\s+not\s+require\s+(?:a|an)\s+(?:dbs|criminal)|not\s+subject\s+to\s+(?:a\s+)?dbs)",
    re.I,
)
_BARRED = (
    re.compile(
        r"barred\s+lists?(?:\s+checks?)?\s*(?:\(|for|:|-|–|\s)\s*(?:the\s+)?"
        r"(?:(?:work(?:ing)?|those\s+working)\s+with\s+)?(children\s*(?:and|&)\s*adults|adults\s*(?:and|&)"
        r"\s*children|children|adults|both)",
        re.I,
    ),
    re.compile(
        r"\b(children|adults)(?:['’]s?)?\s+(?:(?:and|&)\s+(adults|children)(?:['’]s?)?\s+)?barred\s+lists?",
        re.I,
    ),
)

_DC = (
    re.compile(r"\bdisability\s+confident\b", re.I),
    re.compile(r"\bpositive\s+about\s+disabled\s+people\b|\btwo\s+ticks\b", re.I),
)
#: An interview promised: to disabled applicants unless the sentence names another group
#: (care leavers and armed forces veterans have guaranteed interviews of their own).
_GUARANTEE = re.compile(
    r"\bguaranteed\s+interview|\binterview\s+guarantee|\bguarantee(?:s|d)?\s+(?:to\s+)?(?:an?\s+)?interview"
    r"|\boffer(?:s|ed)?\s+(?:an?\s+)?interview\s+to",
    re.I,
)
_OTHER_GROUPS = re.compile(r"\bcare\s+leavers?\b|\bveterans?\b|\barmed\s+forces\b|\bservice\s+leavers?\b", re.I)
#: "... who have a disability and who meet the criteria will be shortlisted": found by
#: the outcome, then the same sentence is checked for a disability (linear time).
_DC_OUTCOME = re.compile(
    r"\bwill\s+be\s+(?:shortlisted|guaranteed|offered\s+an\s+interview"
    r"|invited\s+to\s+(?:an\s+)?interview|interviewed)\b",
    re.I,
)
_DISAB = re.compile(r"\bdisab", re.I)
_WAIVER = (
    re.compile(
        r"\b(?:unable|not\s+able|cannot|can\s*not)\s+(?:to\s+)?meet\s+(?:some|any|one|all|certain)?[^.]{0,60}?"
        r"\b(?:requirements|criteria)\b[^.]{0,60}?\bbecause\s+of\s+(?:your|their|his|her|a)\s+disabilit",
        re.I,
    ),
    re.compile(r"\bmeet\s+all\s+(?:of\s+)?the\s+other\s+(?:essential\s+)?(?:criteria|requirements)\b", re.I),
    re.compile(r"\bcriteria\s+(?:may|can|will)\s+be\s+waived\b", re.I),
)
_NO_WAIVER = re.compile(
    r"\b(?:criteria|requirements)\s+(?:cannot|can\s*not|will\s+not|may\s+not)\s+be\s+waived\b", re.I
)


def _barred_from_name(name: str) -> set[str]:
    low = name.lower()
    found: set[str] = set()
    if "both" in low:
        return set(BARRED_LISTS)
    if "child" in low:
        found.add("children")
    if "adult" in low:
        found.add("adults")
    return found


def _ordered_barred(found: set[str]) -> tuple[str, ...]:
    return tuple(x for x in BARRED_LISTS if x in found)


def _label(cell: str) -> tuple[str, bool | None] | None:
    """Return (level, inline mark) for a tick-list label such as 'Enhanced' or '☒ Basic'."""
    text = cell.strip()
    if not text or len(text) > 80:
        return None
    mark: bool | None = None
    before = _BOX_BEFORE.match(text)
    if before:
        box = (before.group(1) or "") + (before.group(2) or "")
        mark = bool(box) and box not in "☐□"
        text = text[before.end():]
    after = _BOX_AFTER.search(text)
    if after and after.start() > 0:
        box = after.group(1) if after.group(1) is not None else (after.group(2) or after.group(3) or "")
        candidate = text[: after.start()]
        if _LABEL.match(candidate.strip()):
            mark = bool(box) and box.lower() not in ("☐", "□", "no")
            text = candidate
    match = _LABEL.match(text.strip())
    if not match:
        return None
    word = match.group(1).lower()
    if word.startswith(("not", "none", "no")):
        level = "none"
    else:
        level = word
    return level, mark


@dataclass
class _GridRow:
    index: int
    level: str
    marks: list[str]
    inline: bool | None
    same_line: bool
    row_len: int
    offset: int
    barred_label: set[str]


def _grid_header(lines: list[Line], first: int) -> tuple[list[str], bool, int]:
    """Column names of a barred-list header above ``first``: (names, same_line, row length)."""
    names: list[str] = []
    for back in range(first - 1, max(-1, first - 20), -1):
        line = lines[back]
        cells = [c for c in line.cells if c]
        if not cells:
            if names:
                break
            continue
        if len(cells) >= 2 and all(_barred_from_name(c) or c.lower() in ("level", "dbs") for c in cells):
            return list(line.cells), True, len(line.cells)
        if len(cells) == 1 and _barred_from_name(cells[0]) and len(cells[0]) <= 30:
            names.insert(0, cells[0])
            continue
        if names:
            break
    return names, False, len(names)


def _read_grid(lines: list[Line]) -> list[_GridRow]:
    rows: list[_GridRow] = []
    context_until = -1
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if _DBS_CONTEXT.search(line.text):
            context_until = i + 40
        if i > context_until:
            i += 1
            continue
        nonempty = [(k, c) for k, c in enumerate(line.cells) if c]
        if not nonempty:
            i += 1
            continue
        k, first = nonempty[0]
        label = _label(first)
        if label is None:
            i += 1
            continue
        level, inline = label
        barred_label = _barred_from_name(first) if "barred" in first.lower() else set()
        if len(line.cells) > k + 1 and inline is None:
            rows.append(_GridRow(i, level, line.cells[k + 1:], None, True, len(line.cells), k + 1, barred_label))
            i += 1
            continue
        if inline is not None:
            rows.append(_GridRow(i, level, [], inline, False, 0, 0, barred_label))
            i += 1
            continue
        marks: list[str] = []
        j = i + 1
        while j < n and j <= i + 8:
            nxt = lines[j]
            if nxt.page_break or nxt.debris:
                j += 1
                continue
            cells = [c for c in nxt.cells if c]
            if nxt.blank and not nxt.has_tab:
                break
            if not cells:
                marks.append("")
            elif len(cells) == 1 and (is_tick(cells[0]) or is_not_tick(cells[0])):
                marks.append(cells[0])
            else:
                break
            j += 1
        rows.append(_GridRow(i, level, marks, None, False, 0, 0, barred_label))
        i = j
    return rows


def read_dbs(lines: list[Line], collapsed: str, criteria_texts: list[str]) -> tuple[str, tuple[str, ...], list[str]]:
    warnings: list[str] = []
    rows = _read_grid(lines)
    grid_level: str | None = None
    grid_barred: set[str] = set()
    for row in rows:
        ticked_columns: list[int] = []
        ticked = False
        if row.inline is not None:
            ticked = row.inline
        else:
            for index, mark in enumerate(row.marks):
                if is_tick(mark):
                    ticked = True
                    ticked_columns.append(index)
        if not ticked:
            continue
        if grid_level is None or LEVEL_RANK[row.level] > LEVEL_RANK[grid_level]:
            grid_level = row.level
            grid_barred = set(row.barred_label)
            header, same_line, header_len = _grid_header(lines, row.index)
            for column in ticked_columns:
                if row.same_line and same_line:
                    position = row.offset + column
                    if row.row_len > header_len:
                        position -= row.row_len - header_len
                    name = header[position] if 0 <= position < len(header) else ""
                elif not row.same_line and not same_line:
                    name = header[column] if column < len(header) else ""
                else:
                    name = ""
                grid_barred |= _barred_from_name(name)
    grid_present = len({row.level for row in rows}) >= 2

    sentence_level: str | None = None
    sentence_source = ""
    for pattern in (_SENTENCE_LEVEL, _SENTENCE_LEVEL_AFTER):
        for match in pattern.finditer(collapsed):
            level = match.group(1).lower()
            if sentence_level is None or LEVEL_RANK[level] > LEVEL_RANK[sentence_level]:
                sentence_level = level
                sentence_source = _sentence_around(collapsed, match.start(), match.end())
    if sentence_level is None and _SENTENCE_NONE.search(collapsed):
        sentence_level = "none"

    barred: set[str] = set()
    if grid_level is not None:
        level = grid_level
        barred = grid_barred
    elif sentence_level is not None:
        level = sentence_level
        if grid_present:
            source = _criterion_source(sentence_source, criteria_texts)
            warnings.append(
                "The DBS tick list (Basic / Standard / Enhanced) was left blank; the level "
                f"'{level}' was taken from the text \u201c{source}\u201d \u2014 please confirm it."
            )
    else:
        level = "unknown"
        if grid_present:
            warnings.append(
                "The DBS tick list (Basic / Standard / Enhanced) was left blank, so the DBS level "
                "is unknown. Please set it."
            )
    if level == "enhanced":
        for pattern in _BARRED:
            for match in pattern.finditer(collapsed):
                for group in match.groups():
                    if group:
                        barred |= _barred_from_name(group)
    else:
        barred = set()
    return level, _ordered_barred(barred), warnings


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start) + 2, start - 150, 0)
    right = text.find(".", end)
    right = min(right + 1 if right >= 0 else len(text), end + 150)
    return text[left:right].strip()


def _criterion_source(sentence: str, criteria_texts: list[str]) -> str:
    low = sentence.lower()
    for text in criteria_texts:
        if text.lower() in low or low in text.lower():
            return text
    return sentence


def read_disability(collapsed: str) -> tuple[bool | None, bool | None]:
    confident: bool | None = None
    waiver: bool | None = None
    if any(p.search(collapsed) for p in _DC):
        confident = True
    if confident is None:
        for match in _GUARANTEE.finditer(collapsed):
            sentence = _sentence_around(collapsed, match.start(), match.end())
            if _DISAB.search(sentence) or not _OTHER_GROUPS.search(sentence):
                confident = True
                break
    if confident is None:
        for match in _DC_OUTCOME.finditer(collapsed):
            start = max(0, match.start() - 200)
            before = collapsed[start: match.start()]
            stop = before.rfind(". ")
            if stop >= 0:
                before = before[stop + 2:]
            if _DISAB.search(before):
                confident = True
                break
    if any(p.search(collapsed) for p in _WAIVER):
        waiver = True
        confident = True
    elif _NO_WAIVER.search(collapsed):
        waiver = False
    return confident, waiver
