"""A recruiting manager sets up each seed vacancy from its person specification: creates the
vacancy, uploads the document (Word or PDF, made here from the seed text), reviews the proposals
until they match the seed campaign (category, text, essential, methods, shortlisting, and the
non-waivable and pre-employment marks), saves and publishes. Then the criteria library and the NHS
band check. Every page visited passes axe (WCAG 2.2 A and AA)."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import Page, expect
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import Role, Vacancy
from tests.browser.conftest import create_vacancy, sign_in
from tests.browser.test_setup_journey import complete_setup, completed
from tests.app_fixtures import SEEDS
from tests.factories import CHAIR, PASSWORD, campaign_dict, load, make_user
from tests.specimport import builders

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# seed campaign -> how the manager's document is made from the seed text
DOCUMENTS = {
    "bct-art-psychotherapist": ("birmingham.docx", DOCX, builders.birmingham_docx),
    "kcc-senior-therapist": ("kent.pdf", "application/pdf",
                             lambda: builders.pdf_from_text(builders.KENT.read_text(encoding="utf-8"))),
    "lbl-fostering-family-therapist": ("lewisham.docx", DOCX,
                                       lambda: builders.docx_from_text(builders.LEWISHAM.read_text(encoding="utf-8"))),
}
FIELDS = ("category", "text", "essential", "methods", "shortlisting", "non_waivable", "pre_employment")
METHODS = ("AF", "Q", "I", "P", "E", "T", "R")

CARDS_JS = """() => Array.from(document.querySelectorAll('.govuk-summary-card[id^=c]')).map((card, i) => ({
  category: card.querySelector(`#c${i}-category`).value,
  text: card.querySelector(`#c${i}-text`).value,
  essential: card.querySelector(`#c${i}-essential-essential`).checked,
  methods: Array.from(card.querySelectorAll(`input[name=c${i}-methods]:checked`)).map(b => b.value),
  shortlisting: card.querySelector(`#c${i}-shortlisting-yes`).checked,
  non_waivable: card.querySelector(`#c${i}-non_waivable`).checked,
  pre_employment: card.querySelector(`#c${i}-pre_employment`).checked,
}))"""


def seed(name: str) -> dict:
    data = yaml.safe_load((SEEDS / f"{name}.yaml").read_text(encoding="utf-8"))
    data["criteria"] = [{
        "category": c["category"], "text": " ".join(c["text"].split()), "essential": c.get("essential", True),
        "methods": [m for m in METHODS if m in c["methods"]], "shortlisting": c.get("shortlisting", True),
        "non_waivable": c.get("non_waivable", False), "pre_employment": c.get("pre_employment", False),
    } for c in data["criteria"]]
    return data


def stored_criteria(reference: str) -> tuple[str, list[dict]]:
    db.session.remove()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    return vacancy.status, [{
        "category": c.category, "text": c.text, "essential": c.essential, "methods": list(c.methods),
        "shortlisting": c.shortlisting, "non_waivable": c.non_waivable, "pre_employment": c.pre_employment,
    } for c in vacancy.criteria]


def review_until_it_matches(page: Page, wanted: list[dict]) -> int:
    """Change what the importer proposed, field by field, to what the seed campaign holds."""
    shown = page.evaluate(CARDS_JS)
    assert len(shown) == len(wanted), f"{len(shown)} proposals for {len(wanted)} criteria"
    edits = 0
    for i, (have, want) in enumerate(zip(shown, wanted)):
        have["text"] = " ".join(have["text"].split())
        if have["category"] != want["category"]:
            page.locator(f"#c{i}-category").fill(want["category"])
            edits += 1
        if have["text"] != want["text"]:
            page.locator(f"#c{i}-text").fill(want["text"])
            edits += 1
        if have["essential"] != want["essential"]:
            page.locator(f"#c{i}-essential-{'essential' if want['essential'] else 'desirable'}").check()
            edits += 1
        for method in METHODS:
            if (method in have["methods"]) != (method in want["methods"]):
                page.locator(f"#c{i}-methods-{method}").set_checked(method in want["methods"])
                edits += 1
        if have["shortlisting"] != want["shortlisting"]:
            page.locator(f"#c{i}-shortlisting-{'yes' if want['shortlisting'] else 'no'}").check()
            edits += 1
        for flag in ("non_waivable", "pre_employment"):
            if have[flag] != want[flag]:
                page.locator(f"#c{i}-{flag}").set_checked(want[flag])
                edits += 1
    assert [{k: (" ".join(c[k].split()) if k == "text" else c[k]) for k in FIELDS}
            for c in page.evaluate(CARDS_JS)] == wanted
    return edits


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_manager_sets_up_a_seed_vacancy_from_its_document(page: Page, axe_check, name: str):
    campaign = seed(name)
    v = campaign["vacancy"]
    filename, mime, build = DOCUMENTS[name]
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    sign_in(page, CHAIR, PASSWORD)

    create_vacancy(page, v["reference"], v["title"], "Example Council", str(v["grade"]), v["posts"],
                   v["closing_date"], check=axe_check)

    page.get_by_role("link", name="Person specification").click()
    page.wait_for_url("**/setup/criteria")
    axe_check(page)
    page.get_by_role("link", name="Import from a document").click()
    page.wait_for_url("**/setup/import")
    axe_check(page)
    page.get_by_label("Upload the person specification").set_input_files(
        files=[{"name": filename, "mimeType": mime, "buffer": build()}])
    page.get_by_role("button", name="Read the person specification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Check the criteria read from {filename}")
    axe_check(page)
    assert stored_criteria(v["reference"]) == ("draft", [])  # nothing saved while reviewing

    review_until_it_matches(page, campaign["criteria"])
    page.get_by_role("button", name="Save these criteria").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{len(campaign['criteria'])} criteria saved from {filename}")
    axe_check(page)

    completed(page)  # the criteria as saved: someone says the step is done
    page.get_by_role("button", name="Save and return to the set-up steps").click()
    complete_setup(page, axe_check, v["title"])
    page.wait_for_url("**/setup")
    page.get_by_role("link", name="Review and publish").click()
    page.wait_for_url("**/setup/publish")
    axe_check(page)
    page.get_by_role("button", name="Publish the vacancy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(v["title"])
    axe_check(page)

    status, criteria = stored_criteria(v["reference"])
    assert status == "open"
    assert criteria == campaign["criteria"]


def test_manager_adds_criteria_from_the_library_and_reads_the_band_check(page: Page, axe_check):
    data = campaign_dict(grade="Band 6", title="Art Psychotherapist")
    for application in data["applications"]:
        application["scores"] = {}
    load(data)
    make_user(CHAIR, name="Chair Person", password=PASSWORD)
    sign_in(page, CHAIR, PASSWORD)
    page.goto("/vacancies/TST-01/setup/criteria")
    expect(page.locator("#band-check-warnings [data-code=band_training_missing]")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Add from the criteria library").click()
    expect(page.locator("#sources")).to_contain_text("Clinical Career Development Framework")
    axe_check(page)
    page.get_by_role("link", name="Band 6").click()
    expect(page.locator("#results-title")).to_contain_text("statements found")
    axe_check(page)
    page.get_by_label("Words in the statement").fill("master's")
    page.get_by_label("Kind of statement").select_option("je_factor")
    page.get_by_role("button", name="Search the library").click()
    factor = page.get_by_label("Highly specialist knowledge across range of procedures, underpinned by theory.")
    factor.check()
    page.get_by_role("button", name="Add the chosen statements").click()
    expect(page.locator("#s0-source")).to_contain_text("NHS profile Arts Therapist Entry Level")
    axe_check(page)

    page.get_by_label("Criterion (statement 1)").fill(
        "MA in Art Psychotherapy (or equivalent) and HCPC registration as an Art Therapist.")
    page.get_by_label("Category (statement 1)").fill("Qualifications")
    page.get_by_label("Interview (I)").uncheck()
    page.get_by_label("Qualifications (Q)").check()
    page.get_by_role("button", name="Add to the person specification").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 criterion added from the library: Q1")
    expect(page.locator("#criterion-Q1")).to_contain_text("AF/Q")
    expect(page.locator("#band-check-clear")).to_be_visible()  # the master's criterion answers the warning
    axe_check(page)

    page.get_by_role("link", name="Set up Art Psychotherapist").click()
    page.get_by_role("link", name="DBS, safeguarding and Disability Confident").click()
    expect(page.locator("#band-check")).to_contain_text("NHS band 6: band check")
    axe_check(page)
