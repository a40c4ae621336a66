"""Decisions: the recommendation for each candidate, a named person's decision with its
reason (R4, R28, R31), and finalising the shortlist (which reveals names to the panel)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import Application, Decision, GapMark, ScoreSheet, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.permissions import is_hr_of, is_scorer, may_decide  # the access policy: the services ask it, never write it again
from shortlist.services import audit, organisations
from shortlist.services.transactions import transaction
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.recommendations import recommend_one, recommend_vacancy, refresh_years, vacancy_from_model
from shortlist.services.panel.base import DECISION_LABELS, OVERRIDE_LABELS, actor, stage_open, stage_refusal
from shortlist.services.panel.declarations import conflicted_with
from shortlist.services.panel.scoring import may_see_others


def recommendation_for(vacancy: Vacancy, reference: str, stage: str) -> rules.Recommendation:
    """One candidate's recommendation. Only an interview cap ranks candidates against each
    other; without one, their own rows are all it needs (the same result, at any size)."""
    if stage != "shortlisting" or not vacancy.interview_cap_places:
        rec = recommend_one(vacancy, None, stage, reference=reference)
        if rec is None:
            raise LookupError(f"no application {reference!r} in {vacancy.reference}")
        return rec
    return next(r for r in recommend_vacancy(vacancy, stage) if r.reference == reference)


def decisions_for(vacancy: Vacancy, stage: str) -> dict[str, Decision]:
    """Each application's decision at the stage, by reference, with who decided: one
    statement however many decisions, reading only the application's reference."""
    return {
        reference: d
        for d, reference in db.session.execute(
            select(Decision, Application.reference).options(joinedload(Decision.decided_by))
            .join(Application, Application.id == Decision.application_id)
            .where(Application.vacancy_id == vacancy.id, Decision.stage == stage))
    }


def suggested_reason(recommendation: rules.Recommendation) -> str:
    """The engine's reasons, as the prefilled reason for the recommended decision (R28)."""
    o = rules.Outcome
    if recommendation.outcome is o.DOES_NOT_MEET:
        return " ".join(r.message for r in recommendation.reasons if r.code == rules.codes.ESSENTIAL_NOT_MET)
    if recommendation.outcome is o.GUARANTEED_INTERVIEW:
        return "Guaranteed an interview: in the offer-an-interview scheme and meets the minimum criteria."
    if recommendation.outcome is o.MEETS_ESSENTIALS:
        return "Meets every essential shortlisting criterion."
    return ""


def recommended_decision(recommendation: rules.Recommendation) -> str | None:
    o = rules.Outcome
    if recommendation.outcome in (o.GUARANTEED_INTERVIEW, o.MEETS_ESSENTIALS):
        return "invite" if recommendation.within_cap else "reserve"
    if recommendation.outcome is o.DOES_NOT_MEET:
        return "reject"
    return None


def _override_text(recommendation: rules.Recommendation, outcome: str, reason: str,
                   override_code: str | None) -> str:
    """What the engine's check reads as the recorded reason for departing from the
    recommendation: HR's closed-list code, else a reason the person wrote themselves."""
    if override_code:
        return override_code
    if reason.strip() == suggested_reason(recommendation).strip():
        return ""
    return reason


_DOING = {"invite": "inviting {ref}", "reserve": "putting {ref} on the reserve list", "reject": "not shortlisting {ref}"}


def _decision_problem(refusal: rules.Reason, rec: rules.Recommendation, outcome: str, reason: str,
                      labels: Mapping[str, str]) -> Problem:
    """A refusal at the form field it concerns. A reason still worded for the recommended
    decision, kept for another one (the form prefills it), is said to be that, not missing."""
    if refusal.code != rules.codes.REASON_REQUIRED:
        return Problem(refusal.code, refusal.message, "outcome", refusal.criterion)
    recommended = recommended_decision(rec)
    if reason.strip() and reason.strip() == suggested_reason(rec).strip() and recommended and recommended != outcome:
        return Problem(refusal.code, f"The reason is still the recommended wording for {labels[recommended]}: give "
                       f"your own reason for {_DOING[outcome].format(ref=rec.reference)}", "reason")
    return Problem(refusal.code, refusal.message, "reason", refusal.criterion)


