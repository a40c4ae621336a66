"""Sessions and requests: CSRF on every state-changing request (with CSRF on, as in
production), the session cookie's flags, a fresh session at sign-in, sign-out that
really ends the session, the idle and absolute timeouts, and the security headers on
every kind of response."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from shortlist import create_app
from shortlist.extensions import db
from shortlist.models import Role, UserSession
from shortlist.models.base import utcnow
from shortlist.services import jobs
from tests import access_world, db_snapshot
from tests.app_fixtures import TEST_SECRET, IsolatedClient, empty_tables, login
from tests.factories import PASSWORD, make_user
from tests.test_access_matrix import COLUMNS, DENIED, IDOR_ACTORS, LOGIN, MATRIX, rules_by_key, status_of

USER = "user@example.org"


def _app(app: Flask, **config: Any) -> Flask:
    """Another app on the test database, with some settings changed (see `another_app`)."""
    other = create_app({
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": TEST_SECRET,
        "TESTING": True, "PASSWORD_SCRYPT_LOG2_N": 14, **config})
    other.test_client_class = IsolatedClient
    return other


@contextmanager
def another_app(app: Flask, **config: Any) -> Iterator[Flask]:
    """`_app`, its database connections closed afterwards."""
    other = _app(app, **config)
    try:
        yield other
    finally:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def csrf_app(app: Flask) -> Iterator[Flask]:
    with another_app(app, WTF_CSRF_ENABLED=True) as other:
        yield other


def _token(client: Any, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


# --------------------------------------------------------------------------- CSRF


@pytest.fixture(scope="module")
def demo_data(app: Flask) -> Iterator[Any]:
    """The access matrix's two vacancies, built once; each test restores them (the name
    overrides conftest's fixture, so the tables are not emptied between these tests)."""
    with app.app_context():
        empty_tables()
        a, b = access_world.build()
        snapshot = db_snapshot.take()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "submit", lambda doc_id: None)
        yield snapshot, a, b
    with app.app_context():
        empty_tables()


def _post_rules() -> list[str]:
    from tests.test_access_matrix import _cells

    return [f"{m} {r}" for m, r in _cells() if m == "POST" and not r.startswith("/api/")]


def _api_post_rules() -> list[str]:
    from tests.test_access_matrix import _cells

    return [f"{m} {r}" for m, r in _cells() if m == "POST" and r.startswith("/api/")]


def _actor(key: str) -> str | None:
    """Someone the matrix lets in (so that only the missing token can refuse them)."""
    row = dict(zip(COLUMNS, MATRIX[key], strict=True))
    if row["anon"] not in DENIED:
        return None
    for column in (*IDOR_ACTORS, "sysadmin"):
        if row[column] not in (403, 404):  # (signing out ends on the sign-in page: LOGIN)
            return column
    pytest.fail(f"{key}: nobody in the access matrix may use it")


@pytest.mark.parametrize("key", _post_rules())
def test_every_post_is_refused_without_a_csrf_token(app, csrf_app, demo_data, key):
    snapshot, a, _b = demo_data
    assert key in MATRIX, f"{key} has no row in the access matrix (tests/test_access_matrix.py)"
    from tests.test_access_matrix import build_path

    path = build_path(rules_by_key(csrf_app)[key], a)
    column = _actor(key)
    db_snapshot.restore(snapshot)
    client = csrf_app.test_client()
    if column:
        login(client, access_world.WHO[column])
    refused = client.post(path, data={"email": access_world.HR, "password": PASSWORD})
    assert refused.status_code == 400, f"{key} as {column}: {refused.status_code} without a CSRF token"
    assert "Sorry, there is a problem with the request" in refused.get_data(as_text=True)
    assert db_snapshot.differences(snapshot, db_snapshot.take()) == []

    # the same request with the page's token gets past the check: the status the matrix expects
    token = _token(client, "/sign-in" if column is None else "/vacancies")
    accepted = client.post(path, data={"csrf_token": token})
    expected = dict(zip(COLUMNS, MATRIX[key], strict=True))[column or "anon"]
    assert status_of(accepted) == expected, f"{key} as {column} with a token"


