"""After the shortlist: interview slots with adjustments and calendar files, interview
scoring with the same independence, outcomes gated on the interview essentials, and the
pre-employment checklist."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Decision, PreEmploymentCheck, Role, User, Vacancy
from shortlist.services import panel
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, OTHER, load, make_user
from tests.test_panel import campaign
from tests.pages import page


def _users() -> tuple[Vacancy, User, User]:
    db.session.remove()
    vacancy = db.session.scalar(select(Vacancy))
    return (vacancy, db.session.scalar(select(User).where(User.email == CHAIR)),
            db.session.scalar(select(User).where(User.email == MEMBER)))


def finalised(before_finalising=None) -> None:  # noqa: ANN001
    """A001 and A002 invited, A003 not shortlisted, through the services
    (``before_finalising(vacancy)``: a test's own set-up just before the shortlist is final)."""
    data = campaign()
    data["applications"][1]["adjustments"] = "A ground-floor room and extra time for the written exercise"
    load(data)
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    vacancy, chair, member = _users()
    values = {"A001": {"K1": "3", "D1": "1"}, "A002": {"K1": "2", "D1": "0"}, "A003": {"K1": "0", "D1": "0"}}
    for user in (chair, member):
        panel.declare_conflicts(vacancy, user, {a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy, user)})
        for ref, vals in values.items():
            marks = {"2020-01": ("explore", "")} if ref == "A001" else {}
            panel.save_sheet(vacancy, panel.application_by_reference(vacancy, ref), user, "shortlisting", vals, {},
                             marks, submit=True)
    for ref, outcome in {"A001": "invite", "A002": "invite", "A003": "reject"}.items():
        rec = panel.recommendation_for(vacancy, ref, "shortlisting")
        panel.decide(vacancy, panel.application_by_reference(vacancy, ref), chair, outcome, panel.suggested_reason(rec))
    if before_finalising is not None:
        before_finalising(vacancy)
    panel.finalise_shortlist(vacancy, chair)
    for user in (chair, member):
        panel.declare_conflicts(vacancy, user, {a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy, user)})
    db.session.remove()


@pytest.fixture
def at_interview():
    finalised()


def test_interview_pages_do_not_exist_before_the_shortlist_is_final(client):
    load(campaign())
    login(client, CHAIR)
    assert client.get("/vacancies/TST-01/interviews").status_code == 404
    assert client.get("/vacancies/TST-01/outcomes").status_code == 404


def test_the_chair_arranges_a_slot_and_the_panel_sees_the_adjustments(client, at_interview):
    login(client, CHAIR)
    schedule = page(client.get("/vacancies/TST-01/interviews"))
    refs = [row["data-reference"] for row in schedule.select("#schedule tr[data-reference]")]
    assert refs == ["A001", "A002"]  # the invited only
    assert "ground-floor room" in schedule.select_one("tr[data-reference=A002] [data-adjustments]").get_text()

    url = "/vacancies/TST-01/interviews/A002"
    response = client.post(url, data={"day-day": "10", "day-month": "", "day-year": "2026", "time": "25:00",
                                      "duration": "0", "location": ""})
    summary = page(response).select_one(".govuk-error-summary").get_text()
    assert "Interview date must include a month" in summary and "from 5 to 480 minutes" in summary
    assert "Enter the start time on the 24-hour clock" in summary
    assert "Enter the room and address, or the video link" in summary
    response = client.post(url, data={"day-day": "10", "day-month": "12", "day-year": "2026", "time": "10:30",
                                      "duration": "45",
                                      "location": "Room 2, Civic Centre; parking, by the lift"})
    assert response.status_code == 302
    row = page(client.get("/vacancies/TST-01/interviews")).select_one("tr[data-reference=A002]")
    assert "10 December 2026, 10:30 (45 minutes)" in row.get_text()

    ics = client.get("/vacancies/TST-01/interviews/A002.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert "DTSTART:20261210T103000\r\n" in body and "DTEND:20261210T111500\r\n" in body
    assert "LOCATION:Room 2\\, Civic Centre\\; parking\\, by the lift" in body
    assert "Bob Brown" not in body and "ground-floor" not in body  # no name, no adjustment in a calendar
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "interview.arranged"))

    # the panel interviews, so sees what to do for the candidate (one rule: README, "Who sees what")
    login(client, MEMBER)
    schedule = page(client.get("/vacancies/TST-01/interviews"))
    assert "ground-floor room" in schedule.select_one("tr[data-reference=A002] [data-adjustments]").get_text()
    assert "10:30" in schedule.select_one("tr[data-reference=A002]").get_text()
    assert client.get(url).status_code == 403  # members do not arrange
    assert client.get("/vacancies/TST-01/interviews/A003.ics").status_code == 404


