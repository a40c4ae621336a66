"""A recruiting manager uploads a person specification the importer reads with doubts (issue 20):
the review says first that the document was read with low confidence, lists the criteria to
check first (each a link to its card), tags those cards and shows the document's line beside
them; the manager follows a link, settles one doubt by merging, saves, and the criteria stored
are the ones on the page. Every page visited passes axe (WCAG 2.2 A and AA)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import Role, Vacancy
from tests.browser.conftest import create_vacancy, sign_in
from tests.factories import CHAIR, PASSWORD, make_user
from tests.specimport.builders import docx_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: a Word table whose second row holds three criteria run together (a lost line break)
TABLE = [
    ["Area", "Criteria", "E/D", "How assessed"],
    ["Experience", "Experience of casework with families Ability to drive a car Knowledge of the law", "E", "AF/I"],
    ["Knowledge", "Knowledge of the Children Act 1989", "E", "I"],
]


def stored(reference: str) -> list[tuple[str, str, bool, list[str]]]:
    db.session.remove()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    return [(c.category, c.text, c.essential, list(c.methods)) for c in vacancy.criteria]


def test_manager_checks_the_doubtful_criteria_first_then_saves(page: Page, axe_check):
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    sign_in(page, CHAIR, PASSWORD)
    create_vacancy(page, "FSW-01", "Family Support Worker", "Example Council", "Grade 7", 1, date(2026, 12, 15),
                   check=axe_check)
    page.get_by_role("link", name="Person specification").click()
    page.get_by_role("link", name="Import from a document").click()
    page.get_by_label("Upload the person specification").set_input_files(
        files=[{"name": "fsw.docx", "mimeType": DOCX, "buffer": docx_bytes(["Person specification", TABLE])}])
    page.get_by_role("button", name="Read the person specification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the criteria read from fsw.docx")

    # the warning comes first, before the list of criteria to check
    warning = page.locator("#low-confidence")
    expect(warning).to_contain_text("This document was read with low confidence: 2 of the 4 proposed criteria")
    assert warning.bounding_box()["y"] < page.locator("#check-first").bounding_box()["y"]
    links = page.locator("#check-first a")
    expect(links).to_have_text(["Criterion 2", "Criterion 3"])
    expect(page.locator("#check-first")).to_contain_text("ran list items together")
    expect(page.locator("#c0 .govuk-tag")).to_have_count(0)
    for card in ("#c1", "#c2"):
        expect(page.locator(f"{card} .govuk-summary-card__title .govuk-tag")).to_have_text("Check")
    expect(page.locator("#c1-doubts")).to_contain_text(
        "From the document: Experience | Experience of casework with families Ability to drive a car Knowledge"
        " of the law | E | AF/I")
    axe_check(page)

    links.first.click()
    page.wait_for_url("**#c1")
    expect(page.locator("#c1-text")).to_be_in_viewport()
    expect(page.locator("#c1-text")).to_have_value("Ability to drive a car")

    # the manager decides "Ability to drive a car" and "Knowledge of the law" are one: merged, settled
    page.locator("#c1").get_by_role("button", name="Merge with next").click()
    expect(links).to_have_count(0)
    expect(page.locator("#c1-text")).to_have_value("Ability to drive a car Knowledge of the law")
    expect(page.locator("#import-count")).to_contain_text("you deleted or merged 1, so 3 will be saved")
    axe_check(page)

    page.get_by_role("button", name="Save these criteria").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("3 criteria saved from fsw.docx")
    axe_check(page)
    assert stored("FSW-01") == [
        ("Experience", "Experience of casework with families", True, ["AF", "I"]),
        ("Experience", "Ability to drive a car Knowledge of the law", True, ["AF", "I"]),
        ("Knowledge", "Knowledge of the Children Act 1989", True, ["I"]),
    ]
