"""The shortlisting (or interview) recommendation for each candidate.

A recommendation never decides anything by itself (R31): ``check_decision`` guards
what a named person may then do with it.
"""

from __future__ import annotations

import math
from operator import itemgetter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from shortlist.rules import codes
from shortlist.rules._text import add_years, label, number, plural
from shortlist.rules.gaps import employment_gaps
from shortlist.rules.stages import assessed_at, check_stage
from shortlist.rules.types import (
    Agreed,
    Candidate,
    Criterion,
    CriterionResult,
    CriterionStatus,
    ForcesService,
    InterviewCap,
    Outcome,
    Reason,
    Recommendation,
    Scores,
    Vacancy,
)
from shortlist.rules.vocabulary import (
    ADJUSTMENT_MET,
    ADJUSTMENT_NOT_MET,
)

Status = CriterionStatus

_INCOMPLETE_CODES = frozenset({
    codes.INSUFFICIENT_SCORERS, codes.MODERATION_REQUIRED, codes.RATIONALE_REQUIRED})
_FORCES_DISCHARGE_WINDOW = timedelta(weeks=12)
_FORCES_YEARS = 3


@dataclass(frozen=True)
class _Context:
    """What is the same for every candidate of one vacancy and stage."""

    vacancy: Vacancy
    stage: str
    today: date
    assessed: tuple[Criterion, ...]
    gating: tuple[Criterion, ...]
    by_key: Mapping[str, Criterion]
    assessed_keys: frozenset[str]
    labels: Mapping[str, str]
    valid_scores: frozenset[int]
    needed: int
    gating_keys: frozenset[str]
    pick_assessed: Callable[[Mapping[str, int]], tuple[int, ...]]  # a sheet's scores, in assessed order
    not_assessed: Mapping[str, _Part]
    # Each criterion's result depends only on its counted scores, the members whose scores
    # a conflict set aside, its agreed score and whether a rationale is given: at
    # campaign scale the same few hundred combinations recur thousands of times, so each
    # is worked out once per vacancy and stage (by ``_evaluate``) and shared: results are
    # immutable.
    memo: dict[tuple[object, ...], _Part]


@dataclass(frozen=True, slots=True)
class _Part:
    """One criterion's result, with the basis sentence the outcome's reason quotes."""

    result: CriterionResult
    basis: str = ""


def _picker(keys: tuple[str, ...]) -> Callable[[Mapping[str, int]], tuple[int, ...]]:
    """A sheet's scores for ``keys``, in that order, as one tuple (itemgetter, in C)."""
    if len(keys) == 1:
        key = keys[0]
        return lambda sheet: (sheet[key],)
    if not keys:
        return lambda sheet: ()
    return itemgetter(*keys)


def _context(vacancy: Vacancy, stage: str, today: date | None) -> _Context:
    check_stage(stage)
    assessed = tuple(c for c in vacancy.criteria if assessed_at(c, stage))
    gating = tuple(c for c in assessed if c.essential)
    return _Context(
        vacancy=vacancy,
        stage=stage,
        today=today or date.today(),
        assessed=assessed,
        gating=gating,
        by_key={c.key: c for c in vacancy.criteria},
        assessed_keys=frozenset(c.key for c in assessed),
        labels={c.key: label(c) for c in vacancy.criteria},
        valid_scores=frozenset(range(vacancy.scale.min, vacancy.scale.max + 1)),
        needed=max(vacancy.min_scorers, 1),
        gating_keys=frozenset(c.key for c in gating),
        pick_assessed=_picker(tuple(c.key for c in assessed)),
        not_assessed={c.key: _not_assessed(stage, c) for c in vacancy.criteria if not assessed_at(c, stage)},
        memo={},
    )


def recommend(
    vacancy: Vacancy,
    candidate: Candidate,
    scores: Scores,
    agreed: Agreed,
    stage: str = "shortlisting",
    today: date | None = None,
    rationales: Mapping[str, str] | None = None,
) -> Recommendation:
    """The recommendation for one candidate at ``stage``.

    ``scores`` are the submitted scores for this candidate and stage, ``agreed`` the
    agreed scores. ``today`` (default: the current date) dates the Armed Forces
    eligibility and the end of the employment history (the closing date when earlier).
    With ``rationales`` (criterion key -> text), an agreed score that settles diverging
    independent scores must have a rationale, else the criterion is incomplete (R27).
    The interview cap needs every candidate: see ``recommend_all``.
    """
    return _evaluate(_context(vacancy, stage, today), candidate, scores, agreed, rationales)


