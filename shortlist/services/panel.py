"""The panel's work: conflicts of interest, independent scores, employment-gap marks,
agreed scores, decisions and finalising the shortlist.

Each public function that writes is one use case: it checks everything first, then
writes, records its audit event and commits; or it raises `PanelRefused` naming each
problem (with the form field to fix) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import joinedload, selectinload

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import (
    AgreedScore,
    ApplicantDetails,
    Application,
    ConflictDeclaration,
    Criterion,
    Decision,
    GapMark,
    PanelMembership,
    PositiveAction,
    Score,
    ScoreSheet,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.permissions import (  # the access policy: the services ask it, never write it again
    is_scorer,
    may_decide,
    may_moderate,
    may_see_others_scores,
    may_set_cap,
    Sight,
    sees_scores,
)
from shortlist.rules.vocabulary import GAP_MARKS, REVEALED_OUTCOMES, SCORING_ROLES
from shortlist.services import audit, closing
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.transactions import retrying
from shortlist.services.recommendations import recommend_one, recommend_vacancy, refresh_years, vacancy_from_model
from shortlist.numbers import NotANumber, as_int, optional_number

DECISION_LABELS = {
    "shortlisting": {"invite": "Invite to interview", "reserve": "Reserve", "reject": "Not shortlisted"},
}
OVERRIDE_LABELS = rules.OVERRIDE_REASON_LABELS


def _actor(user: User) -> audit.Actor:
    return audit.Actor.of(user)


# --------------------------------------------------------------------------- who is who


def membership(vacancy: Vacancy, user: User) -> PanelMembership | None:
    return next((m for m in vacancy.panel if m.user_id == user.id), None)


def user_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise LookupError(email)
    return user


def scorers(vacancy: Vacancy) -> list[PanelMembership]:
    return [m for m in vacancy.panel if m.role in SCORING_ROLES]


def conflict_phase(vacancy: Vacancy) -> str:
    """Before scoring, members see names only; once the shortlist is finalised and names
    are revealed to the whole panel, they are asked again (R30)."""
    return "after_reveal" if vacancy.names_revealed else "before_scoring"


def application_by_reference(vacancy: Vacancy, reference: str) -> Application | None:
    return db.session.scalar(
        select(Application).where(Application.vacancy_id == vacancy.id, Application.reference == reference))


def stage_criteria(vacancy: Vacancy, stage: str) -> list[Criterion]:
    keys = {c.key for c in rules.stage_criteria(vacancy_from_model(vacancy), stage)}
    return [c for c in vacancy.criteria if c.key in keys]


def stage_open(vacancy: Vacancy, stage: str) -> bool:
    """Shortlisting runs from the close of applications to the finalised shortlist;
    interviews from then on."""
    if stage == "shortlisting":
        return closing.applications_closed(vacancy) and not vacancy.names_revealed
    return vacancy.names_revealed


def _stage_refusal(vacancy: Vacancy, stage: str) -> PanelRefused:
    """Why work at a stage that is not open is refused."""
    if stage == "shortlisting" and not vacancy.names_revealed:
        return PanelRefused.one("applications_open", closing.open_message(vacancy))
    if stage == "shortlisting":
        return PanelRefused.one("shortlist_finalised",
                       "The shortlist has been finalised, so shortlisting scores can no longer change.")
    return PanelRefused.one("interviews_not_open", "Interview scoring opens once the shortlist is finalised.")


# --------------------------------------------------------------------------- conflicts




def _declaration_pool(vacancy: Vacancy, user: User | None = None):  # noqa: ANN202 - a Select of application ids
    """Whom a member declares about: every applicant before scoring (with a sift pool, those
    allocated to them); after the reveal, only the shortlisted (invited or reserve), whose
    names alone are revealed."""
    query = select(Application.id).where(Application.vacancy_id == vacancy.id)
    if user is not None and vacancy.sift is not None and not vacancy.names_revealed:
        from shortlist.services import sift

        query = query.where(Application.id.in_(sift.assigned_ids(vacancy, user.id)))
    if vacancy.names_revealed:
        query = query.join(Decision, Decision.application_id == Application.id).where(
            Decision.stage == "shortlisting", Decision.outcome.in_(REVEALED_OUTCOMES))
    return query


def name_revealed(vacancy: Vacancy, application: Application) -> bool:
    return vacancy.names_revealed and _decision_outcome(application, "shortlisting") in REVEALED_OUTCOMES


@dataclass
class ConflictState:
    phase: str
    declared: set[int]  # application ids declared (either way) in this phase
    conflicted: set[int]  # application ids with a declared conflict, in any phase
    total: int

    @property
    def complete(self) -> bool:
        return len(self.declared) >= self.total


def conflict_state(vacancy: Vacancy, user: User) -> ConflictState:
    phase = conflict_phase(vacancy)
    rows = db.session.execute(
        select(ConflictDeclaration.application_id, ConflictDeclaration.phase, ConflictDeclaration.conflict)
        .join(Application, Application.id == ConflictDeclaration.application_id)
        .where(Application.vacancy_id == vacancy.id, ConflictDeclaration.user_id == user.id)
    ).all()
    pool = set(db.session.scalars(_declaration_pool(vacancy, user)))
    return ConflictState(
        phase=phase,
        declared={r.application_id for r in rows if r.phase == phase and r.application_id in pool},
        conflicted={r.application_id for r in rows if r.conflict},
        total=len(pool),
    )


def has_declared_about(vacancy: Vacancy, application: Application, user: User,
                       state: ConflictState | None = None) -> bool:
    """A member reads an application only once they have answered the conflict question
    about it (security review, finding 5): in the current phase while it is one they are
    asked about (every applicant before the reveal, the shortlisted after it), else in any
    phase (an applicant not shortlisted, read again after the reveal). Someone who joined
    the panel after the reveal never answered about those, so never reads them."""
    state = state or conflict_state(vacancy, user)
    if application.id in state.declared:
        return True
    if not vacancy.names_revealed or name_revealed(vacancy, application):
        return False
    return db.session.scalar(select(
        select(ConflictDeclaration.id).where(ConflictDeclaration.application_id == application.id,
                                             ConflictDeclaration.user_id == user.id).exists())) or False


@dataclass(frozen=True)
class NamedApplicant:
    """What the conflict step shows: a name (and, once revealed, the reference)."""

    token: str  # the form's field suffix: an index into the name-sorted list, not an id
    application_id: int
    name: str
    reference: str | None
    declared: bool | None
    details: str
    withdrawal_requested: bool = False  # they asked HR or the chair to withdraw their declared conflict


def applicants_for_declaration(vacancy: Vacancy, user: User) -> list[NamedApplicant]:
    """Applicants by name, sorted by name, so the list reveals nothing of the references
    the anonymised applications carry (before the reveal)."""
    phase = conflict_phase(vacancy)
    rows = db.session.execute(
        select(Application.id, Application.reference, ApplicantDetails.name)
        .join(ApplicantDetails, ApplicantDetails.application_id == Application.id)
        .where(Application.id.in_(_declaration_pool(vacancy, user)))
        .order_by(ApplicantDetails.name, Application.id)
    ).all()
    answers = _declarations(vacancy, user, phase)
    out = []
    for index, row in enumerate(rows, start=1):
        answer = answers.get(row.id)
        out.append(NamedApplicant(
            token=str(index), application_id=row.id, name=row.name,
            reference=row.reference if vacancy.names_revealed else None,
            declared=None if answer is None else answer.conflict,
            details=answer.details if answer else "",
            withdrawal_requested=answer is not None and answer.withdrawal_requested_at is not None))
    return out


def _declarations(vacancy: Vacancy, user: User, phase: str) -> dict[int, ConflictDeclaration]:
    """The member's declarations in this phase, by application id."""
    return {
        d.application_id: d
        for d in db.session.scalars(
            select(ConflictDeclaration)
            .join(Application, Application.id == ConflictDeclaration.application_id)
            .where(Application.vacancy_id == vacancy.id, ConflictDeclaration.user_id == user.id,
                   ConflictDeclaration.phase == phase))
    }


