"""The bare SQL for each hot page: the same rows the page needs, fetched by hand-written
SQLAlchemy Core selects on one connection, with no ORM objects, rules or rendering.

Each page's time is compared with its bare fetch in the same run: the ratio says how
much the app adds (ORM, the rules engine, templates) to what the database must do.
The selects name criteria and members by id (the page's rows, not its joins).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import (
    AgreedScore,
    ApplicantDetails,
    Application,
    AuditEvent,
    AuditHead,
    ConflictDeclaration,
    Criterion,
    Decision,
    EmploymentSpell,
    Evidence,
    GapMark,
    PanelMembership,
    PositiveAction,
    Score,
    ScoreSheet,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from bench.harness import Scenario

STAGE = "shortlisting"
u, v, pm, c = User.__table__, Vacancy.__table__, PanelMembership.__table__, Criterion.__table__
a, d, es, ev = Application.__table__, ApplicantDetails.__table__, EmploymentSpell.__table__, Evidence.__table__
cd, ss, sc, ag = ConflictDeclaration.__table__, ScoreSheet.__table__, Score.__table__, AgreedScore.__table__
dec, gm, pa = Decision.__table__, GapMark.__table__, PositiveAction.__table__


def _vacancy(conn: Connection, s: Scenario, email: str) -> tuple[Any, Any]:
    """What every page starts with: the signed-in user, the vacancy, its panel and criteria."""
    user = conn.execute(select(u).where(u.c.email == email)).one()
    vacancy = conn.execute(select(v).where(v.c.reference == s.reference)).one()
    conn.execute(select(pm, u.c.email, u.c.name).join(u, u.c.id == pm.c.user_id)
                 .where(pm.c.vacancy_id == vacancy.id)).all()
    conn.execute(select(c).where(c.c.vacancy_id == vacancy.id).order_by(c.c.position)).all()
    return user, vacancy


def _candidates(conn: Connection, vacancy_id: int) -> list[Any]:
    """Everything the rules engine reads about every application."""
    in_vacancy = a.c.vacancy_id == vacancy_id
    rows = conn.execute(
        select(a.c.id, a.c.reference, a.c.gap_explanations, d.c.disability_declared, d.c.offer_interview_opt_in,
               d.c.unmet_due_to_disability).join(d, d.c.application_id == a.c.id)
        .where(in_vacancy).order_by(a.c.reference)).all()
    conn.execute(select(es.c.application_id, es.c.start, es.c.end, es.c.employer, es.c.role)
                 .join(a, a.c.id == es.c.application_id).where(in_vacancy)).all()
    conn.execute(select(cd.c.application_id, cd.c.user_id).join(a, a.c.id == cd.c.application_id)
                 .where(in_vacancy, cd.c.conflict.is_(True))).all()
    conn.execute(select(ss.c.application_id, ss.c.user_id, sc.c.criterion_id, sc.c.value)
                 .select_from(ss.join(sc, sc.c.sheet_id == ss.c.id).join(a, a.c.id == ss.c.application_id))
                 .where(in_vacancy, ss.c.stage == STAGE, ss.c.submitted_at.is_not(None))).all()
    conn.execute(select(ag.c.application_id, ag.c.criterion_id, ag.c.value)
                 .join(a, a.c.id == ag.c.application_id).where(in_vacancy, ag.c.stage == STAGE)).all()
    return rows


def _progress(conn: Connection, vacancy_id: int) -> None:
    pool = select(a.c.id).where(a.c.vacancy_id == vacancy_id)
    conn.execute(select(func.count()).select_from(a).where(a.c.vacancy_id == vacancy_id)).scalar()
    conn.execute(select(ss.c.user_id, ss.c.submitted_at.is_not(None), func.count())
                 .where(ss.c.application_id.in_(pool), ss.c.stage == STAGE)
                 .group_by(ss.c.user_id, ss.c.submitted_at.is_not(None))).all()
    conn.execute(select(cd.c.user_id, func.count(func.distinct(cd.c.application_id)))
                 .where(cd.c.application_id.in_(pool), cd.c.conflict.is_(True)).group_by(cd.c.user_id)).all()


def moderation(s: Scenario) -> None:
    with db.engine.connect() as conn:
        _user, vacancy = _vacancy(conn, s, s.chair)
        _candidates(conn, vacancy.id)
        _progress(conn, vacancy.id)


def candidates(s: Scenario) -> None:
    with db.engine.connect() as conn:
        _user, vacancy = _vacancy(conn, s, s.hr)
        _candidates(conn, vacancy.id)


def recommend(s: Scenario) -> None:
    with db.engine.connect() as conn:
        vacancy = conn.execute(select(v).where(v.c.reference == s.reference)).one()
        conn.execute(select(pm, u.c.email, u.c.name).join(u, u.c.id == pm.c.user_id)
                     .where(pm.c.vacancy_id == vacancy.id)).all()
        conn.execute(select(c).where(c.c.vacancy_id == vacancy.id).order_by(c.c.position)).all()
        _candidates(conn, vacancy.id)


def decisions(s: Scenario) -> None:
    with db.engine.connect() as conn:
        _user, vacancy = _vacancy(conn, s, s.chair)
        _candidates(conn, vacancy.id)
        in_vacancy = a.c.vacancy_id == vacancy.id
        conn.execute(select(dec).join(a, a.c.id == dec.c.application_id).where(in_vacancy)).all()
        conn.execute(select(gm.c.application_id, gm.c.user_id, gm.c.gap_start, gm.c.mark)
                     .join(a, a.c.id == gm.c.application_id).where(in_vacancy)).all()
        conn.execute(select(pa).where(pa.c.vacancy_id == vacancy.id)).all()


def record_csv(s: Scenario) -> None:
    decisions(s)


def _my_queue(conn: Connection, vacancy_id: int, user_id: int) -> None:
    in_vacancy = a.c.vacancy_id == vacancy_id
    conn.execute(select(a.c.id, a.c.reference).where(in_vacancy).order_by(a.c.reference)).all()
    conn.execute(select(ss.c.application_id, ss.c.submitted_at).join(a, a.c.id == ss.c.application_id)
                 .where(in_vacancy, ss.c.user_id == user_id, ss.c.stage == STAGE)).all()
    conn.execute(select(cd.c.application_id, cd.c.phase, cd.c.conflict).join(a, a.c.id == cd.c.application_id)
                 .where(in_vacancy, cd.c.user_id == user_id)).all()


def scoring_queue(s: Scenario) -> None:
    with db.engine.connect() as conn:
        user, vacancy = _vacancy(conn, s, s.chair)
        _my_queue(conn, vacancy.id, user.id)
        _progress(conn, vacancy.id)


def score_page(s: Scenario) -> None:
    with db.engine.connect() as conn:
        user, vacancy = _vacancy(conn, s, s.member)
        _my_queue(conn, vacancy.id, user.id)
        app = conn.execute(select(a).where(a.c.vacancy_id == vacancy.id,
                                           a.c.reference == s.open_references[-1])).one()
        conn.execute(select(es).where(es.c.application_id == app.id).order_by(es.c.position)).all()
        conn.execute(select(ev.c.criterion_id, ev.c.text).where(ev.c.application_id == app.id)).all()
        conn.execute(select(ss.c.id, ss.c.submitted_at, sc.c.criterion_id, sc.c.value, sc.c.note)
                     .select_from(ss.outerjoin(sc, sc.c.sheet_id == ss.c.id))
                     .where(ss.c.application_id == app.id, ss.c.user_id == user.id, ss.c.stage == STAGE)).all()
        conn.execute(select(gm).where(gm.c.application_id == app.id, gm.c.user_id == user.id)).all()


def moderate_one(s: Scenario) -> None:
    with db.engine.connect() as conn:
        _user, vacancy = _vacancy(conn, s, s.chair)
        app = conn.execute(select(a.c.id, a.c.reference, a.c.gap_explanations, d.c.disability_declared,
                                  d.c.offer_interview_opt_in, d.c.unmet_due_to_disability)
                           .join(d, d.c.application_id == a.c.id)
                           .where(a.c.vacancy_id == vacancy.id, a.c.reference == s.first_reference)).one()
        conn.execute(select(es).where(es.c.application_id == app.id)).all()
        conn.execute(select(cd.c.user_id, cd.c.conflict).where(cd.c.application_id == app.id)).all()
        conn.execute(select(ss.c.user_id, ss.c.submitted_at, sc.c.criterion_id, sc.c.value, sc.c.note)
                     .select_from(ss.join(sc, sc.c.sheet_id == ss.c.id))
                     .where(ss.c.application_id == app.id, ss.c.stage == STAGE)).all()
        conn.execute(select(ag).where(ag.c.application_id == app.id, ag.c.stage == STAGE)).all()


def submit(s: Scenario) -> None:
    """The writes of one submission, with the reads they depend on, in one transaction.

    Each run writes an interview-stage sheet for the next application (the pages'
    submissions use up the open shortlisting sheets): the database does the same work.
    """
    s.bare_submits += 1
    reference = f"A{(s.bare_submits - 1) % s.n + 1:05d}"
    gap_start = f"{1900 + s.bare_submits}-01"
    now = utcnow()
    with db.engine.begin() as conn:
        user, vacancy = _vacancy(conn, s, s.member)
        app = conn.execute(select(a.c.id).where(a.c.vacancy_id == vacancy.id, a.c.reference == reference)).one()
        conn.execute(select(cd.c.phase, cd.c.conflict)
                     .where(cd.c.application_id == app.id, cd.c.user_id == user.id)).all()
        conn.execute(select(ss.c.id).where(ss.c.application_id == app.id, ss.c.user_id == user.id,
                                           ss.c.stage == "interview").with_for_update()).all()
        sheet_id = conn.execute(ss.insert().values(application_id=app.id, user_id=user.id, stage="interview",
                                                   submitted_at=now, updated_at=now)
                                .returning(ss.c.id)).scalar_one()
        criteria = conn.execute(select(c.c.id).where(c.c.vacancy_id == vacancy.id)).scalars().all()
        conn.execute(sc.insert(), [{"sheet_id": sheet_id, "criterion_id": cid, "value": 2, "note": ""}
                                   for cid in criteria])
        conn.execute(gm.insert().values(application_id=app.id, user_id=user.id, gap_start=gap_start,
                                        mark="explore", note="", marked_at=now))
        head = conn.execute(select(AuditHead.__table__).where(AuditHead.__table__.c.id == 1)
                            .with_for_update()).one()
        conn.execute(AuditEvent.__table__.insert().values(
            seq=head.seq + 1, occurred_at=now, actor_id=user.id, actor=s.member, action="bench.bare",
            vacancy_reference=s.reference, subject=reference, data={}, prev_hash=head.hash, hash="0" * 64))
        conn.execute(AuditHead.__table__.update().where(AuditHead.__table__.c.id == 1)
                     .values(seq=head.seq + 1, hash="0" * 64))