def recommend_all(
    vacancy: Vacancy,
    candidates_with_scores: Iterable[tuple[Candidate, Scores, Agreed]],
    stage: str = "shortlisting",
    today: date | None = None,
) -> list[Recommendation]:
    """Recommendations in input order; at shortlisting, the interview cap is applied."""
    ctx = _context(vacancy, stage, today)
    recommendations = [_evaluate(ctx, c, s, a, None) for c, s, a in candidates_with_scores]
    if stage == "shortlisting" and vacancy.interview_cap is not None:
        recommendations = apply_cap(recommendations, vacancy.interview_cap)
    return recommendations


# --------------------------------------------------------------------------- validation


def _check_value(ctx: _Context, value: object, where: str) -> None:
    scale = ctx.vacancy.scale
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: score {value!r} is not a whole number")
    if not scale.min <= value <= scale.max:
        raise ValueError(f"{where}: score {value} is outside the scale {scale.min}-{scale.max}")


def _valid_sheet(ctx: _Context, sheet: Mapping[str, int]) -> bool:
    """Every key a criterion and every value a whole number on the scale (checked in bulk)."""
    return (ctx.by_key.keys() >= sheet.keys() and ctx.valid_scores.issuperset(sheet.values())
            and (not sheet or set(map(type, sheet.values())) == {int}))


def _validate(ctx: _Context, candidate: Candidate, scores: Scores, agreed: Agreed) -> None:
    if all(_valid_sheet(ctx, sheet) for sheet in scores.values()) and _valid_sheet(ctx, agreed) and not (
            candidate.disability_declared and not ctx.by_key.keys() >= candidate.unmet_due_to_disability):
        return
    by_key, valid = ctx.by_key, ctx.valid_scores
    for member, sheet in scores.items():
        for key, value in sheet.items():
            if key not in by_key:
                raise ValueError(f"{candidate.reference}: score from {member}: unknown criterion {key!r}")
            if type(value) is not int or value not in valid:
                _check_value(ctx, value, f"{candidate.reference}: score from {member} for {key}")
    for key, value in agreed.items():
        if key not in by_key:
            raise ValueError(f"{candidate.reference}: agreed score: unknown criterion {key!r}")
        if type(value) is not int or value not in valid:
            _check_value(ctx, value, f"{candidate.reference}: agreed score for {key}")
    if candidate.disability_declared:
        for key in candidate.unmet_due_to_disability:
            if key not in ctx.by_key:
                raise ValueError(f"{candidate.reference}: unmet_due_to_disability: unknown criterion {key!r}")


# --------------------------------------------------------------------------- one criterion


def _split_scores(scores: Scores, conflicts: frozenset[str]
                  ) -> tuple[list[Mapping[str, int]], list[tuple[str, Mapping[str, int]]]]:
    """The sheets whose scores count, and the conflicted members' sheets, which do not."""
    if not conflicts:
        return list(scores.values()), []
    counted: list[Mapping[str, int]] = []
    excluded: list[tuple[str, Mapping[str, int]]] = []
    for member, sheet in scores.items():
        if member in conflicts:
            excluded.append((member, sheet))
        else:
            counted.append(sheet)
    return counted, sorted(excluded)


