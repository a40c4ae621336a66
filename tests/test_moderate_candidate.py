"""Issue 14, finding 13: moderating one candidate. The criteria that need an agreed score come
first and are marked, each with the applicant's evidence beside the members' scores, and every
agreed score for the candidate is saved from one form, all or none."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AgreedScore, AuditEvent
from tests.app_fixtures import login
from tests.factories import CHAIR, MEMBER, campaign_dict, load
from tests.pages import page

URL = "/vacancies/TST-01/moderation/A001"


@pytest.fixture
def divergent():
    """Four shortlisting criteria; K1 and K2 diverge (0 and 3; 1 and 3), K3 and D1 agree."""
    data = campaign_dict()
    data["criteria"] = [
        {"key": "K1", "category": "Knowledge", "text": "Knowledge of systemic therapy.", "methods": ["AF", "I"]},
        {"key": "K2", "category": "Knowledge", "text": "Knowledge of attachment theory.", "methods": ["AF"]},
        {"key": "K3", "category": "Skills", "text": "Writes clear reports.", "methods": ["AF"]},
        {"key": "C1", "category": "Communication", "text": "Communicates clearly in spoken English.",
         "methods": ["I"]},
        {"key": "D1", "category": "Experience", "text": "Experience of supervising students.", "essential": False,
         "methods": ["AF"]},
    ]
    data["applications"][0]["evidence"] = {"K1": "I trained in systemic therapy at the Tavistock.",
                                           "K2": "I use attachment theory daily.", "K3": "My reports go to court.",
                                           "D1": "I supervised two students."}
    data["applications"][0]["scores"] = {"shortlisting": {
        CHAIR: {"K1": 0, "K2": 1, "K3": 2, "D1": 1}, MEMBER: {"K1": 3, "K2": 3, "K3": 2, "D1": 1}}}
    load(data)


def test_the_criteria_needing_an_agreed_score_come_first_with_the_evidence_beside(client, divergent):
    login(client, CHAIR)
    client.post("/vacancies/TST-01/conflicts", data={"confirm": "y"})
    soup = page(client.get(URL))
    sections = soup.select("section.app-criterion")
    assert [s["id"] for s in sections][:2] == ["c-K1", "c-K2"]
    assert [s["data-needs"] for s in sections] == ["true", "true", "false", "false"]
    assert "2 criteria need an agreed score" in soup.select_one("#needs").get_text()
    k1 = soup.select_one("#c-K1")
    assert "Needs an agreed score" in k1.select_one("h3").get_text()
    # the evidence beside the scores, in the same section
    assert "I trained in systemic therapy at the Tavistock." in k1.select_one("#evidence-K1").get_text()
    assert k1.select_one("[data-scores=K1]") is not None
    # the criteria where the scores agree are folded away, still in the one form
    assert {s["id"] for s in soup.select("#others section")} == {"c-K3", "c-D1"}
    assert len(soup.select("main form[method=post]")) == 1


def test_every_agreed_score_is_saved_from_one_form_all_or_none(client, divergent):
    login(client, CHAIR)
    client.post("/vacancies/TST-01/conflicts", data={"confirm": "y"})
    # K2 lacks its rationale: nothing is saved, and both are named
    response = client.post(URL, data={"agreed-K1": "2", "rationale-K1": "A specific, recent example.",
                                      "agreed-K2": "2", "version-K1": "", "version-K2": ""})
    summary = page(response).select_one(".govuk-error-summary")
    assert "Give the rationale for the agreed score for K2" in summary.get_text()
    assert summary.select_one("a")["href"] == "#rationale-K2"
    assert db.session.scalar(select(func.count()).select_from(AgreedScore)) == 0
    # what was typed is still there
    again = page(response)
    assert again.select_one("#agreed-K1-3")["value"] == "2" and again.select_one("#agreed-K1-3").has_attr("checked")
    assert again.select_one("#rationale-K1").get_text() == "A specific, recent example."

    response = client.post(URL, data={"agreed-K1": "2", "rationale-K1": "A specific, recent example.",
                                      "agreed-K2": "2", "rationale-K2": "Theory named, practice thin.",
                                      "version-K1": "", "version-K2": ""})
    assert response.status_code == 302
    saved = dict(db.session.execute(select(AgreedScore.rationale, AgreedScore.value)).all())
    assert saved == {"A specific, recent example.": 2, "Theory named, practice thin.": 2}
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "agreed.recorded")) == 2
    soup = page(client.get(URL))
    assert "No criterion needs an agreed score" in soup.select_one("#needs").get_text()
    assert {s["id"] for s in soup.select("#agreed ~ section")} >= {"c-K1", "c-K2"}
    # saving the page again unchanged writes nothing
    client.post(URL, data={"agreed-K1": "2", "rationale-K1": "A specific, recent example.",
                           "agreed-K2": "2", "rationale-K2": "Theory named, practice thin.",
                           "version-K1": "1", "version-K2": "1"})
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "agreed.recorded")) == 2
