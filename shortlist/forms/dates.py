"""A date typed into the GOV.UK date input (day, month and year boxes), read without WTForms,
with the GOV.UK Design System's error messages, each naming the box to fix."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

PARTS = ("day", "month", "year")
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True)
class DateParts:
    """What was typed (kept to show again) and, once read, the date or the problem."""

    name: str
    day: str = ""
    month: str = ""
    year: str = ""
    value: date | None = None
    error: str | None = None
    error_boxes: tuple[str, ...] = ()  # the boxes with the problem; the error links to the first

    @property
    def error_id(self) -> str:
        return f"{self.name}-{(self.error_boxes or PARTS)[0]}"

    def items(self) -> list[dict[str, str]]:
        """The date input's boxes, for govukDateInput (the box with the problem marked)."""
        widths = {"day": "2", "month": "2", "year": "4"}
        return [{"name": part, "value": getattr(self, part),
                 "classes": f"govuk-input--width-{widths[part]}"
                 + (" govuk-input--error" if part in self.error_boxes else "")}
                for part in PARTS]


def from_iso(name: str, value: date | None) -> DateParts:
    if value is None:
        return DateParts(name)
    return DateParts(name, str(value.day), str(value.month), str(value.year), value)


def read(form: Mapping[str, str], name: str, label: str) -> DateParts:
    """The date in the form's ``NAME-day``, ``NAME-month`` and ``NAME-year`` boxes."""
    typed = {part: (form.get(f"{name}-{part}") or "").strip()[:10] for part in PARTS}
    base = DateParts(name, **typed)
    missing = [part for part in PARTS if not typed[part]]
    if len(missing) == 3:
        return _problem(base, f"Enter the {label.lower()}", *PARTS)
    if missing:
        return _problem(base, f"{label} must include a {' and '.join(missing)}", *missing)
    wrong = [part for part in PARTS if not typed[part].isdigit()]
    if wrong:
        return _problem(base, f"{label} must be a real date", *wrong)
    if len(typed["year"]) != 4:
        return _problem(base, "Year must include 4 numbers", "year")
    try:
        value = date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
    except ValueError:
        return _problem(base, f"{label} must be a real date", *PARTS)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return _problem(base, f"{label} must be between {FIRST_YEAR} and {LAST_YEAR}", "year")
    return DateParts(name, **typed, value=value)


def _problem(base: DateParts, message: str, *boxes: str) -> DateParts:
    return DateParts(base.name, base.day, base.month, base.year, None, message, boxes)