def _assess(ctx: _Context, criterion: Criterion, given: tuple[int, ...], excluded: tuple[str, ...],
            agreed: int | None, rationale: bool | None) -> _Part:
    """One assessed criterion: ``given`` are the counted independent scores, ``excluded``
    the members whose scores a conflict set aside, ``agreed`` the agreed score (or None)
    and ``rationale`` whether the agreed score has a written rationale (None: not asked)."""
    vacancy, key = ctx.vacancy, criterion.key
    scale, met, name = vacancy.scale, vacancy.scale.met, ctx.labels[key]
    gating = key in ctx.gating_keys
    reasons = [
        Reason(codes.CONFLICT_EXCLUDED, key,
               f"A score for {name} from a panel member who declared a conflict of interest "
               "with this applicant was not counted.", member=member)
        for member in excluded
    ]
    shown = ", ".join(map(str, given))
    if given:
        low, high = min(given), max(given)
        both_sides = low < met <= high
        split = both_sides or high - low >= scale.divergence_gap
    else:
        low = high = 0
        both_sides = split = False

    def part(status: CriterionStatus, score: float | None, basis: str = "") -> _Part:
        return _Part(CriterionResult(status, score, given, tuple(reasons), gating), basis)

    if agreed is not None:
        value = agreed
        if rationale is False and split:
            reasons.append(Reason(
                codes.RATIONALE_REQUIRED, key,
                f"{name}: the independent scores ({shown}) differ, so the agreed score "
                f"{scale.describe(value)} needs a written rationale before it can decide the criterion."))
            return part(Status.INCOMPLETE, float(value))
        basis = f"the agreed score is {scale.describe(value)}; {met} or more is needed"
        if value >= met:
            reasons.append(Reason(codes.CRITERION_MET, key, f"{name} is met: {basis}."))
            return part(Status.MET, float(value), basis)
        reasons.append(Reason(codes.CRITERION_NOT_MET, key, f"{name} is not met: {basis}."))
        return part(Status.NOT_MET, float(value), basis)

    mean = sum(given) / len(given) if given else None
    needed = ctx.needed
    if len(given) < needed:
        reasons.append(Reason(
            codes.INSUFFICIENT_SCORERS, key,
            f"{name} has {plural(len(given), 'independent score')} from panel members without "
            f"a conflict of interest; {needed} are needed before it can be decided."))
        return part(Status.INCOMPLETE, mean)
    if split:
        why = (f"fall either side of {met}, the score at which it is met" if both_sides
               else f"differ by {high - low}, which needs moderation")
        reasons.append(Reason(
            codes.MODERATION_REQUIRED, key,
            f"{name}: the independent scores ({shown}) {why}; the panel must record an agreed score."))
        return part(Status.INCOMPLETE, mean)
    if low >= met:
        basis = f"every independent score ({shown}) is {met} or more"
        reasons.append(Reason(codes.CRITERION_MET, key, f"{name} is met: {basis}."))
        return part(Status.MET, mean, basis)
    basis = f"every independent score ({shown}) is below {met}"
    reasons.append(Reason(codes.CRITERION_NOT_MET, key, f"{name} is not met: {basis}."))
    return part(Status.NOT_MET, mean, basis)


def _not_assessed(stage: str, criterion: Criterion) -> _Part:
    name = label(criterion)
    if criterion.pre_employment:
        reason = Reason(codes.PRE_EMPLOYMENT_CHECK, criterion.key,
                        f"{name} is a pre-employment check made after a conditional offer; "
                        "it is never scored.")
    elif stage == "shortlisting":
        reason = Reason(codes.NOT_ASSESSED_AT_STAGE, criterion.key,
                        f"{name} is not assessed at shortlisting; it is assessed later "
                        f"({'/'.join(criterion.methods) or 'no method given'}).")
    else:
        reason = Reason(codes.NOT_ASSESSED_AT_STAGE, criterion.key,
                        f"{name} is not assessed at interview (no interview, presentation, "
                        "exercise or test method).")
    return _Part(CriterionResult(Status.NOT_ASSESSED, None, (), (reason,)))


# --------------------------------------------------------------------------- one candidate


def forces_eligible(service: ForcesService | None, today: date) -> bool:
    """Armed Forces Covenant guarantee (R7): serving and due to leave within 12 weeks,
    or left within 3 years with the Forces as last long-term employer."""
    if service is None:
        return False
    if service.left_on is None:
        due = service.discharge_due
        return due is not None and today <= due <= today + _FORCES_DISCHARGE_WINDOW
    return (service.last_long_term_employer and service.left_on <= today
            and today <= add_years(service.left_on, _FORCES_YEARS))


def in_scheme(vacancy: Vacancy, candidate: Candidate) -> bool:
    """The candidate is in the vacancy's "offer an interview" scheme (R1, R2)."""
    return (vacancy.offer_interview and candidate.disability_declared
            and (candidate.offer_interview_opt_in or vacancy.declaration_triggers_scheme))


