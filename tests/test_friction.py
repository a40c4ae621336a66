"""Issue 14, finding 14: the everyday friction a walkthrough found, each item with its test.
(The next candidate after submitting: tests/test_scoring_drafts.py; a second tab after
finalising: test_a_second_finalise_says_it_was_already_done below.)"""

from __future__ import annotations

import pytest

from shortlist.models import Role
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user
from tests.test_panel import campaign, declare, score
from tests.pages import page


@pytest.fixture
def vacancy():
    load(campaign())
    make_user(HR, Role.HR_ADMIN, name="Hana HR")


def both_score(client) -> None:
    for who, k1 in ((MEMBER, 2), (CHAIR, 3)):
        login(client, who)
        declare(client)
        assert score(client, "A003", {"K1": k1, "D1": 1}).status_code == 302
        assert score(client, "A002", {"K1": k1, "D1": 0}).status_code == 302


def test_reserve_with_the_invite_wording_says_what_to_change(client, vacancy):
    both_score(client)
    prefilled = page(client.get("/vacancies/TST-01/decisions/A003")).select_one("textarea[name=reason]").get_text()
    response = client.post("/vacancies/TST-01/decisions/A003", data={"outcome": "reserve", "reason": prefilled})
    summary = page(response).select_one(".govuk-error-summary")
    text = summary.get_text(" ", strip=True)
    assert "still the recommended wording for Invite to interview" in text
    assert "give your own reason for putting A003 on the reserve list" in text
    assert summary.select_one("a")["href"] == "#reason"
    assert "missing" not in text.lower()
    # their own words go through
    response = client.post("/vacancies/TST-01/decisions/A003", data={
        "outcome": "reserve", "reason": "Meets the essentials; fewer examples than those invited."})
    assert response.status_code == 302


def test_refusing_to_reject_a_guaranteed_candidate_names_the_reasons_in_words(client, vacancy):
    both_score(client)
    response = client.post("/vacancies/TST-01/decisions/A002", data={"outcome": "reject", "reason": "Weaker."})
    text = page(response).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "cannot be rejected by the panel" in text
    for code in ("statutory_bar", "volume_cap", "withdrew,", "duplicate,"):
        assert code not in text
    assert "a statutory bar" in text and "the candidate withdrew" in text


def test_the_interview_page_shows_the_adjustments_in_bold_not_as_a_tag(client):
    from tests import access_world

    access_world.build()
    login(client, access_world.CHAIR)
    html = client.get("/vacancies/VAC-A/interviews/A001").get_data(as_text=True)
    inset = page(client.get("/vacancies/VAC-A/interviews/A001")).select_one(".govuk-inset-text")
    assert "&lt;strong&gt;" not in html
    assert inset.select_one("strong").get_text() == "Adjustments to make:"


@pytest.mark.parametrize("field, value, message", [
    ("posts", "two", "Number of posts must be a whole number, like 2"),
    ("closing_date", ["31", "2", "2027"], "Closing date must be a real date"),
])
def test_a_form_error_names_its_field_in_govuk_style(client, field, value, message):
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person")
    login(client, CHAIR)
    data = {"reference": "NEW-01", "title": "Family Therapist", "organisation": "EC", "posts": "1",
            "closing_date": ["15", "12", "2027"], field: value}
    summary = page(client.post("/vacancies/new", data=data)).select_one(".govuk-error-summary")
    assert message in summary.get_text(" ", strip=True)
    assert "Not a valid" not in summary.get_text()


def test_the_band_check_note_is_only_for_posts_it_covers(client):
    data = campaign_dict(grade="Band 6", title="Staff Nurse")
    data["applications"] = []
    data["vacancy"]["status"] = "draft"
    load(data)
    login(client, CHAIR)
    assert page(client.get("/vacancies/TST-01/setup/checks")).select_one("#band-check") is None


def test_the_audit_log_reads_as_words_and_its_vacancy_filter_ignores_case(client, vacancy):
    both_score(client)
    login(client, HR)
    soup = page(client.get("/audit/?vacancy=tst-01&action=scores.submitted"))
    rows = soup.select("tbody tr")
    assert rows, "the lower-case reference found nothing"
    what = rows[0].select("td")[-1].get_text(" ", strip=True)
    assert "{" not in what and "'" not in what  # no Python dict
    assert "scores: K1 3, D1 0" in what or "scores: K1 3, D1 1" in what, what
    assert soup.select_one("table.app-audit-table") is not None


def test_a_second_finalise_says_it_was_already_done(client, vacancy):
    from sqlalchemy import select

    from shortlist.extensions import db
    from shortlist.models import Vacancy
    from shortlist.models.base import utcnow

    db.session.execute(db.update(Vacancy).values(shortlist_finalised_at=utcnow(), status="interview"))
    db.session.commit()
    login(client, CHAIR)
    response = client.post("/vacancies/TST-01/finalise", follow_redirects=True)
    banner = page(response).select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert "already been finalised" in banner
    assert db.session.scalar(select(Vacancy.status)) == "interview"

