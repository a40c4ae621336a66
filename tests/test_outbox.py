"""The outbox and its delivery through a real SMTP server (aiosmtpd in the test process):
what arrives (headers, the text and HTML parts, the calendar file), each kind of message,
STARTTLS, implicit TLS and logins, refusals, retries with backoff, a confirmation lost in
transit, a worker that died mid-send, and several workers at once never sending a message
twice."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from icalendar import Calendar
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.messages import calendar as ics
from shortlist.messages import catalogue, render
from shortlist.models import Application, AuditEvent, OutboxMessage, Role, User, Vacancy
from shortlist.models.base import utcnow
from shortlist import worker
from shortlist.services import audit, outbox
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, make_user
from tests.mail_servers import free_port, make_certificate, smtp_server
from tests.test_interviews import finalised

SENDER = "Example Council recruitment <recruitment@example.org>"


def row(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    found = db.session.get(OutboxMessage, message_id)
    assert found is not None
    return found


def user(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def staff_message(kind: str = "all_submitted", to: str = "priya@example.org", dedupe: str | None = None,
                  actor: audit.Actor = audit.CLI) -> int | None:
    person = db.session.scalar(select(User).where(User.email == to)) or make_user(to, name="Priya Shah")
    context = catalogue.sample_context(catalogue.kind(kind)) | {"name": person.name}
    message_id = outbox.queue(kind, outbox.to_user(person), context, actor=actor, organisation="Example Council",
                              dedupe_key=dedupe)
    db.session.commit()
    return message_id


def use_smtp(app, monkeypatch, port: int, **settings) -> None:
    values = {"MAIL_BACKEND": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_SECURITY": "none",
              "SMTP_TIMEOUT": 5.0, "MAIL_FROM": SENDER, "SMTP_USERNAME": "", "SMTP_PASSWORD": "",
              "SMTP_CA_FILE": "", **settings}
    for key, value in values.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def smtp(app, monkeypatch):
    with smtp_server() as (inbox, port):
        use_smtp(app, monkeypatch, port)
        yield inbox


def parts(message: EmailMessage) -> dict[str, EmailMessage]:
    return {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}


# --------------------------------------------------------------------------- what arrives


def test_every_kind_of_message_arrives_as_text_and_html_with_its_calendar_file(smtp):
    finalised()
    outbox.deliver_due()  # the candidates' messages finalising queued (tests/test_candidate_messages.py)
    smtp.messages.clear()
    vacancy = db.session.scalar(select(Vacancy))
    application = db.session.scalar(select(Application).where(Application.reference == "A001"))
    chair = user(CHAIR)
    ids: dict[str, int] = {}
    for name, kind in catalogue.KINDS.items():
        context = catalogue.sample_context(kind) | {"name": chair.name, "candidate_name": "Alice <Adams> & Co"}
        recipient = outbox.to_user(chair) if kind.audience == "staff" else outbox.to_candidate(application)
        calendar = None
        if kind.calendar:
            calendar = ics.calendar_file(ics.Interview(
                uid=ics.interview_uid(vacancy.id, application.id, "shortlist.example.org"), sequence=2,
                starts_at=datetime(2026, 7, 10, 10, 30), minutes=45, summary="Interview: Family Therapist",
                location="Room 2, Civic Centre", description="", organizer_email="recruitment@example.org",
                organizer_name="Example Council", attendee_email="alice@example.net", attendee_name="Alice Adams"),
                method="CANCEL" if name == "interview_cancelled" else "REQUEST")
        ids[name] = outbox.queue(name, recipient, context, actor=audit.Actor.of(chair), vacancy=vacancy,
                                 calendar=calendar)
    db.session.commit()

    assert outbox.deliver_due() == {"sent": len(catalogue.KINDS)}

    received = smtp.by_outbox_id()
    assert sorted(received) == sorted(ids.values())  # each once
    for name, message_id in ids.items():
        kept = row(message_id)
        [got] = received[message_id]
        message = got.message
        address = "alice@example.net" if kept.audience == "candidate" else CHAIR
        assert got.rcpt_tos == [address] and got.mail_from == "recruitment@example.org"
        assert message["To"] == address and message["From"] == SENDER
        assert message["Subject"] == kept.subject and "((" not in kept.subject
        assert message["Auto-Submitted"] == "auto-generated" and message["Date"]
        assert kept.status == "sent" and kept.provider_reference == message["Message-ID"] and kept.attempts == 1
        found = parts(message)
        text = found["text/plain"].get_content().replace("\r\n", "\n")  # as sent: CRLF line ends
        html = found["text/html"].get_content().replace("\r\n", "\n")
        body = kept.body
        if catalogue.kind(name).secret_link:  # kept without its link once sent (tests/test_invitations.py)
            assert outbox.LINK_REMOVED in body and outbox.LINK_REMOVED not in text
            body = body.replace(outbox.LINK_REMOVED, catalogue.PLACEHOLDERS["link"].sample)
        assert text == render.plain_text(body) and "((" not in text
        assert html.startswith("<!DOCTYPE html>") and f"<title>{kept.subject.replace('&', '&amp;')}" in html
        if kept.audience == "candidate":
            assert "Dear Alice <Adams> & Co," in text
            assert "Dear Alice &lt;Adams&gt; &amp; Co," in html and "<Adams>" not in html
        kind = catalogue.KINDS[name]
        if kind.calendar:
            assert message.get_content_type() == "multipart/mixed"
            attachment = found["text/calendar"]
            method = "CANCEL" if name == "interview_cancelled" else "REQUEST"
            assert attachment.get_param("method") == method
            assert attachment.get_filename() == ("cancelled.ics" if method == "CANCEL" else "interview.ics")
            event_calendar = Calendar.from_ical(attachment.get_content())
            assert event_calendar["METHOD"] == method
            [event] = event_calendar.walk("VEVENT")
            assert str(event["UID"]) == f"interview-{vacancy.id}-{application.id}@shortlist.example.org"
            assert event["SEQUENCE"] == 2 and str(event["ORGANIZER"]) == "mailto:recruitment@example.org"
            assert event["DTSTART"].params["TZID"] == "Europe/London"
            assert event.decoded("DTSTART").utcoffset() == timedelta(hours=1)  # July: British Summer Time
            assert event_calendar.walk("VTIMEZONE")
        else:
            assert message.get_content_type() == "multipart/alternative" and "text/calendar" not in found

    # the audit log names who caused each message, its kind and the recipient, never a candidate's address
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("message.%"))))
    queued = [e for e in events if e.action == "message.queued" and e.data["message"] in ids.values()]
    assert len(queued) == len(ids) and {e.actor for e in queued} == {CHAIR}
    assert {e.data["to"] for e in queued} == {CHAIR, "A001"}
    assert len([e for e in events if e.action == "message.sent" and e.data["message"] in ids.values()]) == len(ids)
    assert not any("alice@example.net" in str(e.data) or "alice@example.net" in e.subject for e in events)


def test_candidates_are_not_emailed_before_the_shortlist_is_final(app):
    from tests.factories import campaign_dict, load

    load(campaign_dict())
    vacancy = db.session.scalar(select(Vacancy))
    application = vacancy.applications[0]
    context = catalogue.sample_context(catalogue.kind("not_shortlisted"))
    with pytest.raises(outbox.CandidateMailRefused):
        outbox.queue("not_shortlisted", outbox.to_candidate(application), context, actor=audit.CLI, vacancy=vacancy)
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage)) is None


def test_the_same_event_queues_its_message_once(app):
    first = staff_message(dedupe="all_submitted:1:shortlisting")
    second = staff_message(dedupe="all_submitted:1:shortlisting")
    assert first is not None and second is None
    assert len(list(db.session.scalars(select(OutboxMessage)))) == 1
    assert len(list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "message.queued")))) == 1


# --------------------------------------------------------------------------- TLS and logins


def test_starttls_with_a_login_to_a_relay_with_its_own_certificate_authority(app, monkeypatch, tmp_path):
    certificate = make_certificate(tmp_path)
    with smtp_server(starttls=certificate, login=("shortlist", "relay-password")) as (inbox, port):
        use_smtp(app, monkeypatch, port, SMTP_SECURITY="starttls", SMTP_CA_FILE=str(certificate.cert),
                 SMTP_USERNAME="shortlist", SMTP_PASSWORD="relay-password")  # nosec B106
        message_id = staff_message()
        assert outbox.deliver(message_id) == "sent" and len(inbox.messages) == 1

        monkeypatch.setitem(app.config, "SMTP_PASSWORD", "wrong")
        refused = staff_message(kind="scoring_open")
        assert outbox.deliver(refused) == "failed", row(refused).last_error
        assert row(refused).last_error == "The mail server refused the user name or password (SMTP 535)"
        assert len(inbox.messages) == 1


def test_implicit_tls(app, monkeypatch, tmp_path):
    certificate = make_certificate(tmp_path)
    with smtp_server(implicit_tls=certificate) as (inbox, port):
        use_smtp(app, monkeypatch, port, SMTP_SECURITY="ssl", SMTP_CA_FILE=str(certificate.cert))
        assert outbox.deliver(staff_message()) == "sent" and len(inbox.messages) == 1


def test_a_certificate_nobody_vouches_for_is_refused_and_nothing_is_sent(app, monkeypatch, tmp_path):
    certificate = make_certificate(tmp_path)
    with smtp_server(starttls=certificate) as (inbox, port):
        use_smtp(app, monkeypatch, port, SMTP_SECURITY="starttls")  # the system's CAs only
        message_id = staff_message()
        assert outbox.deliver(message_id) == "failed"
        assert row(message_id).last_error.startswith("The secure connection to the mail server failed")
        assert inbox.messages == []


# --------------------------------------------------------------------------- failures and retries


def test_a_refused_address_fails_for_good_and_the_error_names_no_address(smtp, client):
    make_user(HR, Role.HR_ADMIN)
    finalised()
    outbox.deliver_due()  # the candidates' messages finalising queued go first
    smtp.rcpt_reply = "550 5.1.1 <alice@example.net>: Recipient address rejected: User unknown"
    vacancy = db.session.scalar(select(Vacancy))
    application = db.session.scalar(select(Application).where(Application.reference == "A001"))
    chair = user(CHAIR)
    context = catalogue.sample_context(catalogue.kind("reserve"))
    message_id = outbox.queue("reserve", outbox.to_candidate(application), context, actor=audit.Actor.of(chair),
                              vacancy=vacancy)
    db.session.commit()

    assert outbox.deliver(message_id) == "failed"
    failed = row(message_id)
    assert failed.last_error == "The mail server refused the recipient's address (SMTP 550 5.1.1)"
    assert failed.status == "failed" and failed.next_attempt_at is None
    assert outbox.deliver_due(utcnow() + timedelta(days=1)) == {}  # never tried again by itself
    # whoever caused it is told; HR sees it on the outbox page
    assert [m.id for m in outbox.problems_caused_by(user(CHAIR))] == [message_id]
    login(client, HR)
    page = client.get("/hr/outbox/?status=failed").get_data(as_text=True)
    assert f'id="message-{message_id}"' in page and "(SMTP 550 5.1.1)" in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "message.failed"))
    assert event.data["to"] == "A001" and "alice@example.net" not in str(event.data)


def test_a_temporary_refusal_is_tried_again_later_and_sent_once(smtp):
    smtp.rcpt_reply = "451 4.7.1 Greylisted, try again later"
    message_id = staff_message()
    started = utcnow()
    assert outbox.deliver(message_id) == "retry"
    waiting = row(message_id)
    assert waiting.status == "queued" and waiting.attempts == 1
    assert waiting.last_error == "The mail server refused the recipient's address (SMTP 451 4.7.1)"
    assert started + timedelta(seconds=59) <= waiting.next_attempt_at <= utcnow() + timedelta(seconds=61)

    assert outbox.deliver_due() == {}  # not yet due
    smtp.rcpt_reply = None
    assert outbox.deliver_due(utcnow() + timedelta(minutes=2)) == {"sent": 1}
    sent = row(message_id)
    assert sent.status == "sent" and sent.attempts == 2 and sent.last_error == ""
    assert len(smtp.messages) == 1


def test_backoff_grows_and_then_gives_up(app, monkeypatch):
    use_smtp(app, monkeypatch, free_port())  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 4)
    message_id = staff_message()
    gaps = []
    now = utcnow()
    for _ in range(3):
        assert outbox.deliver_due(now) == {"retry": 1}
        waiting = row(message_id)
        gaps.append(round((waiting.next_attempt_at - now).total_seconds() / 60))
        now = waiting.next_attempt_at
    assert gaps == [1, 5, 15]
    assert outbox.deliver_due(now) == {"failed": 1}
    failed = row(message_id)
    assert failed.status == "failed" and failed.attempts == 4
    assert failed.last_error == ("Not sent after 4 attempts. The last: The mail server could not be reached "
                                 "(ConnectionRefusedError)")


def test_a_lost_confirmation_is_never_sent_again_without_a_person(app, smtp, monkeypatch, client):
    make_user(HR, Role.HR_ADMIN)
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 0.5)
    smtp.stall_seconds = 2  # the server has the message but its "250" comes too late
    message_id = staff_message()
    assert outbox.deliver(message_id) == "uncertain"
    assert len(smtp.messages) == 1
    uncertain = row(message_id)
    assert uncertain.status == "uncertain" and uncertain.last_error.startswith(
        "The connection to the mail server ended after the message was handed over")
    assert outbox.deliver_due(utcnow() + timedelta(days=1)) == {}

    # HR checks with the recipient: it arrived
    login(client, HR)
    response = client.post(f"/hr/outbox/{message_id}/mark-sent")
    assert response.status_code == 302 and row(message_id).status == "sent"
    assert len(smtp.messages) == 1
    assert db.session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "message.marked_sent")) == HR

    # another did not arrive: HR sends it again, on purpose
    smtp.stall_seconds = 0
    other = staff_message(kind="scoring_open")
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id == other).values(status="uncertain"))
    db.session.commit()
    client.post(f"/hr/outbox/{other}/resend")
    assert row(other).status == "queued"
    assert outbox.deliver_due() == {"sent": 1} and len(smtp.messages) == 2


def test_a_message_a_dead_worker_left_sending_is_marked_for_a_person(smtp):
    message_id = staff_message()
    long_ago = utcnow() - timedelta(minutes=30)
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id == message_id).values(
        status="sending", claimed_at=long_ago, claim_token="dead-worker", attempts=1, backend="smtp"))
    db.session.commit()
    assert outbox.deliver_due() == {}
    assert outbox.recover_stale() == {"sent": 0, "requeued": 0, "uncertain": 1}
    left = row(message_id)
    assert left.status == "uncertain" and "may or may not have gone" in left.last_error
    assert outbox.deliver_due(utcnow() + timedelta(days=1)) == {} and smtp.messages == []
    # a worker still sending (claimed a minute ago) is left alone
    fresh = staff_message(kind="scoring_open")
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id == fresh).values(
        status="sending", claimed_at=utcnow() - timedelta(minutes=1), claim_token="alive", attempts=1))
    db.session.commit()
    assert outbox.recover_stale() == {"sent": 0, "requeued": 0, "uncertain": 0}
    assert row(fresh).status == "sending"


def test_workers_at_once_never_send_a_message_twice_even_on_retries(app, smtp):
    ids = [staff_message(to=f"person{n}@example.org") for n in range(24)]
    smtp.data_replies.extend(["451 4.3.0 Mail server temporarily busy"] * len(ids))
    assert outbox.deliver_due() == {"retry": len(ids)}  # every first attempt refused for now
    assert smtp.messages == [] and smtp.data_commands == len(ids)

    later = utcnow() + timedelta(minutes=2)
    outcomes: list[dict[str, int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                try:
                    outcomes.append(outbox.deliver_due(later))
                finally:
                    db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    received = smtp.by_outbox_id()
    assert sorted(received) == sorted(ids) and all(len(v) == 1 for v in received.values())
    assert sum(o.get("sent", 0) for o in outcomes) == len(ids)
    assert {(row(i).status, row(i).attempts) for i in ids} == {("sent", 2)}
    assert len(list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "message.sent")))) == len(ids)


# --------------------------------------------------------------------------- the job after the commit


def test_a_job_delivers_the_message_once_the_action_commits(app, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_DELIVER_AFTER_COMMIT", True)
    person = make_user("priya@example.org", name="Priya Shah")
    context = catalogue.sample_context(catalogue.kind("all_submitted"))
    outbox.queue("all_submitted", outbox.to_user(person), context, actor=audit.CLI)
    db.session.rollback()  # the action failed: nothing is sent, nothing kept
    message_id = outbox.queue("all_submitted", outbox.to_user(person), context, actor=audit.CLI)
    db.session.commit()
    assert worker.drain(30)
    assert row(message_id).status == "sent"
    assert len(smtp.messages) == 1 and [m.id for m in db.session.scalars(select(OutboxMessage))] == [message_id]


def test_with_redis_the_delivery_is_an_rq_job(app, smtp, monkeypatch):
    import uuid

    from redis import Redis
    from rq import SimpleWorker

    monkeypatch.setitem(app.config, "MAIL_DELIVER_AFTER_COMMIT", True)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setitem(app.config, "SHORTLIST_JOB_QUEUE", f"shortlist-test-{uuid.uuid4().hex}")
    queue = worker.rq_queue()
    try:
        message_id = staff_message()
        assert queue.count == 1 and row(message_id).status == "queued"
        assert SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert row(message_id).status == "sent" and len(smtp.messages) == 1
    finally:
        queue.delete(delete_jobs=True)
        Redis.from_url("redis://127.0.0.1:6379/0").close()


# --------------------------------------------------------------------------- the outbox page


def test_hr_reads_each_message_as_its_recipient_would_and_can_cancel_a_queued_one(client):
    make_user(HR, Role.HR_ADMIN)
    message_id = staff_message(kind="scoring_reminder")
    login(client, HR)
    page = client.get("/hr/outbox/").get_data(as_text=True)
    assert "No e-mail leaves this server" in page and f'id="message-{message_id}"' in page
    shown = client.get(f"/hr/outbox/{message_id}").get_data(as_text=True)
    kept = row(message_id)
    assert kept.subject in shown and 'href="https://shortlist.example.org/account/notifications"' in shown
    assert outbox.deliver(message_id) == "sent"  # the outbox backend: delivered to this page
    assert row(message_id).provider_reference == f"outbox-{message_id}"

    queued = staff_message(kind="scoring_open")
    assert client.post(f"/hr/outbox/{queued}/cancel").status_code == 302
    assert row(queued).status == "cancelled" and outbox.deliver(queued) == "skipped"
    client.post(f"/hr/outbox/{message_id}/cancel")  # sent already: refused, nothing changes
    assert row(message_id).status == "sent"
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor == HR)))
    assert actions.count("message.cancelled") == 1