def declare_conflicts(vacancy: Vacancy, user: User, answers: Mapping[str, tuple[str | None, str]]) -> list[str]:
    """Record the member's answer for every applicant (token -> ("yes"|"no", details)).

    Returns the references of applicants they declared a conflict with.
    """
    if membership(vacancy, user) is None:
        raise PanelRefused.one("not_on_panel", "Only members of this vacancy's panel declare conflicts of interest.")
    if not closing.applications_closed(vacancy):
        raise PanelRefused.one("applications_open", closing.open_message(vacancy))
    phase = conflict_phase(vacancy)
    applicants = applicants_for_declaration(vacancy, user)
    problems: list[Problem] = []
    for a in applicants:
        answer, details = answers.get(a.token, (None, ""))
        if answer not in ("yes", "no"):
            problems.append(Problem("conflict_unanswered",
                                    f"Select yes if you know {a.name} or have any other conflict of interest",
                                    f"conflict-{a.token}"))
        elif answer == "yes" and not details.strip():
            problems.append(Problem("conflict_details_required",
                                    f"Describe how you know {a.name}", f"details-{a.token}"))
        elif len(details) > 2000:
            problems.append(Problem("too_long", "Describe the relationship in 2000 characters or fewer",
                                    f"details-{a.token}"))
    existing = _declarations(vacancy, user, phase)
    for a in applicants:
        row = existing.get(a.application_id)
        if row is not None and row.conflict and answers.get(a.token, (None, ""))[0] == "no":
            # withdrawing it alone would let a member map names to references (security review, finding 2)
            problems.append(Problem(
                "conflict_withdrawal_needs_review",
                f"You declared a conflict of interest with {a.name}. Only HR or the chair can withdraw it: "
                "ask for a review below, with your reason", f"conflict-{a.token}"))
    if problems:
        raise PanelRefused(problems)

    closing.close_if_due(vacancy)  # recorded in this declaration's transaction, before it
    refs = dict(db.session.execute(
        select(Application.id, Application.reference).where(Application.vacancy_id == vacancy.id)).all())
    submitted = set(db.session.scalars(
        select(ScoreSheet.application_id).join(Application, Application.id == ScoreSheet.application_id)
        .where(Application.vacancy_id == vacancy.id, ScoreSheet.user_id == user.id,
               ScoreSheet.submitted_at.is_not(None))))
    conflicts: list[str] = []
    newly: list[str] = []  # conflicts this declaration adds
    for a in applicants:
        answer, details = answers[a.token]
        conflict = answer == "yes"
        row = existing.get(a.application_id)
        if conflict and not (row is not None and row.conflict):
            newly.append(refs[a.application_id])
        if row is None:
            row = ConflictDeclaration(application_id=a.application_id, user_id=user.id, phase=phase)
            db.session.add(row)
        if row.conflict and not conflict:
            continue  # never reached: refused above
        row.conflict = conflict
        row.details = details.strip() if conflict else ""
        row.declared_at = utcnow()
        if conflict:
            conflicts.append(refs[a.application_id])
    conflicts.sort()
    audit.record(
        _actor(user), "conflicts.declared", vacancy=vacancy.reference, subject=user.email,
        phase=phase, applicants=len(applicants), conflicts=conflicts,
        # a conflict found after scores were submitted: those scores no longer count (R30)
        scores_excluded=sorted(refs[i] for i in submitted if refs.get(i) in conflicts),
    )
    if phase == "after_reveal" and newly:
        from shortlist.services import notices

        notices.late_conflict(vacancy, user, sorted(newly), _actor(user))  # HR is told
    if newly and vacancy.sift is not None:
        from shortlist.services import sift

        sift.reallocate(vacancy, user, "conflict_declared")  # their conflicted applications go to others
    db.session.commit()
    return conflicts


