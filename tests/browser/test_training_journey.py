"""Safer-recruitment training held on the person (issue 14, finding 10): a panel member
records their certificate's date, HR corrects it with a reason, and every panel the person
sits on shows the same date. Every page is checked with axe."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from shortlist.models import Role
from tests.browser.conftest import sign_in, sign_out
from tests.factories import HR, MEMBER, PASSWORD, campaign_dict, load, make_user


def test_a_member_records_their_training_and_hr_corrects_it(page: Page, axe_check):
    load(campaign_dict("TST-01"))
    load(campaign_dict("TST-02", title="Senior Family Therapist"))
    make_user(MEMBER, Role.PANEL_MEMBER, "Member Person", PASSWORD)
    make_user(HR, Role.HR_ADMIN, "Hana HR", PASSWORD)
    year = date.today().year - 1

    sign_in(page, MEMBER, PASSWORD)
    page.get_by_role("link", name="Your safer-recruitment training").click()
    page.wait_for_url("**/account/training")
    axe_check(page)
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill(str(year))
    page.get_by_role("button", name="Save the training date").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your safer-recruitment training is recorded")
    page.get_by_role("link", name="Family Therapist", exact=True).click()
    member = page.locator("#panel-members tr", has_text="Member Person").locator("[data-training]")
    expect(member).to_contain_text(f"12 May {year}")
    axe_check(page)
    sign_out(page)

    sign_in(page, HR, PASSWORD)
    page.goto("/vacancies/TST-02")
    member = page.locator("#panel-members tr", has_text="Member Person")
    expect(member.locator("[data-training]")).to_contain_text(f"12 May {year}")  # the same person, the same date
    member.get_by_role("link", name="Correct").click()
    page.wait_for_url("**/training")
    page.get_by_label("Day").fill("21")
    page.get_by_role("button", name="Save the training date").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say why the date is being corrected")
    axe_check(page)
    page.get_by_label("If you are correcting a date already recorded, say why").fill(
        "The certificate is dated the 21st")
    page.get_by_role("button", name="Save the training date").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Member Person’s safer-recruitment training")
    expect(page.locator(f"#people tr[data-email='{MEMBER}']")).to_contain_text(f"21 May {year}")
    axe_check(page)
    page.goto("/vacancies/TST-01")
    expect(page.locator("#panel-members tr", has_text="Member Person").locator("[data-training]")).to_contain_text(
        f"21 May {year}")