@pytest.mark.parametrize("key", _api_post_rules())
def test_the_api_takes_no_session_so_a_forged_post_gets_nowhere(app, csrf_app, demo_data, key):
    """The JSON API is exempt from the CSRF token because a browser's session cookie does not
    authenticate it (only an integration's bearer token does): HR's signed-in browser posting to it
    without a token is refused (401) and nothing is written."""
    snapshot, a, _b = demo_data
    from tests.test_access_matrix import build_path

    path = build_path(rules_by_key(csrf_app)[key], a)
    db_snapshot.restore(snapshot)
    client = csrf_app.test_client()
    login(client, access_world.WHO["hr"])
    refused = client.post(path, json={"applications": [], "url": "https://example.org/hook"})
    assert refused.status_code == 401, f"{key}: {refused.status_code} for a signed-in browser"
    assert db_snapshot.differences(snapshot, db_snapshot.take()) == []


def test_a_token_from_another_session_is_refused(app, csrf_app, demo_data):
    snapshot, _a, _b = demo_data
    db_snapshot.restore(snapshot)
    mine, theirs = csrf_app.test_client(), csrf_app.test_client()
    login(mine, access_world.CHAIR)
    login(theirs, access_world.HR)
    stolen = _token(theirs, "/vacancies")
    response = mine.post("/vacancies/VAC-A/cap", data={"csrf_token": stolen, "places": "1", "reason": "Rooms"})
    assert response.status_code == 400
    assert db_snapshot.differences(snapshot, db_snapshot.take()) == []


# --------------------------------------------------------------------------- cookies


@pytest.fixture
def user():
    return make_user(USER, Role.HR_ADMIN, name="Uma User", password=PASSWORD)


def _set_cookie(response: Any) -> str:
    cookies = [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[-1]


def test_the_session_cookie_is_httponly_and_samesite_lax(client, user):
    response = client.post("/sign-in", data={"email": USER, "password": PASSWORD})
    assert response.status_code == 302
    cookie = _set_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development serves plain http on 127.0.0.1


def test_the_session_cookie_is_secure_outside_development(app, monkeypatch):
    monkeypatch.setenv("SHORTLIST_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-from-the-environment")
    production = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["REMEMBER_COOKIE_SECURE"] is True
    with production.app_context():
        response = production.test_client().get("/sign-in")
        db.engine.dispose()
    cookie = _set_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# --------------------------------------------------------------------------- rotation, sign-out, timeouts


def _cookie(client: Any) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_signing_in_starts_a_new_session(client, user):
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "set before sign-in, e.g. by someone fixing the session"
    before = _cookie(client)
    response = client.post("/sign-in", data={"email": USER, "password": PASSWORD})
    assert response.status_code == 302
    assert _cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["sid"]
    assert client.get("/vacancies").status_code == 200


def test_a_copied_session_cookie_is_worthless_after_sign_out(app, client, user):
    client.post("/sign-in", data={"email": USER, "password": PASSWORD})
    copied = _cookie(client)
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/vacancies").status_code == 200  # the copy works while the session lives

    client.post("/sign-out")
    assert status_of(client.get("/vacancies")) == LOGIN
    assert status_of(thief.get("/vacancies")) == LOGIN  # and not after sign-out
    ended = db.session.scalar(db.select(UserSession.ended_reason))
    assert ended == "logout"


def _age_session(**ago: timedelta) -> None:
    values = {column: utcnow() - delta for column, delta in ago.items()}
    with db.engine.begin() as conn:
        conn.execute(update(UserSession).values(**values))


def test_an_idle_session_ends_after_the_configured_minutes(app, client, user, monkeypatch):
    assert app.config["SESSION_IDLE_MINUTES"] == 30  # the default
    login(client, USER)
    _age_session(last_seen_at=timedelta(minutes=29))
    assert client.get("/vacancies").status_code == 200
    # the request counted as activity
    assert utcnow() - db.session.scalar(db.select(UserSession.last_seen_at)) < timedelta(minutes=1)

    _age_session(last_seen_at=timedelta(minutes=31))
    response = client.get("/vacancies")
    assert status_of(response) == LOGIN
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out because you had not used the service for 30 minutes" in page
    assert db.session.scalar(db.select(UserSession.ended_reason)) == "idle"
    # signing in again works
    assert client.post("/sign-in", data={"email": USER, "password": PASSWORD}).status_code == 302
    assert client.get("/vacancies").status_code == 200

    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    _age_session(last_seen_at=timedelta(minutes=6))
    assert status_of(client.get("/vacancies")) == LOGIN


def test_the_idle_timeout_comes_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "10")
    assert _app(app).config["SESSION_IDLE_MINUTES"] == 10


