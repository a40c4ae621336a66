"""The whole-vacancy lists, a page at a time (issue 19): the candidates with their
recommendations and a member's scoring queue. Each reads one page of rows (LIMIT and
OFFSET in SQL, in reference order or reversed), counts with one aggregate, and runs the
rules engine for the rows shown only, so a page costs the same at 10 applications or
20,000.

Two things need every candidate and say so where they are used: a filter by outcome (the
outcome is the engine's, worked out per candidate) and an interview cap (which ranks the
whole vacancy to say who is within it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import Application, ConflictDeclaration, Decision, ScoreSheet, SiftAssignment, User, Vacancy
from shortlist.paging import PAGE_SIZE, Page, clamp
from shortlist.services.recommendations import (
    candidate_from_record,
    recommend_vacancy,
    vacancy_from_model,
)
from shortlist.services.scoring_data import gather

SORTS = {"reference": "Reference, A to Z", "reference_desc": "Reference, Z to A"}
OUTCOMES = {"guaranteed_interview": "Guaranteed interview", "meets_essentials": "Meets essentials",
            "does_not_meet": "Does not meet", "hr_review": "HR review", "incomplete": "Incomplete"}
REFERENCE_SEARCH_MAX = 40


@dataclass(frozen=True)
class ListArgs:
    """What the URL asks for: the page, the sort, a reference (or its beginning), an outcome."""

    page: int = 1
    sort: str = "reference"
    q: str = ""
    outcome: str = ""

    @classmethod
    def from_args(cls, args: Any, page: int) -> ListArgs:
        sort = args.get("sort") or "reference"
        outcome = args.get("outcome") or ""
        return cls(page=page, sort=sort if sort in SORTS else "reference",
                   q=(args.get("q") or "").strip()[:REFERENCE_SEARCH_MAX],
                   outcome=outcome if outcome in OUTCOMES else "")

    def outcome_items(self, scheme: bool = True) -> list[dict[str, object]]:
        """``scheme``: whether the viewer may see scheme status at all (else no such option)."""
        return [{"value": "", "text": "Any", "selected": not self.outcome}] + [
            {"value": k, "text": v, "selected": k == self.outcome} for k, v in OUTCOMES.items()
            if scheme or k != "guaranteed_interview"]

    def sort_items(self) -> list[dict[str, object]]:
        return [{"value": k, "text": v, "selected": k == self.sort} for k, v in SORTS.items()]

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in (("sort", self.sort if self.sort != "reference" else ""), ("q", self.q),
                                  ("outcome", self.outcome)) if v}


def _matching(vacancy: Vacancy, q: str):  # noqa: ANN202 - a Select of (id, reference)
    query = select(Application.id, Application.reference).where(Application.vacancy_id == vacancy.id)
    if q:  # a reference, or its beginning, in any case (LIKE, escaped: a % or _ typed is itself)
        query = query.where(func.upper(Application.reference).startswith(q.upper(), autoescape=True))
    return query


def _order(query, sort: str):  # noqa: ANN001, ANN202
    return query.order_by(Application.reference.desc() if sort == "reference_desc" else Application.reference)


@dataclass(frozen=True)
class CandidatesPage:
    page: Page
    recommendations: list[rules.Recommendation]
    whole_vacancy: bool  # the engine ran over every candidate (an outcome filter or an interview cap)


def candidates_page(vacancy: Vacancy, stage: str, args: ListArgs, size: int = PAGE_SIZE,
                    visible: Callable[[str], bool] = lambda _ref: True) -> CandidatesPage:
    """One page of the vacancy's candidates with the engine's recommendations. A filter on
    the outcome keeps only candidates whose recommendation ``visible`` says the viewer sees
    (the access policy's sees_scores): a filter never tells what the page would hide."""
    if args.outcome or (stage == "shortlisting" and vacancy.interview_cap_places):
        recs = recommend_vacancy(vacancy, stage)
        if args.q:
            recs = [r for r in recs if r.reference.upper().startswith(args.q.upper())]
        if args.outcome:
            recs = [r for r in recs if visible(r.reference) and r.outcome.value == args.outcome]
        if args.sort == "reference_desc":
            recs.reverse()
        page = clamp(args.page, len(recs), size)
        return CandidatesPage(page, recs[page.offset:page.offset + size], True)
    query = _matching(vacancy, args.q)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp(args.page, total, size)
    rows = db.session.execute(_order(query, args.sort).limit(size).offset(page.offset)).all()
    if not rows:
        return CandidatesPage(page, [], False)
    records = {r.application_id: r for r in gather(vacancy, stage, application_ids=[i for i, _ref in rows])}
    facts = vacancy_from_model(vacancy)
    ordered = [records[i] for i, _ref in rows if i in records]
    recs = rules.recommend_all(facts, ((candidate_from_record(r), r.scores, r.agreed) for r in ordered),
                               stage=stage)
    return CandidatesPage(page, recs, False)


# --------------------------------------------------------------------------- the moderation matrix and decisions

CHUNK = 1000


def judged(vacancy: Vacancy, stage: str) -> Iterator[tuple[Any, rules.Recommendation]]:
    """Every candidate's gathered record and recommendation, in reference order, gathered
    and judged a thousand at a time (as the wide record is), so a filter over the whole
    vacancy holds only the candidates it keeps: the matrix filtered to "needs an agreed
    score" at 20,000 candidates no longer has all 20,000 records and recommendations in
    memory at once. An interview cap ranks every candidate against the others: judged
    together."""
    from shortlist.services.recommendations import recommend_with_records

    facts = vacancy_from_model(vacancy)
    if facts.interview_cap is not None:
        yield from recommend_with_records(vacancy, stage)
        return
    ids = list(db.session.scalars(select(Application.id).where(Application.vacancy_id == vacancy.id)
                                  .order_by(Application.reference)))
    for start in range(0, len(ids), CHUNK):
        records = gather(vacancy, stage, application_ids=ids[start:start + CHUNK])
        recs = rules.recommend_all(facts, ((candidate_from_record(r), r.scores, r.agreed) for r in records),
                                   stage=stage)
        yield from zip(records, recs, strict=True)

MATRIX_FILTERS = {"needs": "Needs an agreed score", "agreed": "Has an agreed score"}


@dataclass(frozen=True)
class MatrixArgs(ListArgs):
    """The list's arguments, and the matrix's own: ``show`` (one of MATRIX_FILTERS) and a
    criterion (the rows whose scores on it need an agreed score, or have one)."""

    show: str = ""
    criterion: str = ""

    @classmethod
    def from_args(cls, args: Any, page: int, criteria: tuple[str, ...] | None = None) -> MatrixArgs:  # type: ignore[override]
        """``criteria``: the stage's criterion keys, or None to keep any (``for_criteria`` later)."""
        base = ListArgs.from_args(args, page)
        show = args.get("show") or ""
        criterion = args.get("criterion") or ""
        made = cls(page=base.page, sort=base.sort, q=base.q, outcome=base.outcome,
                   show=show if show in MATRIX_FILTERS else "", criterion=criterion)
        return made if criteria is None else made.for_criteria(criteria)

    def for_criteria(self, criteria: Iterable[str]) -> MatrixArgs:
        """These arguments with a criterion that is not one of ``criteria`` dropped."""
        return self if not self.criterion or self.criterion in set(criteria) else replace(self, criterion="")

    def as_args(self) -> dict[str, str]:
        return {**super().as_args(), **{k: v for k, v in (("show", self.show), ("criterion", self.criterion)) if v}}

    @property
    def engine_filter(self) -> bool:
        return bool(self.outcome or self.show or self.criterion)


def _needs(rec: rules.Recommendation, keys: list[str]) -> bool:
    needs = (rules.codes.MODERATION_REQUIRED, rules.codes.RATIONALE_REQUIRED)
    return any(any(r.code in needs for r in rec.criteria[k].reasons) for k in keys if k in rec.criteria)


@dataclass(frozen=True)
class RowsPage:
    page: Page
    rows: list[tuple[Any, rules.Recommendation]]  # (CandidateRecord, Recommendation)
    whole_vacancy: bool


def matrix_page(vacancy: Vacancy, stage: str, args: MatrixArgs, keys: list[str], size: int = PAGE_SIZE,
                visible: Callable[[str], bool] = lambda _ref: True) -> RowsPage:
    """One page of the matrix (or the decisions list): each candidate's gathered record and
    recommendation. A filter on the engine's results (outcome, needs an agreed score, a
    criterion) or an interview cap reads every candidate (``judged``: a chunk at a time,
    keeping the rows the filter keeps); otherwise only the page's."""
    if args.engine_filter or (stage == "shortlisting" and vacancy.interview_cap_places):
        chosen = [args.criterion] if args.criterion else keys

        def kept(pair: tuple[Any, rules.Recommendation]) -> bool:
            record, rec = pair
            if args.q and not rec.reference.upper().startswith(args.q.upper()):
                return False
            if args.engine_filter and not visible(rec.reference):  # never a filter on what the page hides
                return False
            if args.outcome and rec.outcome.value != args.outcome:
                return False
            if args.show == "needs" or (args.criterion and not args.show):
                return _needs(rec, chosen)
            if args.show == "agreed":
                return any(k in record.agreed for k in chosen)
            return True

        pairs = [p for p in judged(vacancy, stage) if kept(p)]
        if args.sort == "reference_desc":
            pairs.reverse()
        page = clamp(args.page, len(pairs), size)
        return RowsPage(page, pairs[page.offset:page.offset + size], True)
    query = _matching(vacancy, args.q)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp(args.page, total, size)
    ids = [i for i, _ref in db.session.execute(_order(query, args.sort).limit(size).offset(page.offset)).all()]
    if not ids:
        return RowsPage(page, [], False)
    records = {r.application_id: r for r in gather(vacancy, stage, application_ids=ids)}
    ordered = [records[i] for i in ids if i in records]
    recs = rules.recommend_all(vacancy_from_model(vacancy),
                               ((candidate_from_record(r), r.scores, r.agreed) for r in ordered), stage=stage)
    return RowsPage(page, list(zip(ordered, recs, strict=True)), False)


# --------------------------------------------------------------------------- a member's scoring queue

QUEUE_STATUSES = {"not_started": "Not started", "draft": "Draft", "submitted": "Submitted"}


@dataclass(frozen=True)
class QueuePage:
    page: Page
    items: list[tuple[str, str]]  # (reference, status)
    submitted: int
    to_score: int


def queue_page(vacancy: Vacancy, user: User, stage: str, number: int, status: str = "",
               size: int = PAGE_SIZE) -> QueuePage:
    """One page of the member's applications at the stage (their allocation, with a sift
    pool), with their own status; ``status`` filters to one of QUEUE_STATUSES. Applications
    they declared a conflict with are left out (before the reveal, listing one would tell
    them which reference the name they declared has)."""
    base = select(Application.id).where(Application.vacancy_id == vacancy.id)
    if stage == "interview":
        base = base.join(Decision, Decision.application_id == Application.id).where(
            Decision.stage == "shortlisting", Decision.outcome == "invite")
    elif vacancy.sift is not None:
        base = base.where(Application.id.in_(select(SiftAssignment.application_id).where(
            SiftAssignment.vacancy_id == vacancy.id, SiftAssignment.user_id == user.id)))
    conflicted = select(ConflictDeclaration.application_id).where(
        ConflictDeclaration.user_id == user.id, ConflictDeclaration.conflict.is_(True))
    if not vacancy.names_revealed:
        base = base.where(Application.id.not_in(conflicted))
    sheet = (ScoreSheet.application_id == Application.id) & (ScoreSheet.user_id == user.id) & (ScoreSheet.stage == stage)
    state = func.coalesce(ScoreSheet.submitted_at.is_not(None).cast(db.Integer), -1)  # -1 none, 0 draft, 1 done
    counted = db.session.execute(
        select(state.label("state"), func.count()).select_from(Application).outerjoin(ScoreSheet, sheet)
        .where(Application.id.in_(base)).group_by(state)).all()
    by_state = {int(k): n for k, n in counted}
    total_all = sum(by_state.values())
    wanted = {"not_started": -1, "draft": 0, "submitted": 1}.get(status)
    total = by_state.get(wanted, 0) if wanted is not None else total_all
    page = clamp(number, total, size)
    query = (select(Application.reference, ScoreSheet.submitted_at.is_not(None), ScoreSheet.id,
                    Application.id.in_(conflicted))
             .select_from(Application).outerjoin(ScoreSheet, sheet).where(Application.id.in_(base)))
    if wanted == -1:
        query = query.where(ScoreSheet.id.is_(None))
    elif wanted == 0:
        query = query.where(ScoreSheet.id.is_not(None), ScoreSheet.submitted_at.is_(None))
    elif wanted == 1:
        query = query.where(ScoreSheet.submitted_at.is_not(None))
    rows = db.session.execute(query.order_by(Application.reference).limit(size).offset(page.offset)).all()
    items = [(ref, "conflict" if conflict else "not_started" if sheet_id is None else "submitted" if done else "draft")
             for ref, done, sheet_id, conflict in rows]
    excluded = 0
    if vacancy.names_revealed:  # listed as "Conflict declared", not theirs to score
        excluded = db.session.scalar(select(func.count()).select_from(Application).where(
            Application.id.in_(base), Application.id.in_(conflicted))) or 0
    return QueuePage(page, items, by_state.get(1, 0), total_all - excluded)
