"""The database fixtures (a plugin of tests/conftest.py): one app per session on the
database named by TEST_DATABASE_URL (default: a SQLite file), its schema built by the
migrations, every table emptied after each test.

Opt-in by folder: a test outside the pure folders (PURE: the rules engine, the importer, the
criteria library) runs inside the app, on an empty database; a pure test builds no app.

Pages are read through ``client_request`` (as GOV.UK Notify's admin does): signed in once with
``client_request.login(email)``, then ``client_request.get("vacancies.overview",
reference="TST-01")`` returns the parsed page, asserting its status (``_expected_status``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from bs4 import BeautifulSoup
from sqlalchemy import text

from tests.pages import page

from shortlist import create_app
from shortlist.extensions import db

#: the account tests' shared set-up (panel_accounts), a plugin of this one
pytest_plugins = ["tests.account_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TEST_SECRET = "test-secret-key-not-for-production"
TESTS = Path(__file__).resolve().parent
#: folders of pure tests: no app, no database
PURE = tuple(TESTS / name for name in ("rules", "specimport", "library"))


def is_pure(path: Path) -> bool:
    return any(path.is_relative_to(folder) for folder in PURE)


def _database_url(tmp_dir: Path) -> str:
    """TEST_DATABASE_URL (default: a SQLite file in the session's temporary folder). Under
    pytest-xdist each worker has a PostgreSQL database of its own, named after the configured
    one with the worker's id (test_gw0, test_gw1, ...), created when missing."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.db'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and url.startswith("postgresql"):
        url = _worker_database(url, worker)
    return url


def _worker_database(url: str, worker: str) -> str:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    server = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_everything() -> None:
    """Leave an empty database: the suite builds it from the migrations."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    url = _database_url(tmp_path_factory.mktemp("db"))
    application = create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": TEST_SECRET,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        # cheaper password hashes (2**14); tests/test_security_login.py checks the production cost
        "PASSWORD_SCRYPT_LOG2_N": 14,
        # e-mail stays in the outbox until a test delivers it (tests/test_outbox.py turns this on)
        "MAIL_DELIVER_AFTER_COMMIT": False,
        # HR signs in with a password alone here, as the other tests expect; production requires a
        # second factor for HR (tests/test_two_factor.py turns it on and checks it)
        "TWO_FACTOR_REQUIRED_ROLES": (),
        # webhook deliveries wait like e-mail (tests/test_webhooks.py turns this on)
        "WEBHOOK_DELIVER_AFTER_COMMIT": False,
    })
    with application.app_context():
        _drop_everything()
        upgrade(directory=application.extensions["migrate"].directory)
    yield application
    with application.app_context():
        db.engine.dispose()


def empty_tables() -> None:
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        # DELETE in dependency order: on PostgreSQL, TRUNCATE of every table costs about
        # half a second a test; these tables hold a handful of rows.
        for table in tables:
            conn.execute(text(f'DELETE FROM "{table}"'))
        if conn.dialect.name == "postgresql":  # ids start again at 1, as on a fresh database
            conn.execute(text("SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                              "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"))


@pytest.fixture(autouse=True)
def _app_context(request: pytest.FixtureRequest) -> Iterator[None]:
    if is_pure(request.node.path):
        yield
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        yield
        # Read-only tests share data loaded once per module (`demo_data`), emptied at its end.
        if "demo_data" not in request.fixturenames:
            empty_tables()


@pytest.fixture(scope="module")
def demo_data(app: Flask) -> Iterator[None]:
    """The demo users and seed campaigns, loaded once for a module of read-only tests."""
    with app.app_context():
        empty_tables()
        result = app.test_cli_runner().invoke(args=["demo", "--keep"])
        assert result.exit_code == 0, result.output
        db.session.remove()
    yield
    with app.app_context():
        empty_tables()


class IsolatedClient(FlaskClient):
    """Each request starts as it would in production: no cached user, a fresh DB session.

    The tests keep an app context open, which requests would otherwise share (and
    with it `g`, where Flask-Login caches the user, and the SQLAlchemy session).
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        from flask import g

        g.pop("_login_user", None)
        db.session.remove()
        try:
            return super().open(*args, **kwargs)
        finally:
            g.pop("_login_user", None)
            db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


def login(client: FlaskClient, email: str) -> None:
    """Sign a test client in as the user with this e-mail (without the password step)."""
    from shortlist.services import sessions
    from shortlist.services.users import find_by_email

    user = find_by_email(email)
    assert user is not None, f"no user {email}"
    token = sessions.start(user)  # a live session row, as signing in makes
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session[sessions.SESSION_KEY] = token


class ClientRequest:
    """A test client that speaks in endpoints and returns parsed pages."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def login(self, email: str) -> ClientRequest:
        login(self.client, email)
        return self

    def _url(self, endpoint: str, values: dict[str, Any]) -> str:
        from flask import url_for

        with self.client.application.test_request_context():
            return url_for(endpoint, **values)

    def get(self, endpoint: str, *, _expected_status: int = 200, _follow_redirects: bool = False,
            **values: Any) -> BeautifulSoup:
        return self.get_url(self._url(endpoint, values), _expected_status=_expected_status,
                            _follow_redirects=_follow_redirects)

    def get_url(self, url: str, *, _expected_status: int = 200, _follow_redirects: bool = False) -> BeautifulSoup:
        response = self.client.get(url, follow_redirects=_follow_redirects)
        assert response.status_code == _expected_status, f"GET {url}: {response.status_code}"
        return page(response)

    def post(self, endpoint: str, *, _data: dict[str, Any] | None = None, _expected_status: int = 302,
             _expected_redirect: str | None = None, _follow_redirects: bool = False, **values: Any) -> BeautifulSoup:
        url = self._url(endpoint, values)
        response = self.client.post(url, data=_data or {}, follow_redirects=_follow_redirects)
        assert response.status_code == _expected_status, f"POST {url}: {response.status_code}"
        if _expected_redirect is not None:
            assert response.location == _expected_redirect, response.location
        return page(response)


@pytest.fixture
def client_request(client: FlaskClient) -> ClientRequest:
    """Pages by endpoint: ``client_request.login(email).get("main.vacancies")``."""
    return ClientRequest(client)
