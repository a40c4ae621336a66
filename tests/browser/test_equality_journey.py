"""Equality monitoring and the criminal-record declaration through the manual form, sealed
on the way in; HR's adverse-impact report says when answers are missing (issue 14,
finding 11). Every page is checked with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from shortlist.models import Role
from tests.browser.conftest import sign_in, sign_out
from tests.factories import CHAIR, HR, PASSWORD, campaign_dict, load, make_user


def test_the_manager_enters_sealed_answers_and_hr_reads_what_they_allow(page: Page, axe_check):
    data = campaign_dict()
    data["applications"] = [{"reference": f"A{i:03d}", "name": f"Applicant {i}"} for i in range(1, 7)]
    load(data)
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    make_user(HR, Role.HR_ADMIN, "Hana HR", PASSWORD)

    sign_in(page, CHAIR, PASSWORD)
    page.goto("/vacancies/TST-01/applications/new")
    axe_check(page)
    page.get_by_label("Applicant reference").fill("H001")
    page.get_by_label("Full name").fill("Hand Entered")
    page.get_by_label("Ethnic group").select_option("Asian or Asian British: Indian")
    page.get_by_label("Sex", exact=True).select_option("Female")
    page.get_by_role("group", name="Did the applicant declare any unspent convictions?").get_by_label("Yes").check()
    page.get_by_label("What did they declare?").fill("A caution in 2024 for a minor offence")
    page.get_by_role("button", name="Add application").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Application H001 added")
    expect(page.locator("main")).not_to_contain_text("Indian")
    axe_check(page)
    sign_out(page)

    sign_in(page, HR, PASSWORD)
    page.goto("/hr/vacancies/TST-01/applications/H001/sealed")
    expect(page.locator("main")).to_contain_text("Asian or Asian British: Indian")
    expect(page.locator("main")).to_contain_text("A caution in 2024")
    axe_check(page)
    page.goto("/hr/reports/adverse-impact?vacancy=TST-01&characteristic=ethnicity")
    summary = page.locator("#impact-summary")
    expect(summary).to_have_attribute("data-code", "too_few_to_compare")
    expect(summary).to_contain_text("6 of the 7 applicants did not answer")
    expect(summary).not_to_contain_text("No selection rate is below four-fifths")
    axe_check(page)
