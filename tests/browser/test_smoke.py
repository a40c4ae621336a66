"""A person signs in, reads a vacancy's person specification, and signs out; every page is accessible."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from shortlist.models import Role
from tests.browser.conftest import sign_in, sign_out
from tests.factories import MEMBER, PASSWORD, campaign_dict, load, make_user


def test_sign_in_page_is_accessible_and_rejects_a_wrong_password(page: Page, axe_check):
    page.goto("/sign-in")
    expect(page).to_have_title("Sign in – Shortlist")
    axe_check(page)
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password", exact=True).fill("wrong-password-123")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(summary).to_be_focused()
    axe_check(page)


def test_panel_member_reads_the_person_specification(page: Page, axe_check):
    load(campaign_dict())
    make_user(MEMBER, Role.PANEL_MEMBER, "Member Person", PASSWORD)
    sign_in(page, MEMBER, PASSWORD)
    axe_check(page)
    page.get_by_role("link", name="Family Therapist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Family Therapist")
    row = page.locator("#criterion-K1")
    expect(row).to_contain_text("Knowledge of systemic therapy.")
    expect(row).to_contain_text("Essential")
    axe_check(page)
    sign_out(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
    axe_check(page)
