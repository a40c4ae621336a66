"""Data for the HR reports, gathered in a fixed number of queries (none per application),
and handed to the pure computations in `shortlist.rules.reports`.

A vacancy whose personal data has been purged is reported from the anonymous counts
taken just before the purge (`ReportSnapshot`), so the reports survive retention.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shortlist.csvfile import to_csv
from shortlist.extensions import db
from shortlist.services.transactions import transaction
from shortlist.models import (
    EQUALITY_KEYS,
    AgreedScore,
    Application,
    Criterion,
    Decision,
    EqualityMonitoring,
    PanelMembership,
    ReportSnapshot,
    Score,
    ScoreSheet,
    User,
    Vacancy,
)
from shortlist.rules import Outcome
from shortlist.rules import reports as calc
from shortlist.services import audit
from shortlist.services.recommendations import recommend_vacancy

REPORTS = {
    "disability-confident": "Disability Confident compliance",
    "armed-forces": "Armed Forces Covenant guaranteed interviews",
    "adverse-impact": "Adverse impact by stage",
    "calibration": "Panel calibration",
}


def vacancies(reference: str | None = None, within: Iterable[int] | None = None) -> list[Vacancy]:
    """Every vacancy (or the one named) of the organisations ``within`` (None: of every one, for
    the command line), with what the rules engine reads about it loaded up front."""
    query = (
        select(Vacancy)
        .options(
            selectinload(Vacancy.criteria),
            selectinload(Vacancy.panel).selectinload(PanelMembership.user),
            selectinload(Vacancy.recruiting_manager),
        )
        .order_by(Vacancy.closing_date, Vacancy.reference)
    )
    if reference:
        query = query.where(Vacancy.reference == reference)
    if within is not None:
        query = query.where(Vacancy.organisation_id.in_(sorted(set(within))))
    return list(db.session.scalars(query))


def _snapshots(vacancy_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = list(vacancy_ids)
    if not ids:
        return {}
    return {
        row.vacancy_id: row.data
        for row in db.session.execute(
            select(ReportSnapshot.vacancy_id, ReportSnapshot.data).where(ReportSnapshot.vacancy_id.in_(ids)))
    }


# --------------------------------------------------------------------------- Disability Confident


@dataclass(frozen=True)
class ComplianceReport:
    rows: list[calc.ComplianceRow]
    total: calc.ComplianceRow
    from_snapshot: set[str]


def _scheme_applicants(vacancy: Vacancy, decisions: dict[str, tuple[str, str, str | None]],
                       forces: bool = False) -> list[calc.SchemeApplicant]:
    """The applicants in the vacancy's Disability Confident scheme (or, ``forces``, who
    qualify for its Armed Forces guaranteed interview), as the engine and the panel left them."""
    out = []
    for rec in recommend_vacancy(vacancy, "shortlisting"):
        if not (rec.in_forces_scheme if forces else rec.in_scheme):
            continue
        outcome, reason, override = decisions.get(rec.reference, (None, "", None))
        out.append(calc.SchemeApplicant(
            reference=rec.reference,
            met_minimum=rec.outcome is Outcome.GUARANTEED_INTERVIEW,
            decision=outcome, reason=reason, override_reason=override,
        ))
    return out


def _shortlisting_decisions(vacancy_ids: list[int]) -> dict[int, dict[str, tuple[str, str, str | None]]]:
    out: dict[int, dict[str, tuple[str, str, str | None]]] = {}
    if not vacancy_ids:
        return out
    for row in db.session.execute(
        select(Application.vacancy_id, Application.reference, Decision.outcome, Decision.reason,
               Decision.override_reason)
        .join(Application, Application.id == Decision.application_id)
        .where(Application.vacancy_id.in_(vacancy_ids), Decision.stage == "shortlisting")
    ):
        out.setdefault(row.vacancy_id, {})[row.reference] = (row.outcome, row.reason or "", row.override_reason)
    return out


def compliance_counts(vacancy: Vacancy, forces: bool = False) -> dict[str, Any]:
    """The vacancy's Disability Confident (or, ``forces``, Armed Forces) figures as anonymous
    counts (for a snapshot)."""
    decisions = _shortlisting_decisions([vacancy.id]).get(vacancy.id, {})
    row = calc.compliance_row(vacancy.reference, vacancy.title,
                              vacancy.armed_forces_scheme if forces else vacancy.offer_interview,
                              _scheme_applicants(vacancy, decisions, forces))
    return {
        "runs_scheme": row.runs_scheme, "in_scheme": row.in_scheme, "met_minimum": row.met_minimum,
        "invited": row.invited, "met_invited": row.met_invited,
        # the reference and the decision only: free-text reasons may name people
        "not_invited": [{"reference": n.reference, "decision": n.decision, "override_reason": n.override_reason}
                        for n in row.not_invited],
    }


def _row_from_snapshot(vacancy: Vacancy, data: dict[str, Any]) -> calc.ComplianceRow:
    return calc.ComplianceRow(
        vacancy=vacancy.reference, title=vacancy.title, runs_scheme=bool(data["runs_scheme"]),
        in_scheme=int(data["in_scheme"]), met_minimum=int(data["met_minimum"]), invited=int(data["invited"]),
        met_invited=int(data["met_invited"]),
        not_invited=tuple(
            calc.NotInvited(vacancy.reference, n["reference"], n["decision"],
                            "Reason removed with the personal data at the end of retention", n["override_reason"])
            for n in data["not_invited"]
        ),
    )


def disability_confident(reference: str | None = None, forces: bool = False,
                         within: Iterable[int] | None = None) -> ComplianceReport:
    """Who was in each vacancy's guaranteed-interview scheme, met the minimum and was invited:
    Disability Confident's offer an interview, or (``forces``) the Armed Forces Covenant's."""
    chosen = vacancies(reference, within)
    snapshots = _snapshots(v.id for v in chosen)
    live = [v for v in chosen if v.id not in snapshots]
    decisions = _shortlisting_decisions([v.id for v in live])
    key = "armed_forces" if forces else "disability_confident"
    rows = []
    for vacancy in chosen:
        runs = vacancy.armed_forces_scheme if forces else vacancy.offer_interview
        if vacancy.id in snapshots:
            # a snapshot from before the Armed Forces figures were kept holds none: nobody counted
            data = snapshots[vacancy.id].get(key) or {"runs_scheme": runs, "in_scheme": 0, "met_minimum": 0,
                                                      "invited": 0, "met_invited": 0, "not_invited": []}
            rows.append(_row_from_snapshot(vacancy, data))
        else:
            rows.append(calc.compliance_row(vacancy.reference, vacancy.title, runs,
                                            _scheme_applicants(vacancy, decisions.get(vacancy.id, {}), forces)))
    return ComplianceReport(rows, calc.compliance_total(rows),
                            {v.reference for v in chosen if v.id in snapshots})


def armed_forces(reference: str | None = None, within: Iterable[int] | None = None) -> ComplianceReport:
    return disability_confident(reference, forces=True, within=within)


# --------------------------------------------------------------------------- adverse impact


def _people(vacancy_ids: list[int]) -> list[calc.Person]:
    if not vacancy_ids:
        return []
    in_scope = Application.vacancy_id.in_(vacancy_ids)
    answers = {
        row.id: dict(row.answers or {})
        for row in db.session.execute(
            select(Application.id, EqualityMonitoring.answers)
            .outerjoin(EqualityMonitoring, EqualityMonitoring.application_id == Application.id)
            .where(in_scope))
    }
    reached: dict[int, set[str]] = {app_id: set() for app_id in answers}
    for row in db.session.execute(
        select(Decision.application_id, Decision.stage, Decision.outcome)
        .join(Application, Application.id == Decision.application_id).where(in_scope)
    ):
        if row.stage == "shortlisting" and row.outcome == "invite":
            reached[row.application_id].add("shortlisted")
        elif row.stage == "interview":
            reached[row.application_id].add("interviewed")
            if row.outcome == "appoint":
                reached[row.application_id].add("appointed")
    for row in db.session.execute(
        select(ScoreSheet.application_id).distinct()
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(in_scope, ScoreSheet.stage == "interview", ScoreSheet.submitted_at.is_not(None))
    ):
        reached[row.application_id].add("interviewed")
    people = []
    for app_id, stages in reached.items():
        # each stage implies the ones before it, so no rate can exceed 100%
        if "appointed" in stages:
            stages.add("interviewed")
        if "interviewed" in stages:
            stages.add("shortlisted")
        people.append(calc.Person(answers[app_id], frozenset(stages)))
    return people


def impact_counts(vacancy: Vacancy) -> dict[str, dict[str, dict[str, int]]]:
    """The vacancy's adverse-impact counts (for a snapshot): characteristic -> group -> stage -> n."""
    return calc.stage_counts(_people([vacancy.id]), EQUALITY_KEYS)


