"""Table rows read against their header: pure functions, no parser state.

A person specification's table has a header row naming its columns ("Criteria |
Essential | Desirable | How assessed", "Attribute | E/D | Method", "Qualifications | E | D
| AF | I") and rows that give a category, one or more criteria, their Essential/Desirable
marks (a tick, "E", "D") and their methods (codes, words, or a tick under a method's own
column). This module says

* what role each header cell names (:func:`cell_role`) and whether a row is a header at
  all (:func:`header`);
* what kind one cell is, as marks and methods go (:func:`classify_cell`);
* what one row says against a header (:func:`read_row`), as a :class:`RowReading` the
  parser turns into criteria;
* which criteria one cell holds (:func:`cell_items`).

What a document's own legend says ("A = Application form", "S = shortlisting") comes in
as a :class:`Legend`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon as lx
from .extract import CELL_BREAK
from .lines import squash

Roles = list[str | None]

_ROLE_ESSENTIAL = {"essential", "essential criteria", "e", "essential (e)", "essential requirements"}
_ROLE_DESIRABLE = {"desirable", "desirable criteria", "d", "desirable (d)", "desirable requirements"}
_ROLE_ED = {"e/d", "essential/desirable", "essential or desirable", "e or d", "e / d",
            "essential / desirable", "essential (e) / desirable (d)", "e/d*"}
_ROLE_SHORTLIST = {"shortlisting", "shortlist", "s", "used for shortlisting", "shortlisting criteria",
                   "shortlisting (s)", "s = shortlisting"}
_ROLE_CATEGORY = {"category", "area", "heading", "section", "factor", "factors", "attribute", "attributes",
                  "competency", "competence", "categories", "area of competence", "requirement area"}
_ROLE_IGNORE = {"weighting", "weight", "weighting (1-3)", "score", "scoring", "points", "priority", "rating",
                "weighting %", "%", "ref", "no", "no.", "number", "#"}
_ROLE_LEAD = {"criteria", "criterion", "requirement", "requirements", "person specification",
              "specification", "selection criteria", "description", "skills, knowledge and experience",
              "details", "the person", "qualities", "key areas"}
_METHOD_HEADER = re.compile(
    r"^(?:(?:the\s+)?(?:methods?|method\(s\)|means|mode)(?:\s+(?:of|for))?"
    r"(?:\s+(?:assessment|assessing|selection|evidence|measurement))?"
    r"|how\s+we\s+(?:will\s+)?assess\b.{0,50}"
    r"|how\s+(?:(?:it|this)\s+)?(?:will\s+(?:it\s+|this\s+)?be\s+|is\s+(?:(?:it|this)\s+)?)?"
    r"(?:assessed|identified|evidenced|tested|measured|demonstrated)(?:\s+(?:by|at|through))?"
    r"|(?:to\s+be\s+)?(?:assessed|identified|measured|tested|evidenced)(?:\s+(?:by|at|through|via|from))?"
    r"|assessment(?:\s*(?:methods?|method\(s\))|\s+(?:stage|by|criteria|type))?"
    r"|evidenced?(?:\s+(?:by|from|source))?|stage(?:\s+(?:assessed|of\s+assessment))?"
    r"|when\s+assessed|m\.?\s?o\.?\s?a\.?|dull\s+asesu|sut\s+y\s+caiff\s+ei\s+asesu)"
    r"\s*(?:\(.{0,40}\))?\s*[:*]?$",
    re.I,
)
#: a section's name in capitals over a table's criteria column ("BEHAVIOUR AND OTHER RELATED
#: CHARACTERISTICS | ESS | DES | MOA"); a header only if the other cells name marks or methods
_CAPS_HEADING = re.compile(r"^[A-Z][A-Z ,&/'’()-]{2,80}$")
#: a criteria column headed "Necessary requirements – skills, knowledge, experience etc."
#: a column beside the criteria that explains them without marking or assessing them: what
#: the skill is for ("To do what?"), how well or whether with training ("How well? Now or with
#: training?"), how important it is ("How important at the time of appointment?")
_ASIDE = re.compile(
    r"^(?:to\s+do\s+what|what\s+for|why\s+(?:is\s+it\s+)?needed|purpose|how\s+well|now\s+or\s+with\s+training"
    r"|how\s+important|importance|level\s+needed)\b.{0,60}$"
)
_LEAD_PREFIX = re.compile(r"^(?:necessary\s+|key\s+)?(?:requirements?|criteria|criterion)\s*[-–—:(]")
#: a table's row number ("1", "2.", "3)")
ROW_NUMBER = re.compile(r"^\(?\d{1,2}(?:\.\d{1,2})?[.)]?$")
#: "Weighting 1-5", "Score (1-3)": a column of figures, not marks or methods
_WEIGHTING = re.compile(r"^(?:weighting|weight|score|rating|priority)\s*\(?\d\s*[-–]\s*\d\)?$")
#: a section's name in the first cell of a header repeated per section ("General skills &
#: experience required | Essential/Desirable | How is it assessed?")
_SHORT_NAME = re.compile(r"^[A-Z][\w'’&,/()-]*(?:\s+[\w'’&,/()-]+){0,7}$")
#: "Essential to basic performance of job" / "Required for fully competent performance of job"
#: (a benchmark job description's columns), "Desirable for ..."
_ESSENTIAL_WORDS = re.compile(r"^essential\s+(?:to|for|at|on)\b.{0,50}$")
_DESIRABLE_WORDS = re.compile(r"^(?:desirable\s+(?:to|for|at|on)\b|required\s+for\s+fully\s+competent\b).{0,50}$")
_MARK_TOKENS = re.compile(r"[\s/,;&+]+")
_ED_CODE = re.compile(r"^([ED])\s?\d{1,2}[.:)]?$")
_MARK_ROLES = ("essential", "desirable", "ed", "shortlist")


@dataclass(frozen=True)
class Legend:
    """What the document's key says codes mean, over the usual ones."""

    #: method codes ("A" -> "AF")
    codes: dict[str, str] = field(default_factory=lambda: dict(lx.DEFAULT_CODES))
    #: mark codes ("S" -> "shortlisting", "E" -> "essential")
    marks: dict[str, str] = field(default_factory=dict)
    #: codes the legend itself defines as methods ("E = Exercise")
    methods: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Header:
    """A table's header row: the role of each column, and the category named over the
    criteria column when the table holds one category ("Qualifications | E/D | How assessed")."""

    roles: Roles
    category: str | None = None


