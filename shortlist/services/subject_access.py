"""Subject access (UK GDPR article 15, R36): everything held about one candidate.

The candidate is found from one application; every application with the same e-mail
address is theirs too. The export holds their personal details, applications,
evidence, employment history, sealed data, each panel member's scores and notes, the
agreed scores, the decisions and their reasons, the engine's recommendation, holds
and the audit events about their applications. Nothing about any other candidate:
every query is limited to their applications.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shortlist.extensions import db
from shortlist.services.transactions import transaction
from shortlist.models import (
    AdjustmentReview,
    AgreedScore,
    ApplicantDetails,
    Application,
    AuditEvent,
    ConflictDeclaration,
    Erasure,
    GapMark,
    InterviewSlot,
    LegalHold,
    PanelMembership,
    PositiveAction,
    PreEmploymentCheck,
    ScoreSheet,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.services import audit
from shortlist.services.recommendations import recommend_vacancy


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def find(vacancy: Vacancy, reference: str) -> Application | None:
    return db.session.scalar(select(Application).where(
        Application.vacancy_id == vacancy.id, Application.reference == reference))


def applications_of(application: Application) -> list[Application]:
    """The candidate's applications: this one, and any other with the same e-mail address."""
    email = (application.details.email if application.details else "").strip().lower()
    query = select(Application).options(
        selectinload(Application.vacancy).selectinload(Vacancy.criteria),
        selectinload(Application.vacancy).selectinload(Vacancy.panel).selectinload(PanelMembership.user),
        selectinload(Application.details),
        selectinload(Application.employment),
        selectinload(Application.evidence),
        selectinload(Application.conflicts).selectinload(ConflictDeclaration.user),
        selectinload(Application.score_sheets).options(selectinload(ScoreSheet.user),
                                                       selectinload(ScoreSheet.scores)),
        selectinload(Application.agreed_scores).selectinload(AgreedScore.recorded_by),
        selectinload(Application.decisions),
        selectinload(Application.equality_monitoring),
        selectinload(Application.criminal_record_declaration),
    )
    if email:
        query = query.join(ApplicantDetails, ApplicantDetails.application_id == Application.id).where(
            func.lower(ApplicantDetails.email) == email)
    else:
        query = query.where(Application.id == application.id)
    return list(db.session.scalars(query.order_by(Application.received_at, Application.id)))


def _recommendation(application: Application) -> dict[str, Any] | None:
    """The engine's shortlisting recommendation for this candidate (computed, never a decision)."""
    for rec in recommend_vacancy(application.vacancy, "shortlisting"):
        if rec.reference == application.reference:
            return {
                "outcome": rec.outcome.value,
                "in_disability_confident_scheme": rec.in_scheme,
                "reasons": [{"code": r.code, "criterion": r.criterion, "message": r.message} for r in rec.reasons],
                "interview_probes": [{"code": r.code, "message": r.message} for r in rec.probes],
            }
    return None


