"""Issue 14, finding 4, in Chromium: a member scoring is warned before an idle sign-out (the
GOV.UK timeout warning), can stay signed in, sees the draft saved as they type, and after the
warning runs out and they sign in again finds what they typed on the page. The idle limit is
cut to 18 seconds for the test; every page passes axe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from shortlist.models import Role
from tests.browser.conftest import sign_in
from tests.factories import MEMBER, PASSWORD, load, make_user
from tests.test_panel import campaign

NOTE = "A clear systemic example, from a recent case, with its outcome."


@pytest.fixture
def short_idle(app: Flask) -> Iterator[None]:
    before = app.config["SESSION_IDLE_MINUTES"]
    app.config["SESSION_IDLE_MINUTES"] = 0.3  # 18 seconds
    yield
    app.config["SESSION_IDLE_MINUTES"] = before


def test_a_member_is_warned_stays_signed_in_and_keeps_what_they_typed(browser: Browser, base_url: str, axe_check,
                                                                       short_idle):
    load(campaign())
    make_user(MEMBER, Role.PANEL_MEMBER, "Member Person", PASSWORD)
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, MEMBER, PASSWORD)
    page.goto("/vacancies/TST-01/conflicts")
    page.get_by_label("I have read every name above").check()
    page.get_by_role("button", name="Save declarations").click()

    page.goto("/vacancies/TST-01/scoring/A002")
    axe_check(page)
    page.locator("input[name='score-K1'][value='2']").check()
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at")

    # the warning, before the sign-in lapses; "Stay signed in" keeps it
    dialog = page.locator("dialog#timeout-warning")
    expect(dialog).to_be_visible(timeout=20_000)
    expect(dialog).to_contain_text("You’re about to be signed out")
    axe_check(page)
    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()

    # typing saves a draft; then the member walks away and the warning runs out
    page.get_by_label("Your note on K1 (optional)").fill(NOTE)
    expect(dialog).to_be_visible(timeout=20_000)
    page.wait_for_url("**/sign-in**", timeout=30_000)
    expect(page.locator(".govuk-notification-banner").first).to_contain_text("signed out")
    axe_check(page)

    # signing in again brings them back to the application, with what they typed
    page.get_by_label("Email address").fill(MEMBER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/scoring/A002**")
    expect(page.locator("input[name='score-K1'][value='2']")).to_be_checked()
    expect(page.get_by_label("Your note on K1 (optional)")).to_have_value(NOTE)
    axe_check(page)
