"""Webhooks (issue 18): a receiver in the test process checks every delivery's signature; a
delivery it refuses is tried again with backoff through the job queue and `shortlist tick`;
redirects are not followed; HR registers webhooks and sends deliveries again from the page;
integrations register them through the API only on hosts HR registered."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from shortlist import worker
from shortlist.extensions import db
from shortlist.models import AuditEvent, Role, WebhookDelivery
from shortlist.models.base import utcnow
from shortlist.services import applications, audit, webhooks
from shortlist.services.transactions import transaction
from tests import access_world
from tests.api_helpers import call, token
from tests.app_fixtures import login
from tests.factories import HR, make_user, organisation as organisation_named


class Receiver:
    """An HTTP server that keeps what it is sent, checks each signature with the secret, and
    answers with the next status in ``answers`` (then 200)."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answers: list[int] = []
        self.secret = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                signed = webhooks.verify(receiver.secret, self.headers.get("Shortlist-Signature", ""), body)
                receiver.received.append({"path": self.path, "body": json.loads(body), "signed": signed,
                                          "event": self.headers["Shortlist-Event"],
                                          "delivery": self.headers["Shortlist-Delivery"]})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/shortlist-events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(app) -> Iterator[Receiver]:
    r = Receiver()
    app.config["WEBHOOK_DELIVER_AFTER_COMMIT"] = True  # deliveries go to the job queue as in production
    yield r
    worker.drain(60)
    app.config["WEBHOOK_DELIVER_AFTER_COMMIT"] = False
    r.server.shutdown()
    r.server.server_close()


def statuses() -> dict[int, str]:
    db.session.remove()
    return {d.id: d.status for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))}


def register(receiver: Receiver, events=tuple(webhooks.EVENTS), organisation: str = "Example Council") -> int:
    endpoint, secret = webhooks.register(organisation_named(organisation), receiver.url, events, audit.CLI,
                                         user=access_world._user(HR))
    receiver.secret = secret
    return endpoint.id


def test_events_are_delivered_signed_and_retried_with_backoff(app, receiver):
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    access_world.load(access_world.campaign_a())
    register(receiver)
    receiver.answers = [500]  # the first delivery is refused once
    access_world._finalise("VAC-A", [access_world.CHAIR, access_world.MEMBER, access_world.CONFLICTED],
                           {access_world.CONFLICTED: {"Alice Adams"}}, invite={"A001", "A002"})
    assert worker.drain(60)
    events = [r["event"] for r in receiver.received]
    assert events[-1] == "shortlist.finalised" and set(events[:-1]) == {"decision.changed"}
    assert all(r["signed"] for r in receiver.received)
    finalised = receiver.received[-1]["body"]
    assert finalised["vacancy"] == "VAC-A" and sorted(finalised["data"]["invited"]) == ["A001", "A002"]
    decision = receiver.received[1]["body"]["data"]
    assert {"application", "external_id", "stage", "outcome", "reason"} <= set(decision)

    first = min(statuses())
    assert statuses()[first] == "queued"  # refused: tried again later, not now
    row = db.session.get(WebhookDelivery, first)
    assert row.attempts == 1 and row.last_status_code == 500 and row.log[0]["status_code"] == 500
    assert row.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert webhooks.deliver_due(utcnow()) == {}  # not due yet
    assert webhooks.deliver_due(utcnow() + timedelta(minutes=2)) == {"delivered": 1}  # what `shortlist tick` runs
    assert set(statuses().values()) == {"delivered"}
    retried = [r for r in receiver.received if r["delivery"] == str(first)]
    assert len(retried) == 2 and retried[0]["body"] == retried[1]["body"] and all(r["signed"] for r in retried)

    # HR sends one again: a new delivery of the same body
    again = webhooks.replay(first, audit.CLI, {organisation_named().id})
    assert worker.drain(60)
    assert receiver.received[-1]["delivery"] == str(again.id)
    assert receiver.received[-1]["body"] == retried[0]["body"]


