"""The interview cap (R5) and positive action's tie-break between two equal candidates
(s.159, R11): HR's and the chair's settings for who is invited."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import Application, PositiveAction, ScoreSheet, User, Vacancy
from shortlist.permissions import is_hr_of, may_set_cap  # the access policy: the services ask it, never write it again
from shortlist.services import audit
from shortlist.services.transactions import transaction
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.recommendations import recommend_vacancy, vacancy_from_model
from shortlist.numbers import NotANumber, optional_number
from shortlist.services.panel.base import actor


def scoring_started(vacancy: Vacancy) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(ScoreSheet)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(Application.vacancy_id == vacancy.id, ScoreSheet.stage == "shortlisting",
               ScoreSheet.submitted_at.is_not(None))) > 0


def set_cap(vacancy: Vacancy, user: User, places: str, reason: str, approval: str = "") -> None:
    """Declare, change or remove the interview cap (R5). Declared before scoring; once
    scores exist, only HR with a recorded senior-HR approval may set one (scenario 7)."""
    if not may_set_cap(vacancy, user):
        raise PanelRefused.one("not_allowed", "Only the recruiting manager, the chair or HR sets the interview cap.")
    if vacancy.names_revealed:
        raise PanelRefused.one("shortlist_finalised", "The shortlist has been finalised; the cap can no longer change.")
    try:
        count = optional_number(places, "the number of interview places", maximum=100_000)
    except NotANumber as bad:
        raise PanelRefused.one(rules.codes.CAP_INVALID, bad.message, "places") from None
    new_cap = rules.InterviewCap(count, reason.strip()) if count is not None else None
    started = scoring_started(vacancy)
    refusals = rules.check_cap_change(vacancy_from_model(vacancy), new_cap, started,
                                      rules.HR_ADMIN if is_hr_of(user, vacancy) else "panel", approval)
    if refusals:
        def where(r: rules.Reason) -> str:
            if r.code == rules.codes.CAP_AFTER_SCORING:
                return "approval"
            return "places" if "place" in r.message else "reason"
        raise PanelRefused(Problem(r.code, r.message, where(r)) for r in refusals)
    if len(reason) > 2000 or len(approval) > 2000:
        raise PanelRefused.one("too_long", "Write the reason in 2000 characters or fewer", "reason")
    with transaction():
        before = ({"places": vacancy.interview_cap_places, "reason": vacancy.interview_cap_reason}
                  if vacancy.interview_cap_places else None)
        vacancy.interview_cap_places = new_cap.places if new_cap else None
        vacancy.interview_cap_reason = new_cap.reason if new_cap else None
        audit.record(actor(user), "cap.set", vacancy=vacancy.reference, before=before,
                     after={"places": new_cap.places, "reason": new_cap.reason} if new_cap else None,
                     after_scoring=started, approval=approval.strip() or None)


def positive_actions(vacancy: Vacancy) -> list[PositiveAction]:
    return list(db.session.scalars(
        select(PositiveAction)
        .options(selectinload(PositiveAction.preferred), selectinload(PositiveAction.other),
                 selectinload(PositiveAction.recorded_by))
        .where(PositiveAction.vacancy_id == vacancy.id).order_by(PositiveAction.recorded_at)))


def apply_positive_action(vacancy: Vacancy, user: User, preferred: str, other: str, characteristic: str,
                          evidence_reference: str, rationale: str) -> PositiveAction:
    """Record an s.159 tie-break: HR only, between two candidates who both meet the
    essentials with equal totals; case by case, never a standing rule (R11)."""
    if not is_hr_of(user, vacancy):
        raise PanelRefused.one("not_allowed", "Only an HR administrator applies positive action.")
    if vacancy.names_revealed:
        raise PanelRefused.one("shortlist_finalised", "The shortlist has been finalised.")
    if preferred == other or not preferred or not other:
        raise PanelRefused.one("tie_break_candidates", "Choose two different candidates", "preferred")
    for text, name in ((characteristic, "characteristic"), (evidence_reference, "evidence_reference"),
                       (rationale, "rationale")):
        if len(text) > 2000:
            raise PanelRefused.one("too_long", "Write 2000 characters or fewer", name)
    recs = {r.reference: r for r in recommend_vacancy(vacancy, "shortlisting")}
    if preferred not in recs or other not in recs:
        raise PanelRefused.one("tie_break_candidates", "Choose two candidates of this vacancy", "preferred")
    refusals = rules.check_tie_break(recs[preferred], recs[other], characteristic, evidence_reference, rationale)
    if refusals:
        def where(r: rules.Reason) -> str:
            if r.code == rules.codes.TIE_BREAK_EVIDENCE_REQUIRED:
                return next(n for n, v in (("characteristic", characteristic),
                                           ("evidence_reference", evidence_reference),
                                           ("rationale", rationale)) if not v.strip())
            return "preferred"
        raise PanelRefused(Problem(r.code, r.message, where(r)) for r in refusals)
    with transaction():
        ids = dict(db.session.execute(select(Application.reference, Application.id).where(
            Application.vacancy_id == vacancy.id, Application.reference.in_([preferred, other]))).all())
        row = PositiveAction(vacancy_id=vacancy.id, preferred_id=ids[preferred], other_id=ids[other],
                             characteristic=characteristic.strip(), evidence_reference=evidence_reference.strip(),
                             rationale=rationale.strip(), recorded_by_id=user.id)
        db.session.add(row)
        audit.record(actor(user), "positive_action.applied", vacancy=vacancy.reference, subject=preferred,
                     preferred=preferred, other=other, totals=[recs[preferred].total, recs[other].total],
                     characteristic=row.characteristic, evidence_reference=row.evidence_reference,
                     rationale=row.rationale)
    return row
