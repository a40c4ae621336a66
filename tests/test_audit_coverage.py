"""Every write a service makes commits an audit event in the same transaction.

A guard watches each transaction: rows inserted, changed or deleted (by the unit of work
or by bulk statements) in any table but the audit log's own, and whether an AuditEvent was
added. A commit that wrote without an event is a gap. The guard then runs through the
services' writes. (Gaps found when this test was written are listed in the issue 7 report.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.models import AuditEvent, Role, User, Vacancy
from shortlist.services import (
    applications,
    audit,
    audit_reader,
    panel_changes,
    reports,
    retention,
    sealed,
    subject_access,
    training,
    vacancies,
)
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user
from tests.hr_helpers import decide

AUDIT_TABLES = {"audit_event", "audit_head"}


@contextmanager
def audit_guard() -> Iterator[list[set[str]]]:
    """Yield the list of unaudited commits (the tables each one wrote)."""
    gaps: list[set[str]] = []

    def state(session: Session) -> dict[str, Any]:
        return session.info.setdefault("audit_guard", {"writes": set(), "audited": False})

    def after_flush(session: Session, _context: Any) -> None:
        info = state(session)
        for obj in [*session.new, *session.dirty, *session.deleted]:
            table = obj.__table__.name
            if table == "audit_event" and obj in session.new:
                info["audited"] = True
            elif table not in AUDIT_TABLES and (obj in session.new or obj in session.deleted
                                                or session.is_modified(obj)):
                info["writes"].add(table)

    def on_execute(orm_state: Any) -> None:
        if orm_state.is_update or orm_state.is_delete or orm_state.is_insert:
            table = orm_state.statement.table.name
            if table not in AUDIT_TABLES:
                state(orm_state.session)["writes"].add(table)

    def before_commit(session: Session) -> None:
        session.flush()
        info = state(session)
        if info["writes"] and not info["audited"]:
            gaps.append(set(info["writes"]))

    def reset(session: Session, transaction: Any) -> None:
        if transaction.parent is None:
            session.info.pop("audit_guard", None)

    listeners = [("after_flush", after_flush), ("do_orm_execute", on_execute),
                 ("before_commit", before_commit), ("after_transaction_end", reset)]
    for name, fn in listeners:
        event.listen(Session, name, fn)
    try:
        yield gaps
    finally:
        for name, fn in listeners:
            event.remove(Session, name, fn)


def test_the_guard_catches_an_unaudited_write():
    with audit_guard() as gaps:
        db.session.add(User(email="sneaky@example.org", name="Sneaky", role="hr_admin"))
        db.session.commit()
        audit.record(audit.CLI, "user.created", email="ok@example.org", role="panel_member")
        db.session.add(User(email="ok@example.org", name="Ok", role="panel_member"))
        db.session.commit()
    assert gaps == [{"user"}]


def _vacancy(reference: str) -> Vacancy:
    return db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_foundation_and_setup_writes_are_audited():
    with audit_guard() as gaps:
        hr = make_user(HR, Role.HR_ADMIN, password="a-long-enough-password")
        load(campaign_dict("COV-01"))
        vacancy = _vacancy("COV-01")
        applications.add_application(vacancy, cf.ApplicationSpec(reference="A900", name="Added By Hand"),
                                     audit.Actor.of(hr))
        created = vacancies.create_vacancy(hr, "COV-02", title="Therapist", organisation_id=vacancy.organisation_id,
                                           department="", grade="", posts=1, closing_date=date(2027, 3, 1))
        vacancies.update_details(created, hr, title="Senior Therapist", organisation_id=vacancy.organisation_id, department="",
                                 grade="P07", posts=2, closing_date=date(2027, 3, 8))
        membership = vacancies.add_panel_member(created, hr, email="new.member@example.org", name="New Member",
                                                role="member")
        training.record_training(hr, membership.user, date(2025, 5, 1))
        vacancies.mark_task(created, hr, "panel", True)
        panel_changes.remove_member(created, hr, membership, "")
    assert gaps == []


def test_hr_data_protection_writes_are_audited():
    data = campaign_dict("COV-03", closing_date=date(2026, 1, 5))
    load(data)
    hr = make_user(HR, Role.HR_ADMIN)
    decide("COV-03", "A001", "shortlisting", "invite")
    vacancy = _vacancy("COV-03")
    vacancy.shortlist_finalised_at = vacancy.updated_at
    db.session.commit()
    with audit_guard() as gaps:
        retention.update_policy(vacancy, hr, retention_months=3, share_declarations=True)
        grant = sealed.grant_declarations(vacancy, hr, _user(MEMBER).id, "Interview")
        sealed.view_declarations(vacancy, _user(MEMBER))
        sealed.revoke_grant(vacancy, hr, grant.id)
        sealed.view_sealed(vacancy, "A001", hr)
        hold = retention.place_hold(vacancy, hr, kind="claim", reason="Tribunal", application_reference="A001")
        retention.release_hold(vacancy, hr, hold.id, "Settled")
        audit_reader.export_csv(audit_reader.Filters.from_args({}), audit.Actor.of(hr))
        reports.export_csv("disability-confident", {}, ["a"], [["1"]], audit.Actor.of(hr))
        application = subject_access.find(vacancy, "A001")
        subject_access.export(application, hr, "json")
        db.session.execute(db.update(Vacancy).values(status="closed"))
        audit.record(audit.Actor.of(hr), "vacancy.updated", vacancy="COV-03", section="status",
                     before={"status": "open"}, after={"status": "closed"})
        db.session.commit()
        retention.purge(audit.CLI, date(2026, 12, 1))
    assert gaps == []
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purged")) is not None


def test_signing_in_is_audited(client):
    make_user(CHAIR, Role.RECRUITING_MANAGER, password="a-long-enough-password")
    with audit_guard() as gaps:
        client.post("/sign-in", data={"email": CHAIR, "password": "wrong-password-here"})
        client.post("/sign-in", data={"email": CHAIR, "password": "a-long-enough-password"})
    assert gaps == []
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["auth.login_failed", "auth.login"]
