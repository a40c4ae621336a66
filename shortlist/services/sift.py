"""Sift pools (issue 19): a vacancy's applications shared among a pool of sifters.

Instead of every scorer on the panel reading every application, each application is read
by ``vacancy.min_scorers`` members of the vacancy's sift pool (chairs and members of the
panel the manager or HR put in it, each with an optional capacity). The pure algorithm is
``shortlist.rules.allocation``; this module reads what it needs, writes the result as
``SiftAssignment`` rows and records each run, with its seed, in the audit log.

- ``allocate`` makes the first allocation (a seed drawn then, kept on the pool) and can be
  run again: it keeps everything already allocated that may stay.
- ``reallocate`` runs in the caller's transaction when something changes after allocation:
  a conflict declared, a member leaving the pool or the panel, a new batch of applications.
  Only what the change affects moves; a sheet already submitted never moves (its member may
  have left, their scores still count: panel_changes.SUBMITTED_SCORES_RULE).
- ``add_third_reader`` gives one application to one more pool member, for moderation.

The rules engine needs no change: it counts the submitted sheets, and only an application's
allocated sifters can submit one (``may_score``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any
from dataclasses import dataclass

from sqlalchemy import case, delete, func, insert, select

from shortlist.extensions import db
from shortlist.models import (
    Application,
    ConflictDeclaration,
    ScoreSheet,
    SiftAssignment,
    SiftPool,
    SiftPoolMember,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.rules import allocation as alloc
from shortlist.rules.allocation import Sifter
from shortlist.rules.vocabulary import SCORING_ROLES
from shortlist.services import audit
from shortlist.services.panel import PanelRefused, Problem
from shortlist.services.transactions import transaction

REASONS = {
    "allocated": "Allocated",
    "conflict_declared": "A conflict of interest was declared",
    "member_left": "A member left the pool",
    "member_joined": "A member joined the pool",
    "capacity_changed": "A capacity changed",
    "applications_added": "New applications arrived",
}


def _actor(user: User | audit.Actor) -> audit.Actor:
    return user if isinstance(user, audit.Actor) else audit.Actor.of(user)


def pool_of(vacancy: Vacancy) -> SiftPool | None:
    """The vacancy's sift pool (loaded with the vacancy: no statement)."""
    return vacancy.sift


def uses_pool(vacancy: Vacancy) -> bool:
    return vacancy.sift is not None


def allocated(vacancy: Vacancy) -> bool:
    return vacancy.sift is not None and vacancy.sift.allocated_at is not None


def assigned_ids(vacancy: Vacancy, user_id: int):  # noqa: ANN201 - a SQLAlchemy Select of application ids
    """The applications allocated to one sifter (to sift or as a third reader)."""
    return select(SiftAssignment.application_id).where(SiftAssignment.vacancy_id == vacancy.id,
                                                       SiftAssignment.user_id == user_id)


def is_assigned(vacancy: Vacancy, application_id: int, user_id: int) -> bool:
    return db.session.scalar(select(select(SiftAssignment.id).where(
        SiftAssignment.vacancy_id == vacancy.id, SiftAssignment.user_id == user_id,
        SiftAssignment.application_id == application_id).exists())) or False


# --------------------------------------------------------------------------- the pool


@dataclass(frozen=True)
class PoolRow:
    """One panel scorer on the pool page: in the pool or not, capacity, allocated, submitted."""

    user_id: int
    name: str
    email: str
    role: str
    in_pool: bool
    capacity: int | None
    allocated: int
    submitted: int


