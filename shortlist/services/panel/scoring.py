"""Independent scores (R27): a member's sheet (scores, notes, employment-gap marks) saved as
a draft or submitted, and whose submitted scores another person may see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import joinedload, selectinload

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import Application, ConflictDeclaration, Decision, GapMark, Score, ScoreSheet, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.permissions import (  # the access policy: the services ask it, never write it again
    is_scorer,
    may_see_others_scores,
    Sight,
    sees_scores,
)
from shortlist.rules.vocabulary import GAP_MARKS, REVEALED_OUTCOMES
from shortlist.services import audit, closing
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.transactions import retrying, transaction
from shortlist.numbers import as_int
from shortlist.services.panel.base import actor, conflict_phase, stage_criteria, stage_open, stage_refusal


@dataclass
class SheetView:
    """One member's sheet as a form shows it."""

    values: dict[str, int | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    submitted_at: object | None = None
    exists: bool = False


def sheet_for(application: Application, user: User, stage: str) -> SheetView:
    sheet = db.session.scalar(
        select(ScoreSheet).options(selectinload(ScoreSheet.scores).selectinload(Score.criterion))
        .where(ScoreSheet.application_id == application.id, ScoreSheet.user_id == user.id,
               ScoreSheet.stage == stage))
    if sheet is None:
        return SheetView()
    return SheetView(
        values={s.criterion.key: s.value for s in sheet.scores},
        notes={s.criterion.key: s.note for s in sheet.scores},
        submitted_at=sheet.submitted_at, exists=True)


def gap_marks_for(application: Application, user: User) -> dict[str, tuple[str, str]]:
    return {
        m.gap_start: (m.mark, m.note)
        for m in db.session.scalars(
            select(GapMark).where(GapMark.application_id == application.id, GapMark.user_id == user.id))
    }


def gaps_for(vacancy: Vacancy, application: Application, today: date | None = None) -> list[rules.Reason]:
    """The employment gaps to probe, as the rules engine finds them."""
    history = [
        rules.EmploymentSpell(rules.YearMonth.parse(s.start), rules.YearMonth.parse(s.end) if s.end else None,
                              s.employer, s.role)
        for s in application.employment
    ]
    until = min(today or date.today(), vacancy.closing_date)
    return rules.employment_gaps(history, vacancy.employment_gap_months, until,
                                 dict(application.gap_explanations or {}))


def _check_may_score(vacancy: Vacancy, application: Application, user: User, stage: str) -> list[GapMark]:
    """Refuse unless the member may score this application; return their gap marks on it
    (read in the same statement as the conflict declarations and the decision)."""
    if not is_scorer(vacancy, user):
        raise PanelRefused.one("not_a_scorer", "Only the chair and members of the panel score applications.")
    if not stage_open(vacancy, stage):
        raise stage_refusal(vacancy, stage)
    closing.close_if_due(vacancy)  # recorded in this save's transaction
    declared, conflicted, outcome, marks = _scoring_facts(vacancy, application, user)
    if conflicted:
        raise PanelRefused.one("conflict_declared",
                      f"You declared a conflict of interest with {application.reference}, so you do not score them.")
    if not declared:
        raise PanelRefused.one("conflicts_not_declared",
                      "Declare any conflicts of interest before you read the applications.")
    if stage == "interview" and outcome != "invite":
        raise PanelRefused.one("not_shortlisted", f"{application.reference} was not invited to interview.")
    if stage == "shortlisting" and vacancy.sift is not None:
        from shortlist.services import sift

        if not sift.is_assigned(vacancy, application.id, user.id):
            raise PanelRefused.one("not_allocated", f"{application.reference} is not in your sift allocation.")
    return marks


def _scoring_facts(vacancy: Vacancy, application: Application,
                   user: User) -> tuple[bool, bool, str | None, list[GapMark]]:
    """What ``conflict_state`` and ``decision_outcome`` say about one application, and the
    member's gap marks on it, in one statement: whether they declared about it in this
    phase (and it is in the phase's pool), whether they declared a conflict with it in
    any phase, and its shortlisting decision."""
    mine = (ConflictDeclaration.application_id == application.id) & (ConflictDeclaration.user_id == user.id)
    facts = select(
        select(func.count()).select_from(ConflictDeclaration)
        .where(mine, ConflictDeclaration.phase == conflict_phase(vacancy)).scalar_subquery().label("declared"),
        select(func.count()).select_from(ConflictDeclaration)
        .where(mine, ConflictDeclaration.conflict.is_(True)).scalar_subquery().label("conflicted"),
        select(Decision.outcome).where(Decision.application_id == application.id,
                                       Decision.stage == "shortlisting").scalar_subquery().label("outcome"),
    ).subquery()
    rows = db.session.execute(
        select(facts.c.declared, facts.c.conflicted, facts.c.outcome, GapMark).select_from(facts)
        .outerjoin(GapMark, (GapMark.application_id == application.id) & (GapMark.user_id == user.id))
    ).all()
    outcome = rows[0].outcome
    in_pool = not vacancy.names_revealed or outcome in REVEALED_OUTCOMES
    return (rows[0].declared > 0 and in_pool, rows[0].conflicted > 0, outcome,
            [row[3] for row in rows if row[3] is not None])


def save_sheet(
    vacancy: Vacancy,
    application: Application,
    user: User,
    stage: str,
    values: Mapping[str, str | None],
    notes: Mapping[str, str],
    gap_marks: Mapping[str, tuple[str | None, str]],
    *,
    submit: bool,
) -> None:
    """Save the member's scores as a draft, or submit them. A submitted sheet is final:
    the chair then records agreed scores where members differ (R27).

    Two requests for the same sheet at once (two tabs, a double click) both find no sheet;
    the unique constraint lets only one insert it. The other starts again from what that
    one committed: usually a submitted sheet, so a clean refusal rather than a 500."""
    def attempt() -> None:
        with transaction():
            current_marks = _check_may_score(vacancy, application, user, stage)
            criteria = stage_criteria(vacancy, stage)
            sheet = db.session.execute(
                select(ScoreSheet).options(joinedload(ScoreSheet.scores))
                .where(ScoreSheet.application_id == application.id, ScoreSheet.user_id == user.id,
                       ScoreSheet.stage == stage).with_for_update(of=ScoreSheet)).unique().scalar_one_or_none()
            if sheet is not None and sheet.submitted_at is not None:
                raise PanelRefused.one("already_submitted",
                              f"You submitted your scores for {application.reference}; they can no longer be "
                              "changed. The chair records the agreed scores.")
            points = set(vacancy.scale_points)
            problems: list[Problem] = []
            parsed: dict[str, int | None] = {}
            for c in criteria:
                raw = (values.get(c.key) or "").strip()
                if not raw:
                    parsed[c.key] = None
                    if submit:
                        problems.append(Problem("score_missing", f"Select a score for {c.key}: {_short(c.text)}",
                                                f"score-{c.key}", c.key))
                    continue
                score = as_int(raw)
                if score is None or score not in points:
                    problems.append(Problem(
                        "score_out_of_scale",
                        f"The score for {c.key} must be from {vacancy.scale_min} to {vacancy.scale_max}",
                        f"score-{c.key}", c.key))
                    continue
                parsed[c.key] = score
                if len(notes.get(c.key, "")) > 5000:
                    problems.append(Problem("too_long", f"The note for {c.key} must be 5000 characters or fewer",
                                            f"note-{c.key}", c.key))
            gaps = gaps_for(vacancy, application) if stage == "shortlisting" else []
            marks: dict[str, tuple[str, str]] = {}
            for gap in gaps:
                start = gap.gap_start or ""
                mark, note = gap_marks.get(start, (None, ""))
                if mark in GAP_MARKS:
                    marks[start] = (mark, note.strip()[:2000])
                elif mark:
                    problems.append(Problem("gap_mark_invalid", "Choose explained or explore at interview",
                                            f"gap-{start}"))
                elif submit:
                    problems.append(Problem(
                        "gap_not_marked",
                        f"Mark the employment gap from {start} as explained or to explore at interview",
                        f"gap-{start}"))
            if problems:
                raise PanelRefused(problems)

            # A statement per table, however many criteria and gaps: the sheet, then its scores
            # (new ones in one multi-row INSERT, changed ones in one UPDATE), then the gap marks.
            if sheet is None:
                sheet = ScoreSheet(application_id=application.id, user_id=user.id, stage=stage)
                db.session.add(sheet)
                by_criterion: dict[int, Score] = {}
            else:
                by_criterion = {s.criterion_id: s for s in sheet.scores}
            if submit:
                sheet.submitted_at = utcnow()
            sheet.updated_at = utcnow()
            db.session.flush()
            added, changed = [], []
            for c in criteria:
                value, note = parsed[c.key], notes.get(c.key, "").strip()
                score = by_criterion.get(c.id)
                if score is None:
                    added.append({"sheet_id": sheet.id, "criterion_id": c.id, "value": value, "note": note})
                elif (score.value, score.note) != (value, note):
                    changed.append({"id": score.id, "value": value, "note": note})
            if added:
                db.session.execute(insert(Score).execution_options(render_nulls=True), added)
            if changed:
                db.session.execute(update(Score), changed)
            if marks:
                current = {m.gap_start: m for m in current_marks}
                new_marks = []
                for start, (mark, note) in marks.items():
                    row = current.get(start)
                    if row is None:
                        new_marks.append({"application_id": application.id, "user_id": user.id, "gap_start": start,
                                          "mark": mark, "note": note})
                    else:
                        row.mark, row.note = mark, note
                if new_marks:
                    db.session.execute(insert(GapMark), new_marks)
            audit.record(
                actor(user), "scores.submitted" if submit else "scores.saved", vacancy=vacancy.reference,
                subject=application.reference, stage=stage,
                scores={k: v for k, v in parsed.items()}, gap_marks={k: m for k, (m, _n) in marks.items()},
            )

    retrying(attempt)



def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class MemberScores:
    name: str
    email: str
    values: dict[str, int | None]
    notes: dict[str, str]


def submitted_scores(application: Application, stage: str) -> list[MemberScores]:
    """Every submitted sheet for the application and stage, by member name."""
    sheets = db.session.scalars(
        select(ScoreSheet)
        .options(selectinload(ScoreSheet.scores).selectinload(Score.criterion), selectinload(ScoreSheet.user))
        .where(ScoreSheet.application_id == application.id, ScoreSheet.stage == stage,
               ScoreSheet.submitted_at.is_not(None)))
    out = [MemberScores(s.user.name, s.user.email, {x.criterion.key: x.value for x in s.scores},
                        {x.criterion.key: x.note for x in s.scores}) for s in sheets]
    return sorted(out, key=lambda m: m.name)


def others_scores(application: Application, stage: str, seen: Sight) -> list[MemberScores]:
    """The members' submitted scores for the application, where the access policy lets this
    person see them (R27: not before their own are in; never while conflicted)."""
    return submitted_scores(application, stage) if sees_scores(seen, application.reference) else []


def may_see_others(vacancy: Vacancy, application: Application, user: User, stage: str) -> bool:
    """R27 for this person: `shortlist.permissions.may_see_others_scores`, on their facts."""
    if not is_scorer(vacancy, user):
        return True
    from shortlist.services.sight import sight  # the access policy's facts (it imports this module)

    return may_see_others_scores(vacancy, user, sight(vacancy, user, stage), application.reference)