def _apply_disability_claims(ctx: _Context, candidate: Candidate, parts: dict[str, _Part]) -> None:
    """R6: essential criteria the applicant cannot meet because of their disability."""
    if not candidate.disability_declared or not candidate.unmet_due_to_disability:
        return
    claimed = [c for c in ctx.gating if c.key in candidate.unmet_due_to_disability
               and parts[c.key].result.status is Status.NOT_MET]

    def amend(criterion: Criterion, reason: Reason, status: CriterionStatus | None = None,
              score: float | None = None) -> None:
        part = parts[criterion.key]
        result = part.result
        parts[criterion.key] = replace(part, result=replace(
            result, status=status or result.status, reasons=result.reasons + (reason,),
            score=result.score if score is None else score))

    waivable: list[Criterion] = []
    for criterion in claimed:
        if criterion.non_waivable:
            amend(criterion, Reason(
                codes.WAIVER_NOT_ALLOWED, criterion.key,
                f"The applicant says they cannot meet {label(criterion)} because of their "
                "disability, but it is a requirement that cannot be waived, so it stays not met."))
        else:
            waivable.append(criterion)
    if not waivable:
        return
    waivable_keys = {c.key for c in waivable}
    others_met = all(parts[c.key].result.status is Status.MET
                     for c in ctx.gating if c.key not in waivable_keys)
    for criterion in waivable:
        name = label(criterion)
        review = candidate.adjustment_reviews.get(criterion.key)
        if ctx.vacancy.waiver_policy and others_met:
            amend(criterion, Reason(
                codes.WAIVER_APPLIED, criterion.key,
                f"The applicant says they cannot meet {name} because of their disability and "
                "meets every other essential criterion, so the vacancy's waiver policy waives it. "
                "HR should agree any adjustment."), Status.WAIVED)
        elif review == ADJUSTMENT_MET:
            met = float(ctx.vacancy.scale.met)
            amend(criterion, Reason(
                codes.ADJUSTMENT_AGREED, criterion.key,
                f"The applicant says they cannot meet {name} because of their disability. HR reviewed "
                "it and agreed a reasonable adjustment with which it is met."), Status.MET,
                max(parts[criterion.key].result.score or 0.0, met))
        elif review == ADJUSTMENT_NOT_MET:
            amend(criterion, Reason(
                codes.ADJUSTMENT_NOT_AGREED, criterion.key,
                f"The applicant says they cannot meet {name} because of their disability. HR reviewed "
                "it and found no reasonable adjustment with which it could be met, so it stays not met."))
        elif ctx.vacancy.waiver_policy:
            amend(criterion, Reason(
                codes.ADJUSTMENT_REVIEW, criterion.key,
                f"The applicant says they cannot meet {name} because of their disability. The "
                "waiver applies only when every other essential criterion is met, which is not yet "
                "the case; HR must review it. It is never rejected automatically."), Status.HR_REVIEW)
        else:
            amend(criterion, Reason(
                codes.ADJUSTMENT_REVIEW, criterion.key,
                f"The applicant says they cannot meet {name} because of their disability. HR "
                "must consider a reasonable adjustment; the application is not rejected "
                "automatically."), Status.HR_REVIEW)


def _parts_in_bulk(ctx: _Context, counted: list[Mapping[str, int]], agreed: Agreed) -> dict[str, _Part]:
    """The common case, every criterion at once: each counted sheet scores every assessed
    criterion, no conflict sets scores aside and no rationale is asked for."""
    memo, parts = ctx.memo, {}
    columns: Iterable[tuple[int, ...]] = (
        zip(*[ctx.pick_assessed(sheet) for sheet in counted]) if counted else [()] * len(ctx.assessed))
    for criterion, given in zip(ctx.assessed, columns):
        key = criterion.key
        agreed_value = agreed.get(key)
        memo_key = (key, given, (), agreed_value, None)
        part = memo.get(memo_key)
        if part is None:
            part = memo[memo_key] = _assess(ctx, criterion, given, (), agreed_value, None)
        parts[key] = part
    if ctx.not_assessed:  # in the vacancy's order
        return {key: parts.get(key) or ctx.not_assessed[key] for key in ctx.by_key}
    return parts


def _parts_each(ctx: _Context, counted: list[Mapping[str, int]], excluded: list[tuple[str, Mapping[str, int]]],
                agreed: Agreed, rationales: Mapping[str, str] | None) -> dict[str, _Part]:
    """Each criterion's result, one at a time: with a conflict, a partial sheet or rationales."""
    memo, parts = ctx.memo, {}
    for criterion in ctx.vacancy.criteria:
        key = criterion.key
        part = ctx.not_assessed.get(key)
        if part is None:
            given = tuple([sheet[key] for sheet in counted if key in sheet])
            set_aside = tuple([member for member, sheet in excluded if key in sheet]) if excluded else ()
            agreed_value = agreed.get(key)
            rationale = (None if rationales is None or agreed_value is None
                         else bool(rationales.get(key, "").strip()))
            memo_key = (key, given, set_aside, agreed_value, rationale)
            part = memo.get(memo_key)
            if part is None:
                part = memo[memo_key] = _assess(ctx, criterion, given, set_aside, agreed_value, rationale)
        parts[key] = part
    return parts


