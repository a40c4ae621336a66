"""Issue 14, finding 3: removing a panel member once scoring has started takes a confirmation
page and a reason, and one rule for their submitted scores (they stay and count) is stated
there and applied everywhere: engine, moderation, record, exports and the finalise check."""

from __future__ import annotations

import copy

import pytest
import yaml
from sqlalchemy import select

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.models import AuditEvent, PanelMembership, Role, User, Vacancy
from shortlist.services.pack_data import build_record
from shortlist.services import panel
from shortlist.services.campaigns import export_campaign, load_campaign
from shortlist.services import audit
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, OTHER, campaign_dict, load, make_user
from tests.pages import page

RULE_WORDS = "Scores they have submitted stay in the record and keep counting"


def membership_id(email: str) -> int:
    return db.session.scalar(select(PanelMembership.id).join(User).where(User.email == email))


def vacancy() -> Vacancy:
    db.session.remove()
    return db.session.scalar(select(Vacancy).where(Vacancy.reference == "TST-01"))


@pytest.fixture
def scored():
    """A001: the chair scored K1 2, the member 3; the member's sheet has no mark for A001's gap."""
    data = campaign_dict()
    data["applications"][0]["employment_history"] = [
        {"from": "2015-01", "to": "2019-12", "employer": "North Trust", "role": "Therapist"},
        {"from": "2020-09", "to": None, "employer": "South Trust", "role": "Senior Therapist"}]
    data["applications"][0]["gap_marks"] = {CHAIR: {"2020-01": "explained"}}
    load(data)
    make_user(HR, Role.HR_ADMIN, name="Hana HR")


def remove(client, email: str, reason: str = ""):
    return client.post(f"/vacancies/TST-01/setup/panel/{membership_id(email)}/remove", data={"reason": reason})


def test_before_scoring_starts_removal_needs_only_the_confirmation(client):
    data = campaign_dict()
    data["applications"][0].pop("scores")
    load(data)
    login(client, CHAIR)
    soup = page(client.get(f"/vacancies/TST-01/setup/panel/{membership_id(OTHER)}/remove"))
    assert "Remove Other Person from the panel?" in soup.select_one("h1").get_text()
    assert soup.select_one("[data-submitted]")["data-submitted"] == "0"
    assert "(optional)" in soup.select_one("label[for=reason]").get_text()
    # the panel page's Remove is a link to this page, not a one-click removal
    row_links = page(client.get("/vacancies/TST-01/setup/panel")).select("a[href$='/remove']")
    assert len(row_links) == 3
    assert remove(client, OTHER).status_code == 302
    assert OTHER not in {m.user.email for m in vacancy().panel}


def test_after_scoring_the_page_states_the_rule_and_a_reason_is_needed(client, scored):
    login(client, CHAIR)
    soup = page(client.get(f"/vacancies/TST-01/setup/panel/{membership_id(MEMBER)}/remove"))
    assert soup.select_one("[data-submitted]")["data-submitted"] == "1"
    assert RULE_WORDS in soup.select_one("#scores-rule").get_text()
    assert "has not marked 1 employment gap" in soup.get_text()
    # once scoring has started, even someone who has scored nothing needs a reason
    assert "(optional)" not in page(client.get(
        f"/vacancies/TST-01/setup/panel/{membership_id(OTHER)}/remove")).select_one("label[for=reason]").get_text()
    response = remove(client, MEMBER)
    assert "Give the reason for removing Member Person from the panel" in page(response).select_one(
        ".govuk-error-summary").get_text()
    assert MEMBER in {m.user.email for m in vacancy().panel}
    assert remove(client, MEMBER, "Left the council on 30 November.").status_code == 302
    assert MEMBER not in {m.user.email for m in vacancy().panel}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "panel.member_removed")).one()
    assert (event.data["reason"], event.data["submitted_sheets"], event.data["after_scoring"]) == (
        "Left the council on 30 November.", {"shortlisting": 1}, True)


def test_their_submitted_scores_count_everywhere_marked_as_from_someone_who_left(client, app, scored):
    before = panel.recommendation_for(vacancy(), "A001", "shortlisting")
    login(client, CHAIR)
    remove(client, MEMBER, "Left the council.")
    # the engine
    after = panel.recommendation_for(vacancy(), "A001", "shortlisting")
    assert after.criteria["K1"].scores == before.criteria["K1"].scores == (2, 3)
    assert after.outcome == before.outcome
    # moderation: the matrix says whose scores they are, and the candidate's page marks them
    client.post("/vacancies/TST-01/conflicts", data={"confirm": "y"})
    matrix = page(client.get("/vacancies/TST-01/moderation"))
    assert "Member Person" in matrix.select_one("#left-panel").get_text()
    assert RULE_WORDS in matrix.select_one("#left-panel").get_text()
    assert "2 · 3" in matrix.select_one("tr[data-reference=A001] td[data-criterion=K1]").get_text()
    rows = page(client.get("/vacancies/TST-01/moderation/A001")).select("[data-scores=K1] tbody tr")
    assert "Member Person (left the panel)" in [r.select_one("td").get_text(strip=True) for r in rows]
    # the shortlisting record keeps their column
    with app.test_request_context():
        record = build_record(vacancy())
    assert record.members == ("Chair Person", "Member Person (left the panel)")
    assert [line.scores for line in record.candidates[0].lines if line.key == "K1"] == [("2", "3")]
    # the finalise check still wants their gap mark: now HR's to record
    login(client, HR)
    owed = page(client.get("/vacancies/TST-01/decisions")).select("#finalise-refusals li[data-code=gap_not_marked]")
    assert [li.get_text(" ", strip=True) for li in owed] == [
        "HR: record the mark Member Person, who has left the panel, owes for the employment gap from January 2020 in A001"]
    assert owed[0].select_one("a")["href"] == f"/vacancies/TST-01/gaps/A001?member={MEMBER}#record"


def test_the_export_keeps_them_and_loads_back_with_their_scores_counting(client, scored):
    login(client, CHAIR)
    remove(client, MEMBER, "Left the council.")
    exported = export_campaign("TST-01")
    entry = next(p for p in exported["panel"] if p["email"] == MEMBER)
    assert entry["removed"]["reason"] == "Left the council." and entry["role"] == "member"
    copied = copy.deepcopy(exported)
    copied["vacancy"]["reference"] = "TST-02"
    again = load_campaign(cf.parse(yaml.safe_dump(copied, sort_keys=False)), audit.CLI)
    assert MEMBER not in {m.user.email for m in again.panel}
    rec = panel.recommendation_for(again, "A001", "shortlisting")
    assert rec.criteria["K1"].scores == (2, 3)
    assert next(p for p in export_campaign("TST-02")["panel"] if p["email"] == MEMBER)["removed"] == entry["removed"]