@dataclass(frozen=True)
class ImpactReport:
    tables: list[calc.ImpactTable]
    applicants: int
    from_snapshot: set[str]


def adverse_impact(reference: str | None = None, characteristics: Sequence[str] = EQUALITY_KEYS,
                   within: Iterable[int] | None = None) -> ImpactReport:
    chosen = vacancies(reference, within)
    snapshots = _snapshots(v.id for v in chosen)
    live_ids = [v.id for v in chosen if v.id not in snapshots]
    counts = calc.merge_counts(
        calc.stage_counts(_people(live_ids), EQUALITY_KEYS),
        *(data["adverse_impact"] for data in snapshots.values()),
    )
    applicants = sum(c.get("applied", 0) for c in counts.get(EQUALITY_KEYS[0], {}).values())
    tables = [calc.adverse_impact(key, counts.get(key, {})) for key in characteristics]
    return ImpactReport(tables, applicants, {v.reference for v in chosen if v.id in snapshots})


# --------------------------------------------------------------------------- calibration


@dataclass(frozen=True)
class CalibrationReport:
    vacancy: Vacancy
    stage: str
    distributions: list[calc.Distribution]
    distances: list[calc.MemberDistance]
    members: dict[str, str]  # e-mail -> name
    criteria: dict[str, str]  # key -> text


