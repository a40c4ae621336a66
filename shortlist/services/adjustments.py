"""HR's review of an applicant's claim that they cannot meet an essential criterion because
of their disability (R6, R9): the recommendation waits for it (``hr_review``) until HR
records, per claimed criterion, an outcome (met with a reasonable adjustment, or not met:
no adjustment makes it achievable) and the reason. The rules engine then reads the review
(``Candidate.adjustment_reviews``) on every page, record and export alike. One transaction,
audited; a review can be changed until the shortlist is finalised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shortlist import rules
from shortlist.extensions import db
from shortlist.permissions import is_hr_of
from shortlist.models import AdjustmentReview, Application, Criterion, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.services import audit
from shortlist.services.panel import stage_open
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.recommendations import recommend_one
from shortlist.services.transactions import transaction

OUTCOME_LABELS = {
    rules.ADJUSTMENT_MET: "Met with a reasonable adjustment",
    rules.ADJUSTMENT_NOT_MET: "Not met: no reasonable adjustment makes it achievable",
}


@dataclass(frozen=True)
class Claim:
    """One criterion the applicant says they cannot meet because of their disability."""

    criterion: Criterion
    evidence: str
    scores: tuple[int, ...]  # the panel's counted independent scores
    review: AdjustmentReview | None
    waiting: bool  # the recommendation waits for HR on this criterion


def claims(vacancy: Vacancy, application: Application, stage: str = "shortlisting") -> list[Claim]:
    """The applicant's claims on the stage's essential criteria, with the panel's scores and
    HR's review where there is one."""
    rec = recommend_one(vacancy, application.id, stage)
    if rec is None:
        return []
    claimed = set(application.details.unmet_due_to_disability or ()) if application.details else set()
    reviews = {r.criterion.key: r for r in db.session.scalars(
        select(AdjustmentReview).options(selectinload(AdjustmentReview.criterion),
                                         selectinload(AdjustmentReview.reviewed_by))
        .where(AdjustmentReview.application_id == application.id, AdjustmentReview.stage == stage))}
    evidence = {e.criterion_id: e.text for e in application.evidence}
    out = []
    for criterion in vacancy.criteria:
        result = rec.criteria.get(criterion.key)
        if criterion.key not in claimed or result is None or not result.gating:
            continue
        codes = {r.code for r in result.reasons}
        if not codes & {rules.codes.ADJUSTMENT_REVIEW, rules.codes.ADJUSTMENT_AGREED,
                        rules.codes.ADJUSTMENT_NOT_AGREED}:
            continue  # met on the scores, waived by the policy, or not waivable: nothing for HR to review
        out.append(Claim(criterion, evidence.get(criterion.id, ""), tuple(result.scores), reviews.get(criterion.key),
                         rules.codes.ADJUSTMENT_REVIEW in codes))
    return out


def record_review(vacancy: Vacancy, application: Application, user: User,
                  answers: Mapping[str, tuple[str | None, str]], stage: str = "shortlisting") -> list[AdjustmentReview]:
    """HR's outcome and reason for each claimed criterion (key -> (outcome, reason)), all or none."""
    if not is_hr_of(user, vacancy):
        raise PanelRefused([Problem("not_allowed", "Only HR reviews a reasonable adjustment.")])
    if not stage_open(vacancy, stage):
        raise PanelRefused([Problem("stage_closed", "The shortlist has been finalised, so the review can no "
                                                    "longer change.")])
    found = {c.criterion.key: c for c in claims(vacancy, application, stage)}
    if not found:
        raise PanelRefused([Problem("nothing_to_review", f"{application.reference} has no claim for HR to review.")])
    problems: list[Problem] = []
    for key in found:
        outcome, reason = answers.get(key, (None, ""))
        if outcome not in OUTCOME_LABELS:
            problems.append(Problem("adjustment_outcome_missing",
                                    f"Select the outcome of the review for {key}", f"outcome-{key}", key))
        if not (reason or "").strip():
            problems.append(Problem("reason_required", f"Give the reason for the outcome for {key}",
                                    f"reason-{key}", key))
        elif len(reason) > 5000:
            problems.append(Problem("too_long", f"The reason for {key} must be 5000 characters or fewer",
                                    f"reason-{key}", key))
    if problems:
        raise PanelRefused(problems)
    with transaction():
        rows = []
        changes = {}
        for key, claim in found.items():
            outcome, reason = answers[key]
            row = claim.review
            before = None if row is None else {"outcome": row.outcome, "reason": row.reason}
            if row is None:
                row = AdjustmentReview(application_id=application.id, criterion_id=claim.criterion.id, stage=stage)
                db.session.add(row)
            row.outcome, row.reason = outcome, (reason or "").strip()
            row.reviewed_by_id, row.reviewed_at = user.id, utcnow()
            rows.append(row)
            changes[key] = {"before": before, "outcome": outcome, "reason": row.reason}
        audit.record(audit.Actor.of(user), "adjustment.reviewed", vacancy=vacancy.reference,
                     subject=application.reference, stage=stage, reviews=changes)
        from shortlist.services import notices

        # the chair is told, in neutral words: never what the review was about
        notices.review_decided(vacancy, application.reference, "HR's review is recorded, and the candidate's "
                               "recommendation now takes it into account",
                               f"adjustment:{application.id}:{rows[0].reviewed_at.isoformat()}", audit.Actor.of(user))
    return rows
