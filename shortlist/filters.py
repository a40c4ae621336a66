"""Template filters."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup, escape

from shortlist.rules.vocabulary import BARRED_LIST_NAMES, DBS_LEVEL_NAMES, METHOD_NAMES


def govuk_date(value: date | datetime | None) -> str:
    if value is None:
        return "Not recorded"
    return f"{value.day} {value:%B %Y}"


def yes_no(value: bool | None) -> str:
    return "Yes" if value else "No"


def method_names(methods: list[str]) -> str:
    return ", ".join(METHOD_NAMES.get(m, m) for m in methods)


def dbs_label(level: str) -> str:
    return DBS_LEVEL_NAMES.get(level, level)


def barred_lists_label(lists: list[str]) -> str:
    labels = [BARRED_LIST_NAMES.get(item, item) for item in lists]
    return " and ".join(labels) if labels else "None"


def cell_label(text: str) -> Markup:
    """A table cell's column name, shown before its value only when the table reflows on a
    narrow screen (`.app-table--stack`); screen readers get it from the column header."""
    return Markup('<span class="app-table__label" aria-hidden="true">{}: </span>').format(escape(text))


def audit_text(value: object, depth: int = 0) -> str:
    """An audit record's data as words: 'scores: K1 2, D1 1; gap marks: none', never a
    Python dict. The CSV export keeps the data as JSON, for machines."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if not value:
            return "none"
        parts = [f"{str(k).replace('_', ' ')}{': ' if depth == 0 else ' '}{audit_text(v, depth + 1)}"
                 for k, v in value.items()]
        text = ("; " if depth == 0 else ", ").join(parts)
        return text if depth <= 1 else f"({text})"
    if isinstance(value, (list, tuple)):
        return ", ".join(audit_text(v, depth + 1) for v in value) if value else "none"
    return str(value)


def override_label(code: str | None) -> str:
    """HR's override reason in words (the closed list's codes are for machines)."""
    from shortlist.rules import OVERRIDE_REASON_LABELS

    return OVERRIDE_REASON_LABELS.get(code or "", code or "")


def register(app: Flask) -> None:
    app.add_template_global(cell_label)
    app.add_template_filter(barred_lists_label)
    app.add_template_filter(govuk_date)
    app.add_template_filter(audit_text)
    app.add_template_filter(override_label)
    app.add_template_filter(yes_no)
    app.add_template_filter(method_names)
    app.add_template_filter(dbs_label)