def _application(app: Application) -> dict[str, Any]:
    vacancy = app.vacancy
    keys = {c.id: c for c in vacancy.criteria}
    d = app.details
    sheets = sorted(app.score_sheets, key=lambda s: (s.stage, s.user.name))
    gap_marks = db.session.execute(
        select(GapMark.gap_start, GapMark.mark, GapMark.note, GapMark.marked_at, User.name)
        .join(User, User.id == GapMark.user_id).where(GapMark.application_id == app.id)
        .order_by(GapMark.gap_start, User.name)).all()
    reviews = db.session.execute(
        select(AdjustmentReview.stage, AdjustmentReview.criterion_id, AdjustmentReview.outcome,
               AdjustmentReview.reason, AdjustmentReview.reviewed_at, User.name)
        .join(User, User.id == AdjustmentReview.reviewed_by_id).where(AdjustmentReview.application_id == app.id)
        .order_by(AdjustmentReview.stage, AdjustmentReview.criterion_id)).all()
    holds = db.session.scalars(select(LegalHold).where(
        (LegalHold.application_id == app.id) | (LegalHold.vacancy_id == vacancy.id)).order_by(LegalHold.id)).all()
    erasure = db.session.scalar(select(Erasure).where(Erasure.application_id == app.id))
    slot = db.session.scalar(select(InterviewSlot).where(InterviewSlot.application_id == app.id))
    checks = db.session.scalars(select(PreEmploymentCheck).where(PreEmploymentCheck.application_id == app.id)
                                .order_by(PreEmploymentCheck.kind)).all()
    tie_breaks = db.session.scalars(select(PositiveAction).where(
        (PositiveAction.preferred_id == app.id) | (PositiveAction.other_id == app.id)).order_by(PositiveAction.id)).all()
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.vacancy_reference == vacancy.reference,
        AuditEvent.subject == f"application {app.reference}").order_by(AuditEvent.seq)).all()
    return {
        "vacancy": {"reference": vacancy.reference, "title": vacancy.title, "organisation": vacancy.organisation,
                    "closing_date": _iso(vacancy.closing_date)},
        "reference": app.reference,
        "received_at": _iso(app.received_at),
        "personal_details": None if d is None else {
            "name": d.name, "email": d.email, "phone": d.phone, "adjustments": d.adjustments,
            "disability_declared": d.disability_declared,
            "offer_interview_opt_in": d.offer_interview_opt_in,
            "criteria_unmet_because_of_disability": list(d.unmet_due_to_disability or []),
            "armed_forces": {"left_on": _iso(d.forces_left_on), "discharge_due": _iso(d.forces_discharge_due),
                             "last_long_term_employer": d.forces_last_long_term_employer}
            if d.forces_left_on or d.forces_discharge_due else None,
        },
        "qualifications": list(app.qualifications or []),
        "gap_explanations": dict(app.gap_explanations or {}),
        "employment_history": [{"from": s.start, "to": s.end, "employer": s.employer, "role": s.role}
                               for s in app.employment],
        "evidence": [{"criterion": keys[e.criterion_id].key, "criterion_text": keys[e.criterion_id].text,
                      "text": e.text} for e in sorted(app.evidence, key=lambda e: keys[e.criterion_id].position)],
        "equality_monitoring": dict(app.equality_monitoring.answers) if app.equality_monitoring else None,
        "criminal_record_declaration": None if app.criminal_record_declaration is None else {
            "unspent_convictions": app.criminal_record_declaration.unspent_convictions,
            "details": app.criminal_record_declaration.details,
            "recorded_at": _iso(app.criminal_record_declaration.recorded_at),
        },
        "conflicts_of_interest": [
            {"panel_member": c.user.name, "phase": c.phase, "conflict": c.conflict, "details": c.details,
             "declared_at": _iso(c.declared_at)} for c in sorted(app.conflicts, key=lambda c: c.declared_at)
        ],
        "scores": [
            {"stage": s.stage, "panel_member": s.user.name, "submitted_at": _iso(s.submitted_at),
             "scores": [{"criterion": keys[x.criterion_id].key, "score": x.value, "note": x.note}
                        for x in sorted(s.scores, key=lambda x: keys[x.criterion_id].position)]}
            for s in sheets
        ],
        "employment_gap_marks": [
            {"gap_start": g.gap_start, "panel_member": g.name, "mark": g.mark, "note": g.note,
             "marked_at": _iso(g.marked_at)} for g in gap_marks
        ],
        "adjustment_reviews": [
            {"stage": r.stage, "criterion": keys[r.criterion_id].key, "outcome": r.outcome, "reason": r.reason,
             "reviewed_by": r.name, "reviewed_at": _iso(r.reviewed_at)} for r in reviews
        ],
        "agreed_scores": [
            {"stage": a.stage, "criterion": keys[a.criterion_id].key, "score": a.value, "rationale": a.rationale,
             "recorded_by": a.recorded_by.name if a.recorded_by else None, "recorded_at": _iso(a.recorded_at)}
            for a in sorted(app.agreed_scores, key=lambda a: (a.stage, keys[a.criterion_id].position))
        ],
        "decisions": [
            {"stage": x.stage, "outcome": x.outcome, "recommendation": x.recommendation, "reason": x.reason,
             "reasons": list(x.reasons or []), "override_reason": x.override_reason,
             "decided_by": x.decided_by.name, "decided_at": _iso(x.decided_at)}
            for x in sorted(app.decisions, key=lambda x: x.decided_at)
        ],
        "recommendation_at_shortlisting": None if erasure else _recommendation(app),
        "interview": None if slot is None else {
            "starts_at": _iso(slot.starts_at), "duration_minutes": slot.duration_minutes, "location": slot.location},
        "pre_employment_checks": [
            {"check": c.kind, "status": c.status, "checked_on": _iso(c.checked_on), "note": c.note} for c in checks
        ],
        # A tie-break names the preferred candidate's characteristic: shown to them, not to the other candidate.
        "positive_action_tie_breaks": [
            {"preferred": True, "characteristic": t.characteristic, "evidence_reference": t.evidence_reference,
             "rationale": t.rationale, "recorded_at": _iso(t.recorded_at)} if t.preferred_id == app.id else
            {"preferred": False, "note": "Another candidate with an equal total was preferred under the Equality "
                                         "Act 2010 s.159 (positive action).", "recorded_at": _iso(t.recorded_at)}
            for t in tie_breaks
        ],
        # A hold on the whole vacancy may concern someone else: its reason is not theirs to see.
        "legal_holds": [
            {"on": "application" if h.application_id else "vacancy", "kind": h.kind_label,
             "reason": h.reason if h.application_id else None,
             "placed_at": _iso(h.placed_at), "released_at": _iso(h.released_at)} for h in holds
        ],
        "personal_data_removed_at": _iso(erasure.erased_at) if erasure else None,
        "audit_events": [
            {"row": e.seq, "occurred_at": _iso(e.occurred_at), "by": e.actor, "action": e.action, "data": e.data}
            for e in events
        ],
    }


def collect(application: Application) -> dict[str, Any]:
    apps = applications_of(application)
    d = application.details
    return {
        "subject_access_export": {
            "generated_at": _iso(utcnow()),
            "about": {"name": d.name if d else None, "email": d.email if d else None},
            "note": "Everything this service holds about the candidate. Scores and notes are each panel "
                    "member's own; agreed scores are the panel's moderated scores.",
        },
        "applications": [_application(a) for a in apps],
    }


def export(application: Application, actor: User, fmt: str) -> dict[str, Any]:
    """The candidate's data; the export is recorded in the audit log of each vacancy concerned."""
    data = collect(application)
    refs = [f"{a['vacancy']['reference']}/{a['reference']}" for a in data["applications"]]
    with transaction():
        audit.record(audit.Actor.of(actor), "subject_access.exported", vacancy=application.vacancy.reference,
                     subject=f"application {application.reference}", applications=refs, format=fmt)
    return data


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
