"""Withdrawing a declared conflict of interest: the member asks, with a reason; HR or the
chair reviews the request, with a reason. The declaration stays in the record (its details,
who withdrew it, when and why) and both steps are in the audit log. A member alone can never
undo a declaration: declaring and withdrawing in turn would tell them which anonymised
reference belongs to a name (security review, finding 2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import Application, ApplicantDetails, ConflictDeclaration, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.services import audit
from shortlist.services.panel import applicants_for_declaration, conflict_phase, may_moderate
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.transactions import transaction

MAX_REASON = 2000


def _reason_problem(reason: str, field: str, what: str) -> Problem | None:
    if not reason.strip():
        return Problem("reason_required", f"Enter {what}", field)
    if len(reason) > MAX_REASON:
        return Problem("too_long", f"{what[0].upper()}{what[1:]} must be {MAX_REASON} characters or fewer", field)
    return None


def request_withdrawal(vacancy: Vacancy, user: User, token: str, reason: str) -> str:
    """The member asks for their declared conflict with the applicant behind ``token`` (the
    conflicts page's name-sorted index) to be withdrawn. Returns the applicant's name."""
    applicant = next((a for a in applicants_for_declaration(vacancy, user) if a.token == token), None)
    if applicant is None or not applicant.declared:
        raise PanelRefused([Problem("no_declared_conflict", "Choose an applicant you declared a conflict with",
                                    "withdraw-token")])
    problem = _reason_problem(reason, f"withdraw-reason-{token}", "why the conflict should be withdrawn")
    if problem:
        raise PanelRefused([problem])
    with transaction():
        row = db.session.scalar(select(ConflictDeclaration).where(
            ConflictDeclaration.application_id == applicant.application_id, ConflictDeclaration.user_id == user.id,
            ConflictDeclaration.phase == conflict_phase(vacancy)))
        assert row is not None
        row.withdrawal_reason = reason.strip()
        row.withdrawal_requested_at = utcnow()
        db.session.flush()
        audit.record(audit.Actor.of(user), "conflict.withdrawal_requested", vacancy=vacancy.reference,
                     subject=user.email, declaration=row.id, reason=row.withdrawal_reason)
    return applicant.name


@dataclass(frozen=True)
class WithdrawalRequest:
    declaration_id: int
    member: str
    member_email: str
    applicant: str
    reference: str
    details: str
    reason: str
    requested_at: datetime


def pending(vacancy: Vacancy) -> list[WithdrawalRequest]:
    """Requests waiting for HR or the chair, oldest first."""
    rows = db.session.execute(
        select(ConflictDeclaration, User.name, User.email, ApplicantDetails.name.label("applicant"),
               Application.reference)
        .join(User, User.id == ConflictDeclaration.user_id)
        .join(Application, Application.id == ConflictDeclaration.application_id)
        .join(ApplicantDetails, ApplicantDetails.application_id == Application.id)
        .where(Application.vacancy_id == vacancy.id, ConflictDeclaration.conflict.is_(True),
               ConflictDeclaration.withdrawal_requested_at.is_not(None))
        .order_by(ConflictDeclaration.withdrawal_requested_at, ConflictDeclaration.id)).all()
    return [WithdrawalRequest(d.id, name, email, applicant, reference, d.details, d.withdrawal_reason,
                              d.withdrawal_requested_at) for d, name, email, applicant, reference in rows]


def review_withdrawal(vacancy: Vacancy, reviewer: User, declaration_id: int, decision: str, reason: str) -> None:
    """HR or the chair (never the member who declared) withdraws the conflict or keeps it, with a reason."""
    row = db.session.get(ConflictDeclaration, declaration_id)
    if row is None or row.application.vacancy_id != vacancy.id or row.withdrawal_requested_at is None \
            or not row.conflict:
        raise PanelRefused([Problem("no_withdrawal_request", "There is no such request waiting for a review")])
    problems = []
    if not may_moderate(vacancy, reviewer) or row.user_id == reviewer.id:
        problems.append(Problem("not_allowed", "Only HR or the chair, and never the member who declared it, "
                                "reviews a withdrawal"))
    if decision not in ("withdraw", "keep"):
        problems.append(Problem("decision_required", "Select whether to withdraw the conflict or keep it",
                                f"decision-{declaration_id}"))
    problem = _reason_problem(reason, f"review-reason-{declaration_id}", "the reason for your decision")
    if problem:
        problems.append(problem)
    if problems:
        raise PanelRefused(problems)
    with transaction():
        requested = row.withdrawal_reason
        row.withdrawal_review = reason.strip()
        row.withdrawal_requested_at = None
        if decision == "withdraw":
            row.conflict = False  # the details stay: the record shows what was declared and who withdrew it
            row.withdrawn_at = utcnow()
            row.withdrawn_by_id = reviewer.id
        audit.record(audit.Actor.of(reviewer), "conflict.withdrawal_reviewed", vacancy=vacancy.reference,
                     subject=row.user.email, declaration=row.id, application=row.application.reference,
                     decision=decision, requested_reason=requested, reason=row.withdrawal_review)
