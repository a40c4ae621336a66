"""Accessibility that axe does not catch: words split for screen readers, the GOV.UK date
input for the interview date, and the accessibility statement linked from every page."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import InterviewSlot
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, campaign_dict, load
from tests.test_interviews import finalised


def page(response) -> BeautifulSoup:  # noqa: ANN001
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def split_words(soup: BeautifulSoup) -> list[str]:
    """Visually hidden text that continues a word begun outside it ("E" + "ssential"): a
    screen reader reads the two parts as two words."""
    found = []
    for hidden in soup.select(".govuk-visually-hidden"):
        text = hidden.get_text()
        before = hidden.previous_sibling
        while isinstance(before, Tag) and before.get("aria-hidden") == "true":
            before = before.previous_sibling
        before_text = str(before) if isinstance(before, NavigableString) else (
            before.get_text() if isinstance(before, Tag) else "")
        if re.search(r"\w$", before_text) and re.match(r"\w", text):
            found.append(f"{before_text.strip()[-10:]}|{text[:20]}")
    return found


def test_essential_and_desirable_are_whole_words_for_screen_readers(client):
    load(campaign_dict())
    login(client, CHAIR)  # the recruiting manager
    soup = page(client.get("/vacancies/TST-01/setup/criteria"))
    assert split_words(soup) == []
    cells = {row["id"]: row.select("td")[3] for row in soup.select("tr[id^=criterion-]")}
    # what a screen reader reads: the visible letter is hidden from it, the hidden word is whole
    for key, word in (("criterion-K1", "Essential"), ("criterion-D1", "Desirable")):
        heard = [t for t in cells[key].find_all(string=True)
                 if not any(p.get("aria-hidden") == "true" for p in t.parents if isinstance(p, Tag))]
        assert "".join(heard).strip() == word
        assert cells[key].get_text(strip=True).startswith(word[0])  # still one letter on screen


@pytest.mark.parametrize("path", ["/vacancies", "/vacancies/TST-01", "/vacancies/TST-01/setup",
                                  "/vacancies/TST-01/setup/criteria", "/vacancies/TST-01/setup/panel",
                                  "/vacancies/TST-01/applications/", "/vacancies/TST-01/candidates"])
def test_no_page_splits_a_word_between_visible_and_hidden_text(client, path):
    load(campaign_dict())
    login(client, CHAIR)
    assert split_words(page(client.get(path))) == []


def test_the_interview_date_is_a_govuk_date_input_not_a_native_picker(client):
    finalised()
    login(client, CHAIR)
    url = "/vacancies/TST-01/interviews/A002"
    soup = page(client.get(url))
    assert not soup.select("input[type=date]") and not soup.select("input[type=time]")
    fieldset = soup.select_one(".govuk-date-input").find_parent("fieldset")
    assert fieldset.legend.get_text(strip=True) == "Interview date"
    assert [i["name"] for i in soup.select(".govuk-date-input input")] == ["day-day", "day-month", "day-year"]

    wrong = page(client.post(url, data={"day-day": "31", "day-month": "2", "day-year": "2027", "time": "10:30",
                                        "duration": "45", "location": "Room 2"}))
    link = wrong.select_one(".govuk-error-summary a[href='#day-day']")
    assert link is not None and link.get_text(strip=True) == "Interview date must be a real date"
    assert wrong.select_one("#day-day")["value"] == "31"  # what was typed is kept
    missing = page(client.post(url, data={"day-day": "10", "day-month": "", "day-year": "2027", "time": "10:30",
                                          "duration": "45", "location": "Room 2"}))
    assert missing.select_one(".govuk-error-summary a[href='#day-month']").get_text(strip=True) == \
        "Interview date must include a month"
    assert db.session.scalar(select(InterviewSlot)) is None

    response = client.post(url, data={"day-day": "10", "day-month": "12", "day-year": "2026", "time": "10:30",
                                      "duration": "45", "location": "Room 2"})
    assert response.status_code == 302
    again = page(client.get(url))
    assert [again.select_one(f"#day-{p}")["value"] for p in ("day", "month", "year")] == ["10", "12", "2026"]


def test_the_accessibility_statement_is_public_and_linked_from_every_footer(client):
    statement = page(client.get("/accessibility"))
    assert statement.h1.get_text(strip=True) == "Accessibility statement for Shortlist"
    text = statement.get_text(" ", strip=True)
    for part in ("WCAG 2.2", "Enforcement procedure", "Equality and Human Rights Commission",
                 "How we tested", "Reporting accessibility problems"):
        assert part in text, part
    sign_in = page(client.get("/sign-in"))
    assert sign_in.select_one("footer a[href='/accessibility']").get_text(strip=True) == "Accessibility statement"
    load(campaign_dict())
    from tests.factories import make_user
    from shortlist.models import Role
    make_user(HR, Role.HR_ADMIN)
    login(client, HR)
    assert page(client.get("/vacancies/TST-01")).select_one("footer a[href='/accessibility']")


@pytest.mark.parametrize(("typed", "message", "boxes"), [
    (("", "", ""), "Enter the interview date", ("day", "month", "year")),
    (("10", "", ""), "Interview date must include a month and year", ("month", "year")),
    (("x", "12", "2026"), "Interview date must be a real date", ("day",)),
    (("31", "2", "2027"), "Interview date must be a real date", ("day", "month", "year")),
    (("10", "12", "26"), "Year must include 4 numbers", ("year",)),
    (("10", "12", "9999"), "Interview date must be between 2000 and 2099", ("year",)),
    (("10", "12", "999999999999999999999999999999"), "Year must include 4 numbers", ("year",)),
])
def test_a_date_typed_wrong_gets_the_govuk_message_on_the_right_box(typed, message, boxes):
    from shortlist.forms import dates

    day, month, year = typed
    read = dates.read({"day-day": day, "day-month": month, "day-year": year}, "day", "Interview date")
    assert (read.value, read.error, read.error_boxes) == (None, message, boxes)
    assert read.error_id == f"day-{boxes[0]}"
    marked = [item["name"] for item in read.items() if "govuk-input--error" in item["classes"]]
    assert tuple(marked) == boxes