def test_withdrawals_and_interview_outcomes_are_events(app, receiver):
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    vacancy = access_world.load(access_world.campaign_a())
    register(receiver, ["application.withdrawn", "interview.outcome_recorded"])
    applications.withdraw(vacancy, "A001", "Accepted another post", audit.CLI)
    applications.withdraw(vacancy, "A001", "Told us twice", audit.CLI)  # recorded once
    with transaction():  # an interview outcome, as services.interviews.decide_outcome records it
        audit.record(audit.CLI, "decision.recorded", vacancy="VAC-A", subject="A002", stage="interview",
                     before=None, outcome="appoint", recommendation="appoint", reasons=[], reason="Strong",
                     override_reason=None)
    with transaction():  # a shortlisting decision: not asked for
        audit.record(audit.CLI, "decision.recorded", vacancy="VAC-A", subject="A002", stage="shortlisting",
                     before=None, outcome="invite", recommendation="invite", reasons=[], reason="Meets all",
                     override_reason=None)
    assert worker.drain(60)
    got = [(r["event"], r["body"]["data"]["application"]) for r in receiver.received]
    assert got == [("application.withdrawn", "A001"), ("interview.outcome_recorded", "A002")]
    assert receiver.received[0]["body"]["data"]["reason"] == "Accepted another post"


def test_redirects_are_not_followed_and_the_last_attempt_fails(app, receiver):
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    vacancy = access_world.load(access_world.campaign_a())
    register(receiver, ["application.withdrawn"])
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 2
    try:
        receiver.answers = [302, 302]
        applications.withdraw(vacancy, "A001", "Moved away", audit.CLI)
        assert worker.drain(60)
        webhooks.deliver_due(utcnow() + timedelta(minutes=2))
    finally:
        app.config["WEBHOOK_MAX_ATTEMPTS"] = 6
    assert [r["path"] for r in receiver.received] == ["/shortlist-events"] * 2  # never /elsewhere
    row = db.session.scalar(select(WebhookDelivery))
    assert row.status == "failed" and row.log[-1]["error"] == "answered 302 (a redirect: not followed)"


def test_hr_registers_on_the_page_and_integrations_only_on_hosts_hr_registered(client, app, receiver):
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    access_world.load(access_world.campaign_a())
    login(client, HR)
    refused = client.post("/integrations/webhooks", data={"url": "http://ats.example.org/hook",
                                                          "organisation": str(organisation_named().id),
                                                          "events": ["shortlist.finalised"]})
    assert refused.status_code == 400 and "Use https" in refused.get_data(as_text=True)
    made = client.post("/integrations/webhooks", data={"url": receiver.url, "organisation": str(organisation_named().id),
                                                       "events": ["application.withdrawn"]})
    assert made.status_code == 200 and "data-secret>whsec_" in made.get_data(as_text=True)
    assert "whsec_" not in client.get("/integrations/webhooks").get_data(as_text=True)  # shown once

    value = token("webhooks:manage")
    odd = call(client, "POST", "/webhooks", value, json={"url": "", "events": [{}]})  # found by schemathesis: a 500
    assert odd.status_code == 422 and odd.get_json()["errors"][0]["path"] == "events"
    other = call(client, "POST", "/webhooks", value, json={"url": "https://elsewhere.example.net/h",
                                                          "events": ["decision.changed"]})
    assert other.status_code == 422 and other.get_json()["errors"][0]["path"] == "url"
    same_host = receiver.url.replace("/shortlist-events", "/from-the-ats")
    added = call(client, "POST", "/webhooks", value, json={"url": same_host, "events": ["decision.changed"]})
    assert added.status_code == 201 and added.get_json()["secret"].startswith("whsec_")
    listed = call(client, "GET", "/webhooks", value).get_json()["items"]
    assert [w["url"] for w in listed] == [receiver.url, same_host]
    assert call(client, "DELETE", f"/webhooks/{added.get_json()['id']}", value).status_code == 204
    assert call(client, "GET", "/webhooks", value).get_json()["items"][1]["removed_at"]
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"webhook.registered", "webhook.removed"} <= actions


def test_withdrawal_recorded_by_hr_on_the_page(client, app):
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    access_world.load(access_world.campaign_a())
    login(client, HR)
    url = "/hr/vacancies/VAC-A/applications/A001/withdrawal"
    assert client.post(url, data={"reason": ""}).status_code == 400
    assert client.post(url, data={"reason": "Took a job elsewhere"}).status_code == 302
    assert "Withdrew" in client.get("/hr/vacancies/VAC-A").get_data(as_text=True)
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "application.withdrawn")))
    assert len(events) == 1 and events[0].data["reason"] == "Took a job elsewhere"
