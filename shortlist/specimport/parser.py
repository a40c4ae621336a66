"""Read criteria out of the lines of a person specification.

Three readings share one pass over the lines:

* paragraphs under headings (criteria separated by blank lines, wrapped over
  several lines, bullets, "Essential"/"Desirable" headings, ``(E)``/``(D)``
  suffixes, tab-separated marks such as a trailing ``S``);
* tables with a header row (category / criterion / Essential / Desirable /
  method columns, or one tick column per method);
* "stacked" tables whose cells arrive one per line, each row closed by its
  method-of-assessment cell (Word tables saved as text, PDFs).

Before the pass, tables that a PDF wrapped over several lines are joined back
into one line per row (tables.py). During it, what is not a criterion is left
out: statements about the employer or the post (equal opportunities, Disability
Confident, DBS and safer-recruitment paragraphs), the form's own labels
("Grade: 6"), and job-pack sections without criteria (job purpose, duties, how to
apply, employer details). After a table ends, a list that follows it is kept only
where it reads like criteria.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import lexicon as lx
from . import pasted, rows
from .extract import CELL_BREAK
from .lines import MAX_LINE_CHARS, Line, squash
from .pieces import split_criterion
from .tables import stitch


@dataclass
class Draft:
    line_no: int
    category: str | None
    parts: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    list_mode: bool = False
    essential: bool | None = None
    section_essential: bool | None = None
    methods: set[str] = field(default_factory=set)
    s_mark: bool = False
    tested: bool = False
    values: bool = False
    terminal: bool = False
    both_ticked: bool = False
    #: read after a table ended: kept only if it reads like a criterion
    tentative: bool = False
    #: the line it was read from was rebuilt (Line.origin)
    origin: str | None = None

    def last_text(self) -> str:
        if self.list_mode and self.items:
            return self.items[-1]
        return self.parts[-1] if self.parts else ""

    def add_text(self, text: str) -> None:
        if self.list_mode and self.items:
            self.items[-1] = f"{self.items[-1]} {text}"
        else:
            self.parts.append(text)

    def text(self) -> str:
        stem = squash(_join_wrapped(self.parts))
        if self.items:
            items = [squash(i).rstrip(";,").strip() for i in self.items]
            items = [re.sub(r"(?:;|,)?\s+(?:and|or)$", "", i) for i in items if i]
            joined = "; ".join(i.rstrip(";,") for i in items if i)
            stem = f"{stem} {joined}".strip()
        return stem


def _join_wrapped(parts: list[str]) -> str:
    """Lines of one criterion joined again; a line that broke after "intervention/" carries on
    without a space ("intervention/behaviour")."""
    pieces: list[str] = []
    for part in parts:
        part = part.strip()
        if pieces and not (pieces[-1].endswith("/") and not pieces[-1].endswith(" /")):
            pieces.append(" ")
        pieces.append(part)
    return "".join(pieces)


@dataclass
class RawCriterion:
    line_no: int
    category: str | None
    text: str
    essential: bool | None
    section_essential: bool | None
    methods: set[str]
    s_mark: bool
    tested: bool
    values: bool
    both_ticked: bool = False
    #: cut from the text around it (pieces.Piece.cut) and where
    cut: str | None = None
    near: str = ""
    #: its methods are those of the assessment stage it was listed under
    staged: bool = False


@dataclass
class Parsed:
    criteria: list[RawCriterion]
    warnings: list[str]
    uses_s: bool
    values_categories: list[str]


#: a criterion that says it is desirable at its end, without brackets or a dash
#: a remark in brackets under a list: "(Level 2 qualifications are equivalent to GCSE ..." (not
#: "(DDP) certificate", the end of a wrapped line)
_BRACKET_NOTE = re.compile(r"^\((?:[^()]{25,}\)?|[^()]{25,}\)\W*)$")
_SUFFIX_WORD = re.compile(r"\s+(?:(?:is|are|would\s+be)\s+)?(desirable)\s*[.;,]?\s*$", re.I)
_JUDGED = re.compile(r"\b(?:considered|deemed|regarded\s+as|seen\s+as)$", re.I)
_NOT_ESSENTIAL = re.compile(r"\b(?:would\s+be\s+(?:useful|an\s+advantage|helpful)|desirable)\b.{0,20}\bnot\s+essential\b", re.I)
_DANGLING = re.compile(r"[\s,]+(?:including|such\s+as|e\.g\.?|for\s+example)$", re.I)

#: "Relevant Experience Essential Desirable": a category's name over two columns
_SIDE_BY_SIDE = re.compile(r"\s+essential\s*(?:/|and|&)?\s*desirable\s*:?$", re.I)

#: a cell saying the section asks for nothing ("N/A", "None", "Not applicable")
_NOTHING = re.compile(r"^(?:n\s*/\s*a|none|nil|not\s+applicable|not\s+required)\.?$", re.I)

_DBS_GRID_WORDS = re.compile(
    r"^(?:basic|standard|enhanced|not required|none|children|adults|children (?:and|&) adults|both|"
    r"yes|no|barred lists?|level|or)\b",
    re.I,
)

_SUFFIX_PAREN = re.compile(r"\s*[\(\[]([^()\[\]]{1,40})[\)\]]\s*[.;,]?\s*$")
_SUFFIX_DASH = re.compile(r"\s+[-–—]\s*(essential|desirable)\s*\.?\s*$", re.I)
_ED_CODE_PREFIX = re.compile(r"^([ED])\s?\d{1,2}[.:)]?\s+(?=\S)")
#: Method codes written straight after a mark: "... (E) AF/I", "... (D) – A, I".
_SUFFIX_CODES = re.compile(r"(?<=[)\]])\s*[-–—:]?\s*([A-Za-z]{1,4}(?:\s*[/,&+.]\s*[A-Za-z]{1,4})*)\s*[/,&+]?\s*$")


class SpecParser:
    def __init__(self, lines: list[Line], start: int) -> None:
        self.lines = lines
        self.start = start
        self.legend = rows.Legend()
        self.criteria: list[RawCriterion] = []
        self.warnings: list[str] = []
        self.values_categories: list[str] = []
        # state
        self.category: str | None = None
        self.category_essential: bool | None = None
        self.tested = False
        self.values = False
        self.skip: str | None = None
        self.ed_mode: bool | None = None
        self.ed_within: bool | None = None
        #: the ESSENTIAL / DESIRABLE heading's criteria come straight under it (no category
        #: heading between): a heading after them starts a section of its own
        self.ed_leaf: bool | None = None
        self.header: list[str | None] | None = None
        self.header_category: str | None = None
        self.last_header: list[str | None] | None = None
        self.tentative = False
        self.started = False
        self.current: Draft | None = None
        self.gap = False
        self.prev_text = ""
        self.pending: list[tuple[int, str]] = []
        self.section_name: str | None = None
        self.section_count = 0
        self.section_notes: list[str] = []
        self.stacked = False
        self.caps_style = False
        self.wrap_width = 0
        self.unwrapped = False
        self.blank_before = False
        self.prev_raw = ""
        self.this_raw = ""
        self.in_note = False
        self.note_open = False
        self.this_origin: str | None = None
        #: methods of the assessment stage the criteria are listed under ("What's assessed at
        #: interview"), for criteria that give none of their own
        self.stage_methods: set[str] = set()
        #: the category's heading line named Essential and Desirable columns side by side
        #: ("Relevant Experience Essential Desirable") over plain lines: text copied out of a
        #: two-column table, a line may hold a piece of each column
        self.side_by_side = False

    # --- entry point -------------------------------------------------------

    def parse(self, force_start: bool = False) -> Parsed:
        body = self.lines[self.start:]
        self._read_legends(body)
        methods_of = lambda text: lx.parse_methods(text, self.legend.codes, loose=True)  # noqa: E731
        body = pasted.weighting_legend(body)
        body = pasted.labelled_rows(body)
        body = pasted.fixed_columns(body, self._cell_role)
        body = pasted.lone_bullets(body)
        body = pasted.spread_header(body, self._cell_role)
        body = pasted.header_then_name(body, self._cell_role)
        body = pasted.alternatives(body)
        body = pasted.bar_rows(body)
        body = pasted.pipe_rows(body, self._cell_role, methods_of)
        body = pasted.pipe_cells(body)
        body = pasted.slash_aside_table(body, self._roles_of, rows.is_aside)
        body = pasted.slash_rows_over_lines(body, self._cell_role)
        body = pasted.slash_cells(body, self._classify_cell, self.legend.codes, self._cell_role)
        body = pasted.unstack_cells(body, self._classify_cell, methods_of)
        body = pasted.flat_rows(body, methods_of)
        body = pasted.unflatten(body, self._cell_role, methods_of)
        body = pasted.unstack(body, self._classify_cell, self._cell_role, methods_of)
        body = pasted.spanning_rows(body, self._classify_cell)
        body = stitch(body, self._roles_of, self._classify_cell, methods_of)
        self.stacked = self._is_stacked(body)
        self.wrap_width = self._wrap_width(body)
        self.unwrapped = self._unwrapped(body)
        self.caps_style = self._uses_caps_headings(body)
        self.started = force_start or self.stacked
        for line in body:
            self._feed(line)
        self._close()
        self._close_section()
        uses_s = any(c.s_mark for c in self.criteria)
        return Parsed(self.criteria, self.warnings, uses_s, self.values_categories)

    # --- document-level scans --------------------------------------------------

    def _read_legends(self, body: list[Line]) -> None:
        codes = dict(lx.DEFAULT_CODES)
        marks: dict[str, str] = {}
        defined: set[str] = set()
        for line in body:
            legend = lx.parse_legend(line.text)
            if legend:
                methods, found_marks = legend
                codes.update(methods)
                defined.update(methods)
                marks.update(found_marks)
        self.legend = rows.Legend(codes, marks, frozenset(defined))

    def _method_only(self, line: Line) -> set[str] | None:
        cells = line.nonempty
        if len(cells) != 1:
            return None
        cell = cells[0]
        if CELL_BREAK in cell or cell.strip("()[] ").upper() in ("E", "D", "S"):
            return None
        return lx.parse_methods(cell, self.legend.codes)

    def _uses_caps_headings(self, body: list[Line]) -> bool:
        """Whether categories are headed in capitals (then 'Communication Skills' under
        SKILLS is a criterion, not a heading)."""
        for line in body:
            if len(line.nonempty) != 1 or line.has_tab:
                continue
            text = line.text.strip().rstrip(":")
            if len(text) > 60 or text.upper() != text or not any(ch.isalpha() for ch in text):
                continue
            low = text.lower()
            if low in lx.HEADER_WORDS or lx.ED_HEADING.match(text) or lx.DBS_HEADING.match(text):
                continue
            if lx.PERSON_SPEC.match(text):
                continue
            words = [w.strip("()[],:;&/") for w in low.split()]
            if any(w in lx.CATEGORY_VOCAB for w in words):
                return True
        return False

    @staticmethod
    def _wrap_width(body: list[Line]) -> int:
        """Where this document's long lines end (0 when too few lines to tell)."""
        lengths = sorted(len(line.text) for line in body if len(line.nonempty) == 1 and len(line.text) >= 20)
        if len(lengths) < 8:
            return 0
        width = lengths[int(len(lengths) * 0.9)]
        return width if width >= 60 else 0

    @staticmethod
    def _unwrapped(body: list[Line]) -> bool:
        """True when no line reads as the wrapped end of the line before it."""
        previous = ""
        count = 0
        for line in body:
            if line.blank:
                previous = ""
                continue
            if len(line.nonempty) != 1:
                previous = ""
                continue
            text, bullet = lx.strip_bullet(line.text)
            count += 1
            if previous and not bullet:
                if lx.first_letter_case(text) == "lower" or (
                    lx.ends_with_joiner(previous) and not lx.ends_sentence(previous)
                ):
                    return False
            previous = text
        return count >= 8

    def _is_stacked(self, body: list[Line]) -> bool:
        count = 0
        previous: Line | None = None
        for line in body:
            if self._method_only(line) and not (
                previous is not None and len(previous.nonempty) >= 2
                and (previous.has_tab or previous.origin)
                and self._classify_cell(previous.nonempty[-1])[0] == "methods"
            ):
                # (a row's methods going on over the next lines is not a stacked table)
                count += 1
                if count >= 2:
                    return True
            if not line.blank and not self._method_only(line):
                previous = line
        return False

    # --- helpers -------------------------------------------------------------

    def _set_category(self, name: str, annotation: str = "") -> None:
        self._close()
        self._close_section()
        columns = _SIDE_BY_SIDE.search(name)
        self.side_by_side = bool(columns) and not self.header
        if columns:
            name = name[: columns.start()]
        low_ann = annotation.lower()
        self.category_essential = None
        if self.ed_mode is not None and self.ed_leaf is None:
            self.ed_leaf = False  # categories under the ESSENTIAL / DESIRABLE heading
        if self.ed_within or self.ed_leaf:
            # ESSENTIAL / DESIRABLE sub-lists belong to the category they were under
            self.ed_mode = None
        if "desirable" in low_ann:
            self.category_essential = False
        elif "essential" in low_ann:
            self.category_essential = True
        self.tested = "test" in low_ann
        values = bool(re.search(r"\bvalues\b", name, re.I)) and not re.search(r"behaviou?r", name, re.I)
        if values:
            name = lx.sentence_case(squash(name).rstrip(":"))
        else:
            name = lx.category_name(name)
        self.values = values
        self.category = name
        self.skip = None
        self.started = True
        self.section_name = name
        self.section_count = 0
        self.section_notes = []

    def _close_section(self) -> None:
        if self.section_name and self.section_count == 0 and self.section_notes:
            note = self.section_notes[0]
            self.warnings.append(
                f"The section \u201c{self.section_name}\u201d has no criteria: \u201c{note}\u201d was read "
                "as a note, not a criterion. Add a criterion if it should be assessed."
            )
        self.section_name = None
        self.section_notes = []

    def _note(self, text: str) -> None:
        if self.section_name and len(self.section_notes) < 3:
            self.section_notes.append(squash(text))

    def _emit(self, draft: Draft) -> None:
        stem = squash(_join_wrapped(draft.parts))
        if draft.items and lx.lead_in(stem):
            # "The Independent Person(s) will demonstrate:" over its list: each item is a
            # criterion; "Desirable additional criteria are:" marks its items
            marked = re.search(r"\b(essential|desirable)\b", stem, re.I)
            for item in draft.items:
                one = replace(draft, parts=[item], items=[], list_mode=False)
                if marked and one.essential is None:
                    one.essential = marked.group(1).lower() == "essential"
                self._emit(one)
            return
        text = draft.text().strip()
        if not draft.items and text.endswith(":"):
            # an introduction whose list did not come with it ("... systems including:")
            text = _DANGLING.sub("", text.rstrip(":").strip())
        text = re.sub(r"\s*;\s*(?:and|or)$", "", text).rstrip(";,").strip()
        if len(text) < 3 or not any(ch.isalpha() for ch in text) or _NOTHING.match(text):
            return
        if lx.is_admin_line(text) or (
            lx.is_statement(text) and not (draft.values and re.match(r"^(?:we|our)\b", text, re.I))
        ):
            # an equal-opportunities, Disability Confident or DBS paragraph, or a form label
            # (values are often written "We are ...": those stay)
            return
        if draft.tentative and not (
            draft.essential is not None or draft.methods or draft.s_mark or lx.opens_like_criterion(text)
        ):
            return
        for piece in split_criterion(text, statements=draft.values):
            self.criteria.append(
                RawCriterion(
                    line_no=draft.line_no,
                    category=draft.category,
                    text=piece.text,
                    essential=draft.essential,
                    section_essential=draft.section_essential,
                    methods=set(draft.methods) or set(self.stage_methods),
                    s_mark=draft.s_mark,
                    tested=draft.tested,
                    values=draft.values,
                    both_ticked=draft.both_ticked,
                    cut=piece.cut or (draft.origin if draft.origin == pasted.FLATTENED else None)
                    or ("side_by_side" if self.side_by_side and draft.origin is None else None),
                    near=piece.near,
                    staged=not draft.methods and bool(self.stage_methods),
                )
            )
        self.section_count += 1
        if draft.values and draft.category and draft.category not in self.values_categories:
            self.values_categories.append(draft.category)

    def _section_from_draft(self, table: bool = False) -> None:
        """Close the criterion being read; a short line without a full stop right above a
        table's header ("Scientific skills" over "Details | Assessed by") names the table's
        section instead."""
        def names(text: str) -> bool:
            return (
                0 < len(text.split()) <= 4 and not lx.ends_sentence(text)
                and lx.first_letter_case(text) == "upper" and not lx.opens_like_criterion(text)
            )

        draft = self.current
        if (
            draft is not None and not draft.items and len(draft.parts) == 1 and not draft.methods
            and draft.essential is None and names(draft.parts[0])
        ):
            self.current = None
            self._set_category(draft.parts[0])
        elif (
            table and draft is None and self.prev_text and names(self.prev_text) and not lx.is_note(self.prev_text)
            and not (self.criteria and self.criteria[-1].text == self.prev_text)
        ):
            # the same between two tables, where the line was set aside
            self._set_category(self.prev_text)
        else:
            self._close()

    def _close(self) -> None:
        if self.current is not None:
            self._emit(self.current)
            self.current = None

    def _new_draft(self, line_no: int, category: str | None = None) -> Draft:
        if self.ed_mode is not None and self.ed_leaf is None:
            self.ed_leaf = True
        section_essential = self.category_essential
        origin = self.this_origin
        if section_essential is None:
            section_essential = self.ed_mode
        return Draft(
            line_no=line_no,
            category=category if category is not None else self.category,
            section_essential=section_essential,
            tested=self.tested,
            values=self.values,
            tentative=self.tentative,
            origin=origin,
        )

    def _take_suffixes(self, text: str) -> tuple[str, bool, bool | None, set[str]]:
        s_mark = False
        ed: bool | None = None
        methods: set[str] = set()
        for _ in range(4):
            codes = _SUFFIX_CODES.search(text)
            if codes and codes.start() > 0 and _SUFFIX_PAREN.search(text[: codes.start()]):
                found = lx.parse_methods(codes.group(1), self.legend.codes)
                if found:
                    methods |= found
                    text = text[: codes.start()].rstrip()
                    continue
            match = _SUFFIX_PAREN.search(text)
            dash = _SUFFIX_DASH.search(text) or _SUFFIX_WORD.search(text)
            if dash and dash.start() > 0 and _JUDGED.search(text[: dash.start()]):
                # "... is considered desirable.": the sentence says so; it stays whole
                ed = False
                break
            if dash and dash.start() > 0:
                ed = dash.group(1).lower() == "essential"
                text = text[: dash.start()].rstrip()
                continue
            if not match or match.start() == 0:
                break
            inner = match.group(1)
            marks = rows.marks_in(inner)
            if marks is not None:
                s_mark = s_mark or marks[0]
                if marks[1] is not None:
                    ed = marks[1]
                text = text[: match.start()].rstrip()
                continue
            found = lx.parse_methods(inner, self.legend.codes, loose=True)
            if found:
                methods |= found
                text = text[: match.start()].rstrip()
                continue
            break
        if not methods:
            closing = lx.trailing_methods(text, self.legend.codes)
            if closing:
                text, methods = closing[0], set(closing[1])
        prefix = lx.ED_PREFIX.match(text) or _ED_CODE_PREFIX.match(text)
        if prefix:
            ed = prefix.group(1).lower() in ("essential", "e")
            text = text[prefix.end():]
        if ed is None and _NOT_ESSENTIAL.search(text):
            ed = False  # "... would be useful but not essential"
        return text.strip(), s_mark, ed, methods

    # --- header rows (read by rows.py) ---------------------------------------------

    def _classify_cell(self, cell: str) -> tuple[str, object]:
        return rows.classify_cell(cell, self.legend)

    def _cell_role(self, cell: str) -> str | None:
        return rows.cell_role(cell, self.legend.codes)

    def _roles_of(self, cells: list[str]) -> rows.Roles | None:
        return rows.roles_of(cells, self.legend.codes)

    def _row_by_header(self, line: Line) -> bool:
        """Read a table row against the header. Returns False when it does not fit."""
        assert self.header is not None
        reading = rows.read_row(self.header, line.cells, self.legend)
        if reading is None:
            return False
        if reading.category and not reading.items and self._criterion_in_stage(reading.category[0]):
            reading.items = [(reading.category[0], None)]
            reading.category = None
        if reading.category:
            self._set_category(*reading.category)
        if reading.methods_for_previous:
            if self.criteria:
                self.criteria[-1].methods |= reading.methods
            return True
        if reading.items or reading.by_column:
            self._close()
        for text, essential in reading.items:
            if len(reading.items) > 1 and lx.is_note(lx.strip_bullet(text)[0]):
                continue  # a note among a cell's paragraphs ("In-service applicants may ...")
            draft = self._new_draft(line.no)
            self._fill_draft(draft, text)
            if reading.by_column:
                if draft.essential is None and self.category_essential is None:
                    draft.essential = essential
            else:
                draft.both_ticked = reading.both_ticked
                if essential is not None:
                    draft.essential = essential
            draft.methods |= reading.methods
            draft.s_mark = draft.s_mark or reading.s_mark
            draft.terminal = True
            self._emit(draft)
        return True

    def _fill_draft(self, draft: Draft, text: str) -> None:
        text, s_mark, ed, methods = self._take_suffixes(text)
        draft.parts.append(text)
        draft.s_mark = draft.s_mark or s_mark
        if ed is not None:
            draft.essential = ed
        draft.methods |= methods

    # --- the line feed -----------------------------------------------------------

    def _feed(self, line: Line) -> None:
        if line.blank:
            if not line.has_tab:
                self.gap = True
                if not line.page_break and not line.debris:
                    self.blank_before = True
            if line.page_break:
                self.gap = True
            return
        text = line.text
        self.prev_raw, self.this_raw = self.this_raw, line.raw
        self.this_origin = line.origin
        if len(text) > MAX_LINE_CHARS:
            # No criterion or heading is this long: pasted junk or a whole file on one line.
            self._close()
            self._after(text[-200:])
            return
        if lx.parse_legend(text):
            self._clear_pending()
            self._after(text)
            return
        if self.header is not None and self.gap and not line.has_tab:
            # The table has ended; what follows it is not part of the table.
            self._close()
            self.last_header = self.header
            self.header = None
            self.skip = "after-table"
        if (
            self.skip == "after-table"
            and self.last_header is not None
            and line.has_tab
            and len(line.cells) == len(self.last_header)
        ):
            # another table with the same columns and no header row of its own
            self.header = self.last_header
            self.skip = None
            self.tentative = False
        single = squash(line.nonempty[0]) if len(line.nonempty) == 1 else None
        cont = self._is_continuation(line)
        if not cont and self._stage_heading(line):
            return

        if not cont and lx.is_admin_line(text) and not self.stacked:
            # "Grade: 6", "Post title: ...": the form's own fields (a long value wraps)
            self._close()
            self._after(text)
            self.in_note = True
            return
        if single is not None and not cont:
            if lx.spec_title(single):
                if self.skip in ("after-table", "nonspec", "dbs"):
                    self.skip = None
                self._after(text)
                return
            if (
                lx.DBS_HEADING.match(single)
                and len(single.split()) <= 8
                and not lx.ends_sentence(single)
                and not self.stacked
            ):
                # "Disclosure and Barring Service Check": a section about the DBS check
                self._skip_section("dbs", text)
                return
            ed_heading = lx.ED_HEADING.match(single.strip())
            if ed_heading:
                self._close()
                self._clear_pending()
                self.ed_mode = ed_heading.group(1).lower() == "essential"
                self.ed_leaf = None
                if self.skip == "nonspec":
                    self.skip = None  # "Essential" over lists: the criteria begin here
                if self.ed_within is None:
                    # the first ESSENTIAL / DESIRABLE heading comes under a category's
                    # heading (each category has its own) or over the categories
                    self.ed_within = self.category is not None
                self.started = True
                self._after(text)
                return
            if single.lower().strip(" :*") in lx.HEADER_WORDS or lx.header_words_only(single) or (
                lx.header_phrases_only(single)
            ):
                self._section_from_draft()
                self._clear_pending()
                self._after(text)
                return
            if not self.stacked and lx.NONSPEC_HEADING.match(single.strip()):
                # job purpose, duties, how to apply, employer details ...: no criteria
                self._skip_section("nonspec", text)
                return
        if len(line.nonempty) >= 2 and not cont and rows.names_columns(line.nonempty, self.legend.codes):
            # "Area | Requirements": a table's header without marks or methods
            self._close()
            self.started = True
            if self.skip in ("after-table", "nonspec", "dbs"):
                self.skip = None
            self._after("")
            return
        if (
            self.skip in ("nonspec", "dbs")
            and line.has_tab
            and len(line.nonempty) >= 2
            and lx.strong_heading(lx.split_annotation(line.nonempty[0])[0])
        ):
            # a table row that opens with a category: the specification again
            self.skip = None
        if not cont:
            found = rows.header(line.cells, self.legend.codes) if len(line.nonempty) >= 2 else None
            roles = found.roles if found else None
            self.header_category = found.category if found else None
            if roles is not None:
                self._section_from_draft(table=True)
                self.header = roles
                if self.header_category:
                    self._set_category(self.header_category)
                    self.header = roles
                self.started = True
                self.tentative = False
                if self.skip in ("after-table", "nonspec", "dbs"):
                    self.skip = None
                self._after("")  # a header row is not a sentence that carries on
                return

        if (
            single and not line.has_tab and self.current is None and len(single.split()) <= 3
            and all(lx.method_filler(word) for word in single.split())
            and not lx.parse_methods(single, self.legend.codes, loose=True)
            and not any(word.lower() in lx.CATEGORY_VOCAB for word in single.split())
        ):
            # "Form": a header naming the methods, its words broken over lines
            self._after(text)
            return
        if self.stacked and line.origin == pasted.SPANNING and not self.pending:
            self._close()
            self._set_category(line.text)
            self._after(text)
            return
        if self.stacked:
            self._feed_stacked(line)
            self._after(text)
            return

        heading = None if cont else self._heading_of(line)
        if heading is not None:
            name, annotation = heading
            if self.skip == "dbs" and _DBS_GRID_WORDS.match(name):
                self._after(text)
                return
            if lx.DBS_HEADING.match(name):
                self._skip_section("dbs", text)
                return
            if lx.NONSPEC_HEADING.match(name.strip()):
                # job purpose, duties, how to apply, employer details ...: no criteria
                self._skip_section("nonspec", text)
                return
            if self.skip == "after-table":
                # a heading after a table: the next table's category, or a list of more
                # criteria (kept only where they read like criteria)
                self._set_category(name, annotation)
                self.tentative = True
            elif self.skip in ("nonspec", "dbs") and not lx.strong_heading(name):
                self._close()
            else:
                self._set_category(name, annotation)
            self._after(text)
            return

        if not cont and self.values and lx.CULTURE_INTRO.search(text) and text.rstrip().endswith(":"):
            self._close()
            self.skip = "culture"
            self._after(text)
            return

        if not self.started and not self.skip and self.start > 0 and lx.strip_bullet(text)[1] and len(line.nonempty) == 1:
            # numbered or bulleted items straight after the "Person Specification" title
            self.started = True
        if not self.started or self.skip:
            self._after(text)
            return

        if self.in_note and len(line.nonempty) == 1 and (
            (not self.gap and (cont or lx.first_letter_case(text) == "lower")) or self.note_open
        ):
            # the note to applicants carries on over a wrapped line
            self._after(text)
            self.in_note = True
            return
        if not cont and (lx.is_note(text) or _BRACKET_NOTE.match(text)):
            # a note to applicants, or a remark in brackets under the list
            self._close()
            self._note(text)
            self._after(text)
            self.in_note = True
            return
        if not cont and not self.values and text.rstrip().endswith(":") and lx.is_statement(text):
            # "We are looking for someone with:" introduces criteria; it is not one
            self._close()
            self._after(text)
            return

        if self.header is not None and line.has_tab and len(line.nonempty) >= 1:
            if self._row_by_header(line):
                self._after(text)
                return
        self._feed_paragraph(line)
        self._after(text)

    def _criterion_in_stage(self, name: str) -> bool:
        """Under an assessment stage's heading every line is a criterion ("Clean Driving
        Licence"), unless it is headed in capitals or names a category ("Experience")."""
        return bool(self.stage_methods) and name.upper() != name and not lx.strong_heading(name)

    def _stage_heading(self, line: Line) -> bool:
        """ "What's assessed from your job application" (a line, or a table's header row whose
        other cells only name columns): the criteria under it are assessed at that stage."""
        cells = [squash(c) for c in line.nonempty]
        if not cells or CELL_BREAK in line.nonempty[0]:
            return False
        found = lx.stage_heading(cells[0])
        if found is None or not all(
            c.lower().strip(" :*") in lx.HEADER_WORDS or lx.header_words_only(c) for c in cells[1:]
        ):
            return False
        name, stage = found
        methods = lx.parse_methods(stage, self.legend.codes, loose=True)
        if not methods:
            return False
        self._close()
        self._clear_pending()
        self._set_category(name)
        self.stage_methods = set(methods)
        if self.skip in ("after-table", "nonspec", "dbs"):
            self.skip = None
        self._after("")
        return True

    def _skip_section(self, kind: str, text: str) -> None:
        """A section that holds no criteria ("dbs", "nonspec") starts at this line."""
        self.stage_methods = set()
        self._close()
        self._close_section()
        self.skip = kind
        self.category = None
        self._after(text)

    def _after(self, text: str) -> None:
        self.prev_text = text
        self.in_note = False
        self.note_open = text.count("(") > text.count(")")
        self.gap = False
        self.blank_before = False

    def _is_continuation(self, line: Line) -> bool:
        """A wrapped line that finishes the previous one ('...best interests of' / 'Kent')."""
        if not self.prev_text or len(line.nonempty) != 1:
            return False
        if self.blank_before and "\t" in self.prev_raw:
            # a table row, then a blank line: what follows does not finish the row
            return False
        text = line.nonempty[0]
        if text.upper() == text:
            return False
        if lx.strip_bullet(text)[1]:
            return False
        return lx.ends_with_joiner(self.prev_text) and not lx.ends_sentence(self.prev_text)

    def _heading_of(self, line: Line) -> tuple[str, str] | None:
        cells = line.nonempty
        if not cells or len(cells) > 2:
            return None
        if line.origin == pasted.SPANNING:
            return cells[0], ""
        first = cells[0]
        if CELL_BREAK in first:
            return None
        if len(cells) == 2:
            second = cells[1].strip()
            if not (second.startswith("(") and second.endswith(")")):
                return None
            first = f"{first} {second}"
        stripped, bullet = lx.strip_bullet(first)
        if bullet and not re.match(r"^\s*\(?\d", first):
            return None
        if lx.first_letter_case(stripped) == "lower":
            return None  # the end of a wrapped line ("  management [A, I]"), not a heading
        if lx.is_note(stripped):
            return None
        heading = lx.heading_text(stripped)
        if heading is None or self._criterion_in_stage(heading[0]):
            return None
        if self.caps_style and stripped.upper() != stripped:
            # In a document headed in capitals, a mixed-case line is a heading only
            # when it says so with a colon or stands in a table's first column.
            if not (stripped.rstrip().endswith(":") or line.has_tab):
                return None
        if heading[0].lower().strip(" :*") in lx.HEADER_WORDS:
            return None
        if (
            not line.has_tab
            and not self.gap
            and self.current is not None
            and not lx.strong_heading(heading[0])
            and stripped.upper() != stripped
            and not stripped.rstrip().endswith(":")
            and self.prev_text
            and not lx.ends_sentence(self.prev_text)
            and not self._heading_like(self.prev_text)
        ):
            # "... General Pharmaceutical" / "Council": the end of a wrapped line
            return None
        return heading

    @staticmethod
    def _heading_like(text: str) -> bool:
        return lx.heading_text(lx.strip_bullet(text)[0]) is not None and not lx.strip_bullet(text)[1]

    # --- stacked tables -----------------------------------------------------------

    def _clear_pending(self) -> None:
        self.pending = []

    def _feed_stacked(self, line: Line) -> None:
        text = line.text
        if lx.is_note(text) and not self.pending:
            return
        texts: list[str] = []
        methods: set[str] = set()
        s_mark = False
        ed: bool | None = None
        for cell in line.nonempty:
            kind, value = self._classify_cell(cell)
            if kind == "methods":
                methods |= value  # type: ignore[arg-type]
            elif kind == "s":
                s_mark = True
            elif kind == "ed":
                ed = bool(value)
            elif kind == "text":
                for piece in str(value).split(CELL_BREAK):
                    if piece.strip():
                        texts.append(piece.strip())
        if not methods and not s_mark and ed is None:
            for piece in texts:
                self.pending.append((line.no, piece))
            return
        row = self.pending + [(line.no, t) for t in texts]
        self.pending = []
        if not row:
            if self.criteria and methods:
                self.criteria[-1].methods |= methods
            return
        merged: list[tuple[int, str]] = []
        for number, piece in row:
            if merged and lx.first_letter_case(piece) == "lower" and not lx.ends_sentence(merged[-1][1]):
                merged[-1] = (merged[-1][0], f"{merged[-1][1]} {piece}")
            else:
                merged.append((number, piece))
        category: str | None = None
        annotation = ""
        if len(merged) >= 2 and self._row_category(merged[0][1]):
            heading = lx.heading_text(merged[0][1])
            category, annotation = heading if heading else (merged[0][1].strip(), "")
            merged = merged[1:]
        if category is not None:
            self._set_category(category, annotation)
        draft = self._new_draft(merged[0][0])
        self._fill_draft(draft, " ".join(t for _, t in merged))
        draft.methods |= methods
        draft.s_mark = draft.s_mark or s_mark
        if ed is not None:
            draft.essential = ed
        self._emit(draft)

    def _row_category(self, text: str) -> bool:
        if lx.heading_text(text) is not None:
            return True
        core, _ = lx.split_annotation(text)
        words = core.split()
        if not words or len(words) > 6:
            return False
        if core.rstrip()[-1] in ".!?:;,":
            return False
        return not lx.opens_like_criterion(core)

    # --- paragraphs -------------------------------------------------------------

    def _feed_paragraph(self, line: Line) -> None:
        texts: list[str] = []
        methods: set[str] = set()
        s_mark = False
        ed: bool | None = None
        row_marks = False
        cells = line.nonempty
        if len(cells) >= 2 and rows.ROW_NUMBER.match(cells[0].strip()):
            cells = cells[1:]  # the row's number
        # "good\npresentation skills": a wrapped line going on in lower case is text,
        # whatever method words it holds
        wrapped = (
            len(cells) == 1 and not line.has_tab and self.current is not None
            and lx.first_letter_case(cells[0]) == "lower" and not lx.ends_sentence(self.current.last_text())
        )
        for cell in cells:
            kind, value = ("text", cell) if wrapped else self._classify_cell(cell)
            if kind == "methods":
                methods |= value  # type: ignore[arg-type]
                row_marks = True
            elif kind == "s":
                s_mark = True
                row_marks = True
            elif kind == "ed":
                ed = bool(value)
                row_marks = True
            elif kind == "tick":
                row_marks = True
            else:
                texts.append(str(value))
        terminal = row_marks or line.has_tab
        if len(texts) >= 2:
            heading = lx.heading_text(texts[0])
            if heading is not None and lx.first_letter_case(texts[1]) != "lower":
                self._set_category(*heading)
                texts = texts[1:]
        if not texts:
            if self.current is not None:
                self.current.methods |= methods
                self.current.s_mark = self.current.s_mark or s_mark
                if ed is not None:
                    self.current.essential = ed
                self.current.terminal = True
            elif self.criteria and (methods or s_mark):
                self.criteria[-1].methods |= methods
                self.criteria[-1].s_mark = self.criteria[-1].s_mark or s_mark
            return
        joined = " ".join(t for t in texts)
        pieces = [p for p in joined.split(CELL_BREAK) if p.strip()]
        for index, piece in enumerate(pieces):
            if index and lx.is_note(lx.strip_bullet(piece)[0]):
                continue  # a note among a cell's paragraphs ("In-service applicants may ...")
            self._paragraph_piece(line.no, piece, self.gap if index == 0 else False)
        draft = self.current
        if draft is not None:
            draft.methods |= methods
            draft.s_mark = draft.s_mark or s_mark
            if ed is not None:
                draft.essential = ed
            if terminal:
                draft.terminal = True

    def _paragraph_piece(self, line_no: int, raw: str, gap: bool) -> None:
        text, bullet = lx.strip_bullet(raw)
        riding = lx.trailing_lead_in(text) if bullet else None
        if riding:
            # "- ... sound judgement. The Independent Person(s) will:": the item, then the
            # lead-in of the next list
            self._paragraph_piece(line_no, f"\u2022 {riding[0]}", gap)
            self._close()
            self.current = self._new_draft(line_no)
            self.current.parts.append(riding[1])
            return
        text, s_mark, ed, methods = self._take_suffixes(text)
        if not text:
            return
        draft = self.current
        new = True
        if draft is not None:
            new = self._starts_new(draft, text, bullet, gap)
            if not new and bullet:
                if not draft.list_mode:
                    draft.list_mode = True
                draft.items.append(text)
            elif not new:
                draft.add_text(text)
        if new:
            self._close()
            draft = self._new_draft(line_no)
            draft.parts.append(text)
            self.current = draft
        assert draft is not None
        draft.s_mark = draft.s_mark or s_mark
        if ed is not None:
            draft.essential = ed
            if raw.rstrip().endswith(")"):
                draft.terminal = True  # "... or above (E)": the mark closes the criterion
        draft.methods |= methods

    def _starts_new(self, draft: Draft, text: str, bullet: bool, gap: bool) -> bool:
        last = draft.last_text()
        if bullet:
            if draft.list_mode:
                return False
            if not draft.terminal and last.rstrip().endswith(":") and not draft.items:
                return False
            return True
        case = lx.first_letter_case(text)
        ended = lx.ends_sentence(last)
        if case == "lower":
            return ended and draft.terminal
        if ended:
            return True
        if gap or draft.terminal:
            return True
        if draft.list_mode and lx.opens_like_criterion(text):
            return True
        if lx.ends_with_joiner(last):
            return False
        if lx.opens_like_criterion(text):
            return True
        if self.unwrapped or (self.wrap_width and len(self.prev_text) < 0.6 * self.wrap_width):
            # no line of this document carries on the one before it (text copied from a
            # web page), or the line before stopped well short of where its lines wrap:
            # it was complete, and this line begins another criterion
            return True
        return False


def find_spec_start(lines: list[Line]) -> int:
    """Index just after the 'Person Specification' heading (0 when there is none)."""
    for index, line in enumerate(lines):
        if line.blank:
            continue
        text = squash(line.text)
        if lx.PERSON_SPEC.match(text) and len(text.split()) <= 10 and not lx.ends_sentence(text):
            return index + 1
    for index, line in enumerate(lines):
        if not line.blank and lx.spec_title(squash(line.text)):
            return index + 1
    return 0
