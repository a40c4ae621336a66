"""Everything the rules engine needs about a vacancy's applications, in a fixed number of queries.

Six queries per vacancy and stage, however many applications, criteria and panel
members there are: no query runs per application.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import (
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


def gather(vacancy: Vacancy, stage: str = "shortlisting", application_id: int | None = None,
           reference: str | None = None) -> list[CandidateRecord]:
    """Candidate records for every application of the vacancy (or just one, by id or
    reference), ordered by reference."""
    in_vacancy = Application.vacancy_id == vacancy.id
    if application_id is not None:
        in_vacancy = in_vacancy & (Application.id == application_id)
    if reference is not None:
        in_vacancy = in_vacancy & (Application.reference == reference)
    rows = db.session.execute(
        select(
            Application.id, Application.reference, Application.gap_explanations,
            ApplicantDetails.disability_declared, ApplicantDetails.offer_interview_opt_in,
            ApplicantDetails.unmet_due_to_disability,
        )
        .join(ApplicantDetails, ApplicantDetails.application_id == Application.id)
        .where(in_vacancy)
        .order_by(Application.reference)
    ).all()
    records = {
        r.id: CandidateRecord(
            application_id=r.id, reference=r.reference, disability_declared=r.disability_declared,
            offer_interview_opt_in=r.offer_interview_opt_in,
            unmet_due_to_disability=list(r.unmet_due_to_disability or []),
            gap_explanations=dict(r.gap_explanations or {}),
        )
        for r in rows
    }
    if not records:
        return []

    # Rows are unpacked as tuples: at 2,000 applications there are 150,000 score rows.
    for app_id, start, end, employer, role in db.session.execute(
        select(EmploymentSpell.application_id, EmploymentSpell.start, EmploymentSpell.end,
               EmploymentSpell.employer, EmploymentSpell.role)
        .join(Application, Application.id == EmploymentSpell.application_id)
        .where(in_vacancy)
        .order_by(EmploymentSpell.application_id, EmploymentSpell.position)
    ):
        records[app_id].employment.append(SpellRecord(start, end, employer, role))

    for app_id, email in db.session.execute(
        select(ConflictDeclaration.application_id, User.email)
        .join(User, User.id == ConflictDeclaration.user_id)
        .join(Application, Application.id == ConflictDeclaration.application_id)
        .where(in_vacancy, ConflictDeclaration.conflict.is_(True))
    ):
        records[app_id].conflicts.add(email)

    # Criteria are named by id in the rows, and keyed here: one join fewer per score.
    keys = {c.id: c.key for c in vacancy.criteria}
    for app_id, email, criterion_id, value in db.session.execute(
        select(ScoreSheet.application_id, User.email, Score.criterion_id, Score.value)
        .join(Score, Score.sheet_id == ScoreSheet.id)
        .join(User, User.id == ScoreSheet.user_id)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(in_vacancy, ScoreSheet.stage == stage, ScoreSheet.submitted_at.is_not(None),
               Score.value.is_not(None))
    ):
        scores = records[app_id].scores
        sheet = scores.get(email)
        if sheet is None:
            sheet = scores[email] = {}
            records[app_id].submitted_by.add(email)
        sheet[keys[criterion_id]] = value

    for app_id, criterion_id, value in db.session.execute(
        select(AgreedScore.application_id, AgreedScore.criterion_id, AgreedScore.value)
        .join(Application, Application.id == AgreedScore.application_id)
        .where(in_vacancy, AgreedScore.stage == stage)
    ):
        records[app_id].agreed[keys[criterion_id]] = value

    return list(records.values())