@dataclass
class RowReading:
    """What one table row says."""

    #: the category (name, annotation) the row names, if any
    category: tuple[str, str] | None = None
    #: each criterion's text and the Essential/Desirable its column or tick gives (None: neither)
    items: list[tuple[str, bool | None]] = field(default_factory=list)
    #: the mark is the column the text stood in (Essential and Desirable columns of text):
    #: a mark the text or its section gives comes first
    by_column: bool = False
    both_ticked: bool = False
    methods: set[str] = field(default_factory=set)
    s_mark: bool = False
    #: a row of methods only: they belong to the criterion above it
    methods_for_previous: bool = False


def marks_in(inner: str) -> tuple[bool, bool | None] | None:
    """'S' -> (True, None); 'E' -> (False, True); 'D, S' -> (True, False); anything else None."""
    tokens = [t for t in _MARK_TOKENS.split(inner.strip().upper()) if t]
    if not tokens or len(tokens) > 3:
        return None
    s_mark = False
    ed: bool | None = None
    for token in tokens:
        if token == "S":  # the shortlisting mark, not a password  # nosec B105
            s_mark = True
        elif token in ("E", "ESSENTIAL"):
            ed = True
        elif token in ("D", "DESIRABLE"):
            ed = False
        else:
            return None
    return s_mark, ed


def classify_cell(cell: str, legend: Legend) -> tuple[str, object]:
    """("s", True), ("ed", True/False), ("tick", True/False), ("methods", {...}) or ("text", cell)."""
    bare = cell.strip()
    upper = bare.strip("()[]").strip().upper()
    mark = legend.marks.get(upper)
    if upper == "S" or mark == "shortlisting":
        return "s", True
    if mark == "essential" or upper == "ESSENTIAL":
        return "ed", True
    if mark == "desirable" or upper == "DESIRABLE":
        return "ed", False
    if upper == "E":
        if "E" in legend.methods:
            return "methods", {legend.codes["E"]}
        return "ed", True
    if upper == "D":
        return "ed", False
    code = _ED_CODE.match(upper)
    if code:
        return "ed", code.group(1) == "E"  # "E1", "D2": numbered essential and desirable criteria
    if lx.is_tick(bare) or lx.is_not_tick(bare):
        return "tick", lx.is_tick(bare)
    found = lx.parse_methods(bare, legend.codes)
    if found:
        return "methods", found
    return "text", bare


