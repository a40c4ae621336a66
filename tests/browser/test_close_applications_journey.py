"""HR closes applications early, with a reason, and only then can the panel start
(issue 14, finding 8). Every page is checked with axe."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from shortlist.models import Role
from tests.browser.conftest import sign_in, sign_out
from tests.factories import HR, MEMBER, PASSWORD, campaign_dict, load, make_user


def test_hr_closes_applications_early_then_the_panel_declares(page: Page, axe_check):
    closing_date = date.today() + timedelta(days=30)
    data = campaign_dict(status="open", closing_date=closing_date)
    data["applications"][0].pop("scores")
    load(data)
    make_user(HR, Role.HR_ADMIN, "Hana HR", PASSWORD)
    make_user(MEMBER, Role.PANEL_MEMBER, "Member Person", PASSWORD)
    when = f"{closing_date.day} {closing_date:%B %Y}"

    sign_in(page, MEMBER, PASSWORD)
    page.goto("/vacancies/TST-01/conflicts")
    expect(page.locator("main")).to_contain_text(f"Applications are open until {when}")
    expect(page.get_by_role("checkbox")).to_have_count(0)
    axe_check(page)
    sign_out(page)

    sign_in(page, HR, PASSWORD)
    page.get_by_role("link", name="Family Therapist").click()
    expect(page.locator("main")).to_contain_text(f"Open until the end of {when}")
    page.get_by_role("link", name="close applications early").click()
    axe_check(page)
    page.get_by_role("button", name="Close applications").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give the reason for closing applications before the closing date")
    expect(summary).to_be_focused()
    axe_check(page)
    page.get_by_label("Why are applications closing before the closing date?").fill(
        "Over 100 applications: enough to shortlist from")
    page.get_by_role("button", name="Close applications").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Applications are closed")
    expect(page.locator("main")).to_contain_text("Over 100 applications: enough to shortlist from")
    axe_check(page)
    sign_out(page)

    sign_in(page, MEMBER, PASSWORD)
    page.goto("/vacancies/TST-01/conflicts")
    expect(page.get_by_role("checkbox", name="Applicant One")).to_be_visible()
    axe_check(page)
