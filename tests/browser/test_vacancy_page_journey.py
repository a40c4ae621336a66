"""The vacancy page leads each role to its next step on the demo data (issue 14, finding 6):
the stage, what needs doing and by whom, each linked to where it is done. Every page is
checked with axe."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from shortlist.cli import DEMO_PASSWORD
from tests.browser.conftest import sign_in, sign_out


def test_each_role_is_led_from_the_vacancy_page_to_its_next_step(page: Page, axe_check, demo_data):
    # The chair (who manages the vacancy) sees the whole panel's work, their own first.
    sign_in(page, "manager.lewisham@example.org", DEMO_PASSWORD)
    page.goto("/vacancies/LBL-FFT-01")
    expect(page.locator("#stage")).to_have_text("Stage 4 of 7: Shortlisting")
    actions = page.locator("#actions li")
    expect(actions.first).to_contain_text("Adaeze Okonkwo (you)")
    expect(page.locator("#actions li[data-who='Priya Shah']")).to_contain_text("sheet to submit for A011")
    expect(page.get_by_role("navigation", name="Vacancy sections").get_by_role("link", name="Overview")).to_have_attribute(
        "aria-current", "page")
    axe_check(page)
    # the first thing to do: declare, before any score-quoting work is shown to them
    actions.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Declare conflicts of interest")
    axe_check(page)
    sign_out(page)

    # A panel member reads only their own work, and how much others have.
    sign_in(page, "priya.shah@example.org", DEMO_PASSWORD)
    page.goto("/vacancies/LBL-FFT-01")
    expect(actions).to_have_count(2)  # she has not declared conflicts yet: that first
    expect(actions.first).to_have_text("Priya Shah (you): declare your conflicts of interest before you score")
    expect(actions.nth(1)).to_have_text("Priya Shah (you): sheet to submit for A011")
    expect(page.locator("#others")).to_contain_text("other things for other people on the panel to do")
    expect(page.locator("#actions")).not_to_contain_text("agreed")
    axe_check(page)
    actions.nth(1).get_by_role("link", name="sheet to submit for A011").click()
    expect(page).to_have_url(re.compile(r"/vacancies/LBL-FFT-01/(scoring/A011|conflicts)$"))
    axe_check(page)
    sign_out(page)

    # HR sees who must act; a member's scoring page is theirs alone, so it is named, not linked.
    sign_in(page, "hr@example.org", DEMO_PASSWORD)
    page.goto("/vacancies/LBL-FFT-01")
    priya = page.locator("#actions li[data-who='Priya Shah']")
    expect(priya).to_contain_text("Priya Shah: sheet to submit for A011")
    expect(priya.get_by_role("link")).to_have_count(0)
    page.goto("/vacancies/BCT-AP-01")
    expect(page.locator("#stage")).to_have_text("Stage 6 of 7: Interview")
    expect(page.locator("#actions")).to_contain_text("interview outcomes to record")
    axe_check(page)