def calibration(vacancy: Vacancy, stage: str = "shortlisting") -> CalibrationReport:
    in_vacancy = Application.vacancy_id == vacancy.id
    scores: list[calc.MemberScore] = []
    members: dict[str, str] = {}
    for row in db.session.execute(
        select(User.email, User.name, ScoreSheet.application_id, Criterion.key, Score.value)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(User, User.id == ScoreSheet.user_id)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(in_vacancy, ScoreSheet.stage == stage, ScoreSheet.submitted_at.is_not(None),
               Score.value.is_not(None))
    ):
        members[row.email] = row.name
        scores.append(calc.MemberScore(row.email, str(row.application_id), row.key, row.value))
    agreed = {
        (str(row.application_id), row.key): row.value
        for row in db.session.execute(
            select(AgreedScore.application_id, Criterion.key, AgreedScore.value)
            .join(Criterion, Criterion.id == AgreedScore.criterion_id)
            .join(Application, Application.id == AgreedScore.application_id)
            .where(in_vacancy, AgreedScore.stage == stage))
    }
    used = {s.criterion for s in scores}
    keys = [c.key for c in vacancy.criteria if c.key in used]
    return CalibrationReport(
        vacancy=vacancy, stage=stage,
        distributions=calc.score_distribution(scores, keys, vacancy.scale_points),
        distances=calc.member_distances(scores, agreed),
        members=members,
        criteria={c.key: c.text for c in vacancy.criteria},
    )


# --------------------------------------------------------------------------- CSV


def export_csv(report: str, filters: dict[str, str], header: Sequence[str], rows: Sequence[Sequence[Any]],
               actor: audit.Actor) -> str:
    """The report as CSV; the download is recorded in the audit log."""
    text = to_csv(header, rows)
    with transaction():
        audit.record(actor, "report.exported", vacancy=filters.get("vacancy") or None,
                     subject=f"report {report}", report=report, filters=filters, rows=len(rows))
    return text
