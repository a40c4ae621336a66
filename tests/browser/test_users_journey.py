"""HR's Users page in the browser: the list, an invitation whose link sets the password, a
role given and a leaver deactivated; and a system administrator adds an organisation. Every
page passes axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in, sign_out
from tests.factories import HR, MEMBER, PASSWORD, campaign_dict, load, make_user


def test_hr_invites_someone_who_sets_a_password_and_deactivates_a_leaver(page: Page, axe_check):
    load(campaign_dict())
    make_user(HR, "hr_admin", "Hana HR", PASSWORD)
    sign_in(page, HR, PASSWORD)
    page.get_by_role("link", name="HR", exact=True).click()
    page.get_by_role("link", name="Users: invite people, change their roles, deactivate leavers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    expect(page.locator(f'#users tr[data-email="{MEMBER}"]')).to_contain_text("Panels only")
    axe_check(page)

    page.get_by_role("link", name="Invite someone").click()
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their full name")
    axe_check(page)
    page.get_by_label("Full name").fill("Nia New")
    page.get_by_label("E-mail address").fill("nia.new@example.org")
    page.get_by_label("HR adviser").check()
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation for Nia New")
    axe_check(page)
    link = page.get_by_label("Link").input_value()

    page.get_by_role("link", name="Users", exact=True).first.click()
    page.get_by_role("link", name="Member Person").click()
    axe_check(page)
    page.get_by_role("button", name="Deactivate Member Person").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Member Person is deactivated")
    axe_check(page)
    sign_out(page)

    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a long new passphrase")
    page.get_by_label("Enter the new password again").fill("a long new passphrase")
    page.get_by_role("button", name="Set password").click()
    sign_in(page, "nia.new@example.org", "a long new passphrase")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit log")
    axe_check(page)


def test_a_system_administrator_adds_an_organisation(page: Page, axe_check):
    make_user("admin@example.org", name="Sam Admin", password=PASSWORD, system_admin=True)
    sign_in(page, "admin@example.org", PASSWORD)
    page.get_by_role("link", name="Organisations").click()
    page.get_by_role("button", name="Create the organisation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the organisation’s name")
    axe_check(page)
    page.get_by_label("Name").fill("Kent County Council")
    page.get_by_label("Short code").fill("KCC")
    page.get_by_label("E-mail domains").fill("kent.gov.uk")
    page.get_by_role("button", name="Create the organisation").click()
    expect(page.locator('#organisations tr[data-code="KCC"]')).to_contain_text("kent.gov.uk")
    axe_check(page)