def late_conflicts(vacancy: Vacancy) -> list[tuple[str, str]]:
    """(reference, member name) for conflicts declared after the reveal by members whose
    shortlisting scores for that candidate had been submitted: flagged for HR (scenario 21)."""
    rows = db.session.execute(
        select(Application.reference, User.name)
        .join(ConflictDeclaration, ConflictDeclaration.application_id == Application.id)
        .join(User, User.id == ConflictDeclaration.user_id)
        .join(ScoreSheet, (ScoreSheet.application_id == Application.id) & (ScoreSheet.user_id == User.id)
              & (ScoreSheet.stage == "shortlisting"))
        .where(Application.vacancy_id == vacancy.id, ConflictDeclaration.phase == "after_reveal",
               ConflictDeclaration.conflict.is_(True), ScoreSheet.submitted_at.is_not(None))
        .order_by(Application.reference)
    ).all()
    return [(r.reference, r.name) for r in rows]


# --------------------------------------------------------------------------- scoring


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
        raise _stage_refusal(vacancy, stage)
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
    """What ``conflict_state`` and ``_decision_outcome`` say about one application, and the
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


def _decision_outcome(application: Application, stage: str) -> str | None:
    return db.session.scalar(
        select(Decision.outcome).where(Decision.application_id == application.id, Decision.stage == stage))


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
    retrying(lambda: _save_sheet(vacancy, application, user, stage, values, notes, gap_marks, submit=submit))


def _save_sheet(
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
        _actor(user), "scores.submitted" if submit else "scores.saved", vacancy=vacancy.reference,
        subject=application.reference, stage=stage,
        scores={k: v for k, v in parsed.items()}, gap_marks={k: m for k, (m, _n) in marks.items()},
    )
    db.session.commit()


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


def conflicted_with(application: Application, user: User) -> bool:
    """The member declared a conflict with this applicant (in either phase): what
    ``conflict_state(...).conflicted`` says about one application, in one small query."""
    return db.session.scalar(select(
        select(ConflictDeclaration.id).where(ConflictDeclaration.application_id == application.id,
                                             ConflictDeclaration.user_id == user.id,
                                             ConflictDeclaration.conflict.is_(True)).exists())) or False


@dataclass(frozen=True)
class Progress:
    name: str
    email: str
    role: str
    submitted: int
    drafts: int
    to_score: int  # applications they score (all but those they are conflicted with)

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.to_score) if self.to_score else 100


def progress(vacancy: Vacancy, stage: str) -> list[Progress]:
    """Each scorer's progress at the stage, in four queries however big the vacancy."""
    if stage == "shortlisting" and vacancy.sift is not None:  # a sift pool: each scores their allocation
        from shortlist.models import SiftAssignment

        allocated = dict(db.session.execute(
            select(SiftAssignment.user_id, func.count()).where(SiftAssignment.vacancy_id == vacancy.id)
            .group_by(SiftAssignment.user_id)).all())
        counted = db.session.execute(  # their sheets on their allocation, from the allocation's index
            select(ScoreSheet.user_id, ScoreSheet.submitted_at.is_not(None).label("done"), func.count())
            .select_from(SiftAssignment)
            .join(ScoreSheet, (ScoreSheet.application_id == SiftAssignment.application_id)
                  & (ScoreSheet.user_id == SiftAssignment.user_id) & (ScoreSheet.stage == stage))
            .where(SiftAssignment.vacancy_id == vacancy.id)
            .group_by(ScoreSheet.user_id, "done")).all()
        finished: dict[int, int] = {}
        started: dict[int, int] = {}
        for user_id, is_done, count in counted:
            (finished if is_done else started)[user_id] = count
        return [Progress(m.user.name, m.user.email, m.role, finished.get(m.user_id, 0), started.get(m.user_id, 0),
                         allocated.get(m.user_id, 0)) for m in scorers(vacancy)]
    if stage == "shortlisting":
        total = db.session.scalar(
            select(func.count()).select_from(Application).where(Application.vacancy_id == vacancy.id)) or 0
        pool = select(Application.id).where(Application.vacancy_id == vacancy.id)
    else:
        pool = (select(Decision.application_id).join(Application, Application.id == Decision.application_id)
                .where(Application.vacancy_id == vacancy.id, Decision.stage == "shortlisting",
                       Decision.outcome == "invite"))
        total = db.session.scalar(select(func.count()).select_from(pool.subquery())) or 0
    sheets = db.session.execute(
        select(ScoreSheet.user_id, ScoreSheet.submitted_at.is_not(None).label("done"), func.count())
        .where(ScoreSheet.application_id.in_(pool), ScoreSheet.stage == stage)
        .group_by(ScoreSheet.user_id, "done")).all()
    conflicts = dict(db.session.execute(
        select(ConflictDeclaration.user_id, func.count(func.distinct(ConflictDeclaration.application_id)))
        .where(ConflictDeclaration.application_id.in_(pool), ConflictDeclaration.conflict.is_(True))
        .group_by(ConflictDeclaration.user_id)).all())
    done: dict[int, int] = {}
    drafts: dict[int, int] = {}
    for user_id, is_done, count in sheets:
        (done if is_done else drafts)[user_id] = count
    return [
        Progress(m.user.name, m.user.email, m.role, done.get(m.user_id, 0), drafts.get(m.user_id, 0),
                 total - conflicts.get(m.user_id, 0))
        for m in scorers(vacancy)
    ]