def cell_role(cell: str, codes: dict[str, str]) -> str | None:
    """What a header cell names: "lead" (the criteria), "category", "essential", "desirable",
    "ed", "shortlist", "method", "m:<code>" (a tick column for one method), "ignore", or None."""
    if CELL_BREAK in cell:
        # "Method of Assessment" over the methods it uses, in the same cell
        first = cell.split(CELL_BREAK, 1)[0]
        role = cell_role(first, codes) if first.strip() else None
        if role in ("method", "ed", "lead", "category"):
            return role
    low = squash(cell).lower().strip(" :*?")
    low = re.sub(r"\s*/\s*", "/", low) if len(low) <= 5 else low
    if low in _ROLE_ED or re.sub(r"\s*/\s*", " / ", low) in _ROLE_ED:
        return "ed"
    if low in _ROLE_ESSENTIAL or _ESSENTIAL_WORDS.match(low):
        return "essential"
    if low in _ROLE_DESIRABLE or _DESIRABLE_WORDS.match(low):
        return "desirable"
    if low in _ROLE_SHORTLIST:
        return "shortlist"
    if low in _ROLE_CATEGORY:
        return "category"
    if low in _ROLE_LEAD or _LEAD_PREFIX.match(low):
        return "lead"
    if _METHOD_HEADER.match(low) and len(low) <= 60:
        return "method"
    found = lx.parse_methods(cell, codes, loose=True)
    if found and len(found) == 1 and len(low) <= 30:
        return "m:" + next(iter(found))
    if _ASIDE.match(low):
        return "aside"
    if low in _ROLE_IGNORE or _WEIGHTING.match(low) or re.fullmatch(r"[A-Z]{1,3}", cell.strip()):
        # a weighting or score column, or a code the document does not explain
        return "ignore"
    return None


def is_aside(cell: str) -> bool:
    """A column about the criteria that neither marks nor assesses them ("To do what?")."""
    return bool(_ASIDE.match(squash(cell.replace(CELL_BREAK, " ")).lower().strip(" :*?")))


def names_columns(cells: list[str], codes: dict[str, str]) -> bool:
    """ "Area | Requirements": a header without marks or methods."""
    roles = [cell_role(c, codes) for c in cells if c]
    return all(r in ("lead", "category") for r in roles) and "lead" in roles


def _bilingual_role(cell: str, codes: dict[str, str]) -> str | None:
    """Bilingual headings: "Hanfodol / Essential", "Meini prawf / Criteria"."""
    parts = [p for p in re.split(r"\s+/\s+|\s*\|\s*|\u2028", cell) if p.strip()]
    if len(parts) == 2 and all(len(p) <= 40 for p in parts) and not lx.strip_bullet(parts[1])[1]:
        found = {cell_role(p, codes) for p in parts} - {None}
        return found.pop() if len(found) == 1 else None
    return None


