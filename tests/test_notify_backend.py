"""GOV.UK Notify: delivery through notifications-python-client to a local server that checks
what Notify's API documentation requires (tests/mail_servers.py) and answers as Notify does,
including its errors: 400 BadRequestError and ValidationError, 403 AuthError, 429
RateLimitError and TooManyRequestsError, 500 Exception; an answer lost on the way back is
never a second e-mail (the outbox id is Notify's reference, asked for before trying again)."""

from __future__ import annotations

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import jwt
import pytest
from sqlalchemy import select

from shortlist.config import ConfigError
from shortlist.extensions import db
from shortlist.messages import catalogue, render
from shortlist.models import AuditEvent, OutboxMessage
from shortlist.models.base import utcnow
from shortlist.services import outbox
from tests.mail_servers import API_KEY, SECRET, SERVICE_ID, TEMPLATE_ID, notify_error, notify_server
from tests.test_outbox import row, staff_message


@pytest.fixture
def notify(app, monkeypatch):
    with notify_server() as fake:
        for key, value in {"MAIL_BACKEND": "notify", "NOTIFY_API_KEY": API_KEY, "NOTIFY_BASE_URL": fake.base_url,
                           "NOTIFY_TEMPLATE_IDS": {"default": TEMPLATE_ID}, "NOTIFY_TIMEOUT": 5.0}.items():
            monkeypatch.setitem(app.config, key, value)
        yield fake


def test_a_message_goes_to_notify_as_its_documentation_asks(notify):
    message_id = staff_message(kind="scoring_open")
    before = int(time.time())
    assert outbox.deliver(message_id) == "sent"

    [request] = notify.requests
    assert request["method"] == "POST" and request["path"] == "/v2/notifications/email"
    assert request["headers"]["content-type"] == "application/json"
    token = request["headers"]["authorization"].removeprefix("Bearer ")
    assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "HS256"}
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])  # signed with the key's secret
    assert claims["iss"] == SERVICE_ID and before - 1 <= claims["iat"] <= int(time.time()) + 1
    kept = row(message_id)
    body = request["body"]
    assert set(body) == {"email_address", "template_id", "personalisation", "reference"}
    assert body["email_address"] == "priya@example.org" and body["template_id"] == TEMPLATE_ID
    assert body["reference"] == str(message_id)
    assert body["personalisation"] == {**kept.context, "subject": kept.subject, "body": render.plain_text(kept.body)}
    [notification] = notify.notifications
    assert kept.status == "sent" and kept.provider_reference == notification["id"] and kept.backend == "notify"


def test_each_kind_can_have_its_own_notify_template(app, notify, monkeypatch):
    own = "1b6c7a3e-5f3d-4e0b-9c1e-3a0f2d6b8e11"
    notify.templates[own] = {"name", "vacancy_title", "link"}
    monkeypatch.setitem(app.config, "NOTIFY_TEMPLATE_IDS", {"default": TEMPLATE_ID, "scoring_open": own})
    assert outbox.deliver(staff_message(kind="scoring_open")) == "sent"
    assert outbox.deliver(staff_message(kind="all_submitted")) == "sent"
    assert [r["body"]["template_id"] for r in notify.requests] == [own, TEMPLATE_ID]