@dataclass(frozen=True)
class QueueItem:
    reference: str
    status: str  # not_started | draft | submitted | conflict


def my_queue(vacancy: Vacancy, user: User, stage: str, state: ConflictState | None = None) -> list[QueueItem]:
    """The member's applications at the stage, in reference order, with their own status
    (``state``: their ``conflict_state``, when the caller has just read it)."""
    query = select(Application.id, Application.reference).where(Application.vacancy_id == vacancy.id)
    if stage == "interview":
        query = query.join(Decision, Decision.application_id == Application.id).where(
            Decision.stage == "shortlisting", Decision.outcome == "invite")
    elif vacancy.sift is not None:  # a sift pool: their allocation only
        from shortlist.services import sift

        query = query.where(Application.id.in_(sift.assigned_ids(vacancy, user.id)))
    apps = db.session.execute(query.order_by(Application.reference)).all()
    sheets = dict(db.session.execute(
        select(ScoreSheet.application_id, ScoreSheet.submitted_at)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(Application.vacancy_id == vacancy.id, ScoreSheet.user_id == user.id,
               ScoreSheet.stage == stage)).all())
    conflicted = (state or conflict_state(vacancy, user)).conflicted
    out = []
    for app_id, reference in apps:
        if app_id in conflicted and not vacancy.names_revealed:
            continue  # before the reveal, listing it would tell them which reference the name they declared has
        if app_id in conflicted:
            status = "conflict"
        elif app_id not in sheets:
            status = "not_started"
        else:
            status = "submitted" if sheets[app_id] is not None else "draft"
        out.append(QueueItem(reference, status))
    return out


