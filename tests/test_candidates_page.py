"""The candidates page shows each recommendation with its reasons, to those allowed to see it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.app_fixtures import login


def rows(client, reference: str) -> dict[str, dict]:  # noqa: ANN001
    page = BeautifulSoup(client.get(f"/vacancies/{reference}/candidates").get_data(as_text=True), "html.parser")
    out = {}
    for tr in page.select("#recommendations tbody tr"):
        out[tr.th.get_text(strip=True)] = {
            "outcome": tr["data-outcome"],
            "reasons": {(li["data-code"], li.get("data-criterion")) for li in tr.select("li[data-code]")},
            "probes": [p["data-code"] for p in tr.select("p[data-code]")],
            "text": tr.get_text(" ", strip=True),
        }
    return out


@pytest.mark.parametrize("email", ["hr@example.org", "marisa.costa@example.org"])
def test_lewisham_recommendations_for_those_allowed(client, demo_data, email):
    login(client, email)
    out = rows(client, "LBL-FFT-01")
    assert out["A002"]["outcome"] == "guaranteed_interview"
    assert out["A003"]["outcome"] == "does_not_meet" and ("essential_not_met", "SK2") in out["A003"]["reasons"]
    assert out["A004"]["outcome"] == "guaranteed_interview" and ("waiver_applied", "CI2") in out["A004"]["reasons"]
    assert out["A010"]["outcome"] == "incomplete" and ("moderation_required", "EX5") in out["A010"]["reasons"]
    assert out["A007"]["probes"] == ["employment_gap"]
    # recommendations are never decisions
    assert "a named person must confirm" in out["A003"]["text"]
    # the disability behind the waiver is HR's alone (R10); the HR adviser sees what happens, not why
    assert ("because of their disability" in out["A004"]["text"]) == (email == "hr@example.org")
    assert "HR holds the details" in out["A004"]["text"] or email == "hr@example.org"


def test_a_manager_who_chairs_sees_nothing_of_the_scores_before_their_own(client, demo_data):
    """Security review finding 1: the Lewisham manager chairs and has declared nothing nor
    scored, so no candidate's outcome, score-quoting reason, scheme status or disability shows."""
    login(client, "manager.lewisham@example.org")
    out = rows(client, "LBL-FFT-01")
    assert out and {r["outcome"] for r in out.values()} == {"hidden"}
    text = " ".join(r["text"] for r in out.values())
    for leak in ("independent score", "Guaranteed", "offer an interview", "disability"):
        assert leak not in text
    assert "Declare your conflicts of interest, then submit your scores first" in text


def test_plain_panel_members_do_not_see_recommendations(client, demo_data):
    login(client, "priya.shah@example.org")
    assert client.get("/vacancies/LBL-FFT-01/candidates").status_code == 403
    assert 'href="/vacancies/LBL-FFT-01/candidates"' not in client.get("/vacancies/LBL-FFT-01").get_data(as_text=True)


def test_recommendations_page_holds_no_personal_data(client, demo_data):
    login(client, "manager.lewisham@example.org")
    html = client.get("/vacancies/LBL-FFT-01/candidates").get_data(as_text=True)
    import yaml

    from tests.app_fixtures import SEEDS
    data = yaml.safe_load((SEEDS / "lbl-fostering-family-therapist.yaml").read_text())
    for application in data["applications"]:
        assert application["name"] not in html
        if application.get("email"):
            assert application["email"] not in html


def test_kent_shows_the_safer_recruitment_finding_to_its_manager(client, demo_data):
    login(client, "manager.kent@example.org")
    page = BeautifulSoup(client.get("/vacancies/KCC-ST-01").get_data(as_text=True), "html.parser")
    codes = [li["data-code"] for li in page.select("#vacancy-checks li")]
    assert codes == ["no_trained_panel_member"]
