"""Everything the rules engine needs about a vacancy's applications, in a fixed number of queries.

Six queries per vacancy and stage (seven when a member who has left the panel had
declared or scored), however many applications, criteria and panel members there
are: no query runs per application.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import (
    AdjustmentReview,
    AgreedScore,
    ApplicantDetails,
    Application,
    ConflictDeclaration,
    EmploymentSpell,
    Score,
    ScoreSheet,
    User,
    Vacancy,
)


@dataclass
class SpellRecord:
    start: str
    end: str | None
    employer: str
    role: str


@dataclass
class CandidateRecord:
    application_id: int
    reference: str
    disability_declared: bool
    offer_interview_opt_in: bool
    unmet_due_to_disability: list[str]
    gap_explanations: dict[str, str]
    employment: list[SpellRecord] = field(default_factory=list)
    conflicts: set[str] = field(default_factory=set)
    # member e-mail -> criterion key -> score (submitted sheets only)
    scores: dict[str, dict[str, int]] = field(default_factory=dict)
    # criterion key -> agreed score
    agreed: dict[str, int] = field(default_factory=dict)
    # member e-mails who submitted a sheet at this stage
    submitted_by: set[str] = field(default_factory=set)
    # criterion key -> HR's adjustment review outcome (met_with_adjustment | not_met)
    adjustment_reviews: dict[str, str] = field(default_factory=dict)
    # Armed Forces service (R7): (left on, discharge due, the Forces their last long-term employer)
    forces: tuple[date | None, date | None, bool] | None = None


def gather(vacancy: Vacancy, stage: str = "shortlisting", application_id: int | None = None,
           reference: str | None = None, application_ids: Collection[int] | None = None) -> list[CandidateRecord]:
    """Candidate records for every application of the vacancy (or just one, by id or
    reference), ordered by reference.

    The rows are plain tuples read on the session's connection (no ORM row handling:
    at 2,000 applications there are 150,000 score rows), naming criteria and members
    by id; the vacancy's criteria and panel give their keys and e-mails.
    """
    in_vacancy = Application.vacancy_id == vacancy.id
    if application_id is not None:
        in_vacancy = in_vacancy & (Application.id == application_id)
    if reference is not None:
        in_vacancy = in_vacancy & (Application.reference == reference)
    if application_ids is not None:  # one page of a list (issue 19): its rows only
        in_vacancy = in_vacancy & Application.id.in_(list(application_ids))
    db.session.flush()  # what the session holds is read below it, as its own queries would
    conn = db.session.connection()
    rows = conn.execute(
        select(
            Application.id, Application.reference, Application.gap_explanations,
            ApplicantDetails.disability_declared, ApplicantDetails.offer_interview_opt_in,
            ApplicantDetails.unmet_due_to_disability, ApplicantDetails.forces_left_on,
            ApplicantDetails.forces_discharge_due, ApplicantDetails.forces_last_long_term_employer,
        )
        .join(ApplicantDetails, ApplicantDetails.application_id == Application.id)
        .where(in_vacancy)
        .order_by(Application.reference)
    ).all()
    records = {
        app_id: CandidateRecord(
            application_id=app_id, reference=ref, disability_declared=declared,
            offer_interview_opt_in=opted_in, unmet_due_to_disability=list(unmet or []),
            gap_explanations=dict(explanations or {}),
            forces=(left_on, due, bool(last)) if (left_on or due) else None,
        )
        for app_id, ref, explanations, declared, opted_in, unmet, left_on, due, last in rows
    }
    if not records:
        return []

    for app_id, start, end, employer, role in conn.execute(
        select(EmploymentSpell.application_id, EmploymentSpell.start, EmploymentSpell.end,
               EmploymentSpell.employer, EmploymentSpell.role)
        .join(Application, Application.id == EmploymentSpell.application_id)
        .where(in_vacancy)
        .order_by(EmploymentSpell.application_id, EmploymentSpell.position)
    ):
        records[app_id].employment.append(SpellRecord(start, end, employer, role))

    conflicts = conn.execute(
        select(ConflictDeclaration.application_id, ConflictDeclaration.user_id)
        .join(Application, Application.id == ConflictDeclaration.application_id)
        .where(in_vacancy, ConflictDeclaration.conflict.is_(True))
    ).all()
    keys = {c.id: c.key for c in vacancy.criteria}  # (read before the scores' cursor is open)
    by_user: dict[int, dict[int, dict[str, int]]] = {app_id: {} for app_id in records}
    # read as they arrive, never held as a list of rows, nor by the driver (456,000 at 20,000
    # applications x 12 criteria with two sifters each: 125 MB at the decisions page's peak)
    scores = conn.execute(
        select(ScoreSheet.application_id, ScoreSheet.user_id, Score.criterion_id, Score.value)
        .join(Score, Score.sheet_id == ScoreSheet.id)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(in_vacancy, ScoreSheet.stage == stage, ScoreSheet.submitted_at.is_not(None),
               Score.value.is_not(None))
        .execution_options(stream_results=True, max_row_buffer=5000)  # PostgreSQL: a server-side cursor
    )
    # each score row sets one score in its sheet, found by application and member id; the
    # members' e-mails are put in once per sheet after.
    for app_id, user_id, criterion_id, value in scores:
        sheets = by_user[app_id]
        sheet = sheets.get(user_id)
        if sheet is None:
            sheet = sheets[user_id] = {}
        sheet[keys[criterion_id]] = value
    agreed = conn.execute(
        select(AgreedScore.application_id, AgreedScore.criterion_id, AgreedScore.value)
        .join(Application, Application.id == AgreedScore.application_id)
        .where(in_vacancy, AgreedScore.stage == stage)
    ).all()

    reviews = conn.execute(
        select(AdjustmentReview.application_id, AdjustmentReview.criterion_id, AdjustmentReview.outcome)
        .join(Application, Application.id == AdjustmentReview.application_id)
        .where(in_vacancy, AdjustmentReview.stage == stage)
    ).all()

    emails = {m.user_id: m.user.email for m in vacancy.panel}
    others = ({user_id for _a, user_id in conflicts} | {u for sheets in by_user.values() for u in sheets}) - emails.keys()
    if others:  # a member no longer on the panel: their declarations and scores still count
        emails.update(conn.execute(select(User.id, User.email).where(User.id.in_(others))).all())

    for app_id, user_id in conflicts:
        records[app_id].conflicts.add(emails[user_id])
    for app_id, sheets in by_user.items():
        if sheets:
            record = records[app_id]
            record.scores = {emails[user_id]: sheet for user_id, sheet in sheets.items()}
            record.submitted_by = set(record.scores)
    for app_id, criterion_id, value in agreed:
        records[app_id].agreed[keys[criterion_id]] = value
    for app_id, criterion_id, outcome in reviews:
        records[app_id].adjustment_reviews[keys[criterion_id]] = outcome

    return list(records.values())
