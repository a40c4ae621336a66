"""Applications from other systems' exports (issue 18): a CSV or XLSX file of any shape, read
into columns and rows (bounded), then mapped column by column onto our fields and read by the
template's rules (shortlist.intake.parse_rows), every problem named by row and by the file's own
column. Nothing here touches the database: shortlist.services.exports writes, all or nothing.

Mapping profiles say which of a file's columns holds each of our fields; three are shipped for
the common shapes (docs/intake.md, with a sample file each), and HR saves their own per
organisation."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shortlist.campaign_format import EQUALITY_KEYS, ApplicationSpec, Problem
from shortlist.intake import MAX_CELL, IntakeError, parse_rows

MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 80 * 1024 * 1024  # an XLSX is a zip: a small file that unpacks huge is refused
MAX_ROWS = 5000
MAX_COLUMNS = 200
PREVIEW_ROWS = 5

#: our fields, in the order the mapping step lists them, with their labels; evidence fields
#: (one per criterion) are "evidence:<key>"
FIELDS: dict[str, str] = {
    "reference": "Reference (ours; the external id if none)",
    "external_id": "The source system's id",
    "name": "Name",
    "email": "E-mail",
    "phone": "Phone",
    "qualifications": "Qualifications (separated by ;)",
    "employment_history": "Employment history ('YYYY-MM to YYYY-MM Employer / Role'; jobs separated by ;)",
    "offer_interview_opt_in": "Disability Confident: asks for an interview (yes or no)",
    "disability_declared": "Declares a disability (yes or no)",
    "armed_forces_left_on": "Armed Forces: left on (date)",
    "armed_forces_discharge_due": "Armed Forces: due to leave on (date)",
    "armed_forces_last_long_term_employer": "Armed Forces: their last long-term employer (yes or no)",
    "adjustments": "Adjustments asked for",
    **{f"equality_{key}": f"Equality: {key.replace('_', ' ')} (sealed)" for key in EQUALITY_KEYS},
    "unspent_convictions": "Unspent convictions (yes or no; sealed)",
    "conviction_details": "Conviction details (sealed)",
}
SEALED = {f"equality_{key}" for key in EQUALITY_KEYS} | {"unspent_convictions", "conviction_details"}
REQUIRED = ("name",)


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _bounded(columns: list[str], rows: list[list[str]]) -> Table:
    if not columns or not any(columns):
        raise IntakeError([Problem("", "row 1: the file is empty; it needs a header row")])
    if len(columns) > MAX_COLUMNS:
        raise IntakeError([Problem("", f"the file has {len(columns)} columns; at most {MAX_COLUMNS} are read")])
    problems = []
    seen: set[str] = set()
    for name in columns:
        if not name:
            continue
        if name in seen:
            problems.append(Problem(f"row 1, column {name}", "this column appears twice"))
        seen.add(name)
    if problems:
        raise IntakeError(problems)
    rows = [r for r in rows if any(c for c in r)]
    if len(rows) > MAX_ROWS:
        raise IntakeError([Problem("", f"the file has more than {MAX_ROWS} applications; split it")])
    if not rows:
        raise IntakeError([Problem("", "the file has a header but no applications")])
    width = len(columns)
    return Table(columns, [[(r[i] if i < len(r) else "")[:MAX_CELL + 1] for i in range(width)] for r in rows])


def read_csv(data: bytes) -> Table:
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise IntakeError([Problem("", "the file is not text: save it as CSV (UTF-8) or XLSX")])
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise IntakeError([Problem("", f"the file is not valid CSV: {exc}")]) from exc
    if not rows:
        raise IntakeError([Problem("", "row 1: the file is empty; it needs a header row")])
    return _bounded([c.strip() for c in rows[0]], [[c.strip() for c in r] for r in rows[1:MAX_ROWS + 2]])


def read_xlsx(data: bytes) -> Table:
    """The first sheet: its first row the column names. Formulas give their saved value."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise IntakeError([Problem("", "the workbook unpacks to more than "
                                               f"{MAX_UNZIPPED // (1024 * 1024)} MB: save only the applications")])
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except IntakeError:
        raise
    except Exception as exc:  # not a workbook openpyxl can read: say so, whatever the cause
        raise IntakeError([Problem("", f"the file is not an XLSX workbook ({type(exc).__name__})")]) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1, max_row=MAX_ROWS + 2):
            rows.append([_cell(v) for v in row])
    finally:
        book.close()
    if not rows:
        raise IntakeError([Problem("", "row 1: the sheet is empty; it needs a header row")])
    columns = rows[0]
    while columns and not columns[-1]:
        columns = columns[:-1]
    return _bounded(columns, rows[1:])


