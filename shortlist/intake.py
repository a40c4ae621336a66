"""Applications from a CSV file: one row per applicant, evidence in columns named by criterion key.

Parsing is all or nothing: every problem is reported with its line and column,
and a file with any problem yields no applications.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime

from shortlist.campaign_format import (
    EMAIL,
    EQUALITY_KEYS,
    FORCES_BOTH,
    FORCES_LAST_EMPLOYER,
    REFERENCE,
    YEAR_MONTH,
    ApplicationSpec,
    ForcesSpec,
    Problem,
    SpellSpec,
)
from shortlist.dates import FIRST_YEAR, LAST_YEAR, year_in_range

MAX_CSV_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_CELL = 20_000

FIXED_COLUMNS = (
    "reference",
    "name",
    "email",
    "phone",
    "disability_declared",
    "offer_interview_opt_in",
    "unmet_due_to_disability",
    "adjustments",
    # the Armed Forces Covenant guaranteed interview (R7)
    "armed_forces_left_on",
    "armed_forces_discharge_due",
    "armed_forces_last_long_term_employer",
    "qualifications",
    "employment_history",
    # sealed on the way in: HR alone reads them, never a panel (R10, R15)
    *(f"equality_{key}" for key in EQUALITY_KEYS),
    "unspent_convictions",
    "conviction_details",
)
MAX_ANSWER = 200
REQUIRED = ("reference", "name")
TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0", ""}
SPELL = re.compile(
    r"^\s*(?P<start>\d{4}-\d{2})\s*(?:to|–|-|\.\.)\s*(?P<end>\d{4}-\d{2}|now|present|current)\s*"
    r"(?P<employer>[^/]+?)\s*(?:/\s*(?P<role>.+?))?\s*$",
    re.IGNORECASE,
)


class IntakeError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def template(criteria: Iterable[str]) -> str:
    """The header row a manager fills in: fixed columns then one evidence column per criterion key."""
    out = io.StringIO()
    csv.writer(out).writerow([*FIXED_COLUMNS, *criteria])
    return out.getvalue()


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def read_date(value: str) -> date | None:
    """A date as exports write it: 2024-05-31 or, day first as in the UK, 31/05/2024."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def read_forces(left: str, due: str, last: str) -> tuple[ForcesSpec | None, list[tuple[str, str]]]:
    """The Armed Forces service cells (R7): the spec, or the (column, problem) pairs."""
    problems: list[tuple[str, str]] = []
    dates: dict[str, date | None] = {}
    for column, value in (("armed_forces_left_on", left), ("armed_forces_discharge_due", due)):
        dates[column] = None
        if value:
            parsed = read_date(value)
            if parsed is None:
                problems.append((column, f"{value!r} is not a date: write it as 2024-05-31 or 31/05/2024"))
            elif not year_in_range(parsed.year):
                problems.append((column, f"years are {FIRST_YEAR} to {LAST_YEAR}"))
            else:
                dates[column] = parsed
    last = last.lower()
    if last not in TRUE | FALSE:
        problems.append(("armed_forces_last_long_term_employer", "must be yes or no"))
    if left and due:
        problems.append(("armed_forces_discharge_due", FORCES_BOTH))
    elif left and not last:
        problems.append(("armed_forces_last_long_term_employer", "is required with armed_forces_left_on: "
                         + FORCES_LAST_EMPLOYER))
    elif last and not left:
        problems.append(("armed_forces_last_long_term_employer", FORCES_LAST_EMPLOYER))
    if problems or not (left or due):
        return None, problems
    return ForcesSpec(dates["armed_forces_left_on"], dates["armed_forces_discharge_due"],
                      bool(left) and last in TRUE), []


def _line_column(line: int, column: str) -> str:
    return f"line {line}, column {column}"


def _decode(data: bytes) -> str:
    if len(data) > MAX_CSV_BYTES:
        raise IntakeError([Problem("", f"the file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB")])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IntakeError([Problem("", "the file is not text: save it from your spreadsheet as CSV (UTF-8)")])


def parse_csv(data: bytes, criteria: Collection[str], existing: Collection[str] = ()) -> list[ApplicationSpec]:
    """Applications from CSV bytes: `criteria` are the vacancy's criterion keys (evidence
    columns), `existing` the references already on the vacancy."""
    text = _decode(data)
    if "\x00" in text:
        raise IntakeError([Problem("", "the file is not text: save it from your spreadsheet as CSV (UTF-8)")])
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise IntakeError([Problem("", f"the file is not valid CSV: {exc}")]) from exc
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise IntakeError([Problem("", "line 1: the file is empty; it needs a header row (download the template)")])
    return parse_rows([h.strip() for h in rows[0]], rows[1:], criteria, existing)


