"""Issue 14, finding 4: an idle time-out no longer throws away a half-filled scoring form.

Drafts are saved as the member goes (the page's script posts the form as a draft; without
JavaScript the Save button does it), the timeout warning can keep the sign-in alive, and a form
sent after the sign-in lapsed is kept and put back on the page after the next sign-in. Also the
"next candidate" offered at the top once a sheet is submitted (finding 14)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select, update

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role, ScoreSheet, UserSession
from shortlist.models.base import utcnow
from tests.app_fixtures import login
from tests.factories import MEMBER, OTHER, PASSWORD, make_user
from tests.test_panel import campaign, declare
from tests.pages import page

URL = "/vacancies/TST-01/scoring/A002"


@pytest.fixture
def member(client):
    from tests.factories import load

    load(campaign())
    login(client, MEMBER)
    declare(client)
    return client


def lapse() -> None:
    """Everyone's sign-in has been idle for longer than the limit."""
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()


def sheet() -> ScoreSheet | None:
    db.session.remove()
    return db.session.scalar(select(ScoreSheet))


def test_the_page_saves_a_draft_as_the_member_goes(member):
    soup = page(member.get(URL))
    form = soup.select_one("main form[data-autosave]")
    assert form is not None and soup.select_one("#autosave-status[aria-live=polite]") is not None
    assert soup.select_one("script[src$='autosave.js']") is not None
    # what the script sends: the form as it stands, marked as an autosave; never a submission
    response = member.post(URL, data={"score-K1": "2", "note-K1": "Good systemic example.", "submit": "y"},
                           headers={"X-Autosave": "1"})
    assert response.status_code == 200 and response.get_json()["saved"] is True
    saved = sheet()
    assert saved.submitted_at is None and {s.criterion.key: s.value for s in saved.scores}["K1"] == 2
    response = member.post(URL, data={"score-K1": "9"}, headers={"X-Autosave": "1"})
    assert response.status_code == 422 and "must be from 0 to 3" in response.get_json()["errors"][0]["text"]
    # without JavaScript the Save button does the same
    assert member.post(URL, data={"score-K1": "1", "save": "y"}).status_code == 302
    assert {s.criterion.key: s.value for s in sheet().scores}["K1"] == 1


def test_every_signed_in_page_carries_the_timeout_warning(member, app):
    soup = page(member.get("/vacancies"))
    dialog = soup.select_one("dialog#timeout-warning")
    assert dialog["aria-labelledby"] == "timeout-heading"
    assert int(dialog["data-idle-seconds"]) == 30 * 60 - 60 and int(dialog["data-warn-seconds"]) == 120
    assert dialog.select_one("[data-timeout-stay]").get_text() == "Stay signed in"
    assert soup.select_one("script[src$='session-timeout.js']") is not None
    # "Stay signed in" starts the idle clock again
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=29)))
    db.session.commit()
    assert member.post("/session/keep-alive").get_json() == {"signed_in": True}
    seen = db.session.scalar(select(UserSession.last_seen_at))
    assert utcnow() - seen < timedelta(seconds=30)


def test_what_was_sent_after_the_sign_in_lapsed_is_back_after_signing_in_again(member):
    lapse()
    response = member.post(URL, data={"score-K1": "3", "note-K1": "Twenty-six scores and a note.", "submit": "y"})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert sheet() is None  # nothing saved without a sign-in
    signed_in = member.get(response.headers["Location"], follow_redirects=True)
    assert "What you typed is kept" in signed_in.get_data(as_text=True)

    # someone else signing in on that page gets nothing of it
    login(member, OTHER)
    declare(member)
    other = page(member.get(URL))
    assert not other.select_one("input[name=score-K1][value='3']").has_attr("checked")

    login(member, MEMBER)
    soup = page(member.get(URL))
    assert soup.select_one("input[name=score-K1][value='3']").has_attr("checked")
    assert soup.select_one("textarea[name=note-K1]").get_text() == "Twenty-six scores and a note."
    assert "What you typed before you were signed out is back on this page" in soup.get_text()
    assert sheet() is None  # shown back, not saved: they check it and save or submit
    # once only
    assert not page(member.get(URL)).select_one("input[name=score-K1][value='3']").has_attr("checked")


def test_the_next_page_after_signing_in_is_the_one_they_were_on(member):
    lapse()
    response = member.post(URL, data={"score-K1": "3", "save": "y"})
    next_url = response.headers["Location"]

    target = parse_qs(urlsplit(next_url).query)["next"][0]
    make_user(MEMBER, Role.PANEL_MEMBER, "Member Person", PASSWORD)
    signed = member.post(f"/sign-in?next={target}", data={"email": MEMBER, "password": PASSWORD})
    assert signed.headers["Location"] == URL


def test_when_the_warning_runs_out_the_draft_is_saved_and_the_member_signed_out(member):
    response = member.post(URL, data={"score-K1": "2", "timed_out": "1", "save": "y", "submit": "y"})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    saved = sheet()
    assert saved.submitted_at is None and {s.criterion.key: s.value for s in saved.scores}["K1"] == 2
    assert db.session.scalar(select(UserSession.ended_reason)) == "idle"
    assert member.get(URL).status_code == 302  # signed out


def test_after_submitting_the_next_candidate_is_offered_at_the_top(member):
    member.post("/vacancies/TST-01/scoring/A001", data={"score-K1": "2", "score-D1": "1", "gap-2020-01": "explore",
                                                       "submit": "y"})
    soup = page(member.get("/vacancies/TST-01/scoring/A001"))
    offer = soup.select_one("#next-to-score a.govuk-button")
    assert offer.get_text(strip=True) == "Next candidate: A002" and "/scoring/A002" in offer["href"]
    # it comes before the application itself
    assert str(soup).index("next-to-score") < str(soup).index("submitted-note")
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "scores.submitted")) == 1