def test_a_session_ends_after_its_absolute_lifetime_however_active(client, user):
    login(client, USER)
    _age_session(created_at=timedelta(hours=8, minutes=1))
    assert status_of(client.get("/vacancies")) == LOGIN
    assert db.session.scalar(db.select(UserSession.ended_reason)) == "expired"


def test_a_new_password_ends_the_users_sessions(client, user):
    from shortlist.services import audit, users

    login(client, USER)
    assert client.get("/vacancies").status_code == 200
    users.upsert_user(USER, "Uma User", Role.HR_ADMIN, "a-completely-new-passphrase", audit.CLI)
    assert status_of(client.get("/vacancies")) == LOGIN


def test_a_session_cookie_without_a_session_row_is_not_signed_in(client, user):
    """A cookie signed with the key but naming no live session (as before sessions were
    kept, or made by hand) signs nobody in."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert status_of(client.get("/vacancies")) == LOGIN


def test_one_users_session_token_does_not_sign_in_another(client, user):
    other = make_user("other.user@example.org", Role.HR_ADMIN)
    login(client, USER)
    with client.session_transaction() as session:
        session["_user_id"] = str(other.id)
    assert status_of(client.get("/vacancies")) == LOGIN


# --------------------------------------------------------------------------- headers


def _csp(response: Any) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def assert_security_headers(response: Any) -> None:
    csp = _csp(response)
    script = csp.get("script-src") or csp["default-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, script
    assert "*" not in script and "data:" not in script
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in (csp.get("style-src") or [])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.fixture(scope="module")
def error_app(app: Flask) -> Iterator[Flask]:
    """An app with a route that fails, registered only here."""
    with another_app(app) as failing:

        @failing.get("/test-only/boom")
        def boom():  # noqa: ANN202
            raise RuntimeError("Alice Adams <alice@example.net> failed the DBS check")

        failing.view_functions["boom"].access_rule = "public"  # type: ignore[attr-defined]
        yield failing


def test_every_kind_of_response_carries_the_security_headers(client, error_app, user):
    responses = {
        "page": client.get("/sign-in"),
        "redirect": client.get("/"),
        "not found": client.get("/no-such-page"),
        "static file": client.get("/assets/app.css"),
        "json": client.get("/health"),
        "method not allowed": client.get("/sign-out"),
    }
    with error_app.app_context():
        responses["server error"] = error_app.test_client().get("/test-only/boom")
    assert responses["server error"].status_code == 500
    assert responses["not found"].status_code == 404
    for name, response in responses.items():
        try:
            assert_security_headers(response)
        except (AssertionError, KeyError) as exc:
            raise AssertionError(f"{name}: {exc!r}") from exc
        finally:
            response.close()


def test_inline_scripts_carry_the_requests_nonce(client, user):
    login(client, USER)
    response = client.get("/vacancies")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)  # no inline event handlers
    # a new nonce for every response
    again = client.get("/vacancies").headers["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" not in again


def test_pages_with_personal_data_are_not_cached(client, user):
    login(client, USER)
    assert client.get("/vacancies").headers["Cache-Control"] == "no-store"
    with client.get("/assets/app.css") as static:
        assert static.headers.get("Cache-Control") != "no-store"  # static files may be cached
