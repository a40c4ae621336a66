"""Issue 14, finding 7: HR's adjustment review is a step of its own, with an outcome and a
reason, linked from the blocker; the recommendation follows it everywhere."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role, Vacancy
from shortlist.services import panel
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user
from tests.pages import page


@pytest.fixture
def claim():
    """A001 declared a disability, says they cannot meet K1 because of it; both scorers gave 1 (met is 2)."""
    data = campaign_dict()
    data["vacancy"]["disability_confident"] = {"offer_interview": False, "waiver_policy": False}
    data["applications"][0].update({"disability_declared": True, "unmet_due_to_disability": ["K1"],
                                    "adjustments": "Written questions the day before."})
    data["applications"][0]["scores"] = {"shortlisting": {CHAIR: {"K1": 1, "D1": 1}, MEMBER: {"K1": 1, "D1": 1}}}
    load(data)
    make_user(HR, Role.HR_ADMIN, name="Hana HR")


def outcome() -> str:
    db.session.remove()
    vacancy = db.session.scalar(select(Vacancy))
    return panel.recommendation_for(vacancy, "A001", "shortlisting").outcome.value


def test_the_blocker_leads_hr_to_a_review_with_an_outcome_and_a_reason(client, claim):
    assert outcome() == "hr_review"
    login(client, HR)
    blocker = page(client.get("/vacancies/TST-01/decisions")).select_one("#finalise-refusals li[data-code=candidate_hr_review]")
    assert blocker.get_text(strip=True) == "HR: review the reasonable adjustment for A001 (K1)"
    url = blocker.select_one("a")["href"]
    assert url == "/vacancies/TST-01/adjustments/A001"
    soup = page(client.get(url))
    assert "Written questions the day before." in soup.select_one("#requested-adjustments").get_text()
    assert "The panel’s scores: 1, 1" in soup.select_one("[data-claim=K1]").get_text()

    response = client.post(url, data={})
    summary = page(response).select_one(".govuk-error-summary").get_text()
    assert "Select the outcome of the review for K1" in summary and "Give the reason for the outcome for K1" in summary
    assert outcome() == "hr_review"

    response = client.post(url, data={"outcome-K1": "met_with_adjustment",
                                      "reason-K1": "With written questions in advance the evidence meets K1."})
    assert response.status_code == 302
    assert outcome() == "meets_essentials"
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "adjustment.reviewed")).all()
    assert event.data["reviews"]["K1"]["outcome"] == "met_with_adjustment" and event.actor == HR
    reasons = page(client.get("/vacancies/TST-01/decisions/A001")).select_one("#reasons")
    assert reasons.select_one("[data-code=adjustment_agreed]") is not None
    assert page(client.get("/vacancies/TST-01/decisions")).select("li[data-code=candidate_hr_review]") == []


def test_no_reasonable_adjustment_leaves_it_not_met_for_a_named_person_to_decide(client, claim):
    login(client, HR)
    client.post("/vacancies/TST-01/adjustments/A001", data={
        "outcome-K1": "not_met", "reason-K1": "K1 is knowledge the role needs from the first day."})
    assert outcome() == "does_not_meet"
    login(client, CHAIR)
    client.post("/vacancies/TST-01/conflicts", data={"confirm": "y"})
    reasons = page(client.get("/vacancies/TST-01/decisions/A001")).select_one("#reasons")
    shown = reasons.select_one("[data-code=adjustment_not_agreed]").get_text()
    # the chair learns the outcome, never the disability (R10)
    assert shown == "K1 stays as scored after HR's adjustment review. HR holds the details."
    assert "disability" not in reasons.get_text()


def test_only_hr_reviews(client, claim):
    for who in (CHAIR, MEMBER):
        login(client, who)
        assert client.get("/vacancies/TST-01/adjustments/A001").status_code == 403
        assert client.post("/vacancies/TST-01/adjustments/A001", data={
            "outcome-K1": "not_met", "reason-K1": "No."}).status_code == 403
    assert outcome() == "hr_review"