def _evaluate(
    ctx: _Context,
    candidate: Candidate,
    scores: Scores,
    agreed: Agreed,
    rationales: Mapping[str, str] | None,
) -> Recommendation:
    vacancy = ctx.vacancy
    _validate(ctx, candidate, scores, agreed)
    counted, excluded = _split_scores(scores, candidate.conflicts)
    if not excluded and rationales is None and all(ctx.assessed_keys <= sheet.keys() for sheet in counted):
        parts = _parts_in_bulk(ctx, counted, agreed)
    else:
        parts = _parts_each(ctx, counted, excluded, agreed, rationales)
    _apply_disability_claims(ctx, candidate, parts)

    scheme = in_scheme(vacancy, candidate)
    outcome, reasons_list = _outcome_reasons(ctx, candidate, parts, scheme)
    for member in sorted(candidate.conflicts):
        if scores.get(member):
            reasons_list.append(Reason(
                codes.CONFLICT_EXCLUDED, None,
                "A panel member who declared a conflict of interest with this applicant had "
                "submitted scores; they were not counted. HR should review how this happened.",
                member=member))

    met = float(vacancy.scale.met)
    essential_total = total = 0.0
    for criterion in ctx.assessed:
        result = parts[criterion.key].result
        value = result.score or 0.0
        if result.status is Status.WAIVED:
            value = max(value, met)
        total += value
        if criterion.essential:
            essential_total += value

    until = ctx.today
    if vacancy.closing_date is not None and vacancy.closing_date < until:
        until = vacancy.closing_date
    probes = employment_gaps(candidate.employment_history, vacancy.employment_gap_months,
                             until, candidate.gap_explanations)
    return Recommendation(
        reference=candidate.reference,
        stage=ctx.stage,
        outcome=outcome,
        reasons=tuple(reasons_list),
        probes=tuple(probes),
        criteria={key: p.result for key, p in parts.items()},
        in_scheme=scheme,
        essential_total=round(essential_total, 6),
        total=round(total, 6),
        conflicted_members=tuple(sorted(candidate.conflicts)),
        in_forces_scheme=vacancy.armed_forces_scheme and forces_eligible(candidate.forces, ctx.today),
    )


def _outcome_reasons(ctx: _Context, candidate: Candidate, parts: Mapping[str, _Part],
                     scheme: bool) -> tuple[Outcome, list[Reason]]:
    gating = ctx.gating
    by_status: dict[CriterionStatus, list[Criterion]] = {}
    for c in gating:
        by_status.setdefault(parts[c.key].result.status, []).append(c)

    def having(status: CriterionStatus) -> list[Criterion]:
        return by_status.get(status, [])

    def lifted(criteria: list[Criterion], wanted: frozenset[str]) -> list[Reason]:
        return [r for c in criteria for r in parts[c.key].result.reasons if r.code in wanted]

    not_met = having(Status.NOT_MET)
    if not_met:
        reasons = [Reason(codes.ESSENTIAL_NOT_MET, c.key,
                          f"Essential criterion {ctx.labels[c.key]} is not met: {parts[c.key].basis}.")
                   for c in not_met]
        reasons += lifted(not_met, frozenset({codes.WAIVER_NOT_ALLOWED, codes.ADJUSTMENT_NOT_AGREED}))
        reasons.append(Reason(
            codes.HUMAN_DECISION_REQUIRED, None,
            "This is a recommendation only: a named person must confirm any decision not to "
            "invite this applicant."))
        return Outcome.DOES_NOT_MEET, reasons
    incomplete = having(Status.INCOMPLETE)
    if incomplete:
        # with the scores a conflict removed, where that left a criterion short (R19, R30)
        return Outcome.INCOMPLETE, lifted(incomplete, _INCOMPLETE_CODES | {codes.CONFLICT_EXCLUDED})
    review = having(Status.HR_REVIEW)
    if review:
        return Outcome.HR_REVIEW, lifted(review, frozenset({codes.ADJUSTMENT_REVIEW}))

    waived = having(Status.WAIVED)
    adjusted = lifted(having(Status.MET), frozenset({codes.ADJUSTMENT_AGREED}))
    forces = ctx.vacancy.armed_forces_scheme and forces_eligible(candidate.forces, ctx.today)
    reasons = []
    if not gating:
        reasons.append(Reason(
            codes.NO_GATING_CRITERIA, None,
            f"No essential criterion is assessed at {ctx.stage}, so there is nothing to fail."))
    if ctx.stage == "shortlisting" and (scheme or waived or forces):
        if scheme:
            reasons.append(Reason(
                codes.SCHEME_GUARANTEE, None,
                'The applicant is in the vacancy\'s "offer an interview" scheme and meets the '
                "minimum (essential shortlisting) criteria, so they must be offered an interview."))
        reasons += lifted(waived, frozenset({codes.WAIVER_APPLIED})) + adjusted
        if forces:
            reasons.append(Reason(
                codes.ARMED_FORCES_GUARANTEE, None,
                "The applicant qualifies for the Armed Forces guaranteed interview and meets the "
                "essential criteria, so they must be offered an interview; no other applicant is "
                "displaced by it."))
        return Outcome.GUARANTEED_INTERVIEW, reasons
    if gating:
        reasons.append(Reason(
            codes.ESSENTIALS_MET, None,
            f"Meets all {plural(len(gating), 'essential criterion', 'essential criteria')} "
            f"assessed at {ctx.stage}."))
    reasons += lifted(waived, frozenset({codes.WAIVER_APPLIED})) + adjusted
    return Outcome.MEETS_ESSENTIALS, reasons


