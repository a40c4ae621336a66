"""Single sign-on in the browser, through the test OpenID provider's real sign-in page
(tests/oidc: panva's oidc-provider): a Kent HR officer's first sign-in makes their account
with the role their group maps to; signing out offers the provider's sign-out; a person
outside Kent's domains is refused with a clear message. Every page of ours is checked with axe."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import SsoIdentity, User
from tests.oidc.fixtures import KENT, PASSWORD


@pytest.fixture
def kent(app: Flask, browser_oidc_provider: Any) -> Iterator[Any]:
    """Kent County Council, an organisation (code KENT, its staff at KENT's domain), signs its
    people in through the test provider."""
    from shortlist.services import audit, organisations

    organisations.create(audit.CLI, "Kent County Council", "KENT", KENT)
    app.config["SSO_CONNECTIONS"] = {"KENT": browser_oidc_provider.settings(
        create_accounts=True, role_claim="groups", role_map={"shortlist-hr": "hr_admin"})}
    yield browser_oidc_provider
    app.config.pop("SSO_CONNECTIONS", None)


def _provider_sign_in(page: Page, issuer: str, login: str) -> None:
    page.wait_for_url(f"{issuer}/interaction/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider: sign in")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_hr_officer_signs_in_with_their_organisation_and_out_of_both(page: Page, axe_check: Any,
                                                                         kent: Any) -> None:
    page.goto("/sign-in")
    axe_check(page)
    page.get_by_role("button", name="Sign in with Kent County Council").click()
    _provider_sign_in(page, kent.issuer, "ada")
    page.wait_for_url("**/vacancies")
    expect(page.locator(".app-user-bar")).to_contain_text("Ada Lovelace")
    expect(page.locator(".app-user-bar")).to_contain_text("HR administrator")
    axe_check(page)
    db.session.remove()
    ada = db.session.scalar(select(User).where(User.email == f"ada.lovelace@{KENT}"))
    assert ada is not None and ada.role == "hr_admin" and ada.password_hash is None
    assert db.session.scalar(select(SsoIdentity.subject).where(SsoIdentity.user_id == ada.id)) == "ada"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signed-out")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out of Shortlist")
    axe_check(page)
    page.get_by_role("button", name="Sign out of Kent County Council too").click()
    page.wait_for_url(f"{kent.issuer}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url("**/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Shortlist")

    # signed out of the provider too: the next sign-in asks for a password again
    page.get_by_role("link", name="Find your organisation’s sign-in from your work email address").click()
    page.wait_for_url("**/sign-in/sso")
    axe_check(page)
    page.get_by_label("Your work email address").fill("dom.outsider@elsewhere.example.com")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("No organisation signs in people with this email")
    axe_check(page)
    page.goto("/sign-in/sso/KENT")
    _provider_sign_in(page, kent.issuer, "dom")
    page.wait_for_url("**/sign-in/sso/callback**")
    expect(page.get_by_role("heading", level=1)).to_have_text("You could not be signed in")
    expect(page.locator("#sso-refusal")).to_contain_text(f"@{KENT} only")
    axe_check(page)
    db.session.remove()
    assert db.session.scalar(select(User).where(User.email.like("dom.%"))) is None