def header(cells: list[str], codes: dict[str, str]) -> Header | None:
    """The header a row of cells makes, or None if it is no header."""
    if sum(1 for c in cells if c.strip()) < 2:
        return None
    roles: Roles = []
    first = next(i for i, c in enumerate(cells) if c.strip())
    for index, cell in enumerate(cells):
        if not squash(cell):
            roles.append(None)
            continue
        role = cell_role(cell, codes)
        if index == first and (role is None or role.startswith("m:")) and (
            lx.strong_heading(squash(cell)) or _CAPS_HEADING.match(squash(cell))
            or (role is None and index == 0 and _SHORT_NAME.match(squash(cell)) and not lx.ends_sentence(cell)
                and _bilingual_role(cell, codes) is None)
        ):
            # "Qualifications | Essential or desirable | How assessed": one table per
            # category, its name over the criteria column (checked below)
            role = "named"
        if role is None:
            role = _bilingual_role(cell, codes)
        if role is None:
            return None
        roles.append(role)
    category = None
    asides = roles.count("aside")
    if asides >= 2 and all(r in ("named", "lead", "aside", None) for r in roles) and roles[first] in ("named", "lead"):
        # "Skills/ ability/ experience | To do what? | How well? | How important?": the criteria
        # and columns about them, with no marks or methods (the document's policy gives those)
        roles = ["lead" if r == "named" else ("ignore" if r == "aside" else r) for r in roles]
        return Header(roles, None)
    roles = ["ignore" if r == "aside" else r for r in roles]
    if "named" in roles:
        others = [r for r in roles if r and r != "named"]
        word_headers = "ed" in others or "method" in others or {"essential", "desirable"} <= set(others)
        if not word_headers and sum(1 for r in others if r.startswith("m:")) < 2:
            return None
        roles = ["lead" if r == "named" else r for r in roles]
        category = squash(cells[first])
    useful = {r for r in roles if r and r != "ignore"}
    if len(useful) < 2 and not (len([r for r in roles if r and r.startswith("m:")]) >= 2):
        return None
    if not any(r in ("essential", "desirable", "ed", "method", "shortlist") or (r or "").startswith("m:") for r in roles):
        return None
    # A lone "E" beside method columns is the exercise column, not Essential.
    if "essential" in roles and "desirable" not in roles and any((r or "").startswith("m:") for r in roles):
        roles = ["m:E" if r == "essential" else r for r in roles]
    if roles and roles[0] is None:
        roles[0] = "lead"
    return Header(roles, category)


def roles_of(cells: list[str], codes: dict[str, str]) -> Roles | None:
    found = header(cells, codes)
    return found.roles if found else None


def _fit(roles: Roles, cells: list[str], legend: Legend) -> list[str] | None:
    """The row's cells lined up under the header's columns, or None when they do not fit."""
    cells = ["" if ROW_NUMBER.match(cell.strip()) else cell for cell in cells]  # a row's number
    if len(cells) > len(roles):
        extra = len(cells) - len(roles)
        if any(cells[:extra]) and any(cells[len(roles):]):
            return None
        cells = cells[extra:] if not any(cells[:extra]) else cells[: len(roles)]
    cells = cells + [""] * (len(roles) - len(cells))
    for role, cell in zip(roles, cells):
        if role in _MARK_ROLES and cell and classify_cell(cell, legend)[0] == "methods":
            # a method code under a mark column: the marks were lost and the cells moved left
            return None
    return cells


def _named(text: str) -> tuple[str, str]:
    heading = lx.heading_text(text)
    return heading if heading else (text, "")