# --------------------------------------------------------------------------- moderation


def agreed_for(application: Application, stage: str) -> dict[str, AgreedScore]:
    return {
        a.criterion.key: a
        for a in db.session.scalars(
            select(AgreedScore).options(selectinload(AgreedScore.criterion), selectinload(AgreedScore.recorded_by))
            .where(AgreedScore.application_id == application.id, AgreedScore.stage == stage))
    }


def record_agreed(
    vacancy: Vacancy,
    application: Application,
    user: User,
    stage: str,
    key: str,
    value: str | None,
    rationale: str,
    seen_version: int | None,
) -> None:
    """The chair's agreed score for one criterion: ``record_agreed_scores`` for one."""
    record_agreed_scores(vacancy, application, user, stage, {key: (value, rationale, seen_version)})


AgreedEntry = tuple[str | None, str, int | None]  # (score, rationale, the version the chair saw)


def record_agreed_scores(vacancy: Vacancy, application: Application, user: User, stage: str,
                         entries: Mapping[str, AgreedEntry]) -> list[str]:
    """The chair's agreed scores for one candidate, criterion key -> (score, rationale,
    seen version), all or none, with the rationale where the members' scores differ (R27).
    Returns the keys saved. ``seen_version`` is the version the chair saw (None: none then):
    if another chair changed it meanwhile, they are told, never silently overwritten.

    Two chairs saving at the same moment: the unique constraint (the first agreed score)
    or the version check (a later one) stops the second, which is then checked again
    against what the first saved, and told it changed."""
    return retrying(lambda: _record_agreed_scores(vacancy, application, user, stage, entries))


