"""HR reports: each a page with a chart, its text alternative and data table, and a CSV."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from shortlist import charts
from shortlist.models import EQUALITY_KEYS, STAGES, Role
from shortlist.permissions import organisations_for, role_required
from shortlist.rules import reports as calc
from shortlist.services import audit
from shortlist.services import reports as service
from shortlist.services.sight import across_vacancies, record_disability_view
from shortlist.downloads import attachment

bp = Blueprint("reports", __name__, url_prefix="/hr/reports")

HR = Role.HR_ADMIN


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _csv(name: str, report: str, filters: dict[str, str], header: list[str], rows: list[list[Any]]) -> Response:
    text = service.export_csv(report, filters, header, rows, audit.Actor.of(current_user))
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": attachment(f"{name}-{stamp}.csv")})


def _mine() -> frozenset[int]:
    """The organisations whose vacancies the reports cover: those the person is HR of."""
    return organisations_for(current_user, "administer")


def _vacancy_filter() -> str:
    reference = request.args.get("vacancy", "").strip()[:40]
    if reference and not service.vacancies(reference, within=_mine()):
        abort(404)
    return reference


@bp.get("/")
@role_required(HR)
def index():  # noqa: ANN201
    return render_template("reports/index.html", reports=service.REPORTS)


# --------------------------------------------------------------------------- Disability Confident


def _scheme_chart(rows, title: str, description: str, labels: tuple[str, str]):  # noqa: ANN001, ANN202
    """A guaranteed-interview scheme's bar chart: per vacancy, those in the scheme, those meeting its
    minimum and those invited (the Disability Confident and Armed Forces reports)."""
    return charts.bar_chart(
        "dc-chart", title, description, [r.vacancy for r in rows],
        [charts.Series(labels[0], [r.in_scheme for r in rows]),
         charts.Series(labels[1], [r.met_minimum for r in rows]),
         charts.Series("Invited to interview", [r.invited for r in rows])],
    )


@bp.get("/disability-confident")
@role_required(HR)
def disability_confident():  # noqa: ANN201
    reference = _vacancy_filter()
    report = service.disability_confident(reference or None, within=_mine())
    chart = _scheme_chart(report.rows, "Disability Confident: scheme applicants by vacancy",
                          "For each vacancy, bars for the applicants in the offer-an-interview scheme, those "
                          "meeting the minimum criteria, and those invited to interview.",
                          ("In the scheme", "Meet the minimum criteria"))
    rows = report.rows
    # the applicants listed by reference are scheme members: HR's view of them is audited (R10)
    record_disability_view(reference or None, current_user, across_vacancies(current_user),
                           "disability confident report",
                           (f"{r.vacancy} {n.reference}" for r in rows for n in r.not_invited))
    return render_template("reports/disability_confident.html", report=report, chart=chart, reference=reference,
                           vacancies=service.vacancies(within=_mine()))


@bp.get("/armed-forces")
@role_required(HR)
def armed_forces():  # noqa: ANN201
    reference = _vacancy_filter()
    report = service.armed_forces(reference or None, within=_mine())
    chart = _scheme_chart(report.rows, "Armed Forces Covenant: applicants who qualify, by vacancy",
                          "For each vacancy, bars for the applicants who qualify for the Armed Forces guaranteed "
                          "interview, those meeting the essential criteria, and those invited to interview.",
                          ("Qualify", "Meet the essential criteria"))
    return render_template("reports/disability_confident.html", report=report, chart=chart, reference=reference,
                           vacancies=service.vacancies(within=_mine()), forces=True)


@bp.get("/armed-forces.csv")
@role_required(HR)
def armed_forces_csv():  # noqa: ANN201
    return _compliance_csv(forces=True)


@bp.get("/disability-confident.csv")
@role_required(HR)
def disability_confident_csv():  # noqa: ANN201
    return _compliance_csv(forces=False)


def _compliance_csv(forces: bool) -> Response:
    reference = _vacancy_filter()
    report = service.disability_confident(reference or None, forces=forces, within=_mine())
    header = ["vacancy", "title", "runs_scheme", "in_scheme", "meet_minimum_criteria", "invited",
              "met_and_invited", "met_not_invited", "not_invited_reference", "decision", "recorded_reason",
              "override_reason"]
    rows: list[list[Any]] = []
    for r in [*report.rows, report.total]:
        base = [r.vacancy or "ALL", r.title, "yes" if r.runs_scheme else "no", r.in_scheme, r.met_minimum,
                r.invited, r.met_invited, r.met_not_invited]
        rows.append([*base, "", "", "", ""])
        if r is report.total:
            continue
        for n in r.not_invited:
            rows.append([r.vacancy, r.title, "", "", "", "", "", "", n.reference, n.decision_label,
                         n.reason, n.override_reason or ""])
    name = "armed-forces" if forces else "disability-confident"
    return _csv(name, name, {"vacancy": reference}, header, rows)


# --------------------------------------------------------------------------- adverse impact


def _characteristic() -> str:
    key = request.args.get("characteristic", EQUALITY_KEYS[0])
    if key not in EQUALITY_KEYS:
        abort(404)
    return key


def _impact_chart(table: calc.ImpactTable) -> Any:
    groups = [g for g, _ in table.applied]
    label = calc.CHARACTERISTIC_LABELS[table.characteristic]
    series = []
    for step in table.steps:
        by_group = {g.group: g for g in step.groups}
        series.append(charts.Series(calc.STAGE_LABELS[step.stage],
                                    [by_group[g].rate if g in by_group else None for g in groups]))
    return charts.bar_chart(
        f"impact-{table.characteristic}", f"Selection rates by {label.lower()} at each stage",
        "For each group, the share of those at the previous stage who reached the next: shortlisted, interviewed, "
        "appointed. Groups of fewer than 5 people are suppressed and show no figure.",
        groups, series, maximum=1.0, value_label=lambda v: f"{v * 100:.0f}%", missing_label="suppressed",
    )


@bp.get("/adverse-impact")
@role_required(HR)
def adverse_impact():  # noqa: ANN201
    reference = _vacancy_filter()
    key = _characteristic()
    report = service.adverse_impact(reference or None, [key], within=_mine())
    table = report.tables[0]
    return render_template(
        "reports/adverse_impact.html", report=report, table=table, chart=_impact_chart(table), reference=reference,
        conclusion=calc.impact_conclusion(table),
        characteristic=key, characteristics=calc.CHARACTERISTIC_LABELS, stage_labels=calc.STAGE_LABELS,
        vacancies=service.vacancies(within=_mine()), pct=_pct, ratio=_ratio, min_group=calc.MIN_GROUP,
    )


@bp.get("/adverse-impact.csv")
@role_required(HR)
def adverse_impact_csv():  # noqa: ANN201
    reference = _vacancy_filter()
    report = service.adverse_impact(reference or None, within=_mine())
    header = ["characteristic", "group", "stage", "from_stage", "pool", "selected", "selection_rate",
              "impact_ratio", "below_four_fifths", "suppressed", "compared"]
    rows: list[list[Any]] = []
    for table in report.tables:
        for step in table.steps:
            for g in step.groups:
                rows.append([table.characteristic, g.group, step.stage, step.previous,
                             "" if g.pool is None else g.pool, "" if g.selected is None else g.selected,
                             "" if g.rate is None else f"{g.rate:.4f}", "" if g.ratio is None else f"{g.ratio:.4f}",
                             "yes" if g.flagged else "no", "yes" if g.suppressed else "no",
                             "yes" if g.compared else "no"])
    return _csv("adverse-impact", "adverse-impact", {"vacancy": reference}, header, rows)


# --------------------------------------------------------------------------- calibration


def _calibration_args() -> tuple[Any, str]:
    reference = request.args.get("vacancy", "").strip()[:40]
    stage = request.args.get("stage", "shortlisting")
    if stage not in STAGES:
        abort(404)
    chosen = service.vacancies(reference, within=_mine()) if reference else []
    if reference and not chosen:
        abort(404)
    return (chosen[0] if chosen else None), stage


@bp.get("/calibration")
@role_required(HR)
def calibration():  # noqa: ANN201
    vacancy, stage = _calibration_args()
    context: dict[str, Any] = {"vacancy": vacancy, "stage": stage, "vacancies": service.vacancies(within=_mine()),
                               "stages": STAGES, "num": _num}
    if vacancy is not None:
        report = service.calibration(vacancy, stage)
        points = vacancy.scale_points
        context["report"] = report
        context["points"] = points
        context["distribution_chart"] = charts.stacked_chart(
            "calibration-distribution", f"Scores given on each criterion, {stage}",
            "For each criterion, a bar divided by how many submitted scores fell on each point of the scale.",
            [d.criterion for d in report.distributions],
            [charts.Series(f"Score {p}" + (f" ({vacancy.descriptors[p]})" if p in vacancy.descriptors else ""),
                           [dict(d.counts)[p] for d in report.distributions]) for p in points],
        )
        context["distance_chart"] = charts.bar_chart(
            "calibration-distance", "Mean distance of each member’s scores from the agreed scores",
            "For each panel member, the mean number of points between their submitted scores and the agreed "
            "score, over the criteria with an agreed score. Shorter bars sit closer to the panel's agreement.",
            [report.members.get(d.member, d.member) for d in report.distances],
            [charts.Series("Mean distance", [d.mean_distance for d in report.distances])],
            maximum=float(vacancy.scale_max - vacancy.scale_min), missing_label="no agreed scores to compare",
        )
    return render_template("reports/calibration.html", **context)


@bp.get("/calibration.csv")
@role_required(HR)
def calibration_csv():  # noqa: ANN201
    vacancy, stage = _calibration_args()
    if vacancy is None:
        abort(404)
    report = service.calibration(vacancy, stage)
    points = vacancy.scale_points
    header = ["section", "criterion_or_member", "name", *[f"score_{p}" for p in points], "total", "mean",
              "compared_with_agreed", "mean_distance", "mean_difference", "exact_agreement"]
    rows: list[list[Any]] = []
    for d in report.distributions:
        counts = dict(d.counts)
        rows.append(["distribution", d.criterion, report.criteria.get(d.criterion, ""),
                     *[counts[p] for p in points], d.total, _num(d.mean), "", "", "", ""])
    for m in report.distances:
        rows.append(["member", m.member, report.members.get(m.member, ""), *["" for _ in points], m.scores, "",
                     m.compared, _num(m.mean_distance), _num(m.mean_difference), m.exact])
    return _csv(f"calibration-{vacancy.reference}-{stage}", "calibration",
                {"vacancy": vacancy.reference, "stage": stage}, header, rows)
