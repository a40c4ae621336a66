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
    Criterion,
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


def gather(vacancy: Vacancy, stage: str = "shortlisting", application_id: int | None = None) -> list[CandidateRecord]:
    """Candidate records for every application of the vacancy (or just one), ordered by reference."""
    in_vacancy = Application.vacancy_id == vacancy.id
    if application_id is not None:
        in_vacancy = in_vacancy & (Application.id == application_id)
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

    for spell in db.session.execute(
        select(EmploymentSpell.application_id, EmploymentSpell.start, EmploymentSpell.end,
               EmploymentSpell.employer, EmploymentSpell.role)
        .join(Application, Application.id == EmploymentSpell.application_id)
        .where(in_vacancy)
        .order_by(EmploymentSpell.application_id, EmploymentSpell.position)
    ):
        records[spell.application_id].employment.append(
            SpellRecord(spell.start, spell.end, spell.employer, spell.role))

    for conflict in db.session.execute(
        select(ConflictDeclaration.application_id, User.email)
        .join(User, User.id == ConflictDeclaration.user_id)
        .join(Application, Application.id == ConflictDeclaration.application_id)
        .where(in_vacancy, ConflictDeclaration.conflict.is_(True))
    ):
        records[conflict.application_id].conflicts.add(conflict.email)

    for score in db.session.execute(
        select(ScoreSheet.application_id, User.email, Criterion.key, Score.value)
        .join(Score, Score.sheet_id == ScoreSheet.id)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .join(User, User.id == ScoreSheet.user_id)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(in_vacancy, ScoreSheet.stage == stage, ScoreSheet.submitted_at.is_not(None),
               Score.value.is_not(None))
    ):
        record = records[score.application_id]
        record.scores.setdefault(score.email, {})[score.key] = score.value
        record.submitted_by.add(score.email)

    for agreed in db.session.execute(
        select(AgreedScore.application_id, Criterion.key, AgreedScore.value)
        .join(Criterion, Criterion.id == AgreedScore.criterion_id)
        .join(Application, Application.id == AgreedScore.application_id)
        .where(in_vacancy, AgreedScore.stage == stage)
    ):
        records[agreed.application_id].agreed[agreed.key] = agreed.value

    return list(records.values())