def sheets_on_allocation(vacancy: Vacancy, stage: str) -> dict[int, tuple[int, int]]:
    """Each sifter's submitted and draft sheets at the stage on the applications allocated to
    them: one pass over two indexes (the allocation's and ix_score_sheet_progress). The stage
    is tested in the count, not matched in the join, where SQLite would probe the sheet's
    unique (application, member, stage) index and read each of 40,000 rows for submitted_at
    (20,000 applications, two sifters each); grouping on the allocation's member needs no
    sort: 87 -> 30 ms."""
    at_stage = ScoreSheet.stage == stage
    counted = db.session.execute(
        select(SiftAssignment.user_id,
               func.count(case((at_stage & ScoreSheet.submitted_at.is_not(None), 1))),
               func.count(case((at_stage & ScoreSheet.submitted_at.is_(None), 1))))
        .select_from(SiftAssignment)
        .join(ScoreSheet, (ScoreSheet.application_id == SiftAssignment.application_id)
              & (ScoreSheet.user_id == SiftAssignment.user_id))
        .where(SiftAssignment.vacancy_id == vacancy.id)
        .group_by(SiftAssignment.user_id)).all()
    return {user_id: (submitted, drafts) for user_id, submitted, drafts in counted}


def pool_rows(vacancy: Vacancy) -> list[PoolRow]:
    """The panel's scorers, in the pool or not, with their allocation so far (three statements)."""
    members = {m.user_id: m.capacity for m in (vacancy.sift.members if vacancy.sift else [])}
    loads = dict(db.session.execute(
        select(SiftAssignment.user_id, func.count()).where(SiftAssignment.vacancy_id == vacancy.id)
        .group_by(SiftAssignment.user_id)).all())
    done = {user_id: submitted for user_id, (submitted, _drafts) in sheets_on_allocation(vacancy, "shortlisting").items()}
    return [PoolRow(m.user_id, m.user.name, m.user.email, m.role, m.user_id in members, members.get(m.user_id),
                    loads.get(m.user_id, 0), done.get(m.user_id, 0))
            for m in vacancy.panel if m.role in SCORING_ROLES]


def set_pool(vacancy: Vacancy, actor: User, use_pool: bool, members: Mapping[int, str]) -> None:
    """Use a sift pool (or whole-panel scoring). ``members``: panel scorer's user id -> their
    capacity as typed ('' for no limit). Refused, naming the field, with nothing stored:
    a capacity that is not a whole number, fewer pool members than the vacancy's
    ``min_scorers``, someone not scoring on the panel, or going back to whole-panel scoring
    once sifters have submitted scores on their allocation. After allocation, whoever
    left the pool has their unscored applications reallocated, a newcomer takes a share."""
    scorers = {m.user_id: m for m in vacancy.panel if m.role in SCORING_ROLES}
    problems: list[Problem] = []
    capacities: dict[int, int | None] = {}
    for user_id, typed in members.items():
        if user_id not in scorers:
            problems.append(Problem("not_a_scorer", "Only the chair and members of the panel can be in the sift pool",
                                    "members"))
            continue
        text = (typed or "").strip()
        if not text:
            capacities[user_id] = None
        elif text.isascii() and text.isdigit() and len(text) <= 6:
            capacities[user_id] = int(text)
        else:
            name = scorers[user_id].user.name
            problems.append(Problem("capacity_invalid",
                                    f"Enter {name}'s capacity as a whole number of applications, or leave it empty",
                                    f"capacity-{user_id}"))
    pool = vacancy.sift
    if use_pool and len(capacities) < vacancy.min_scorers and not problems:
        problems.append(Problem(
            "pool_too_small", f"Choose at least {vacancy.min_scorers} people for the sift pool: each application "
            f"needs {vacancy.min_scorers} independent scorers", "members"))
    if not use_pool and pool is not None and pool.allocated_at is not None and _sift_scores(vacancy):
        problems.append(Problem("pool_in_use", "Sifters have submitted scores on their allocation, so the vacancy "
                                "keeps its sift pool", "use_pool"))
    if problems:
        raise PanelRefused(problems)

    with transaction():
        before = _describe(vacancy)
        if not use_pool:
            if pool is not None:
                db.session.execute(delete(SiftAssignment).where(SiftAssignment.vacancy_id == vacancy.id))
                db.session.delete(pool)
        else:
            if pool is None:
                pool = SiftPool(vacancy_id=vacancy.id)
                db.session.add(pool)
                db.session.flush()
            current = {m.user_id: m for m in pool.members}
            left = [current[u] for u in current if u not in capacities]
            joined = [u for u in capacities if u not in current]
            changed = [u for u in capacities if u in current and current[u].capacity != capacities[u]]
            for member in left:
                pool.members.remove(member)
            for user_id in joined:
                pool.members.append(SiftPoolMember(user_id=user_id, capacity=capacities[user_id]))
            for user_id in changed:
                current[user_id].capacity = capacities[user_id]
            db.session.flush()
        db.session.expire(vacancy, ["sift"])
        audit.record(_actor(actor), "sift.pool_set", vacancy=vacancy.reference, subject=f"vacancy {vacancy.reference}",
                     before=before, after=_describe(vacancy))
        if use_pool and pool.allocated_at is not None and (left or joined or changed):
            reason = "member_left" if left else "member_joined" if joined else "capacity_changed"
            reallocate(vacancy, actor, reason, rebalance=bool(joined) and not left)


