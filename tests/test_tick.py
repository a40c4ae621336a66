"""`shortlist tick`: the scheduled work (reminders, deliveries due, closing applications, the
daily purge), safe to run twice at once: a lease row taken by one conditional UPDATE."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, OutboxMessage, ScheduledTask, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.services import message_templates, notices, scheduler
from tests.factories import CHAIR, OTHER, campaign_dict, load

TODAY = date(2026, 12, 20)


def _vacancy_in_shortlisting(deadline: date | None = date(2026, 12, 23), days: int = 3) -> Vacancy:
    data = campaign_dict()
    data["vacancy"]["status"] = "shortlisting"
    vacancy = load(data)
    chair = db.session.scalar(select(User).where(User.email == CHAIR))
    notices.save_messaging(vacancy, chair, deadline=_parts(deadline), reminder_days=str(days),
                           contact="recruitment@example.org", share_panel_names="no", what_to_bring="",
                           adjustments="", self_booking="yes", booking_cutoff_hours="48")
    return db.session.scalar(select(Vacancy))


def _parts(day: date | None):
    from shortlist.forms import dates

    return dates.from_iso("deadline", day)


def reminders() -> dict[str, int]:
    db.session.remove()
    return {m.to_address: m for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "scoring_reminder"))}


def test_the_reminder_goes_to_members_with_scores_to_submit_once_per_deadline(app):
    _vacancy_in_shortlisting()
    # the campaign's A001 has submitted scores from the chair and the member; OTHER has none
    assert scheduler.tick(today=TODAY - timedelta(days=4)).steps["reminders"] == {"queued": 0}  # too early
    report = scheduler.tick(today=TODAY)
    assert report.ran and report.steps["reminders"] == {"queued": 1} and not report.failed
    [(to, message)] = reminders().items()
    assert to == OTHER
    assert message.subject == "Reminder: scores for Family Therapist are due by Wednesday 23 December 2026"
    assert "You have 1 applications for Family Therapist (TST-01) still to submit" in message.body
    assert "in 3 days" in message.body and "/account/notifications" in message.body
    assert scheduler.tick(today=TODAY).steps["reminders"] == {"queued": 0}  # once per deadline
    assert scheduler.tick(today=TODAY + timedelta(days=4)).steps["reminders"] == {"queued": 0}  # past it


def test_staff_who_switch_reminders_off_get_none(app, client):
    from tests.app_fixtures import login

    _vacancy_in_shortlisting()
    login(client, OTHER)
    response = client.post("/account/notifications", data={"reminders": "off"})
    assert response.status_code == 302
    assert not message_templates.reminders_on(db.session.scalar(select(User.id).where(User.email == OTHER)))
    assert scheduler.tick(today=TODAY).steps["reminders"] == {"queued": 0} and reminders() == {}
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.actor == OTHER)
                             .order_by(AuditEvent.seq.desc()).limit(1)) == "preferences.updated"


def test_no_deadline_or_no_reminder_days_means_no_reminder(app):
    vacancy = _vacancy_in_shortlisting(deadline=None)
    assert scheduler.tick(today=TODAY).steps["reminders"] == {"queued": 0}
    chair = db.session.scalar(select(User).where(User.email == CHAIR))
    notices.save_messaging(vacancy, chair, deadline=_parts(date(2026, 12, 23)), reminder_days="0",
                           contact="x@example.org", share_panel_names="no", what_to_bring="", adjustments="",
                           self_booking="yes", booking_cutoff_hours="48")
    assert scheduler.tick(today=TODAY).steps["reminders"] == {"queued": 0}


def test_the_purge_runs_once_a_day(app, monkeypatch):
    from shortlist.services import retention

    calls = []
    real = retention.purge
    monkeypatch.setattr(retention, "purge", lambda actor, today=None, **kw: calls.append(today) or real(actor, today))
    scheduler.tick(today=TODAY)
    scheduler.tick(today=TODAY)
    assert calls == [TODAY]
    scheduler.tick(today=TODAY + timedelta(days=1))
    assert calls == [TODAY, TODAY + timedelta(days=1)]
    purge = db.session.get(ScheduledTask, "purge")
    assert purge.last_outcome == "0 application(s), 0 declaration(s)"


def test_two_ticks_at_once_one_runs_the_other_does_nothing(app, monkeypatch):
    inside, finish = threading.Event(), threading.Event()
    ran: list[str] = []

    def slow_step() -> str:
        inside.set()
        assert finish.wait(30)
        ran.append("step")
        return "done"

    monkeypatch.setattr(scheduler, "steps", lambda now, today: [("slow", slow_step)])
    reports: list[scheduler.TickReport] = []

    def first() -> None:
        with app.app_context():
            try:
                reports.append(scheduler.tick(today=TODAY))
            finally:
                db.session.remove()

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(30)
    second = scheduler.tick(today=TODAY)  # while the first holds the lease
    finish.set()
    thread.join(30)
    assert not second.ran and second.steps == {}
    assert [r.ran for r in reports] == [True] and ran == ["step"]
    lock = db.session.get(ScheduledTask, "tick")
    db.session.refresh(lock)
    assert lock.holder is None and lock.last_outcome == "slow: done"
    assert scheduler.tick(today=TODAY).ran  # free again


def test_a_lease_left_by_a_tick_that_died_lapses(app, monkeypatch):
    monkeypatch.setattr(scheduler, "steps", lambda now, today: [])
    assert scheduler.acquire("tick", "dead-host:1:x", utcnow())
    assert not scheduler.tick().ran
    assert scheduler.tick(now=utcnow() + timedelta(minutes=16)).ran


def test_a_failing_step_does_not_stop_the_others_and_the_command_says_so(app, runner, monkeypatch):
    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(scheduler, "steps", lambda now, today: [("first", broken), ("second", lambda: {"ok": 1})])
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 1
    assert "first: failed (RuntimeError)" in result.output and "second: ok 1" in result.output
    assert "Failed: first" in result.output


def test_the_tick_command_reports_each_step(app, runner):
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    for step in ("settled", "closed", "reminders", "sweep", "delivered", "purge"):
        assert f"{step}:" in result.output