def _record_agreed_scores(vacancy: Vacancy, application: Application, user: User, stage: str,
                          entries: Mapping[str, AgreedEntry]) -> list[str]:
    if not may_moderate(vacancy, user):
        raise PanelRefused.one("not_the_chair", "Only the panel's chair or HR records agreed scores.")
    if not stage_open(vacancy, stage):
        raise _stage_refusal(vacancy, stage)
    if is_scorer(vacancy, user) and not may_see_others(vacancy, application, user, stage):
        raise PanelRefused.one("submit_first",
                      f"Submit your own scores for {application.reference} before you moderate them.")
    criteria = {c.key: c for c in stage_criteria(vacancy, stage)}
    unknown = sorted(set(entries) - criteria.keys())
    if unknown:
        raise PanelRefused.one("unknown_criterion", f"{', '.join(unknown)} is not scored at this stage.")
    if not entries:
        raise PanelRefused.one("nothing_to_save", "Select an agreed score for at least one criterion")
    excluded = {e for e, in db.session.execute(
        select(User.email).join(ConflictDeclaration, ConflictDeclaration.user_id == User.id)
        .where(ConflictDeclaration.application_id == application.id, ConflictDeclaration.conflict.is_(True)))}
    sheets = [m for m in submitted_scores(application, stage) if m.email not in excluded]
    rows = {r.criterion_id: r for r in db.session.scalars(
        select(AgreedScore).where(AgreedScore.application_id == application.id, AgreedScore.stage == stage,
                                  AgreedScore.criterion_id.in_([criteria[k].id for k in entries]))
        .with_for_update())}
    points = set(vacancy.scale_points)
    problems: list[Problem] = []
    parsed: dict[str, tuple[int, str, list[int]]] = {}
    for key in (c for c in criteria if c in entries):  # in the person specification's order
        value, rationale, seen_version = entries[key]
        field_id = f"agreed-{key}"
        agreed_value = as_int((value or "").strip())
        if agreed_value is None or agreed_value not in points:
            # a message, not SQL (it starts "Select")
            message = f"Select an agreed score from {vacancy.scale_min} to {vacancy.scale_max} for {key}"  # nosec B608
            problems.append(Problem("score_out_of_scale", message, field_id, key))
            continue
        given = [v for v in (m.values.get(key) for m in sheets) if v is not None]
        if any(v != agreed_value for v in given) and not rationale.strip():
            problems.append(Problem(
                "rationale_required", f"Give the rationale for the agreed score for {key}: the members' scores "
                f"({', '.join(map(str, given))}) differ from it", f"rationale-{key}", key))
            continue
        if len(rationale) > 5000:
            problems.append(Problem("too_long", f"The rationale for {key} must be 5000 characters or fewer",
                                    f"rationale-{key}", key))
            continue
        row = rows.get(criteria[key].id)
        if (row.version if row else None) != seen_version:
            who = row.recorded_by.name if row is not None and row.recorded_by else "someone else"
            problems.append(Problem(
                "changed_meanwhile",
                f"{who} changed the agreed score for {key} while you were looking at it: it is now "
                f"{row.value if row else 'not recorded'}. Check it and enter yours again if you still disagree.",
                field_id, key))
            continue
        parsed[key] = (agreed_value, rationale.strip(), given)
    if problems:
        raise PanelRefused(problems)
    for key, (agreed_value, rationale, given) in parsed.items():
        criterion = criteria[key]
        row = rows.get(criterion.id)
        before = None if row is None else {"score": row.value, "rationale": row.rationale}
        if row is None:
            row = AgreedScore(application_id=application.id, criterion_id=criterion.id, stage=stage,
                              value=agreed_value)
            db.session.add(row)
        row.value = agreed_value
        row.rationale = rationale
        row.recorded_by_id = user.id
        row.recorded_at = utcnow()
        audit.record(_actor(user), "agreed.recorded", vacancy=vacancy.reference, subject=application.reference,
                     stage=stage, criterion=key, before=before, after={"score": agreed_value, "rationale": rationale},
                     member_scores=given)
    db.session.commit()
    return list(parsed)


