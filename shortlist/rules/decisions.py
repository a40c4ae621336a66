"""What a named person may do with recommendations (R4, R5, R18, R19, R20, R28, R31).

Each function returns refusals: an empty list means allowed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date

from shortlist.rules import codes
from shortlist.rules._text import listing, number, plural
from shortlist.rules.checks import DEFAULT_REFRESH_YEARS, no_trained_member_message, trained_members
from shortlist.rules.types import (
    GapMarks,
    InterviewCap,
    Outcome,
    Reason,
    Recommendation,
    Vacancy,
)
from shortlist.rules.vocabulary import DECISIONS, GAP_MARKS, HR_ADMIN, INTERVIEW_DECISIONS

GUARANTEE_OVERRIDE_REASONS: frozenset[str] = frozenset(
    {"withdrew", "duplicate", "volume_cap", "statutory_bar"})
INCOMPLETE_OVERRIDE_REASONS: frozenset[str] = frozenset({"withdrew", "duplicate", "statutory_bar"})
#: HR's closed list of override reasons, as people read them (messages never show the codes)
OVERRIDE_REASON_LABELS: dict[str, str] = {
    "withdrew": "The candidate withdrew",
    "duplicate": "A duplicate application",
    "volume_cap": "Beyond the interview cap declared before scoring",
    "statutory_bar": "A statutory bar (for example, barred from regulated activity)",
}


def _in_words(reasons: frozenset[str]) -> str:
    """'the candidate withdrew, a duplicate application or a statutory bar (…)'."""
    words = [OVERRIDE_REASON_LABELS[r][0].lower() + OVERRIDE_REASON_LABELS[r][1:] for r in sorted(reasons)]
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def check_decision(
    recommendation: Recommendation,
    decision: str,
    actor_role: str,
    override_reason: str | None,
) -> list[Reason]:
    """Refusals for ``decision`` (invite, reserve, reject) on ``recommendation``.

    ``override_reason`` is the recorded reason for the decision. It is needed whenever
    the decision departs from the recommendation: rejecting or reserving someone who
    meets the essentials, inviting or reserving someone who does not, deciding after an
    HR review, inviting beyond the interview cap. Not inviting a guaranteed candidate
    needs ``hr_admin`` and a reason from GUARANTEE_OVERRIDE_REASONS (R4); ``volume_cap``
    only for a candidate beyond the cap.
    """
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}: expected one of {', '.join(DECISIONS)}")
    reason = (override_reason or "").strip()
    is_hr = actor_role == HR_ADMIN
    ref = recommendation.reference
    outcome = recommendation.outcome
    refusals: list[Reason] = []

    def needs_reason(what: str) -> None:
        if not reason:
            refusals.append(Reason(codes.REASON_REQUIRED, None,
                                   f"Record the reason for {what} {ref}."))

    if outcome is Outcome.GUARANTEED_INTERVIEW:
        if decision == "invite":
            if not recommendation.within_cap:
                needs_reason("inviting, beyond the interview cap,")
            return refusals
        if not is_hr or reason not in GUARANTEE_OVERRIDE_REASONS:
            refusals.append(Reason(
                codes.GUARANTEE_PROTECTED, None,
                f"{ref} is guaranteed an interview and cannot be {_past(decision)} by the panel. "
                "Only an HR administrator can override the guarantee, for one of these reasons: "
                f"{_in_words(GUARANTEE_OVERRIDE_REASONS)}."))
        elif reason == "volume_cap" and recommendation.within_cap:
            refusals.append(Reason(
                codes.VOLUME_CAP_NOT_APPLICABLE, None,
                f"{ref} is within the interview cap, so the cap is not a reason to override "
                "their guarantee."))
        return refusals

    if outcome is Outcome.DOES_NOT_MEET:
        if decision == "reject":
            return refusals  # the essential_not_met reasons are the recorded reasons (R28)
        if not is_hr:
            refusals.append(Reason(
                codes.OVERRIDE_REQUIRED, None,
                f"{ref} does not meet the essential criteria; only an HR administrator can "
                f"override that to {decision} them, with a recorded reason."))
        needs_reason(f"overriding the essential criteria to {decision}")
        return refusals

    if outcome is Outcome.MEETS_ESSENTIALS:
        if decision == "invite":
            if not recommendation.within_cap:
                needs_reason("inviting, beyond the interview cap,")
        else:
            needs_reason(f"the decision to {decision}")
        return refusals

    if outcome is Outcome.HR_REVIEW:
        if not is_hr:
            refusals.append(Reason(
                codes.HR_REVIEW_REQUIRED, None,
                f"{ref} is waiting for an HR review of a reasonable adjustment; only an HR "
                "administrator can decide."))
        needs_reason("the HR review decision on")
        return refusals

    # Outcome.INCOMPLETE
    if not (is_hr and decision == "reject" and reason in INCOMPLETE_OVERRIDE_REASONS):
        refusals.append(Reason(
            codes.DECISION_NOT_READY, None,
            f"{ref}'s scores are incomplete (missing scores or moderation); finish them first. "
            f"HR may reject early only for one of these reasons: {_in_words(INCOMPLETE_OVERRIDE_REASONS)}."))
    return refusals


def check_interview_decision(
    recommendation: Recommendation,
    decision: str,
    reason: str | None,
) -> list[Reason]:
    """Refusals for an interview outcome (appoint, reserve, not_appointed).

    Appointment (a conditional offer) needs every essential criterion assessed at
    interview met; no override (R28). Nothing is decided on incomplete scores or an
    open HR review. Reserving or not appointing someone who meets the essentials needs a
    recorded reason, as does every decision (R31)."""
    if decision not in INTERVIEW_DECISIONS:
        raise ValueError(f"unknown decision {decision!r}: expected one of {', '.join(INTERVIEW_DECISIONS)}")
    ref = recommendation.reference
    outcome = recommendation.outcome
    if outcome in (Outcome.INCOMPLETE, Outcome.HR_REVIEW):
        return [Reason(codes.APPOINTMENT_NOT_READY, None,
                       f"{ref}'s interview scores are incomplete or waiting for an HR review; "
                       "finish them before recording an outcome.")]
    refusals: list[Reason] = []
    if decision == "appoint" and outcome is Outcome.DOES_NOT_MEET:
        unmet = [r.criterion for r in recommendation.reasons
                 if r.code == codes.ESSENTIAL_NOT_MET and r.criterion]
        refusals.append(Reason(
            codes.APPOINTMENT_GATE, None,
            f"{ref} cannot be appointed: essential criteria assessed at interview are not met "
            f"({listing(unmet)})."))
    if not (reason or "").strip():
        refusals.append(Reason(codes.REASON_REQUIRED, None, f"Record the reason for the outcome for {ref}."))
    return refusals


def check_decision_current(
    recommendation: Recommendation,
    decision: str,
    recorded_recommendation: str,
    actor_role: str,
    override_reason: str | None,
) -> list[Reason]:
    """Refusals for keeping a recorded decision when the shortlist is finalised: the
    recommendation it was made against must be the current one, and the decision must
    still pass ``check_decision`` (scores may have changed since)."""
    if (recorded_recommendation == recommendation.outcome.value
            and not check_decision(recommendation, decision, actor_role, override_reason)):
        return []
    now = recommendation.outcome.value.replace("_", " ")
    return [Reason(codes.DECISION_OUTDATED, None,
                   f"The recommendation for {recommendation.reference} changed after its decision was "
                   f"recorded (it is now: {now}); confirm the decision again.",
                   candidate=recommendation.reference)]


def _past(decision: str) -> str:
    return {"reject": "rejected", "reserve": "put on the reserve list"}.get(decision, decision)


def check_finalise(
    recommendations: Iterable[Recommendation],
    vacancy: Vacancy,
    today: date,
    submitted_by: Collection[str],
    gap_marks: GapMarks | None = None,
    decisions: Mapping[str, str] | None = None,
    refresh_years: int = DEFAULT_REFRESH_YEARS,
) -> list[Reason]:
    """Refusals for finalising the shortlist.

    - ``submitted_by``: e-mails of the panel members who submitted shortlisting scores;
      fewer than ``vacancy.min_scorers`` refuses (R19).
    - ``gap_marks``: candidate reference -> gap start "YYYY-MM" -> shortlister e-mail ->
      "explained" or "explore" (to explore at interview). Every employment-gap probe
      must be marked by every shortlister in ``submitted_by`` except those with a
      declared conflict with that candidate (R20).
    - ``decisions`` (optional): candidate reference -> decision; when given, every
      candidate needs one, confirmed by a named person (R31).
    - A safeguarding role needs an in-date trained panel member (R18).
    - No candidate may be ``incomplete`` or ``hr_review``.
    """
    refusals: list[Reason] = []
    marks = gap_marks or {}
    shortlisters = sorted(set(submitted_by))
    if len(shortlisters) < vacancy.min_scorers:
        refusals.append(Reason(
            codes.TOO_FEW_SHORTLISTERS, None,
            f"Only {plural(len(shortlisters), 'panel member has', 'panel members have')} "
            f"submitted shortlisting scores; {vacancy.min_scorers} independent scorers are needed."))
    if vacancy.safeguarding_role and not trained_members(vacancy, today, refresh_years):
        refusals.append(Reason(codes.NO_TRAINED_PANEL_MEMBER, None,
                               no_trained_member_message(vacancy, today, refresh_years)))
    for rec in recommendations:
        ref = rec.reference
        if rec.outcome is Outcome.INCOMPLETE:
            refusals.append(Reason(codes.CANDIDATE_INCOMPLETE, None,
                                   f"{ref} still has incomplete scores or moderation.", candidate=ref))
        elif rec.outcome is Outcome.HR_REVIEW:
            refusals.append(Reason(codes.CANDIDATE_HR_REVIEW, None,
                                   f"{ref} is waiting for an HR review of a reasonable adjustment.",
                                   candidate=ref))
        if decisions is not None and not decisions.get(ref):
            refusals.append(Reason(codes.DECISION_MISSING, None,
                                   f"No one has confirmed a decision for {ref}.", candidate=ref))
        conflicted = set(rec.conflicted_members)
        for probe in rec.probes:
            if probe.gap_start is None:
                continue
            given = marks.get(ref, {}).get(probe.gap_start, {})
            for member, mark in given.items():
                if mark not in GAP_MARKS:
                    raise ValueError(f"{ref} gap {probe.gap_start}: mark {mark!r} from {member} "
                                     f"is not one of {', '.join(sorted(GAP_MARKS))}")
            for member in shortlisters:
                if member not in conflicted and member not in given:
                    refusals.append(Reason(
                        codes.GAP_NOT_MARKED, None,
                        f"A shortlister has not yet marked {ref}'s employment gap starting "
                        f"{probe.gap_start} as explained or to explore at interview.",
                        member=member, gap_start=probe.gap_start, candidate=ref))
    return refusals


def check_cap_change(
    vacancy: Vacancy,
    new_cap: InterviewCap | None,
    any_scores_submitted: bool,
    actor_role: str,
    approval_reason: str | None = None,
) -> list[Reason]:
    """Refusals for setting or changing the interview cap (R5, scenario 7).

    A cap is declared before scoring. Once any score is submitted, setting or changing
    it needs an HR administrator with a recorded approval reason (senior-HR approval,
    audited by the caller); removing a cap (which only adds interviews) is allowed.
    """
    refusals: list[Reason] = []
    if new_cap is not None:
        if new_cap.places < 1:
            refusals.append(Reason(codes.CAP_INVALID, None,
                                   f"An interview cap needs at least 1 place, not {new_cap.places}."))
        if not new_cap.reason.strip():
            refusals.append(Reason(codes.CAP_INVALID, None,
                                   "An interview cap needs a recorded reason (a high-volume campaign)."))
    changed = new_cap != vacancy.interview_cap
    if (changed and new_cap is not None and any_scores_submitted
            and not (actor_role == HR_ADMIN and (approval_reason or "").strip())):
        refusals.append(Reason(
            codes.CAP_AFTER_SCORING, None,
            "Scores have already been submitted, so an interview cap set now could look like a "
            "pretext to exclude particular applicants. It needs an HR administrator with a "
            "recorded senior-HR approval reason."))
    return refusals


def check_tie_break(
    preferred: Recommendation,
    other: Recommendation,
    characteristic: str,
    evidence_reference: str,
    rationale: str,
    tolerance: float = 0.0,
) -> list[Reason]:
    """Refusals for a positive-action tie-break (Equality Act s.159, R11): only between
    two candidates who both meet the essential criteria with totals equal within
    ``tolerance``, with the protected characteristic, the evidence of under-representation
    and a case-specific rationale recorded. There is no standing preference rule."""
    refusals: list[Reason] = []
    qualified = (Outcome.MEETS_ESSENTIALS, Outcome.GUARANTEED_INTERVIEW)
    for rec in (preferred, other):
        if rec.outcome not in qualified:
            refusals.append(Reason(
                codes.TIE_BREAK_NOT_QUALIFIED, None,
                f"{rec.reference} does not meet the essential criteria, so a positive-action "
                "tie-break cannot involve them."))
    if abs(preferred.total - other.total) > tolerance:
        refusals.append(Reason(
            codes.TIE_BREAK_NOT_TIED, None,
            f"{preferred.reference} and {other.reference} are not equally qualified (totals "
            f"{number(preferred.total)} and {number(other.total)}); positive action may only break "
            "a tie."))
    missing = [name for name, value in (("the protected characteristic", characteristic),
                                        ("the evidence of under-representation", evidence_reference),
                                        ("the rationale for this case", rationale))
               if not value.strip()]
    if missing:
        refusals.append(Reason(codes.TIE_BREAK_EVIDENCE_REQUIRED, None,
                               f"Record {listing(missing)} before applying positive action."))
    return refusals
