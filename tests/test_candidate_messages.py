"""Candidates' messages (issue 16): sent only once the shortlist is final, through the real
SMTP server (aiosmtpd): the invitation with the candidate's own booking link, the plain
"not shortlisted" message, the reserve message; a time arranged, moved and cancelled with
its calendar file (METHOD:REQUEST, the SEQUENCE bumped on each change, then METHOD:CANCEL);
and each send audited by kind and reference, never the address or sealed data."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import Application, AuditEvent, OutboxMessage, Vacancy, VacancyMessaging
from shortlist.services import outbox, panel
from tests.app_fixtures import login
from tests.factories import CHAIR, load
from tests.test_interviews import _users, finalised
from tests.mail_servers import smtp_server
from tests.test_outbox import parts, use_smtp
from tests.test_panel import campaign

LINK = re.compile(r"https?://\S+/interview/[\w.\-]+")


@pytest.fixture
def inbox(app, monkeypatch):
    """A real SMTP server (aiosmtpd) the app delivers to."""
    with smtp_server() as (received, port):
        use_smtp(app, monkeypatch, port)
        yield received


def candidate_messages() -> dict[str, OutboxMessage]:
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.audience == "candidate")
                              .order_by(OutboxMessage.id))
    return {f"{r.application.reference}:{r.kind}": r for r in rows}


def test_nothing_goes_to_a_candidate_until_the_shortlist_is_final(app):
    load(campaign())
    vacancy, chair, member = _users()
    for user in (chair, member):
        panel.declare_conflicts(vacancy, user, {a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy, user)})
    assert candidate_messages() == {}


def test_finalising_tells_every_candidate_through_the_smtp_server(inbox):
    finalised()  # A001 and A002 invited, A003 not shortlisted, by the chair
    found = candidate_messages()
    assert sorted(found) == ["A001:interview_invitation", "A002:interview_invitation", "A003:not_shortlisted"]

    assert outbox.deliver_due() == {"sent": 3}
    received = inbox.by_outbox_id()
    invitation = found["A001:interview_invitation"]
    [got] = received[invitation.id]
    message = got.message
    assert got.rcpt_tos == ["alice@example.net"] and message["To"] == "alice@example.net"
    assert message["Subject"] == "Invitation to interview: Family Therapist"
    text = parts(message)["text/plain"].get_content()
    html = parts(message)["text/html"].get_content()
    assert "Dear Alice Adams," in text and "Family Therapist (TST-01)" in text
    link = LINK.search(text)
    assert link and f'href="{link.group(0)}"' in html  # the candidate's own booking page, a link in HTML too
    assert "What to bring" in text and "Adjustments" in text
    assert message.get_content_type() == "multipart/alternative"  # no time yet: no calendar file

    [rejected] = received[found["A003:not_shortlisted"].id]
    text = parts(rejected.message)["text/plain"].get_content()
    assert "Dear Cara Cole," in text and "not been shortlisted" in text
    # plain and respectful: no reason, no score, nothing sealed
    for word in ("score", "criteri", "K1", "essential", "disab", "adjustment", "because", "reason"):
        assert word not in text.lower() and word.lower() not in text.lower(), word
    assert rejected.message["To"] == "cara@example.net"

    # each send audited: who caused it (the chair), what kind, to whom (the reference), never the address
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("message.%"))))
    queued = [e for e in events if e.action == "message.queued"]
    assert {(e.actor, e.data["kind"], e.data["to"]) for e in queued} == {
        (CHAIR, "interview_invitation", "A001"), (CHAIR, "interview_invitation", "A002"),
        (CHAIR, "not_shortlisted", "A003")}
    assert not any("@example.net" in str(e.data) + e.subject for e in events)


def test_the_booking_link_opens_the_candidates_own_page(client, app):
    finalised()
    text = candidate_messages()["A001:interview_invitation"].body
    path = LINK.search(text).group(0).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Choose your interview time" in body and "Family Therapist" in body and "Alice Adams" in body
    assert "Bob Brown" not in body and "Cara Cole" not in body and "A002" not in body


def test_a_reserve_is_told_they_are_on_the_reserve_list(app):
    load(campaign())
    from tests.factories import HR, make_user
    from shortlist.models import Role

    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    vacancy, chair, member = _users()
    values = {"A001": {"K1": "3", "D1": "1"}, "A002": {"K1": "2", "D1": "0"}, "A003": {"K1": "2", "D1": "0"}}
    for user in (chair, member):
        panel.declare_conflicts(vacancy, user, {a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy, user)})
        for ref, vals in values.items():
            marks = {"2020-01": ("explore", "")} if ref == "A001" else {}
            panel.save_sheet(vacancy, panel.application_by_reference(vacancy, ref), user, "shortlisting", vals, {},
                             marks, submit=True)
    for ref, outcome in {"A001": "invite", "A002": "invite", "A003": "reserve"}.items():
        rec = panel.recommendation_for(vacancy, ref, "shortlisting")
        panel.decide(vacancy, panel.application_by_reference(vacancy, ref), chair, outcome,
                     panel.suggested_reason(rec) if outcome == "invite" else "Third on merit; one place short.")
    panel.finalise_shortlist(vacancy, chair)
    reserve = candidate_messages()["A003:reserve"]
    assert reserve.to_address == "cara@example.net" and "reserve list" in reserve.body
    assert "Third on merit" not in reserve.body  # the panel's reason stays with the panel


def _calendar(message) -> Calendar:
    attachment = parts(message)["text/calendar"]
    return Calendar.from_ical(attachment.get_content())


def test_a_time_arranged_moved_and_cancelled_updates_one_calendar_entry(client, inbox):
    finalised()
    vacancy = db.session.scalar(select(Vacancy))
    db.session.add(VacancyMessaging(vacancy_id=vacancy.id, contact="jobs@example.org", share_panel_names=True,
                                    what_to_bring="Your passport.", adjustments="", self_booking=True,
                                    booking_cutoff_hours=48, reminder_days=3))
    db.session.commit()
    outbox.deliver_due()
    login(client, CHAIR)
    day = date.today() + timedelta(days=20)
    url = "/vacancies/TST-01/interviews/A002"
    form = {"day-day": str(day.day), "day-month": str(day.month), "day-year": str(day.year), "time": "10:30",
            "duration": "45", "location": "Room 2, Civic Centre"}
    assert client.post(url, data=form).status_code == 302
    assert client.post(url, data=form | {"time": "14:00"}).status_code == 302  # moved
    assert client.post(url, data=form | {"time": "14:00"}).status_code == 302  # unchanged: nobody told again
    assert client.post(url + "/cancel").status_code == 302
    outbox.deliver_due()

    sent = [m for m in inbox.messages if m.rcpt_tos == ["bob@example.net"]][1:]  # after the invitation
    kinds = [m.message["Subject"] for m in sent]
    assert kinds == ["Your interview for Family Therapist"] * 2 + [
        "Your interview for Family Therapist has been cancelled"]
    calendars = [_calendar(m.message) for m in sent]
    events = [c.walk("VEVENT")[0] for c in calendars]
    assert [str(c["METHOD"]) for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [e["SEQUENCE"] for e in events] == [0, 1, 2]
    assert len({str(e["UID"]) for e in events}) == 1  # one entry, updated then removed
    assert [e.decoded("DTSTART").strftime("%H:%M") for e in events] == ["10:30", "14:00", "14:00"]
    assert all(e["DTSTART"].params["TZID"] == "Europe/London" for e in events)
    assert str(events[0]["ORGANIZER"]).startswith("mailto:") and str(events[0]["STATUS"]) == "CONFIRMED"
    assert str(events[2]["STATUS"]) == "CANCELLED"
    text = parts(sent[0].message)["text/plain"].get_content()
    assert "Room 2, Civic Centre" in text and "Your passport." in text
    assert "Chair Person (chair)" in text  # the employer shares the panel's names
    assert "/interview/" in text and "interview.ics" in text  # the calendar file's own link
    row = db.session.scalar(select(Application).where(Application.reference == "A002"))
    assert client.get("/vacancies/TST-01/interviews").status_code == 200
    assert "cancelled" in " ".join(e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.subject == row.reference)))