def read_row(roles: Roles, cells: list[str], legend: Legend) -> RowReading | None:
    """What a row says against its header's roles, or None when it does not fit them."""
    fitted = _fit(roles, cells, legend)
    if fitted is None:
        return None
    lead = category = ""
    ed_texts: list[tuple[bool, str]] = []
    ess_tick = des_tick = False
    methods: set[str] = set()
    s_mark = False
    for role, cell in zip(roles, fitted):
        if not cell:
            continue
        mark = cell.strip().upper()
        if role == "lead":
            lead = cell
        elif role == "category":
            if cell.strip().lower() in ("essential", "desirable"):
                # "Criteria | Category | Assessment Method": the category is the mark
                ess_tick = ess_tick or cell.strip().lower() == "essential"
                des_tick = des_tick or cell.strip().lower() == "desirable"
            else:
                category = cell
        elif role in ("essential", "desirable"):
            if lx.is_tick(cell) or mark in ("E", "D", "S"):
                if lx.is_tick(cell) or mark in ("E", "D"):
                    ess_tick = ess_tick or role == "essential"
                    des_tick = des_tick or role == "desirable"
                s_mark = s_mark or mark == "S"
            elif not lx.is_not_tick(cell):
                ed_texts.append((role == "essential", cell))
        elif role == "ed":
            marks = marks_in(cell)
            if marks is not None:
                s_mark = s_mark or marks[0]
                ess_tick = ess_tick or marks[1] is True
                des_tick = des_tick or marks[1] is False
        elif role == "method":
            # "Application form" over "Questions at interview": one method a paragraph
            cell = cell.replace(CELL_BREAK, " / ")
            found = lx.parse_methods(cell, legend.codes, loose=True)
            if found:
                methods |= found
            else:
                for token in re.split(r"[\s/,;&+.]+", cell):
                    if token in legend.codes:
                        methods.add(legend.codes[token])
                    elif token.upper() == "S":
                        s_mark = True
        elif role == "shortlist":
            s_mark = s_mark or lx.is_tick(cell) or mark in ("S", "YES")
        elif role and role.startswith("m:") and lx.is_tick(cell):
            methods.add(role[2:])
    reading = RowReading(methods=methods, s_mark=s_mark)
    if ed_texts:
        # Essential and Desirable columns side by side list several criteria a cell;
        # a lone "Essential" column is the criteria column itself
        if category or lead:
            reading.category = _named(category or lead)
        listing = "essential" in roles and "desirable" in roles
        reading.by_column = True
        reading.items = [(text, essential) for essential, cell in ed_texts
                         for text in cell_items(cell, paragraphs=listing)]
        return reading
    if category and not lead and "lead" not in roles and (
        ess_tick or des_tick or (methods and lx.heading_text(category) is None)
    ):
        # "Attribute | Essential (tick) | Desirable (tick) | Method": with no criteria
        # column, a ticked attribute is the criterion itself
        lead, category = category, ""
    if category:
        reading.category = _named(category)
    if not lead:
        reading.methods_for_previous = not category and bool(methods)
        return reading
    if not (ess_tick or des_tick or methods or s_mark) and lx.heading_text(lead) and CELL_BREAK not in lead:
        reading.category = _named(lead)
        return reading
    essential = True if ess_tick else (False if des_tick else None)
    reading.both_ticked = ess_tick and des_tick
    # a column beside the criteria holding as many paragraphs as the criteria cell (what each
    # is for, how important each is): one criterion a paragraph, stacked item by item
    breaks = lead.count(CELL_BREAK)
    stacked = breaks > 0 and any(
        role == "ignore" and cell.count(CELL_BREAK) == breaks for role, cell in zip(roles, fitted)
    )
    reading.items = [(text, essential) for text in cell_items(lead, paragraphs=stacked)]
    return reading


def cell_items(cell: str, paragraphs: bool = False) -> list[str]:
    """Criteria in one table cell: bullets are separate, plain lines join.

    With ``paragraphs`` (an Essential or Desirable column listing several
    criteria) a cell without bullets holds one criterion per paragraph, unless a
    paragraph plainly carries on the one before it."""
    pieces = [p.strip() for p in cell.split(CELL_BREAK) if p.strip()]
    if not pieces:
        return []
    if len(pieces) > 2 and all(lx.first_letter_case(p) == "upper" for p in pieces):
        # several paragraphs, each opening as a criterion does: one criterion each
        paragraphs = True
    if paragraphs and len(pieces) > 1 and not any(lx.strip_bullet(p)[1] for p in pieces):
        out: list[str] = []
        for piece in pieces:
            if out and (
                lx.first_letter_case(piece) == "lower"
                or (lx.ends_with_joiner(out[-1]) and not lx.ends_sentence(out[-1]))
                or out[-1].rstrip().endswith(":")
            ):
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
        return out
    items: list[str] = []
    intro_open = False
    mark = ""
    for piece in pieces:
        ed_heading = lx.ED_HEADING.match(piece.strip().rstrip(":") + ":")
        if ed_heading and not lx.strip_bullet(piece)[1]:
            # "Essential:" over a list in the same cell marks the items below it
            mark = ed_heading.group(1) + ": "
            intro_open = False
            items.append("")
            continue
        if mark:
            piece = (lx.BULLET.sub(lambda m, mark=mark: m.group(0) + mark, piece, count=1)
                     if lx.strip_bullet(piece)[1] else mark + piece)
        text, bullet = lx.strip_bullet(piece)
        if bullet and items and items[-1].rstrip().endswith(":"):
            intro_open = True
            items[-1] = f"{items[-1]} {text}"
        elif bullet and intro_open:
            items[-1] = f"{items[-1]}; {text}"
        elif bullet or not items:
            items.append(text)
            intro_open = False
        elif not items[-1]:
            items[-1] = text
        else:
            items[-1] = f"{items[-1]} {text}"
    return [i for i in items if i.strip()]