def test_a_kind_with_no_template_fails_saying_which_setting_to_add(app, notify, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_TEMPLATE_IDS", {"scoring_open": TEMPLATE_ID})
    message_id = staff_message(kind="all_submitted")
    assert outbox.deliver(message_id) == "failed"
    assert "add all_submitted=<template id> (or default=<template id>) to NOTIFY_TEMPLATE_IDS" in row(
        message_id).last_error
    assert notify.requests == []


@pytest.mark.parametrize(("answer", "expected"), [
    (notify_error(400, "BadRequestError", "Can't send to this recipient using a team-only API key"),
     "GOV.UK Notify answered 400 BadRequestError: Can't send to this recipient using a team-only API key"),
    (notify_error(400, "BadRequestError",
                  "Can't send to this recipient when service is in trial mode - see "
                  "https://www.notifications.service.gov.uk/trial-mode"),
     "GOV.UK Notify answered 400 BadRequestError: Can't send to this recipient when service is in trial mode"),
    (notify_error(403, "AuthError", "Invalid token: API key not found"),
     "GOV.UK Notify answered 403 AuthError: Invalid token: API key not found. Check NOTIFY_API_KEY"),
])
def test_notify_refusals_are_permanent_and_shown_with_notifys_words(notify, answer, expected):
    notify.answers.append(answer)
    message_id = staff_message()
    assert outbox.deliver(message_id) == "failed"
    failed = row(message_id)
    assert failed.status == "failed" and failed.last_error.startswith(expected)
    assert "priya@example.org" not in failed.last_error
    assert outbox.deliver_due(utcnow() + timedelta(days=2)) == {}
    assert len(notify.requests) == 1


def test_notify_checks_the_token_itself_a_wrong_secret_or_clock_is_refused(app, notify, monkeypatch):
    wrong_key = API_KEY[:-36] + "00000000-0000-4000-8000-000000000000"
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", wrong_key)
    message_id = staff_message()
    assert outbox.deliver(message_id) == "failed"
    assert row(message_id).last_error.startswith(
        "GOV.UK Notify answered 403 AuthError: Invalid token: signature, api token not found")

    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", API_KEY)
    notify.clock_offset = 45  # our clock 45 seconds behind Notify's
    late = staff_message(kind="scoring_open")
    assert outbox.deliver(late) == "failed"
    assert row(late).last_error.startswith(
        "GOV.UK Notify answered 403 AuthError: Error: Your system clock must be accurate to within 30 seconds")
    notify.clock_offset = 25  # within Notify's 30 seconds
    assert outbox.deliver(staff_message(kind="all_submitted")) == "sent"
    assert len(notify.notifications) == 1


def test_a_refused_body_is_a_validation_error_from_notify(app, notify):
    notify.templates[TEMPLATE_ID] = {"subject", "body", "first_name"}  # a placeholder we never send
    message_id = staff_message()
    assert outbox.deliver(message_id) == "failed"
    assert row(message_id).last_error == "GOV.UK Notify answered 400 BadRequestError: Missing personalisation: " \
                                         "first_name"


def test_the_rate_limit_is_waited_out_then_sent_once(notify):
    notify.answers.append(notify_error(429, "RateLimitError",
                                       "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"))
    message_id = staff_message()
    assert outbox.deliver(message_id) == "retry"
    waiting = row(message_id)
    assert waiting.last_error.startswith("GOV.UK Notify answered 429 RateLimitError")
    assert waiting.next_attempt_at <= utcnow() + timedelta(seconds=61)
    assert outbox.deliver_due(utcnow() + timedelta(minutes=2)) == {"sent": 1}
    assert len(notify.notifications) == 1 and row(message_id).attempts == 2


def test_the_daily_limit_waits_until_after_midnight_in_london(notify):
    notify.answers.append(notify_error(429, "TooManyRequestsError", "Exceeded send limits (50) for today"))
    message_id = staff_message()
    assert outbox.deliver(message_id) == "retry"
    then = row(message_id).next_attempt_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Europe/London"))
    assert (then.hour, then.minute) == (0, 5)
    assert then - utcnow().replace(tzinfo=ZoneInfo("UTC")) <= timedelta(days=1, minutes=6)


def test_notify_errors_are_tried_again_until_the_last_attempt(app, notify, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    notify.answers.extend([notify_error(500, "Exception", "Internal server error")] * 3)
    message_id = staff_message()
    now = utcnow()
    for outcome in ("retry", "retry", "failed"):
        assert outbox.deliver_due(now) == {outcome: 1}
        now += timedelta(hours=4)
    failed = row(message_id)
    assert failed.last_error == ("Not sent after 3 attempts. The last: GOV.UK Notify answered 500 Exception: "
                                 "Internal server error")
    assert notify.notifications == []


def test_an_answer_lost_on_the_way_back_is_not_a_second_email(notify):
    notify.answers.append("drop")  # Notify takes it, the connection drops before its 201
    message_id = staff_message()
    assert outbox.deliver(message_id) == "retry"
    assert row(message_id).last_error == "GOV.UK Notify could not be reached (no answer)"
    assert outbox.deliver_due(utcnow() + timedelta(minutes=2)) == {"sent": 1}
    [notification] = notify.notifications
    assert row(message_id).provider_reference == notification["id"]
    # the second attempt asked Notify by reference and found it: no second POST
    assert [(r["method"], r["path"]) for r in notify.requests] == [
        ("POST", "/v2/notifications/email"), ("GET", f"/v2/notifications?reference={message_id}")]


def test_a_dead_workers_message_is_settled_by_asking_notify(notify):
    sent_by_dead_worker = staff_message()
    never_arrived = staff_message(kind="scoring_open")
    notify.notifications.append({"id": "5f0b5f8e-0000-4000-8000-000000000001", "reference": str(sent_by_dead_worker)})
    long_ago = utcnow() - timedelta(minutes=30)
    for message_id in (sent_by_dead_worker, never_arrived):
        db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id == message_id).values(
            status="sending", claimed_at=long_ago, claim_token="dead", attempts=1, backend="notify"))
    db.session.commit()
    assert outbox.recover_stale() == {"sent": 1, "requeued": 1, "uncertain": 0}
    assert row(sent_by_dead_worker).status == "sent"
    assert row(sent_by_dead_worker).provider_reference == "5f0b5f8e-0000-4000-8000-000000000001"
    assert row(never_arrived).status == "queued"
    assert outbox.deliver_due() == {"sent": 1}
    assert [n["reference"] for n in notify.notifications] == [str(sent_by_dead_worker), str(never_arrived)]
    assert db.session.scalar(select(AuditEvent.data).where(AuditEvent.action == "message.sent")
                             .order_by(AuditEvent.seq).limit(1))["message"] == sent_by_dead_worker


def test_notify_without_a_key_or_templates_does_not_start(monkeypatch):
    from shortlist import create_app

    monkeypatch.setenv("MAIL_BACKEND", "notify")
    with pytest.raises(ConfigError, match="NOTIFY_API_KEY is not a GOV.UK Notify API key"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("NOTIFY_API_KEY", API_KEY)
    with pytest.raises(ConfigError, match="NOTIFY_TEMPLATE_IDS names no template"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("NOTIFY_TEMPLATE_IDS", f"default={TEMPLATE_ID}, interview_invitation={TEMPLATE_ID}")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["NOTIFY_TEMPLATE_IDS"] == {"default": TEMPLATE_ID, "interview_invitation": TEMPLATE_ID}
    monkeypatch.setenv("NOTIFY_TEMPLATE_IDS", "default")
    with pytest.raises(ConfigError, match="'default' is not kind=template-id"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert catalogue.KINDS  # every kind can be named in NOTIFY_TEMPLATE_IDS