# --------------------------------------------------------------------------- interview cap


def apply_cap(recommendations: Sequence[Recommendation], cap: InterviewCap) -> list[Recommendation]:
    """Apply a volume cap (R5) to a whole field; see docs/reason-codes.md for the policy.

    Only candidates recommended for interview compete: guaranteed (G) and
    meets-essentials (M). When they exceed the places, the places are split in
    proportion to the two pools' sizes, rounding in the guaranteed pool's favour, and a
    pool's unusable places pass to the other. G is ranked on essential-criteria scores
    only, M on total score; each pool competes only within itself, so no guaranteed
    candidate is displaced by a higher total. Candidates tied at a cut-off all stay
    within the cap (reason ``cap_tie``). The rest keep their outcome, get
    ``within_cap=False`` and a ``volume_cap`` reason.
    """
    guaranteed = [i for i, r in enumerate(recommendations)
                  if r.outcome is Outcome.GUARANTEED_INTERVIEW]
    others = [i for i, r in enumerate(recommendations) if r.outcome is Outcome.MEETS_ESSENTIALS]
    places = max(cap.places, 0)
    qualified = len(guaranteed) + len(others)
    result = list(recommendations)
    if qualified <= places:
        return result
    g_places = min(len(guaranteed), math.ceil(places * len(guaranteed) / qualified))
    m_places = min(len(others), places - g_places)
    g_places = min(len(guaranteed), places - m_places)
    summary = (f"The vacancy caps interviews at {places} ({cap.reason.strip() or 'no reason given'}). "
               f"{plural(len(guaranteed), 'applicant')} guaranteed an interview and "
               f"{plural(len(others), 'other applicant')} meet the essential criteria, so ")
    _select(result, guaranteed, g_places, lambda r: r.essential_total, "essential-criteria score",
            summary + f"{_places(g_places)} to guaranteed applicants, ranked on their "
            "essential-criteria scores only.")
    _select(result, others, m_places, lambda r: r.total, "total score",
            summary + f"{_places(m_places)} to the other applicants, ranked by total score.")
    return result


def _places(count: int) -> str:
    return "1 place goes" if count == 1 else f"{count} places go"


def _select(result: list[Recommendation], pool: list[int], places: int,
            key: Callable[[Recommendation], float], what: str, summary: str) -> None:
    if len(pool) <= places:
        return
    order = sorted(pool, key=lambda i: -key(result[i]))
    cutoff = key(result[order[places - 1]]) if places > 0 else math.inf
    chosen = [i for i in order if key(result[i]) >= cutoff]
    overflow = len(chosen) - places
    for i in order:
        rec = result[i]
        value = key(rec)
        if value >= cutoff:
            if overflow > 0 and value == cutoff:
                result[i] = replace(rec, reasons=rec.reasons + (Reason(
                    codes.CAP_TIE, None,
                    f"Tied on {what} {number(value)} at the cut-off of the interview cap: all "
                    f"tied applicants stay within the cap, which is exceeded by {overflow}, rather "
                    "than being separated arbitrarily. HR decides."),))
            continue
        where = (f"This applicant's {what} of {number(value)} is below the cut-off of "
                 f"{number(cutoff)}." if places > 0 else "No place is left for this pool.")
        result[i] = replace(rec, within_cap=False, reasons=rec.reasons + (
            Reason(codes.VOLUME_CAP, None, f"{summary} {where}"),))