def read(data: bytes, filename: str) -> Table:
    if len(data) > MAX_BYTES:
        raise IntakeError([Problem("", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")])
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return read_xlsx(data)
    return read_csv(data)


# --------------------------------------------------------------------------- mapping


def fields_for(criteria: Mapping[str, str]) -> dict[str, str]:
    """Every field the mapping step offers: ours, then evidence per criterion (key -> text)."""
    return {**FIELDS, **{f"evidence:{key}": f"Evidence for {key}: {text[:80]}" for key, text in criteria.items()}}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def suggest(table: Table, criteria: Mapping[str, str], profile: Mapping[str, str] | None = None) -> dict[str, str]:
    """Our field -> the file's column: the profile's choices where the file has that column, then
    a column named like the field (or, for evidence, like the criterion's key or wording)."""
    columns = {_norm(c): c for c in table.columns if c}
    out: dict[str, str] = {}
    for field, column in (profile or {}).items():
        if column in table.columns:
            out[field] = column
    for field, label in fields_for(criteria).items():
        if field in out:
            continue
        names = [field, label]
        if field.startswith("evidence:"):
            key = field.split(":", 1)[1]
            names = [key, f"evidence {key}", f"evidence: {key}", criteria[key]]
        for name in names:
            if _norm(name) in columns:
                out[field] = columns[_norm(name)]
                break
    return out


@dataclass(frozen=True)
class Mapped:
    specs: list[ApplicationSpec]
    external_ids: list[str | None]
    preview: list[dict[str, str]]  # the first rows, by our field (sealed fields shown only as given/blank)


def apply(table: Table, mapping: Mapping[str, str], criteria: Collection[str], existing: Collection[str] = (),
          existing_external: Collection[str] = ()) -> Mapped:
    """The applications the mapped file holds, or IntakeError naming every problem by row and by
    the file's column. A field mapped to no column is blank."""
    problems: list[Problem] = []
    index = {c: i for i, c in enumerate(table.columns)}
    for field, column in mapping.items():
        if column and column not in index:
            problems.append(Problem(f"mapping, {field}", f"the file has no column {column!r}"))
    if not mapping.get("name"):
        problems.append(Problem("mapping, name", "choose the column that holds the applicant's name"))
    if not mapping.get("reference") and not mapping.get("external_id"):
        problems.append(Problem("mapping, reference", "choose the column that holds the reference or the source "
                                                      "system's id"))
    if problems:
        raise IntakeError(problems)
    ours = [f for f in mapping if mapping[f] and f != "external_id"]
    header = [f.split(":", 1)[1] if f.startswith("evidence:") else f for f in ours]
    if "reference" not in ours:
        header.append("reference")
    theirs = {h: mapping[f] for h, f in zip(header, ours, strict=False)}
    if "reference" not in ours:
        theirs["reference"] = mapping["external_id"]
    rows: list[list[str]] = []
    external: list[str | None] = []
    for row in table.rows:
        values = [row[index[mapping[f]]] for f in ours]
        ext = row[index[mapping["external_id"]]] if mapping.get("external_id") else None
        if "reference" not in ours:
            values.append(ext or "")
        rows.append(values)
        external.append(ext or None)

    def where(line: int, column: str) -> str:
        return f"row {line}, column {theirs.get(column, column)}"

    seen: dict[str, int] = {}
    for line, ext in enumerate(external, start=2):
        if ext and (ext in existing_external or ext in seen):
            problems.append(Problem(where(line, "reference" if "reference" not in ours else mapping["external_id"]),
                                    f"{ext!r} is already imported" if ext in existing_external
                                    else f"{ext!r} is also row {seen[ext]}'s"))
        if ext:
            seen.setdefault(ext, line)
        if ext and len(ext) > 100:
            problems.append(Problem(f"row {line}, column {mapping['external_id']}", "is longer than 100 characters"))
    try:
        specs = parse_rows(header, rows, criteria, existing, where)
    except IntakeError as exc:
        raise IntakeError(problems + exc.problems) from None
    if problems:
        raise IntakeError(problems)
    preview = [{f: ("(sealed: given)" if f in SEALED and v else v) for f, v in zip(ours, r, strict=False)}
               for r in rows[:PREVIEW_ROWS]]
    return Mapped(specs, external, preview)


def preview_rows(table: Table, mapping: Mapping[str, str]) -> list[dict[str, str]]:
    """The first rows as they would be read, by our field (sealed answers never shown)."""
    index = {c: i for i, c in enumerate(table.columns)}
    out = []
    for row in table.rows[:PREVIEW_ROWS]:
        out.append({f: ("(sealed: given)" if f in SEALED and row[index[c]] else row[index[c]])
                    for f, c in mapping.items() if c in index})
    return out


#: the profiles shipped for the common shapes (docs/intake.md; samples in docs/intake/): our
#: field -> the export's column. Evidence columns are matched to criteria by key or wording.
SHIPPED: dict[str, dict[str, str]] = {
    "Trac-style export": {
        "external_id": "Application ID", "reference": "Applicant Reference", "name": "Applicant Name",
        "email": "Email Address", "phone": "Telephone", "qualifications": "Qualifications",
        "employment_history": "Employment History", "offer_interview_opt_in": "Guaranteed Interview Scheme",
        "disability_declared": "Disability", "armed_forces_left_on": "Armed Forces Leaving Date",
        "armed_forces_discharge_due": "Armed Forces Discharge Date",
        "armed_forces_last_long_term_employer": "Armed Forces Last Employer",
        "adjustments": "Reasonable Adjustments", "equality_ethnicity": "Ethnic Origin", "equality_sex": "Sex",
        "equality_age_band": "Age Band", "equality_disability": "Disability (Equality Monitoring)",
        "unspent_convictions": "Unspent Convictions", "conviction_details": "Conviction Details",
    },
    "NHS Jobs-style export": {
        "external_id": "Applicant number", "name": "Full name", "email": "Email", "phone": "Phone number",
        "qualifications": "Qualifications", "employment_history": "Employment",
        "offer_interview_opt_in": "Disability Confident scheme", "disability_declared": "Do you consider yourself disabled",
        "armed_forces_left_on": "Date left the armed forces", "armed_forces_discharge_due": "Armed forces discharge date",
        "armed_forces_last_long_term_employer": "Armed forces last employer", "adjustments": "Adjustments",
        "equality_ethnicity": "Ethnicity", "equality_sex": "Sex", "equality_religion": "Religion or belief",
        "equality_sexual_orientation": "Sexual orientation", "unspent_convictions": "Criminal convictions",
        "conviction_details": "Criminal convictions details",
    },
    "Generic council ATS export": {
        "external_id": "Candidate ID", "name": "Candidate Name", "email": "Email", "phone": "Mobile",
        "qualifications": "Qualifications", "employment_history": "Work History",
        "offer_interview_opt_in": "Guaranteed Interview", "disability_declared": "Disabled",
        "armed_forces_left_on": "Veteran Left Date", "armed_forces_discharge_due": "Service Leaver Date",
        "armed_forces_last_long_term_employer": "Forces Last Employer", "adjustments": "Interview Adjustments",
        "equality_ethnicity": "EO Ethnicity", "equality_age_band": "EO Age", "equality_sex": "EO Sex",
        "unspent_convictions": "Unspent Convictions", "conviction_details": "Conviction Details",
    },
}