def decide(vacancy: Vacancy, application: Application, user: User, outcome: str, reason: str,
           override_code: str | None = None, stage: str = "shortlisting") -> Decision:
    """A named person's decision on one candidate (R31), refused where the rules say so
    (R4: a guaranteed candidate; R28: a reason for every decision)."""
    if not may_decide(vacancy, user):
        raise PanelRefused.one("not_the_chair", "Only the panel's chair or HR confirms decisions.")
    if not stage_open(vacancy, stage):
        raise stage_refusal(vacancy, stage)
    labels = DECISION_LABELS[stage]
    if outcome not in labels:
        raise PanelRefused.one("decision_missing", "Select a decision", "outcome")
    if override_code and override_code not in OVERRIDE_LABELS:
        raise PanelRefused.one("override_reason_invalid", "Select an override reason from the list", "override_code")
    if override_code and not is_hr_of(user, vacancy):
        raise PanelRefused.one("override_not_allowed", "Only an HR administrator can give an override reason",
                      "override_code")
    if not reason.strip():
        raise PanelRefused.one("reason_required", "Give the reason for this decision", "reason")
    if len(reason) > 5000:
        raise PanelRefused.one("too_long", "The reason must be 5000 characters or fewer", "reason")
    if is_scorer(vacancy, user) and not may_see_others(vacancy, application, user, stage):
        if conflicted_with(application, user):
            raise PanelRefused.one("conflict_declared", f"You declared a conflict of interest with "
                          f"{application.reference}: HR or another chair decides for them.")
        raise PanelRefused.one("submit_first", f"Submit your own scores for {application.reference} before you decide.")
    rec = recommendation_for(vacancy, application.reference, stage)
    refusals = rules.check_decision(rec, outcome, rules.HR_ADMIN if is_hr_of(user, vacancy) else "panel",
                                    _override_text(rec, outcome, reason, override_code))
    if refusals:
        raise PanelRefused(_decision_problem(r, rec, outcome, reason, labels) for r in refusals)
    with transaction():
        row = db.session.scalar(
            select(Decision).where(Decision.application_id == application.id, Decision.stage == stage)
            .with_for_update())
        before = None if row is None else {"outcome": row.outcome, "reason": row.reason}
        if row is None:
            row = Decision(application_id=application.id, stage=stage)
            db.session.add(row)
        row.outcome = outcome
        row.recommendation = rec.outcome.value
        row.reason = reason.strip()
        row.reasons = [{"code": r.code, "criterion": r.criterion, "message": r.message} for r in rec.reasons]
        row.override_reason = override_code or None
        row.decided_by_id = user.id
        row.decided_at = utcnow()
        audit.record(actor(user), "decision.recorded", vacancy=vacancy.reference, subject=application.reference,
                     stage=stage, before=before, outcome=outcome, recommendation=rec.outcome.value,
                     reasons=[r.code for r in rec.reasons], reason=row.reason, override_reason=row.override_reason)
        if is_hr_of(user, vacancy) and rec.outcome == rules.Outcome.HR_REVIEW:
            from shortlist.services import notices

            db.session.flush()
            notices.review_decided(vacancy, application.reference, labels[outcome],
                                   f"decision:{row.id}:{row.decided_at.isoformat()}", actor(user))  # the chair is told
    return row


def gap_marks_by_candidate(vacancy: Vacancy) -> dict[str, dict[str, dict[str, str]]]:
    """candidate reference -> gap start -> shortlister e-mail -> mark, for ``check_finalise``."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for ref, start, email, mark in db.session.execute(
        select(Application.reference, GapMark.gap_start, User.email, GapMark.mark)
        .join(Application, Application.id == GapMark.application_id)
        .join(User, User.id == GapMark.user_id)
        .where(Application.vacancy_id == vacancy.id)
    ):
        out.setdefault(ref, {}).setdefault(start, {})[email] = mark
    return out


def shortlisters(vacancy: Vacancy) -> set[str]:
    return set(db.session.scalars(
        select(func.distinct(User.email)).join(ScoreSheet, ScoreSheet.user_id == User.id)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(Application.vacancy_id == vacancy.id, ScoreSheet.stage == "shortlisting",
               ScoreSheet.submitted_at.is_not(None))))


def finalise_refusals(vacancy: Vacancy, today: date | None = None, *,
                      recs: list[rules.Recommendation] | None = None,
                      decisions: dict[str, Decision] | None = None) -> list[rules.Reason]:
    """Why the shortlist cannot be finalised yet (empty: it can). A page that has just
    made the shortlisting recommendations (for today) and read the decisions passes them in."""
    day = today or date.today()
    if recs is None:
        recs = recommend_vacancy(vacancy, "shortlisting", day)
    if decisions is None:
        decisions = decisions_for(vacancy, "shortlisting")
    refusals = rules.check_finalise(
        recs, vacancy_from_model(vacancy), day, shortlisters(vacancy), gap_marks_by_candidate(vacancy),
        {ref: d.outcome for ref, d in decisions.items()}, refresh_years())
    hr_ids = organisations.hr_admin_ids(vacancy.organisation_id)  # who decided as its HR (one statement)
    for rec in recs:
        d = decisions.get(rec.reference)
        if d is not None:
            override = d.override_reason or (d.reason if d.reason != suggested_reason(rec) else "")
            refusals += rules.check_decision_current(
                rec, d.outcome, d.recommendation, rules.HR_ADMIN if d.decided_by_id in hr_ids else "panel", override)
    return refusals


def finalise_shortlist(vacancy: Vacancy, user: User) -> None:
    """Close shortlisting: reveal names to the panel (who are asked about conflicts
    again) and move the vacancy to interview."""
    if not may_decide(vacancy, user):
        raise PanelRefused.one("not_the_chair", "Only the panel's chair or HR finalises the shortlist.")
    if vacancy.names_revealed:
        raise PanelRefused.one("already_finalised", "The shortlist has already been finalised.")
    refusals = finalise_refusals(vacancy)
    if refusals:
        raise PanelRefused(Problem(r.code, r.message, None, r.criterion) for r in refusals)
    decisions = decisions_for(vacancy, "shortlisting")
    with transaction():
        vacancy.shortlist_finalised_at = utcnow()
        vacancy.shortlist_finalised_by_id = user.id
        vacancy.status = "interview"
        by_outcome: dict[str, list[str]] = {"invite": [], "reserve": [], "reject": []}
        for ref, d in sorted(decisions.items()):
            by_outcome[d.outcome].append(ref)
        audit.record(actor(user), "shortlist.finalised", vacancy=vacancy.reference,
                     invited=by_outcome["invite"], reserve=by_outcome["reserve"], rejected=by_outcome["reject"])
        from shortlist.services import interview_booking  # it builds on this module's services

        interview_booking.on_finalise(vacancy, by_outcome, actor(user))  # each candidate is told, in this transaction
