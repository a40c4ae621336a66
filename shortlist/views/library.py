"""The criteria library from a vacancy's person-specification step: browse and search the
statements of the national frameworks, choose some, and add them to the vacancy as criteria."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from shortlist.library import KINDS, Statement, load_library
from shortlist.models import METHOD_NAMES, METHODS, Vacancy
from shortlist.permissions import vacancy_access
from shortlist.services import library as service
from shortlist.services import vacancies
from shortlist.numbers import as_int

bp = Blueprint("library", __name__, url_prefix="/vacancies/<reference>/setup/library")

PAGE_SIZE = 50
KIND_LABELS = {
    "knowledge_skill": "Knowledge and skills statements (career framework)",
    "responsibility": "Responsibilities (career framework)",
    "pillar_aspect": "Aspects of the pillars of practice (career framework)",
    "job_statement": "Job statements (NHS profiles)",
    "je_factor": "Job-evaluation factors (NHS profiles)",
}
KIND_SHORT = {
    "knowledge_skill": "Knowledge and skills", "responsibility": "Responsibility",
    "pillar_aspect": "Pillar aspect", "job_statement": "Job statement", "je_factor": "Job-evaluation factor",
}
FRAMEWORKS = {"ccdf": "Career framework for art, drama and music therapists",
              "nhs-profiles": "NHS national profiles for arts therapists"}


def _filters() -> dict[str, str]:
    lib = load_library()
    allowed = {
        "framework": set(FRAMEWORKS),
        "level": {lv.id for lv in lib.levels()},
        "pillar": {p.id for p in lib.pillars},
        "band": set(lib.bands()),
        "kind": set(KINDS),
    }
    out = {"q": " ".join(request.args.get("q", "").split())[:200]}
    for name, values in allowed.items():
        value = request.args.get(name, "")
        out[name] = value if value in values else ""
    return out


def _matches(filters: dict[str, str]) -> list[Statement]:
    lib = load_library()
    found = lib.search(filters["q"], level=filters["level"] or None, band=filters["band"] or None,
                       kind=filters["kind"] or None, limit=len(lib.statements))
    if filters["framework"]:
        found = [s for s in found if s.source.key == filters["framework"]]
    if filters["pillar"]:
        found = [s for s in found if s.pillar == filters["pillar"]]
    return found


def describe(s: Statement) -> str:
    """Where a statement comes from, in words: shown beside it wherever it is offered."""
    lib = load_library()
    if s.source.key == "ccdf":
        parts = [f"Career framework, {s.level_name or 'all levels'}", f"{KIND_SHORT[s.kind]} {s.ref or ''}".strip()]
        if s.pillar:
            pillar = next((p.name for p in lib.pillars if p.id == s.pillar), s.pillar)
            parts.append(f"pillar: {pillar}")
    else:
        parts = [f"NHS profile {s.profile_title} (band {s.band})"]
        if s.kind == "je_factor":
            parts.append(f"{s.ref}: {s.factor}, JE level {s.je_level} (score {s.je_score})")
        else:
            parts.append(s.ref or KIND_SHORT[s.kind])
    parts.append(f"suggested: {s.category}, {'/'.join(s.methods)}")
    return " · ".join(parts)


@bp.get("/")
@vacancy_access("manage")
def browse(vacancy: Vacancy):  # noqa: ANN201
    lib = load_library()
    filters = _filters()
    searched = any(filters.values())
    found = _matches(filters) if searched else []
    items = [{"value": s.id, "text": s.text, "hint": {"text": describe(s)}} for s in found[:PAGE_SIZE]]
    selects = [
        ("framework", "Document", [{"value": "", "text": "Both documents"}]
         + [{"value": k, "text": v} for k, v in FRAMEWORKS.items()]),
        ("level", "Career framework: level of practice", [{"value": "", "text": "Any level"}]
         + [{"value": lv.id, "text": lv.name} for lv in lib.levels()]),
        ("pillar", "Career framework: pillar of practice", [{"value": "", "text": "Any pillar"}]
         + [{"value": p.id, "text": p.name} for p in lib.pillars]),
        ("band", "NHS profiles: band", [{"value": "", "text": "Any band"}]
         + [{"value": b, "text": f"Band {b}"} for b in lib.bands()]),
        ("kind", "Kind of statement", [{"value": "", "text": "Any kind"}]
         + [{"value": k, "text": v} for k, v in KIND_LABELS.items()]),
    ]
    return render_template(
        "library/browse.html", vacancy=vacancy, lib=lib, filters=filters, searched=searched, selects=selects,
        total=len(found), items=items, page_size=PAGE_SIZE, kind_labels=KIND_LABELS, frameworks=FRAMEWORKS,
        locked=vacancies.scores_submitted(vacancy),
    )


def _chosen_ids() -> list[str]:
    ids: list[str] = []
    for value in request.args.getlist("statement") if request.method == "GET" else []:
        if value not in ids:
            ids.append(value)
    return ids


def _rows_from_request() -> tuple[list[Statement], list[dict[str, Any]]]:
    lib = load_library()
    count_text = request.form.get("count", "")
    count = min(max(as_int(count_text) or 0, 0), service.MAX_PER_ADD)
    statements: list[Statement] = []
    rows: list[dict[str, Any]] = []
    for i in range(count):
        s = lib.get(request.form.get(f"s{i}-id", ""))
        if s is None:
            continue
        statements.append(s)
        rows.append({
            "category": " ".join(request.form.get(f"s{i}-category", "").split())[:200],
            "text": request.form.get(f"s{i}-text", "").strip()[:5000],
            "essential": request.form.get(f"s{i}-essential", "essential") != "desirable",
            "methods": [m for m in METHODS if m in request.form.getlist(f"s{i}-methods")],
            "shortlisting": request.form.get(f"s{i}-shortlisting") == "yes",
        })
    return statements, rows


@bp.route("/add", methods=["GET", "POST"])
@vacancy_access("manage")
def add(vacancy: Vacancy):  # noqa: ANN201
    """Choose how each chosen statement becomes a criterion, then add them all at once."""
    lib = load_library()
    form = FlaskForm()
    errors: dict[str, str] = {}
    back = url_for("library.browse", reference=vacancy.reference)
    if request.method == "POST":
        if not form.validate_on_submit():
            return redirect(url_for("library.browse", reference=vacancy.reference))
        statements, rows = _rows_from_request()
        for i, row in enumerate(rows):
            if not row["text"]:
                errors[f"s{i}-text"] = f"Statement {i + 1}: enter the criterion"
            if not row["category"]:
                errors[f"s{i}-category"] = f"Statement {i + 1}: enter the category"
            if row["essential"] and not row["methods"]:
                errors[f"s{i}-methods"] = f"Statement {i + 1}: select at least one way it is assessed"
        if not statements:
            flash("Select at least one statement to add", "warning")
            return redirect(url_for("library.browse", reference=vacancy.reference))
        if not errors:
            choices = [service.LibraryChoice(s.id, r["category"], r["text"], r["essential"], tuple(r["methods"]),
                                             r["shortlisting"]) for s, r in zip(statements, rows)]
            try:
                added = service.add_from_library(vacancy, current_user, choices)
            except vacancies.Locked as exc:
                errors["locked"] = str(exc)
            except vacancies.SetupRefused as exc:
                for f in exc.findings:
                    number = as_int(f.criterion)
                    index = number - 1 if number is not None else None
                    field = "methods" if f.field.endswith(".methods") else "text"
                    errors[f"s{index}-{field}" if index is not None else f"finding-{f.code}"] = f.message
            else:
                for finding in added.warnings:
                    if finding.severity == "warning" and finding.criterion in added.keys:
                        flash(f"Check: {finding.message}", "warning")
                flash(f"{len(added.keys)} criteri{'on' if len(added.keys) == 1 else 'a'} added from the library: "
                      f"{', '.join(added.keys)}", "success")
                return redirect(url_for("setup.criteria", reference=vacancy.reference)
                                + f"#criterion-{added.keys[0]}")
    else:
        ids = _chosen_ids()
        statements = [s for s in (lib.get(i) for i in ids) if s is not None]
        search = {k: v for k, v in _filters().items() if v}
        back = url_for("library.browse", reference=vacancy.reference, **search)
        if not statements:
            flash("Select at least one statement to add", "warning")
            return redirect(back)
        if len(statements) > service.MAX_PER_ADD:
            flash(f"Add at most {service.MAX_PER_ADD} statements at a time: the first {service.MAX_PER_ADD} "
                  "are shown", "warning")
            statements = statements[: service.MAX_PER_ADD]
        rows = [s.as_criterion() for s in statements]
    page_errors = [{"text": message, "href": f"#{key}" if key.startswith("s") else "#statements"}
                   for key, message in errors.items()]
    cards = [{"statement": s, "row": r, "describe": describe(s)} for s, r in zip(statements, rows)]
    return render_template(
        "library/add.html", vacancy=vacancy, form=form, cards=cards, errors=errors, page_errors=page_errors,
        methods=[{"value": m, "text": f"{METHOD_NAMES[m]} ({m})"} for m in METHODS],
        locked=vacancies.scores_submitted(vacancy), back=back,
    )