def interview_scores(client, who: str, ref: str, values: dict[str, int]):
    login(client, who)
    data = {f"score-{k}": str(v) for k, v in values.items()}
    data["submit"] = "y"
    return client.post(f"/vacancies/TST-01/scoring/{ref}?stage=interview", data=data)


def test_interview_scoring_uses_the_interview_criteria_and_stays_independent(client, at_interview):
    login(client, MEMBER)
    soup = page(client.get("/vacancies/TST-01/scoring/A001?stage=interview"))
    assert soup.select("input[name=score-K1]") and soup.select("input[name=score-C1]")
    assert not soup.select("input[name=score-D1]")  # assessed on the form only
    assert "Alice Adams" in soup.select_one("h1").get_text()  # names are revealed after the shortlist
    assert client.get("/vacancies/TST-01/scoring/A003?stage=interview").status_code == 404
    assert interview_scores(client, MEMBER, "A001", {"K1": 2, "C1": 3}).status_code == 302
    login(client, CHAIR)
    assert "Member Person" not in client.get("/vacancies/TST-01/scoring/A001?stage=interview").get_data(as_text=True)


def test_outcomes_are_gated_on_the_essentials_assessed_at_interview(client, at_interview):
    interview_scores(client, MEMBER, "A001", {"K1": 2, "C1": 1})
    interview_scores(client, CHAIR, "A001", {"K1": 3, "C1": 1})
    login(client, CHAIR)
    url = "/vacancies/TST-01/outcomes/A001"
    response = client.post(url, data={"outcome": "appoint", "reason": "Best candidate."})
    assert "cannot be appointed: essential criteria assessed at interview are not met (C1)" in response.get_data(as_text=True)
    assert db.session.scalar(select(Decision).where(Decision.stage == "interview")) is None

    interview_scores(client, MEMBER, "A002", {"K1": 2, "C1": 2})
    interview_scores(client, CHAIR, "A002", {"K1": 3, "C1": 2})
    response = client.post("/vacancies/TST-01/outcomes/A002", data={"outcome": "appoint", "reason": ""})
    assert "Record the reason for the outcome" in response.get_data(as_text=True)
    response = client.post("/vacancies/TST-01/outcomes/A002",
                           data={"outcome": "appoint", "reason": "Met every essential criterion at interview."})
    assert response.status_code == 302
    checks = {c.kind: c.status for c in db.session.scalars(select(PreEmploymentCheck))}
    assert checks == {k: "outstanding" for k in ("dbs", "right_to_work", "references", "qualifications", "registration")}
    outcomes = page(client.get("/vacancies/TST-01/outcomes"))
    assert outcomes.select_one("tr[data-reference=A002] [data-outcome]")["data-outcome"] == "appoint"


def test_the_pre_employment_checklist_is_recorded_never_scored(client, at_interview):
    interview_scores(client, MEMBER, "A002", {"K1": 2, "C1": 2})
    interview_scores(client, CHAIR, "A002", {"K1": 3, "C1": 2})
    client.post("/vacancies/TST-01/outcomes/A002", data={"outcome": "appoint", "reason": "Met every essential."})
    url = "/vacancies/TST-01/outcomes/A002"
    soup = page(client.get(url))
    assert "Enhanced DBS check" in soup.select_one("#checks").find_next("p").get_text()
    response = client.post(url, data={"action": "check", "kind": "dbs", "status-dbs": "satisfactory", "checked-dbs": ""})
    assert "Enter the date the check was completed" in response.get_data(as_text=True)
    response = client.post(url, data={"action": "check", "kind": "dbs", "status-dbs": "satisfactory",
                                      "checked-dbs": "2026-12-20", "note-dbs": "Certificate seen"})
    assert response.status_code == 302
    check = db.session.scalar(select(PreEmploymentCheck).where(PreEmploymentCheck.kind == "dbs"))
    assert (check.status, check.checked_on.isoformat()) == ("satisfactory", "2026-12-20")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "check.recorded"))
    assert event.data["after"] == {"status": "satisfactory", "checked_on": "2026-12-20"}


@pytest.mark.parametrize(("who", "path", "status"), [
    (MEMBER, "/vacancies/TST-01/outcomes", 403),
    (OTHER, "/vacancies/TST-01/interviews/A001", 403),
    (HR, "/vacancies/TST-01/interviews/A001", 200),
    ("stranger@example.org", "/vacancies/TST-01/interviews", 404),
])
def test_who_may_use_the_interview_pages(client, at_interview, who, path, status):
    make_user("stranger@example.org")
    login(client, who)
    assert client.get(path).status_code == status
