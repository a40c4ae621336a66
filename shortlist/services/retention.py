"""Retention (R17, R35, R36): per-vacancy policy, legal holds, and the purge.

- A vacancy's personal data may be kept for its retention period (default 6 months)
  after its closing date, and is purged once the vacancy is closed and that date has
  passed. A criminal-record declaration is kept at most 6 months after the decision
  on the application, whatever the vacancy's period.
- A legal hold (claim, subject access request, complaint) on a vacancy or an
  application suspends deletion until HR releases it.
- The purge removes applicant details, evidence, employment history, sealed data,
  free-text notes (scores, agreed scores, conflicts, gaps, decisions, pre-employment
  checks, positive-action records) and the vacancy's generated packs; it keeps the
  anonymous parts (references, scores, agreed scores, decision outcomes and reason codes) and, before the first deletion on a vacancy, a
  snapshot of the report counts. The audit log is never touched, so its chain still
  verifies; the purge records what it removed there.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select, true, update

from shortlist.extensions import db
from shortlist.services.refusals import HoldRefused
from shortlist.services.transactions import transaction
from shortlist.models import (
    AdjustmentReview,
    Organisation,
    AgreedScore,
    ApplicantDetails,
    Application,
    ConflictDeclaration,
    CriminalRecordDeclaration,
    DataPolicy,
    Decision,
    EmploymentSpell,
    EqualityMonitoring,
    Erasure,
    Evidence,
    GapMark,
    GeneratedDocument,
    LegalHold,
    PositiveAction,
    PreEmploymentCheck,
    ReportSnapshot,
    Score,
    ScoreSheet,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.models.retention import DECLARATION_MAX_MONTHS, LEGAL_HOLD_KINDS, MAX_RETENTION_MONTHS
from shortlist.services import audit
from shortlist.services import reports as report_data
from shortlist.dates import range_problem

REMOVED_NAME = "Removed at the end of retention"



def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------- policy


def update_policy(vacancy: Vacancy, actor: User, *, retention_months: int, share_declarations: bool) -> bool:
    """Save the vacancy's retention period and declaration sharing; False when nothing changed."""
    if not 1 <= retention_months <= MAX_RETENTION_MONTHS:
        raise ValueError(f"retention_months must be between 1 and {MAX_RETENTION_MONTHS}")
    policy = db.session.scalar(select(DataPolicy).where(DataPolicy.vacancy_id == vacancy.id))
    before = {"retention_months": policy.retention_months if policy else (vacancy.org.retention_months or 6),
              "share_declarations": policy.share_declarations if policy else False}
    after = {"retention_months": retention_months, "share_declarations": share_declarations}
    if before == after:
        return False
    with transaction():
        if policy is None:
            policy = DataPolicy(vacancy_id=vacancy.id)
            db.session.add(policy)
        policy.retention_months = retention_months
        policy.share_declarations = share_declarations
        policy.updated_by_id = actor.id
        policy.updated_at = utcnow()
        audit.record(audit.Actor.of(actor), "data_policy.updated", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", before=before, after=after)
    return True


# --------------------------------------------------------------------------- legal holds


def _target(hold: LegalHold) -> str:
    if hold.application is not None:
        return f"application {hold.application.reference}"
    return f"vacancy {hold.vacancy.reference if hold.vacancy else hold.vacancy_id}"


def place_hold(vacancy: Vacancy, actor: User, *, kind: str, reason: str,
               application_reference: str | None = None) -> LegalHold:
    """A hold on the whole vacancy, or on one of its applications."""
    if kind not in LEGAL_HOLD_KINDS:
        raise HoldRefused(field="kind", message="Select why the data must be kept")
    if not reason.strip():
        raise HoldRefused(field="reason", message="Enter the reason for the hold, for example the claim or request reference")
    application = None
    if application_reference:
        application = db.session.scalar(select(Application).where(
            Application.vacancy_id == vacancy.id, Application.reference == application_reference))
        if application is None:
            raise HoldRefused(field="target", message=f"There is no application {application_reference} on this vacancy")
    with transaction():
        hold = LegalHold(vacancy_id=None if application else vacancy.id,
                         application_id=application.id if application else None,
                         kind=kind, reason=reason.strip(), placed_by_id=actor.id)
        hold.application = application
        hold.vacancy = None if application else vacancy
        db.session.add(hold)
        db.session.flush()
        audit.record(audit.Actor.of(actor), "legal_hold.placed", vacancy=vacancy.reference,
                     subject=_target(hold), hold=hold.id, kind=kind, target=_target(hold), reason=hold.reason)
    return hold


def holds_for(vacancy: Vacancy) -> list[LegalHold]:
    """Every hold (active and released) on the vacancy or any of its applications."""
    apps = select(Application.id).where(Application.vacancy_id == vacancy.id)
    return list(db.session.scalars(
        select(LegalHold).where((LegalHold.vacancy_id == vacancy.id) | LegalHold.application_id.in_(apps))
        .order_by(LegalHold.placed_at.desc(), LegalHold.id.desc())))


def release_hold(vacancy: Vacancy, actor: User, hold_id: int, reason: str) -> LegalHold | None:
    hold = next((h for h in holds_for(vacancy) if h.id == hold_id), None)
    if hold is None or not hold.active:
        return None
    if not reason.strip():
        raise HoldRefused(field="release_reason", message="Enter why the hold can end, for example the claim was settled")
    with transaction():
        hold.released_at = utcnow()
        hold.released_by_id = actor.id
        hold.release_reason = reason.strip()
        audit.record(audit.Actor.of(actor), "legal_hold.released", vacancy=vacancy.reference,
                     subject=_target(hold), hold=hold.id, kind=hold.kind, target=_target(hold),
                     reason=hold.release_reason)
    return hold


# --------------------------------------------------------------------------- the plan


@dataclass
class DeclarationDue:
    application_id: int
    reference: str
    recorded_on: date
    decision: str
    decided_on: date
    delete_from: date


@dataclass
class VacancyPlan:
    vacancy_id: int
    reference: str
    title: str
    status: str
    retention_months: int
    delete_from: date
    on_hold: bool
    purge: list[tuple[int, str]] = field(default_factory=list)  # (application id, reference)
    kept_on_hold: list[str] = field(default_factory=list)
    already_removed: list[str] = field(default_factory=list)
    declarations: list[DeclarationDue] = field(default_factory=list)
    declarations_on_hold: list[str] = field(default_factory=list)
    # why the purge skipped the vacancy (a date it cannot reckon with): reported, never fatal
    problem: str = ""

    @property
    def state(self) -> str:
        """What the purge does with the vacancy, in words."""
        if self.problem:
            return f"skipped: {self.problem}"
        if self.purge:
            return f"remove personal data of {len(self.purge)} application(s)"
        if self.on_hold:
            return "kept: the vacancy is on legal hold"
        if self.status != "closed":
            return f"kept: recruitment is not closed (status {self.status})"
        if self.kept_on_hold and not self.purge:
            return "kept: every remaining application is on legal hold"
        if self.already_removed:
            return "personal data already removed"
        return "kept until " + self.delete_from.isoformat()


@dataclass
class Plan:
    today: date
    vacancies: list[VacancyPlan]

    @property
    def applications(self) -> int:
        return sum(len(v.purge) for v in self.vacancies)

    @property
    def declarations(self) -> int:
        return sum(len(v.declarations) for v in self.vacancies)

    @property
    def skipped(self) -> list[VacancyPlan]:
        return [v for v in self.vacancies if v.problem]


def plan(today: date | None = None, within: Iterable[int] | None = None) -> Plan:
    """What `purge` would remove today, in a fixed number of queries: of the organisations
    ``within`` (HR's page), or of every one (None: the command line)."""
    today = today or date.today()
    chosen = true() if within is None else Vacancy.organisation_id.in_(sorted(set(within)))
    vacancy_rows = db.session.execute(
        select(Vacancy.id, Vacancy.reference, Vacancy.title, Vacancy.status, Vacancy.closing_date,
               func.coalesce(DataPolicy.retention_months, Organisation.retention_months).label("retention_months"))
        .outerjoin(DataPolicy, DataPolicy.vacancy_id == Vacancy.id)
        .join(Organisation, Organisation.id == Vacancy.organisation_id)
        .where(chosen)
        .order_by(Vacancy.closing_date, Vacancy.reference)
    ).all()
    held_vacancies = set(db.session.scalars(
        select(LegalHold.vacancy_id).where(LegalHold.released_at.is_(None), LegalHold.vacancy_id.is_not(None))))
    held_apps = set(db.session.scalars(
        select(LegalHold.application_id).where(LegalHold.released_at.is_(None),
                                               LegalHold.application_id.is_not(None))))
    erased = set(db.session.scalars(select(Erasure.application_id)))
    apps: dict[int, list[tuple[int, str]]] = {}
    for row in db.session.execute(
        select(Application.id, Application.vacancy_id, Application.reference).order_by(Application.reference)
    ):
        apps.setdefault(row.vacancy_id, []).append((row.id, row.reference))
    latest = (
        select(Decision.application_id, func.max(Decision.decided_at).label("decided_at"))
        .group_by(Decision.application_id).subquery()
    )
    declarations: dict[int, dict[int, tuple[int, str, date, str, date]]] = {}
    for row in db.session.execute(
        select(Application.id, Application.vacancy_id, Application.reference, CriminalRecordDeclaration.recorded_at,
               Decision.outcome, latest.c.decided_at)
        .join(CriminalRecordDeclaration, CriminalRecordDeclaration.application_id == Application.id)
        .join(latest, latest.c.application_id == Application.id)
        .join(Decision, (Decision.application_id == Application.id) & (Decision.decided_at == latest.c.decided_at))
    ):
        # one row per application, even if two decisions share the latest time
        declarations.setdefault(row.vacancy_id, {})[row.id] = (
            row.id, row.reference, row.recorded_at.date(), row.outcome, row.decided_at.date())
    for row in db.session.execute(
        select(Application.id, Application.vacancy_id, Application.reference, PreEmploymentCheck.updated_at,
               Decision.outcome, latest.c.decided_at)
        .join(PreEmploymentCheck, (PreEmploymentCheck.application_id == Application.id)
              & (PreEmploymentCheck.kind == "dbs") & (PreEmploymentCheck.note != ""))
        .join(latest, latest.c.application_id == Application.id)
        .join(Decision, (Decision.application_id == Application.id) & (Decision.decided_at == latest.c.decided_at))
    ):
        # a DBS check's notes are certificate details: the same 6 months from the decision
        declarations.setdefault(row.vacancy_id, {}).setdefault(row.id, (
            row.id, row.reference, row.updated_at.date(), row.outcome, row.decided_at.date()))

    plans = []
    for v in vacancy_rows:
        months = v.retention_months or 6
        # A bad row (a closing date in year 9999, stored before dates were checked) is skipped
        # and reported; the rest of the purge goes on (security review, finding 8).
        problem = range_problem(v.closing_date, "its closing date")
        if problem:
            plans.append(VacancyPlan(v.id, v.reference, v.title, v.status, months, v.closing_date,
                                     on_hold=v.id in held_vacancies,
                                     problem=f"{problem} (it is {v.closing_date.isoformat()}): correct it"))
            continue
        vp = VacancyPlan(v.id, v.reference, v.title, v.status, months, add_months(v.closing_date, months),
                         on_hold=v.id in held_vacancies)
        due = v.status == "closed" and today >= vp.delete_from and not vp.on_hold
        for app_id, reference in apps.get(v.id, []):
            if app_id in erased:
                vp.already_removed.append(reference)
            elif due and app_id in held_apps:
                vp.kept_on_hold.append(reference)
            elif due:
                vp.purge.append((app_id, reference))
        purging = {app_id for app_id, _ in vp.purge}
        for app_id, reference, recorded_on, outcome, decided_on in declarations.get(v.id, {}).values():
            if app_id in purging or app_id in erased:
                continue
            delete_from = add_months(decided_on, DECLARATION_MAX_MONTHS)
            if today < delete_from:
                continue
            if vp.on_hold or app_id in held_apps:
                vp.declarations_on_hold.append(reference)
                continue
            vp.declarations.append(DeclarationDue(app_id, reference, recorded_on, outcome, decided_on, delete_from))
        plans.append(vp)
    return Plan(today, plans)


# --------------------------------------------------------------------------- the purge


def _count(model: type, *where: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _purge_applications(vp: VacancyPlan, actor: audit.Actor, dbs_level: str, title: str) -> dict[str, int]:
    ids = [app_id for app_id, _ in vp.purge]
    of_apps = Application.id.in_(ids)
    sheets = select(ScoreSheet.id).where(ScoreSheet.application_id.in_(ids))
    declarations = db.session.execute(
        select(Application.reference, CriminalRecordDeclaration.recorded_at)
        .join(CriminalRecordDeclaration, CriminalRecordDeclaration.application_id == Application.id)
        .where(of_apps)).all()
    removed = {
        "applicant_details": _count(ApplicantDetails, ApplicantDetails.application_id.in_(ids)),
        "evidence": _count(Evidence, Evidence.application_id.in_(ids)),
        "employment_history": _count(EmploymentSpell, EmploymentSpell.application_id.in_(ids)),
        "equality_monitoring": _count(EqualityMonitoring, EqualityMonitoring.application_id.in_(ids)),
        "criminal_record_declarations": len(declarations),
        "score_notes": _count(Score, Score.sheet_id.in_(sheets), Score.note != ""),
        "agreed_rationales": _count(AgreedScore, AgreedScore.application_id.in_(ids), AgreedScore.rationale != ""),
        "conflict_details": _count(ConflictDeclaration, ConflictDeclaration.application_id.in_(ids),
                                   ConflictDeclaration.details != ""),
        "gap_notes": _count(GapMark, GapMark.application_id.in_(ids), GapMark.note != ""),
        "adjustment_review_reasons": _count(AdjustmentReview, AdjustmentReview.application_id.in_(ids),
                                            AdjustmentReview.reason != ""),
        "decision_reasons": _count(Decision, Decision.application_id.in_(ids), Decision.reason != ""),
        "pre_employment_notes": _count(PreEmploymentCheck, PreEmploymentCheck.application_id.in_(ids),
                                       PreEmploymentCheck.note != ""),
        "positive_action_records": _count(PositiveAction, PositiveAction.preferred_id.in_(ids)
                                          | PositiveAction.other_id.in_(ids)),
        "generated_documents": _count(GeneratedDocument, GeneratedDocument.vacancy_id == vp.vacancy_id),
    }
    db.session.execute(update(ApplicantDetails).where(ApplicantDetails.application_id.in_(ids)).values(
        name=REMOVED_NAME, email="", phone="", adjustments="", disability_declared=False,
        offer_interview_opt_in=False, unmet_due_to_disability=[], forces_left_on=None, forces_discharge_due=None,
        forces_last_long_term_employer=False), execution_options={"synchronize_session": False})
    db.session.execute(update(Application).where(of_apps).values(qualifications=[], gap_explanations={}),
                       execution_options={"synchronize_session": False})
    for model in (Evidence, EmploymentSpell, EqualityMonitoring, CriminalRecordDeclaration):
        db.session.execute(delete(model).where(model.application_id.in_(ids)),  # type: ignore[attr-defined]
                           execution_options={"synchronize_session": False})
    for stmt in (
        update(Score).where(Score.sheet_id.in_(sheets)).values(note=""),
        update(AgreedScore).where(AgreedScore.application_id.in_(ids)).values(rationale=""),
        update(ConflictDeclaration).where(ConflictDeclaration.application_id.in_(ids)).values(details=""),
        update(GapMark).where(GapMark.application_id.in_(ids)).values(note="", recorded_reason=""),
        update(AdjustmentReview).where(AdjustmentReview.application_id.in_(ids)).values(reason=""),
        update(Decision).where(Decision.application_id.in_(ids)).values(reason=""),
        update(PreEmploymentCheck).where(PreEmploymentCheck.application_id.in_(ids)).values(note=""),
        update(PositiveAction).where(PositiveAction.preferred_id.in_(ids) | PositiveAction.other_id.in_(ids))
        .values(characteristic="", evidence_reference="", rationale=""),
        # the packs and records print names, evidence and notes: they go with the data
        delete(GeneratedDocument).where(GeneratedDocument.vacancy_id == vp.vacancy_id),
    ):
        db.session.execute(stmt, execution_options={"synchronize_session": False})
    now = utcnow()
    for app_id, _reference in vp.purge:
        db.session.add(Erasure(application_id=app_id, erased_at=now, erased_by=actor.label, removed=removed))
    audit.record(
        actor, "retention.purged", vacancy=vp.reference, subject=f"vacancy {vp.reference}",
        applications=[reference for _, reference in vp.purge], removed=removed, kept_on_hold=vp.kept_on_hold,
        due=vp.delete_from.isoformat(),
        # R17: what may be kept about a certificate or declaration once its details are gone
        declarations=[{"application": r.reference, "recorded_on": r.recorded_at.date().isoformat(),
                       "dbs_level": dbs_level, "role": title} for r in declarations],
    )
    return removed


def _remove_declaration(vp: VacancyPlan, due: DeclarationDue, actor: audit.Actor, dbs_level: str) -> None:
    """The declaration and the DBS check's notes go; the check's kind, status and date stay (R17)."""
    db.session.execute(delete(CriminalRecordDeclaration).where(
        CriminalRecordDeclaration.application_id == due.application_id),
        execution_options={"synchronize_session": False})
    db.session.execute(update(PreEmploymentCheck).where(
        PreEmploymentCheck.application_id == due.application_id, PreEmploymentCheck.kind == "dbs").values(note=""),
        execution_options={"synchronize_session": False})
    audit.record(actor, "retention.declaration_removed", vacancy=vp.reference,
                 subject=f"application {due.reference}", application=due.reference,
                 recorded_on=due.recorded_on.isoformat(), dbs_level=dbs_level, role=vp.title,
                 decision=due.decision, decided_on=due.decided_on.isoformat())


def purge(actor: audit.Actor, today: date | None = None, *, dry_run: bool = False) -> Plan:
    """Remove what is past retention and not on hold, in one transaction; return what was (or would be) removed."""
    result = plan(today)
    if dry_run:
        return result
    with transaction():
        touched = [vp for vp in result.vacancies if vp.purge or vp.declarations]
        levels = {row.id: row.dbs_level for row in db.session.execute(
            select(Vacancy.id, Vacancy.dbs_level).where(Vacancy.id.in_([vp.vacancy_id for vp in touched])))}
        snapshotted = set(db.session.scalars(select(ReportSnapshot.vacancy_id)))
        for vp in touched:
            if vp.purge and vp.vacancy_id not in snapshotted:
                vacancy = report_data.vacancies(vp.reference)[0]
                db.session.add(ReportSnapshot(vacancy_id=vp.vacancy_id, data={
                    "disability_confident": report_data.compliance_counts(vacancy),
                    "armed_forces": report_data.compliance_counts(vacancy, forces=True),
                    "adverse_impact": report_data.impact_counts(vacancy),
                }))
                db.session.flush()
            for due in vp.declarations:
                _remove_declaration(vp, due, actor, levels.get(vp.vacancy_id, "none"))
            if vp.purge:
                _purge_applications(vp, actor, levels.get(vp.vacancy_id, "none"), vp.title)
    db.session.expire_all()
    return result


def erased_ids(application_ids: Iterable[int]) -> set[int]:
    ids = list(application_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Erasure.application_id).where(Erasure.application_id.in_(ids))))
