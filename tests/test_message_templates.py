"""HR's wording per organisation: unknown placeholders refused with their names, a preview
with sample data, saved wording used by new messages of that organisation only, put back to
the standard; each change audited. A vacancy's message settings, checked field by field."""

from __future__ import annotations

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.messages import catalogue
from shortlist.models import AuditEvent, MessageTemplate, OutboxMessage, Role, VacancyMessaging
from shortlist.services import audit, outbox
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, campaign_dict, load, make_user
from tests.pages import page

ORG = "Example Council"


def _setup() -> None:
    make_user(HR, Role.HR_ADMIN)
    load(campaign_dict())
    load(campaign_dict("OTH-01", organisation="Other Trust"))


def _queue(organisation: str) -> OutboxMessage:
    person = make_user("priya@example.org", name="Priya Shah")
    context = catalogue.sample_context(catalogue.kind("scoring_open")) | {"name": person.name}
    message_id = outbox.queue("scoring_open", outbox.to_user(person), context, actor=audit.CLI,
                              organisation=organisation)
    db.session.commit()
    return db.session.get(OutboxMessage, message_id)


def test_unknown_placeholders_are_refused_naming_each_and_nothing_is_saved(client):
    _setup()
    login(client, HR)
    response = client.post(f"/hr/templates/scoring_open?organisation={ORG}", data={
        "action": "save", "subject": "Scoring open for ((vacancy))",
        "body": "Dear ((name)),\n\nScore ((vacancy_title)) by ((deadline)) and ((deadline)).\n\n((link))"})
    assert response.status_code == 400
    soup = page(response)
    summary = soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "The subject uses ((vacancy)), which is not a placeholder of this message" in summary
    assert "The message uses ((deadline)), which is not a placeholder of this message" in summary
    assert soup.select_one("#subject-error") and soup.select_one("#body-error")
    assert soup.select_one("#preview-refused")
    assert db.session.scalar(select(MessageTemplate)) is None


def test_hr_previews_saves_and_resets_wording_for_one_organisation(client):
    _setup()
    login(client, HR)
    soup = page(client.get(f"/hr/templates/scoring_open?organisation={ORG}"))
    assert "Dear Priya Shah," in soup.select_one("#preview").get_text()  # the standard wording, sample data
    subject, body = "Time to shortlist: ((vacancy_title))", "Hello ((name)),\n\n* Declare first\n* Then score\n\n((link))"
    preview = page(client.post(f"/hr/templates/scoring_open?organisation={ORG}",
                               data={"action": "preview", "subject": subject, "body": body}))
    assert "Time to shortlist: Family Therapist" in preview.select_one("#preview").get_text()
    assert [li.get_text() for li in preview.select("#preview li")] == ["Declare first", "Then score"]
    assert db.session.scalar(select(MessageTemplate)) is None  # a preview saves nothing

    response = client.post(f"/hr/templates/scoring_open?organisation={ORG}",
                           data={"action": "save", "subject": subject, "body": body})
    assert response.status_code == 302
    index = page(client.get(f"/hr/templates/?organisation={ORG}"))
    assert index.select_one("#kind-scoring_open").get_text(" ", strip=True).endswith("Changed")
    assert _queue(ORG).subject == "Time to shortlist: Family Therapist"
    assert _queue("Other Trust").subject.startswith("Shortlisting is open")  # theirs is the standard
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "template.saved"))
    assert event.actor == HR and event.data["after"] == {"subject": subject, "body": body}

    client.post(f"/hr/templates/scoring_open?organisation={ORG}", data={"action": "reset"})
    assert db.session.scalar(select(MessageTemplate)) is None
    assert _queue(ORG).subject.startswith("Shortlisting is open")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "template.reset")).actor == HR


def test_a_message_that_needs_its_link_cannot_lose_it(client):
    _setup()
    login(client, HR)
    response = client.post(f"/hr/templates/password_reset?organisation={ORG}",
                           data={"action": "save", "subject": "Reset", "body": "Dear ((name)), ask HR."})
    assert response.status_code == 400
    assert "The message must include ((link))" in page(response).select_one(".govuk-error-summary").get_text()


def test_an_unknown_organisation_or_kind_is_not_found(client):
    _setup()
    login(client, HR)
    assert client.get("/hr/templates/scoring_open?organisation=Nobody").status_code == 404
    assert client.get(f"/hr/templates/no_such_kind?organisation={ORG}").status_code == 404


def test_the_vacancy_message_settings_are_checked_and_audited(client):
    _setup()
    login(client, CHAIR)  # the recruiting manager
    bad = client.post("/vacancies/TST-01/setup/messages", data={
        "deadline-day": "31", "deadline-month": "2", "deadline-year": "2026", "reminder_days": "99",
        "contact": "", "share_panel_names": "maybe", "what_to_bring": "x" * 2001, "adjustments": "",
        "self_booking": "yes", "booking_cutoff_hours": "-1"})
    assert bad.status_code == 400
    errors = [a["href"] for a in page(bad).select(".govuk-error-summary a")]
    assert errors == ["#deadline-day", "#reminder_days", "#contact", "#what_to_bring", "#share_panel_names",
                      "#booking_cutoff_hours"]
    assert db.session.scalar(select(VacancyMessaging)) is None
    good = client.post("/vacancies/TST-01/setup/messages", data={
        "deadline-day": "11", "deadline-month": "12", "deadline-year": "2026", "reminder_days": "2",
        "contact": "recruitment@example.org", "share_panel_names": "yes", "what_to_bring": "Photo ID",
        "adjustments": "", "self_booking": "no", "booking_cutoff_hours": "24"})
    assert good.status_code == 302
    saved = db.session.scalar(select(VacancyMessaging))
    assert (saved.scoring_deadline.isoformat(), saved.reminder_days, saved.share_panel_names, saved.self_booking,
            saved.booking_cutoff_hours) == ("2026-12-11", 2, True, False, 24)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "messaging.updated"))
    assert event.actor == CHAIR and event.data["before"] is None and event.data["after"]["contact"] == \
        "recruitment@example.org"