def load_pool(vacancy: Vacancy, capacities: Mapping[int, int | None]) -> None:
    """The pool a campaign file names (the loader checked it and audits the load)."""
    pool = SiftPool(vacancy_id=vacancy.id, members=[SiftPoolMember(user_id=u, capacity=c)
                                                    for u, c in capacities.items()])
    db.session.add(pool)
    db.session.flush()
    db.session.expire(vacancy, ["sift"])


def member_left(vacancy: Vacancy, actor: User, user_id: int) -> None:
    """Someone left the panel: out of the pool, their unscored allocation to others (caller's transaction)."""
    pool = vacancy.sift
    if pool is None:
        return
    leaving = [m for m in pool.members if m.user_id == user_id]
    if not leaving:
        return
    for m in leaving:
        pool.members.remove(m)
    db.session.flush()
    reallocate(vacancy, actor, "member_left")


def _describe(vacancy: Vacancy) -> dict[str, object] | None:
    pool = vacancy.sift
    if pool is None:
        return None
    return {"members": {m.user.email: m.capacity for m in pool.members}}


def _sift_scores(vacancy: Vacancy) -> bool:
    return db.session.scalar(select(select(ScoreSheet.id).join(
        SiftAssignment, (SiftAssignment.application_id == ScoreSheet.application_id)
        & (SiftAssignment.user_id == ScoreSheet.user_id))
        .where(SiftAssignment.vacancy_id == vacancy.id, ScoreSheet.submitted_at.is_not(None)).exists())) or False


# --------------------------------------------------------------------------- allocation


@dataclass(frozen=True)
class Outcome:
    seed: int
    applications: int
    added: int
    removed: int
    shortfalls: tuple[alloc.Shortfall, ...]
    loads: Mapping[str, int]


def allocate(vacancy: Vacancy, actor: User | audit.Actor, seed: int | None = None) -> Outcome:
    """Allocate the vacancy's applications to its pool (again: what is allocated stays)."""
    pool = vacancy.sift
    if pool is None:
        raise PanelRefused([Problem("no_sift_pool", "This vacancy does not use a sift pool", None)])
    if not pool.members:
        raise PanelRefused([Problem("pool_empty", "Choose the people in the sift pool first", "members")])
    with transaction():
        outcome = _run(vacancy, actor, "allocated", seed=seed)
    return outcome


def reallocate(vacancy: Vacancy, actor: User | audit.Actor, reason: str, *, rebalance: bool = False) -> Outcome | None:
    """After a change (``reason``, one of REASONS), move only what it affects; in the caller's
    transaction. Nothing happens before the first allocation."""
    db.session.expire(vacancy, ["sift"])
    if not allocated(vacancy):
        return None
    if rebalance:
        return _run(vacancy, actor, reason, rebalance=True)
    return _run(vacancy, actor, reason, only=_affected(vacancy, reason))