# --------------------------------------------------------------------------- decisions


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
        raise _stage_refusal(vacancy, stage)
    labels = DECISION_LABELS[stage]
    if outcome not in labels:
        raise PanelRefused.one("decision_missing", "Select a decision", "outcome")
    if override_code and override_code not in OVERRIDE_LABELS:
        raise PanelRefused.one("override_reason_invalid", "Select an override reason from the list", "override_code")
    if override_code and not user.is_hr:
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
    refusals = rules.check_decision(rec, outcome, rules.HR_ADMIN if user.is_hr else "panel",
                                    _override_text(rec, outcome, reason, override_code))
    if refusals:
        raise PanelRefused(_decision_problem(r, rec, outcome, reason, labels) for r in refusals)
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
    audit.record(_actor(user), "decision.recorded", vacancy=vacancy.reference, subject=application.reference,
                 stage=stage, before=before, outcome=outcome, recommendation=rec.outcome.value,
                 reasons=[r.code for r in rec.reasons], reason=row.reason, override_reason=row.override_reason)
    if user.is_hr and rec.outcome == rules.Outcome.HR_REVIEW:
        from shortlist.services import notices

        db.session.flush()
        notices.review_decided(vacancy, application.reference, labels[outcome],
                               f"decision:{row.id}:{row.decided_at.isoformat()}", _actor(user))  # the chair is told
    db.session.commit()
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
    for rec in recs:
        d = decisions.get(rec.reference)
        if d is not None:
            override = d.override_reason or (d.reason if d.reason != suggested_reason(rec) else "")
            refusals += rules.check_decision_current(
                rec, d.outcome, d.recommendation, rules.HR_ADMIN if d.decided_by.is_hr else "panel", override)
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
    vacancy.shortlist_finalised_at = utcnow()
    vacancy.shortlist_finalised_by_id = user.id
    vacancy.status = "interview"
    by_outcome: dict[str, list[str]] = {"invite": [], "reserve": [], "reject": []}
    for ref, d in sorted(decisions.items()):
        by_outcome[d.outcome].append(ref)
    audit.record(_actor(user), "shortlist.finalised", vacancy=vacancy.reference,
                 invited=by_outcome["invite"], reserve=by_outcome["reserve"], rejected=by_outcome["reject"])
    from shortlist.services import interview_booking  # it builds on this module's services

    interview_booking.on_finalise(vacancy, by_outcome, _actor(user))  # each candidate is told, in this transaction
    db.session.commit()


# --------------------------------------------------------------------------- cap and positive action


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
                                      rules.HR_ADMIN if user.is_hr else "panel", approval)
    if refusals:
        def where(r: rules.Reason) -> str:
            if r.code == rules.codes.CAP_AFTER_SCORING:
                return "approval"
            return "places" if "place" in r.message else "reason"
        raise PanelRefused(Problem(r.code, r.message, where(r)) for r in refusals)
    if len(reason) > 2000 or len(approval) > 2000:
        raise PanelRefused.one("too_long", "Write the reason in 2000 characters or fewer", "reason")
    before = ({"places": vacancy.interview_cap_places, "reason": vacancy.interview_cap_reason}
              if vacancy.interview_cap_places else None)
    vacancy.interview_cap_places = new_cap.places if new_cap else None
    vacancy.interview_cap_reason = new_cap.reason if new_cap else None
    audit.record(_actor(user), "cap.set", vacancy=vacancy.reference, before=before,
                 after={"places": new_cap.places, "reason": new_cap.reason} if new_cap else None,
                 after_scoring=started, approval=approval.strip() or None)
    db.session.commit()


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
    if not user.is_hr:
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
    ids = dict(db.session.execute(select(Application.reference, Application.id).where(
        Application.vacancy_id == vacancy.id, Application.reference.in_([preferred, other]))).all())
    row = PositiveAction(vacancy_id=vacancy.id, preferred_id=ids[preferred], other_id=ids[other],
                         characteristic=characteristic.strip(), evidence_reference=evidence_reference.strip(),
                         rationale=rationale.strip(), recorded_by_id=user.id)
    db.session.add(row)
    audit.record(_actor(user), "positive_action.applied", vacancy=vacancy.reference, subject=preferred,
                 preferred=preferred, other=other, totals=[recs[preferred].total, recs[other].total],
                 characteristic=row.characteristic, evidence_reference=row.evidence_reference,
                 rationale=row.rationale)
    db.session.commit()
    return row
