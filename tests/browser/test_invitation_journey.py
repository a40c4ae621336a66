"""Issue 17, "done means": HR adds a new person to a panel; the invitation e-mail is in the
outbox (where the demo delivers mail); the newcomer opens it, sets a password, turns on
two-factor sign-in (the code computed from the key the page shows, as an authenticator app
would), signs in with a code and scores. Every page is checked with axe."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pyotp
from playwright.sync_api import Browser, Page, expect

from shortlist.models import Role
from tests.browser.conftest import sign_in
from tests.factories import CHAIR, HR, PASSWORD, load, make_user
from tests.test_panel import campaign

NEW = "nadia.new@example.org"
NEW_PASSWORD = "kettle orchard sparrow 58"


def sign_in_with_code(page: Page, secret: str, axe_check) -> None:  # noqa: ANN001
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(NEW)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    axe_check(page)
    # the next 30-second step's code: the one just used to turn it on is never accepted again
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/vacancies")


def test_an_invited_member_sets_a_password_turns_on_two_factor_and_scores(browser: Browser, base_url: str,
                                                                           axe_check):  # noqa: ANN001
    load(campaign())
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    make_user(HR, Role.HR_ADMIN, "Harriet Reid", PASSWORD)

    # HR adds a new person to the panel: the invitation goes through the outbox
    hr = browser.new_context(base_url=base_url).new_page()
    sign_in(hr, HR, PASSWORD)
    hr.goto("/vacancies/TST-01/setup/panel")
    hr.get_by_label("Email address").fill(NEW)
    hr.get_by_label("Full name").fill("Nadia New")
    hr.get_by_label("Member", exact=True).check()
    hr.get_by_role("button", name="Add to panel").click()
    expect(hr.locator(".govuk-notification-banner")).to_contain_text(
        "Nadia New added to the panel. Nadia New has no password yet: we have e-mailed them an invitation")
    axe_check(hr)
    hr.get_by_role("link", name="HR", exact=True).click()
    hr.get_by_role("link", name="Outbox: every e-mail the service has written, and its delivery").click()
    hr.get_by_role("link", name="Your Shortlist account for Example Council").first.click()
    expect(hr.locator("#message-html")).to_contain_text("Dear Nadia New,")
    axe_check(hr)
    href = hr.locator("#message-html a[href*='/set-password/']").get_attribute("href")
    assert href is not None
    invitation = urlsplit(href).path  # the demo's links name 127.0.0.1:5000; this server's port differs

    # the newcomer, in a browser of their own, sets a password through the link
    member = browser.new_context(base_url=base_url).new_page()
    member.goto(invitation)
    expect(member.get_by_role("heading", level=1)).to_have_text("Set your password")
    axe_check(member)
    member.get_by_label("New password", exact=True).fill("password1234")
    member.get_by_label("Enter the new password again").fill("password1234")
    member.get_by_role("button", name="Set password").click()
    expect(member.locator(".govuk-error-summary")).to_contain_text("most common passwords")
    member.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    member.get_by_label("Enter the new password again").fill(NEW_PASSWORD)
    member.get_by_role("button", name="Set password").click()
    expect(member.locator(".govuk-notification-banner")).to_contain_text("Your password is set")
    sign_in(member, NEW, NEW_PASSWORD)

    # they turn on two-factor sign-in with the key the page shows
    member.get_by_role("link", name="Two-factor sign-in").click()
    expect(member.locator("#two-factor-status")).to_contain_text("Two-factor sign-in is off")
    axe_check(member)
    member.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(member.locator(".app-qr-code svg")).to_be_visible()
    axe_check(member)
    secret = member.locator("#totp-secret").inner_text().replace(" ", "")
    member.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    member.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(member.locator("#recovery-codes li")).to_have_count(10)
    axe_check(member)
    member.get_by_role("link", name="Continue").click()
    expect(member.locator("#two-factor-status")).to_contain_text("Two-factor sign-in is on")
    member.get_by_role("button", name="Sign out").click()
    member.wait_for_url("**/sign-in")

    # signing in now takes the code; then they declare and score
    sign_in_with_code(member, secret, axe_check)
    member.goto("/vacancies/TST-01/conflicts")
    member.get_by_label("I have read every name above").check()
    member.get_by_role("button", name="Save declarations").click()
    member.goto("/vacancies/TST-01/scoring/A002")
    axe_check(member)
    member.locator("input[name='score-K1'][value='2']").check()
    member.locator("input[name='score-D1'][value='1']").check()
    member.get_by_role("button", name="Submit scores").click()
    expect(member.locator(".govuk-notification-banner")).to_contain_text("Your scores for A002 are submitted")
    axe_check(member)
