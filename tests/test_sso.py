"""Single sign-on against a real OpenID provider (tests/oidc: panva's oidc-provider on
127.0.0.1): the authorization code flow with PKCE, state and nonce, through the provider's
own sign-in page; and each way a sign-in is refused, with a clear message and nothing
created (no account, no link, no session)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.integrations.flask_client import FlaskOAuth2App
from flask import Flask
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AuditEvent, SsoAttempt, SsoIdentity, User, UserSession
from shortlist.services import organisations, sso
from shortlist.services.users import upsert_user
from shortlist.models import Role
from shortlist.services.audit import CLI
from tests.oidc.fixtures import KENT, LocalProvider, other_key
from tests.pages import page

ADA = f"ada.lovelace@{KENT}"
BEN = f"ben.okri@{KENT}"


@pytest.fixture
def kent(app: Flask, oidc_provider: LocalProvider) -> Iterator[Callable[..., None]]:
    """Kent County Council (an organisation, code KENT, its staff at KENT's domain) signs its
    people in through the test provider; ``kent(**settings)`` changes its provider settings, and
    ``kent(password_sign_in=False)`` the organisation's own."""
    organisations.create(CLI, "Kent County Council", "KENT", KENT)

    def configure(password_sign_in: bool | None = None, **overrides: Any) -> None:
        app.config["SSO_CONNECTIONS"] = {"KENT": oidc_provider.settings(**overrides)}
        if password_sign_in is not None:
            organisations.set_password_sign_in(CLI, "KENT", password_sign_in)

    configure()
    yield configure
    app.config.pop("SSO_CONNECTIONS", None)


def _user(email: str, role: Role = Role.RECRUITING_MANAGER) -> User:
    return upsert_user(email, "Ada Lovelace", role, None, CLI)


def _go_to_provider(client: Any, path: str = "/sign-in/sso/KENT") -> str:
    response = client.get(path)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.location


def _sign_in(client: Any, provider: LocalProvider, login: str, path: str = "/sign-in/sso/KENT") -> Any:
    """The whole flow: to the provider, its sign-in page, back to the app's callback."""
    back = _go_to_provider(client, path)
    callback = provider.sign_in(back, login)
    assert callback.startswith("http://localhost/sign-in/sso/callback?"), callback
    return client.get(callback.removeprefix("http://localhost"))


def _counts() -> tuple[int, int, int]:
    db.session.remove()
    return (db.session.scalar(select(func.count()).select_from(User)) or 0,
            db.session.scalar(select(func.count()).select_from(SsoIdentity)) or 0,
            db.session.scalar(select(func.count()).select_from(UserSession)) or 0)


def _refusals() -> list[str]:
    db.session.remove()
    return [e.data["reason"] for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.sso_refused").order_by(AuditEvent.seq))]


def _refused(response: Any, *words: str) -> str:
    assert response.status_code == 403, response.status_code
    text = page(response).select_one("#sso-refusal").get_text(" ", strip=True)
    for word in words:
        assert word in text, text
    return text


def _claims(id_token: str) -> dict[str, Any]:
    body = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _tamper(monkeypatch: pytest.MonkeyPatch, provider: LocalProvider, change: Callable[[dict[str, Any]], None],
            key: Any = None) -> None:
    """The ID token the provider really issued, its claims changed by ``change`` and signed
    again (with the provider's own key unless ``key``): what an attacker or a broken
    provider might send. The app's checks are what is exercised."""
    original = FlaskOAuth2App.fetch_access_token

    def fetch(self: FlaskOAuth2App, *args: Any, **kwargs: Any) -> Any:
        token = original(self, *args, **kwargs)
        claims = _claims(token["id_token"])
        change(claims)
        token["id_token"] = provider.forge(claims, key)
        return token

    monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token", fetch)


# --------------------------------------------------------------------------- signing in


def test_the_request_to_the_provider_uses_pkce_state_and_nonce(client: Any, kent: Any, oidc_provider: LocalProvider) -> None:
    url = _go_to_provider(client)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(oidc_provider.issuer + "/auth?")
    assert query["response_type"] == "code"
    assert query["client_id"] == oidc_provider.client_id
    assert query["redirect_uri"] == "http://localhost/sign-in/sso/callback"
    assert set(query["scope"].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    # the verifier and nonce stay on the server; only the state's hash is stored
    attempt = db.session.scalars(select(SsoAttempt)).one()
    assert attempt.state_hash != query["state"] and attempt.nonce == query["nonce"]


def test_first_sign_in_links_the_existing_account_by_its_verified_email(client: Any, kent: Any,
                                                                        oidc_provider: LocalProvider) -> None:
    user_id = _user(ADA).id
    response = _sign_in(client, oidc_provider, "ada", "/sign-in/sso/KENT?next=/account/training")
    assert response.status_code == 302 and response.location == "/account/training"
    assert client.get("/vacancies").status_code == 200  # signed in
    identity = db.session.scalars(select(SsoIdentity)).one()
    assert (identity.user_id, identity.subject, identity.issuer) == (user_id, "ada", oidc_provider.issuer)
    db.session.remove()
    assert db.session.get(User, user_id).role == Role.RECRUITING_MANAGER  # a linked account keeps its role
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions[-2:] == ["auth.sso_linked", "auth.login"]
    assert _counts() == (1, 1, 1)

    # the next sign-in finds the link (no second one), and starts a new session
    client.post("/sign-out")
    assert _sign_in(client, oidc_provider, "ada").status_code == 302
    assert _counts() == (1, 1, 2)


def test_an_organisation_that_allows_it_gets_an_account_with_the_mapped_role(client: Any, kent: Any,
                                                                             oidc_provider: LocalProvider) -> None:
    kent(create_accounts=True, role_claim="groups",
         role_map={"shortlist-hr": "hr_admin", "shortlist-managers": "recruiting_manager"})
    assert _sign_in(client, oidc_provider, "ada").status_code == 302
    ada = db.session.scalar(select(User).where(User.email == ADA))
    assert (ada.role, ada.name, ada.password_hash) == ("hr_admin", "Ada Lovelace", None)
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.created")).one()
    kent_id = organisations.by_code("KENT").id
    assert created.data == {"email": ADA, "role": "hr_admin", "organisation_id": kent_id}
    assert [(r.organisation_id, r.role) for r in ada.organisation_roles] == [(kent_id, "hr_admin")]  # HR of Kent
    client.post("/sign-out")
    # no group that maps: the least role; a name from given and family names; the address in lower case
    assert _sign_in(client, oidc_provider, "ben").status_code == 302
    assert db.session.scalar(select(User.role).where(User.email == BEN)) == "panel_member"
    client.post("/sign-out")
    assert _sign_in(client, oidc_provider, "cat").status_code == 302
    cat = db.session.scalar(select(User).where(User.email == f"cat.jones@{KENT}"))
    assert (cat.name, cat.role) == ("Cat Jones", "recruiting_manager")


def test_no_account_and_the_organisation_does_not_create_them(client: Any, kent: Any,
                                                              oidc_provider: LocalProvider) -> None:
    _refused(_sign_in(client, oidc_provider, "ben"), f"There is no Shortlist account for {BEN}",
             "Ask HR at Kent County Council to invite you")
    assert _counts() == (0, 0, 0)
    assert _refusals() == ["no_account"]


def test_a_deactivated_account_is_refused(client: Any, kent: Any, oidc_provider: LocalProvider) -> None:
    user = _user(ADA)
    user.active = False
    db.session.commit()
    _refused(_sign_in(client, oidc_provider, "ada"), "has been deactivated")
    assert _counts() == (1, 0, 0)


# --------------------------------------------------------------------------- refusals


def test_an_unverified_email_is_refused(client: Any, kent: Any, oidc_provider: LocalProvider) -> None:
    kent(create_accounts=True)
    _refused(_sign_in(client, oidc_provider, "una"), f"una.verified@{KENT}", "is not verified")
    assert _counts() == (0, 0, 0)
    assert _refusals() == ["email_not_verified"]


def test_a_trusted_issuer_vouches_for_its_domains_but_not_for_an_explicit_false(
        client: Any, kent: Any, oidc_provider: LocalProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    kent(create_accounts=True, trust_domains=True)
    _refused(_sign_in(client, oidc_provider, "una"), "is not verified")  # says false: refused still
    _tamper(monkeypatch, oidc_provider, lambda claims: claims.pop("email_verified"))  # as Entra ID: no claim
    assert _sign_in(client, oidc_provider, "una").status_code == 302
    assert _counts() == (1, 1, 1)


def test_a_domain_the_organisation_does_not_allow_is_refused(client: Any, kent: Any,
                                                             oidc_provider: LocalProvider) -> None:
    kent(create_accounts=True)
    _refused(_sign_in(client, oidc_provider, "dom"), f"@{KENT} only", "dom.outsider@elsewhere.example.com")
    assert _counts() == (0, 0, 0)
    assert _refusals() == ["domain_not_allowed"]


def test_a_replayed_answer_is_refused(client: Any, kent: Any, oidc_provider: LocalProvider) -> None:
    _user(ADA)
    callback = oidc_provider.sign_in(_go_to_provider(client), "ada").removeprefix("http://localhost")
    with client.session_transaction() as session:
        copied = dict(session)  # an attacker's copy of the cookie as it was
    assert client.get(callback).status_code == 302
    client.post("/sign-out")
    before = _counts()
    _refused(client.get(callback), "already been used")  # the same browser again
    with client.session_transaction() as session:
        session.update(copied)  # the cookie as it was before the first answer: the state is still in it
    _refused(client.get(callback), "already been used")
    assert _counts() == before
    assert _refusals() == ["state_mismatch", "state_unknown"]


def test_an_answer_after_ten_minutes_is_refused(client: Any, kent: Any, oidc_provider: LocalProvider) -> None:
    from datetime import timedelta

    _user(ADA)
    callback = oidc_provider.sign_in(_go_to_provider(client), "ada").removeprefix("http://localhost")
    attempt = db.session.scalars(select(SsoAttempt)).one()
    attempt.created_at -= timedelta(minutes=11)
    db.session.commit()
    _refused(client.get(callback), "has expired")
    assert _counts() == (1, 0, 0)
    assert _refusals() == ["state_expired"]
    assert db.session.scalar(select(func.count()).select_from(SsoAttempt)) == 0  # used up all the same


def test_an_answer_for_a_sign_in_started_in_another_browser_is_refused(client: Any, app: Flask, kent: Any,
                                                                       oidc_provider: LocalProvider) -> None:
    """Login CSRF: an attacker's own code and state, sent to the victim's browser."""
    _user(ADA)
    attacker = app.test_client()
    callback = oidc_provider.sign_in(_go_to_provider(attacker), "ada").removeprefix("http://localhost")
    _refused(client.get(callback), "started in another browser")
    assert _counts() == (1, 0, 0)


def test_a_forged_token_signed_with_the_providers_own_key_and_unchanged_is_accepted(
        client: Any, kent: Any, oidc_provider: LocalProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control for the forgeries below: re-signing alone changes nothing."""
    _user(ADA)
    _tamper(monkeypatch, oidc_provider, lambda claims: None)
    assert _sign_in(client, oidc_provider, "ada").status_code == 302


@pytest.mark.parametrize(("change", "reason", "words"), [
    (lambda c: c.update(aud="another-application", azp="another-application"), "wrong_audience",
     "issued for another application"),
    (lambda c: c.update(aud=["another-application"]), "wrong_audience", "issued for another application"),
    (lambda c: c.update(exp=int(time.time()) - 600, iat=int(time.time()) - 1200), "token_expired", "had expired"),
    (lambda c: c.update(iss="https://login.example.net/other"), "wrong_issuer", "another sign-in service"),
    (lambda c: c.update(nonce="a-nonce-from-another-sign-in"), "nonce_mismatch", "belongs to another sign-in"),
], ids=["audience", "audience-list", "expired", "issuer", "nonce"])
def test_a_token_with_the_wrong_claims_is_refused(client: Any, kent: Any, oidc_provider: LocalProvider,
                                                  monkeypatch: pytest.MonkeyPatch, change: Any, reason: str,
                                                  words: str) -> None:
    _user(ADA)
    _tamper(monkeypatch, oidc_provider, change)
    _refused(_sign_in(client, oidc_provider, "ada"), words, "Nothing was changed")
    assert _counts() == (1, 0, 0)
    assert _refusals() == [reason]


def test_a_token_with_a_bad_signature_is_refused(client: Any, kent: Any, oidc_provider: LocalProvider,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _user(ADA)
    _tamper(monkeypatch, oidc_provider, lambda claims: None, key=other_key())
    _refused(_sign_in(client, oidc_provider, "ada"), "signature does not match Kent County Council")
    # signed with another key under the provider's own key id
    stranger = other_key()
    stranger = type(stranger).import_key(stranger.as_dict(private=True) | {"kid": oidc_provider.key.kid})
    _tamper(monkeypatch, oidc_provider, lambda claims: None, key=stranger)
    _refused(_sign_in(client, oidc_provider, "ada"), "signature does not match")
    assert _counts() == (1, 0, 0)
    assert _refusals() == ["bad_signature", "bad_signature"]


def test_the_provider_saying_no_is_refused(client: Any, kent: Any) -> None:
    back = _go_to_provider(client)
    state = parse_qs(urlsplit(back).query)["state"][0]
    response = client.get(f"/sign-in/sso/callback?error=access_denied&error_description=User+cancelled&state={state}")
    _refused(response, "did not sign you in", "User cancelled")
    assert _counts() == (0, 0, 0)


def test_an_unreachable_provider_is_a_clear_message(client: Any, app: Flask, kent: Any) -> None:
    kent(issuer="http://127.0.0.1:9", name="Kent County Council")
    response = client.get("/sign-in/sso/KENT")
    assert response.status_code == 503
    assert "could not reach Kent County Council" in page(response).select_one("#sso-refusal").get_text()


# --------------------------------------------------------------------------- the sign-in page, password, sign-out


def test_the_sign_in_page_offers_the_organisations_sign_in(client: Any, kent: Any) -> None:
    doc = page(client.get("/sign-in?next=/hr/"))
    link = doc.find("a", string=lambda s: s and "Sign in with Kent County Council" in s)
    assert link["href"] == "/sign-in/sso/KENT?next=/hr/"


def test_the_sign_in_page_offers_none_when_no_organisation_has_it(client: Any) -> None:
    assert "Sign in with your organisation" not in client.get("/sign-in").get_data(as_text=True)


def test_a_work_email_address_finds_its_organisations_sign_in(client: Any, kent: Any,
                                                              oidc_provider: LocalProvider) -> None:
    response = client.post("/sign-in/sso", data={"email": f"Ada.Lovelace@{KENT.upper()}"})
    assert response.status_code == 302 and response.location.startswith(oidc_provider.issuer + "/auth?")
    assert parse_qs(urlsplit(response.location).query)["login_hint"] == [ADA]
    doc = page(client.post("/sign-in/sso", data={"email": "someone@elsewhere.example.com"}))
    assert "No organisation signs in people with this email address" in doc.select_one(".govuk-error-message").text


def test_password_sign_in_turned_off_sends_the_person_to_their_provider(client: Any, kent: Any,
                                                                         oidc_provider: LocalProvider) -> None:
    upsert_user(ADA, "Ada Lovelace", Role.HR_ADMIN, "a long and unusual passphrase", CLI)
    kent(password_sign_in=False)
    response = client.post("/sign-in", data={"email": ADA, "password": "a long and unusual passphrase"})
    assert response.status_code == 302 and response.location.startswith("/sign-in/sso/KENT?")
    assert client.get("/vacancies").status_code == 302  # not signed in by the password
    assert _counts()[2] == 0
    # another organisation's people still sign in with a password
    upsert_user("someone@elsewhere.example.com", "Someone", Role.HR_ADMIN, "another unusual passphrase", CLI)
    response = client.post("/sign-in", data={"email": "someone@elsewhere.example.com",
                                              "password": "another unusual passphrase"})
    assert response.location == "/vacancies"


def test_signing_out_offers_the_providers_end_session(client: Any, kent: Any, oidc_provider: LocalProvider) -> None:
    _user(ADA)
    _sign_in(client, oidc_provider, "ada")
    response = client.post("/sign-out")
    assert response.location == "/signed-out"
    assert client.get("/vacancies").status_code == 302  # the local session has ended
    assert db.session.scalars(select(UserSession)).one().ended_reason == "logout"
    doc = page(client.get("/signed-out"))
    link = doc.find("a", string=lambda s: s and "Sign out of Kent County Council too" in s)
    query = parse_qs(urlsplit(link["href"]).query)
    assert link["href"].startswith(oidc_provider.issuer + "/session/end?")
    assert query == {"client_id": [oidc_provider.client_id], "post_logout_redirect_uri": ["http://localhost/sign-in"]}


def test_a_password_sign_out_goes_straight_back_to_the_sign_in_page(client: Any, kent: Any) -> None:
    upsert_user(BEN, "Ben Okri", Role.HR_ADMIN, "a long and unusual passphrase", CLI)
    client.post("/sign-in", data={"email": BEN, "password": "a long and unusual passphrase"})
    assert client.post("/sign-out").location == "/sign-in"


def test_an_unknown_organisation_is_not_found(client: Any, kent: Any) -> None:
    assert client.get("/sign-in/sso/nowhere").status_code == 404


# --------------------------------------------------------------------------- the settings file


def test_the_settings_file_configures_the_organisations_sign_in(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file gives an organisation's provider, under its code; the organisation's row decides
    its name, the addresses its single sign-on serves (its e-mail domains, narrowed to the
    file's when it lists some) and whether its people may use a password (issue 17)."""
    from shortlist import create_app
    from shortlist.config import ConfigError

    path = tmp_path / "sso.json"
    path.write_text(json.dumps({
        "KCC": {"name": "Kent (the file's label)", "issuer": "https://login.example.net/kent",
                "client_id": "shortlist", "client_secret_env": "KCC_SSO_SECRET", "domains": [KENT]},
        "NOPE": {"issuer": "https://login.example.net/nope", "client_id": "x", "client_secret": "y"}}))
    monkeypatch.setenv("SSO_SETTINGS_FILE", str(path))
    monkeypatch.setenv("KCC_SSO_SECRET", "from-the-environment")
    url = f"sqlite:///{tmp_path / 'other.db'}"
    other = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
    with other.app_context():
        db.create_all()
        organisations.create(CLI, "Kent County Council", "KCC", f"{KENT}\nmedway.example.gov.uk")
        (kcc,) = sso.connections()  # NOPE: no organisation has that code
        assert (kcc.code, kcc.name, kcc.client_secret) == ("KCC", "Kent County Council", "from-the-environment")
        assert kcc.domains == {KENT} and sso.for_email("a@medway.example.gov.uk") is None
        assert kcc.password_sign_in and sso.password_refused(f"someone@{KENT}") is None
        organisations.set_password_sign_in(CLI, "kcc", False)
        (kcc,) = sso.connections()
        assert sso.password_refused(f"someone@{KENT}") == kcc and sso.password_refused("a@b.example.org") is None
        assert sso.connection("nope") is None and sso.connection("kcc") == kcc
        changed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.sign_in_changed"))
        assert changed.data["code"] == "KCC" and changed.data["password_sign_in"] is False
        db.session.remove()
        db.engine.dispose()
    monkeypatch.delenv("KCC_SSO_SECRET")
    with pytest.raises(ConfigError, match="KCC: client_secret_env names KCC_SSO_SECRET, which is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    path.write_text("{not json")
    with pytest.raises(ConfigError, match=r"single sign-on settings .*sso.json: Expecting property name"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