def parse_rows(header: list[str], rows: list[list[str]], criteria: Collection[str],
               existing: Collection[str] = (), where: Callable[[int, str], str] | None = None) -> list[ApplicationSpec]:
    """Applications from a header (the template's column names) and its rows (line 2 on), by the
    template's rules; ``where`` names a cell in the problems (default: line and column)."""
    _where = where or _line_column
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        if name in seen:
            problems.append(Problem(_where(1, name or f"#{i}"), "this column appears twice"))
        seen.add(name)
        if name not in FIXED_COLUMNS and name not in criteria:
            problems.append(Problem(_where(1, name or f"#{i}"),
                                    "unknown column: use the template's columns (criterion keys for evidence)"))
    for name in REQUIRED:
        if name not in header:
            problems.append(Problem(_where(1, name), "this column is required"))
    if problems:
        raise IntakeError(problems)
    if len(rows) > MAX_ROWS:
        raise IntakeError([Problem("", f"the file has more than {MAX_ROWS} applications; split it")])

    out: list[ApplicationSpec] = []
    references: set[str] = set()
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines from spreadsheets
        if len(row) > len(header):
            problems.append(Problem(f"line {line}", f"has {len(row)} cells but the header has {len(header)}"))
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        for name, value in cells.items():
            if len(value) > MAX_CELL:
                problems.append(Problem(_where(line, name), f"is longer than {MAX_CELL} characters"))
                cells[name] = value[:MAX_CELL]
        reference = cells.get("reference", "")
        if not reference:
            problems.append(Problem(_where(line, "reference"), "is required"))
        elif not REFERENCE.match(reference):
            problems.append(Problem(_where(line, "reference"), "use letters, digits and - _ . / only"))
        elif reference in references or reference in existing:
            problems.append(Problem(_where(line, "reference"), f"{reference!r} is already used"))
        references.add(reference)
        if not cells.get("name"):
            problems.append(Problem(_where(line, "name"), "is required"))
        email = cells.get("email", "")
        if email and not EMAIL.match(email):
            problems.append(Problem(_where(line, "email"), f"{email!r} is not an e-mail address"))

        flags: dict[str, bool] = {}
        for column in ("disability_declared", "offer_interview_opt_in"):
            value = cells.get(column, "").lower()
            if value in TRUE:
                flags[column] = True
            elif value in FALSE:
                flags[column] = False
            else:
                problems.append(Problem(_where(line, column), "must be yes or no"))
                flags[column] = False

        unmet = [k.strip() for k in cells.get("unmet_due_to_disability", "").split(";") if k.strip()]
        for key in unmet:
            if key not in criteria:
                problems.append(Problem(_where(line, "unmet_due_to_disability"), f"unknown criterion {key!r}"))
        if unmet and not flags["disability_declared"]:
            problems.append(Problem(_where(line, "unmet_due_to_disability"), "needs disability_declared: yes"))

        spells: list[SpellSpec] = []
        for part in (p for p in cells.get("employment_history", "").split(";") if p.strip()):
            match = SPELL.match(part)
            if not match:
                problems.append(Problem(_where(line, "employment_history"),
                                        f"{part.strip()!r}: write each job as 'YYYY-MM to YYYY-MM Employer / Role' "
                                        "(or 'to now'), jobs separated by ';'"))
                continue
            start, end = match["start"], match["end"]
            end_month = None if end.lower() in {"now", "present", "current"} else end
            if not YEAR_MONTH.match(start) or (end_month and not YEAR_MONTH.match(end_month)):
                problems.append(Problem(_where(line, "employment_history"), f"{part.strip()!r}: months are 01 to 12"))
                continue
            if not all(year_in_range(int(m[:4])) for m in (start, end_month) if m):
                problems.append(Problem(_where(line, "employment_history"),
                                        f"{part.strip()!r}: years are {FIRST_YEAR} to {LAST_YEAR}"))
                continue
            if end_month and end_month < start:
                problems.append(Problem(_where(line, "employment_history"), f"{part.strip()!r}: ends before it starts"))
                continue
            spells.append(SpellSpec(start, end_month, match["employer"].strip(), (match["role"] or "").strip()))

        equality: dict[str, str] = {}
        for key in EQUALITY_KEYS:
            answer = cells.get(f"equality_{key}", "")
            if len(answer) > MAX_ANSWER:
                problems.append(Problem(_where(line, f"equality_{key}"), f"is longer than {MAX_ANSWER} characters"))
            elif answer:
                equality[key] = answer
        declared = cells.get("unspent_convictions", "").lower()
        details = cells.get("conviction_details", "")
        declaration: tuple[bool, str] | None = None
        if declared in TRUE:
            declaration = (True, details)
        elif declared in FALSE - {""}:
            declaration = (False, "")
        elif declared:
            problems.append(Problem(_where(line, "unspent_convictions"), "must be yes, no or left empty"))
        if details and declared not in TRUE:
            problems.append(Problem(_where(line, "conviction_details"),
                                    "give details only when unspent_convictions is yes"))

        forces, forces_problems = read_forces(cells.get("armed_forces_left_on", ""),
                                              cells.get("armed_forces_discharge_due", ""),
                                              cells.get("armed_forces_last_long_term_employer", ""))
        problems.extend(Problem(_where(line, column), message) for column, message in forces_problems)

        evidence: dict[str, str] = {}
        for key in criteria:
            value = cells.get(key, "")
            if value:
                evidence[key] = value
        out.append(ApplicationSpec(
            reference=reference,
            name=cells.get("name", ""),
            email=email.lower(),
            phone=cells.get("phone", ""),
            disability_declared=flags["disability_declared"],
            offer_interview_opt_in=flags["offer_interview_opt_in"],
            unmet_due_to_disability=tuple(unmet),
            adjustments=cells.get("adjustments", ""),
            employment_history=tuple(spells),
            qualifications=tuple(q.strip() for q in cells.get("qualifications", "").split(";") if q.strip()),
            evidence=evidence,
            equality_monitoring=equality or None,
            criminal_record_declaration=declaration,
            armed_forces=forces,
        ))
    if problems:
        raise IntakeError(problems)
    if not out:
        raise IntakeError([Problem("", "the file has a header but no applications")])
    return out