def _affected(vacancy: Vacancy, reason: str):  # noqa: ANN202 - a Select of application ids, or None: all
    """The applications a change can move: those given to someone no longer in the pool or
    with a conflict with them, and those with fewer sifters than they need (new ones)."""
    if reason not in ("conflict_declared", "member_left", "applications_added"):
        return None
    members = select(SiftPoolMember.user_id).join(SiftPool, SiftPool.id == SiftPoolMember.pool_id).where(
        SiftPool.vacancy_id == vacancy.id)
    left = select(SiftAssignment.application_id).where(
        SiftAssignment.vacancy_id == vacancy.id, SiftAssignment.purpose == "sift",
        SiftAssignment.user_id.not_in(members))
    conflicted = select(SiftAssignment.application_id).join(
        ConflictDeclaration, (ConflictDeclaration.application_id == SiftAssignment.application_id)
        & (ConflictDeclaration.user_id == SiftAssignment.user_id) & ConflictDeclaration.conflict.is_(True)).where(
        SiftAssignment.vacancy_id == vacancy.id)
    short = select(Application.id).where(Application.vacancy_id == vacancy.id).outerjoin(
        SiftAssignment, (SiftAssignment.application_id == Application.id) & (SiftAssignment.purpose == "sift")
    ).group_by(Application.id).having(func.count(SiftAssignment.id) < vacancy.min_scorers)
    return left.union(conflicted, short)


def _run(vacancy: Vacancy, actor: User | audit.Actor, reason: str, *, seed: int | None = None,
         rebalance: bool = False, only: Any = None) -> Outcome:
    """Allocate the vacancy's applications (``only``: a Select of the ids a change affects;
    the others stay, their loads counted) and write what changed."""
    pool = vacancy.sift
    assert pool is not None
    db.session.flush()
    if seed is None:
        seed = pool.seed if pool.seed is not None else secrets.randbelow(2**62)
    conn = db.session.connection()
    in_scope = Application.vacancy_id == vacancy.id
    if only is not None:
        in_scope = in_scope & Application.id.in_(list(conn.execute(only).scalars()))
    refs = dict(conn.execute(select(Application.id, Application.reference).where(in_scope)).all())
    ids = {ref: app_id for app_id, ref in refs.items()}
    conflicts = {(refs[a], str(u)) for a, u in conn.execute(
        select(ConflictDeclaration.application_id, ConflictDeclaration.user_id)
        .join(Application, Application.id == ConflictDeclaration.application_id)
        .where(in_scope, ConflictDeclaration.conflict.is_(True))).all()}
    rows = conn.execute(select(SiftAssignment.id, SiftAssignment.application_id, SiftAssignment.user_id,
                               SiftAssignment.purpose).join(Application, Application.id == SiftAssignment.application_id)
                        .where(SiftAssignment.vacancy_id == vacancy.id, in_scope)).all()
    submitted = {(a, u) for a, u in conn.execute(
        select(ScoreSheet.application_id, ScoreSheet.user_id)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(in_scope, ScoreSheet.stage == "shortlisting", ScoreSheet.submitted_at.is_not(None))).all()}
    base_load: dict[str, int] = {}
    if only is not None:  # everyone's other applications count toward balance and capacity
        total = dict(conn.execute(select(SiftAssignment.user_id, func.count())
                                  .where(SiftAssignment.vacancy_id == vacancy.id)
                                  .group_by(SiftAssignment.user_id)).all())
        here: dict[int, int] = {}
        for _i, _a, u, _purpose in rows:
            here[u] = here.get(u, 0) + 1
        base_load = {str(u): n - here.get(u, 0) for u, n in total.items()}
    third = {(a, u) for _i, a, u, purpose in rows if purpose == "moderation"}
    fixed: dict[str, list[str]] = {}
    for a, u in submitted - third:
        fixed.setdefault(refs[a], []).append(str(u))
    current: dict[str, list[str]] = {}
    for _i, a, u, purpose in rows:
        if purpose == "sift" and (a, u) not in submitted:
            current.setdefault(refs[a], []).append(str(u))
    # a third reader is not given the same application to sift
    blocked = conflicts | {(refs[a], str(u)) for a, u in third}
    sifters = [Sifter(str(m.user_id), m.capacity) for m in pool.members]
    result = alloc.allocate(refs.values(), sifters, vacancy.min_scorers, seed=seed, conflicts=blocked, fixed=fixed,
                            current=current, rebalance=rebalance, base_load=base_load)

    wanted = {(ids[ref], int(m)) for ref, members in result.assignments.items() for m in members}
    have = {(a, u): i for i, a, u, purpose in rows if purpose == "sift"}
    gone = [i for pair, i in have.items() if pair not in wanted]
    new = sorted(pair for pair in wanted if pair not in have and pair not in third)
    for start in range(0, len(gone), 500):
        conn.execute(delete(SiftAssignment).where(SiftAssignment.id.in_(gone[start:start + 500])))
    now = utcnow()
    if new:
        conn.execute(insert(SiftAssignment), [
            {"vacancy_id": vacancy.id, "application_id": a, "user_id": u, "purpose": "sift", "assigned_at": now}
            for a, u in new])
    pool.seed = seed
    if reason == "allocated" or pool.allocated_at is None:
        pool.allocated_at = now
    emails = dict(conn.execute(select(User.id, User.email).where(User.id.in_([m.user_id for m in pool.members]))).all())
    loads = {emails.get(int(k), k): v for k, v in result.loads.items()}
    audit.record(_actor(actor), "sift.allocated", vacancy=vacancy.reference, subject=f"vacancy {vacancy.reference}",
                 reason=reason, seed=seed, applications=len(refs), added=len(new), removed=len(gone),
                 shortfalls=[s.application for s in result.shortfalls], loads=loads)
    return Outcome(seed, len(refs), len(new), len(gone), result.shortfalls, loads)


