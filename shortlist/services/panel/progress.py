"""Read-models of scoring at a stage: each scorer's progress for the chair and HR, and a
member's own queue of applications with their status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import Application, ConflictDeclaration, Decision, ScoreSheet, User, Vacancy
from shortlist.services.panel.base import scorers
from shortlist.services.panel.declarations import ConflictState, conflict_state


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
        from shortlist.services import sift  # it imports this package

        allocated = dict(db.session.execute(
            select(SiftAssignment.user_id, func.count()).where(SiftAssignment.vacancy_id == vacancy.id)
            .group_by(SiftAssignment.user_id)).all())
        counted = sift.sheets_on_allocation(vacancy, stage)  # their sheets on their allocation
        finished = {user_id: done for user_id, (done, _draft) in counted.items()}
        started = {user_id: draft for user_id, (_done, draft) in counted.items()}
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