# --------------------------------------------------------------------------- moderation


def readers(vacancy: Vacancy, application: Application) -> list[tuple[User, str]]:
    """Who reads this application, and why ('sift' or 'moderation')."""
    return [(u, purpose) for u, purpose in db.session.execute(
        select(User, SiftAssignment.purpose).join(SiftAssignment, SiftAssignment.user_id == User.id)
        .where(SiftAssignment.application_id == application.id).order_by(SiftAssignment.id)).all()]


def add_third_reader(vacancy: Vacancy, application: Application, actor: User) -> User:
    """Give the application to one more pool member, to score it for moderation: the least
    busy member who is not reading it already, has no conflict with it and has room."""
    if not allocated(vacancy):
        raise PanelRefused([Problem("not_allocated", "Allocate the applications to the sift pool first", None)])
    pool = vacancy.sift
    assert pool is not None
    reading = set(db.session.scalars(select(SiftAssignment.user_id)
                                     .where(SiftAssignment.application_id == application.id)))
    reading |= set(db.session.scalars(select(ScoreSheet.user_id).where(ScoreSheet.application_id == application.id)))
    conflicted = set(db.session.scalars(select(ConflictDeclaration.user_id).where(
        ConflictDeclaration.application_id == application.id, ConflictDeclaration.conflict.is_(True))))
    loads = dict(db.session.execute(select(SiftAssignment.user_id, func.count())
                                    .where(SiftAssignment.vacancy_id == vacancy.id)
                                    .group_by(SiftAssignment.user_id)).all())
    eligible = [m for m in pool.members if m.user_id not in reading and m.user_id not in conflicted
                and (m.capacity is None or loads.get(m.user_id, 0) < m.capacity)]
    if not eligible:
        raise PanelRefused([Problem(
            alloc.NO_ELIGIBLE_SIFTER,
            f"Nobody else in the sift pool can read {application.reference}: everyone else has a conflict with "
            "them, is already reading their application, or is at their capacity", None)])
    seed = pool.seed or 0
    choice = min(eligible, key=lambda m: (loads.get(m.user_id, 0),
                                          alloc.tie_break(seed, application.reference, str(m.user_id))))
    with transaction():
        db.session.add(SiftAssignment(vacancy_id=vacancy.id, application_id=application.id, user_id=choice.user_id,
                                      purpose="moderation"))
        audit.record(_actor(actor), "sift.third_reader", vacancy=vacancy.reference, subject=application.reference,
                     application=application.reference, member=choice.user.email)
        user = choice.user
    return user
