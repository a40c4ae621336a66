"""Signing in: one message for an unknown user and a wrong password, throttling per
account and per address (kept in the database, so across worker processes), memory-hard
password hashes that record their parameters (older ones verify and are upgraded), and
the password policy (a minimum length, no common passwords)."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from shortlist.extensions import db
from shortlist.models import AuditEvent, LoginFailure, Role, User
from shortlist.models.base import utcnow
from shortlist.services import audit, users
from tests.factories import PASSWORD, make_user

EMAIL = "hana.hr@example.org"


@pytest.fixture
def account():
    return make_user(EMAIL, Role.HR_ADMIN, name="Hana HR", password=PASSWORD)


def sign_in(client, email: str = EMAIL, password: str = PASSWORD, address: str = "192.0.2.10"):
    return client.post("/sign-in", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def summary(response) -> str:
    box = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(".govuk-error-summary")
    return box.get_text(" ", strip=True) if box else ""


# --------------------------------------------------------------------------- one message


def test_unknown_user_and_wrong_password_look_the_same(client, account):
    wrong = sign_in(client, password="not-the-password-at-all")
    unknown = sign_in(client, email="nobody.here@example.org", password="not-the-password-at-all")
    assert wrong.status_code == unknown.status_code == 200
    assert summary(wrong) == summary(unknown) == "There is a problem Enter a correct email address and password"
    # and take about as long: the unknown account is checked against a dummy hash
    def timed(email: str) -> float:
        start = time.process_time()  # CPU time: the hash's work, not the machine's load
        sign_in(client, email=email, password="not-the-password-at-all", address="192.0.2.99")
        return time.process_time() - start
    for _ in range(2):  # warm up
        timed(EMAIL)
    known, nobody = min(timed(EMAIL) for _ in range(3)), min(timed("nobody.here@example.org") for _ in range(3))
    assert nobody > known * 0.5


# --------------------------------------------------------------------------- throttling


@pytest.fixture
def waits(monkeypatch):
    """The delays the sign-in page waited, in seconds (recorded instead of slept)."""
    seen: list[float] = []
    monkeypatch.setattr(users, "wait", seen.append, raising=False)
    return seen


def test_an_account_is_throttled_from_one_address_after_repeated_failures(app, client, account, waits):
    limit = app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]
    assert limit == 5 and app.config["LOGIN_THROTTLE_WINDOW_MINUTES"] == 15  # the defaults
    for i in range(limit):
        assert sign_in(client, password=f"wrong-password-{i}", address="198.51.100.9").status_code == 200
    refused = sign_in(client, address="198.51.100.9")  # even the right password, from that address
    assert refused.status_code == 429
    text = summary(refused)
    assert "Too many failed attempts to sign in. Wait 15 minutes, then try again." in text
    assert "<title>Error: " in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_user_id" not in session
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions.count("auth.login_failed") == limit and actions[-1] == "auth.login_throttled"

    # another account from the same address is not affected
    make_user("other.hr@example.org", Role.HR_ADMIN, password=PASSWORD)
    assert sign_in(client, email="other.hr@example.org", address="198.51.100.9").status_code == 302


def test_a_strangers_failures_never_lock_the_owner_out(app, client, account, waits):
    """Security review finding 6: an attacker failing an account's password again and again
    from one address (and then from nine more) is refused from there; the owner, signing in
    from their own address, gets in: only slowed by a delay that grows with the account's
    failures and is capped (LOGIN_ACCOUNT_DELAY_MAX_SECONDS)."""
    for i in range(12):
        sign_in(client, password=f"guess-{i}", address="203.0.113.66")
    assert sign_in(client, password="guess-x", address="203.0.113.66").status_code == 429
    for a in range(9):  # the attacker moves on: five guesses from each of nine more addresses
        for i in range(5):
            sign_in(client, password=f"guess-{a}-{i}", address=f"198.51.100.{a}")
    waits.clear()
    owner = sign_in(client, address="192.0.2.10")
    assert owner.status_code == 302
    assert waits == [app.config["LOGIN_ACCOUNT_DELAY_MAX_SECONDS"]] == [3.0]


def test_the_account_delay_grows_with_its_failures_from_anywhere(app, client, account, waits):
    for i in range(8):
        sign_in(client, password=f"wrong-password-{i}", address=f"198.51.100.{i}")
    assert waits == [0.0] * 5 + [0.25, 0.5, 1.0]


def test_the_throttle_applies_to_unknown_accounts_too(app, client, account, waits):
    """Otherwise a 429 for a real account, and never for an unknown one, would tell them apart."""
    for i in range(5):
        sign_in(client, email="nobody.here@example.org", password=f"guess-{i}", address="198.51.100.3")
    assert sign_in(client, email="nobody.here@example.org", address="198.51.100.3").status_code == 429


def test_an_address_is_throttled_across_accounts(app, client, account, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_THROTTLE_ADDRESS_LIMIT", 4)
    for i in range(4):  # four accounts, one failure each, from one address
        sign_in(client, email=f"guess{i}@example.org", password="wrong-password-xx", address="203.0.113.50")
    assert sign_in(client, address="203.0.113.50").status_code == 429
    assert sign_in(client, address="203.0.113.51").status_code == 302  # the account itself is fine


def test_the_throttle_lifts_when_the_window_has_passed(app, client, account):
    for i in range(5):
        sign_in(client, password=f"wrong-password-{i}")
    assert sign_in(client).status_code == 429
    with db.engine.begin() as conn:
        conn.execute(update(LoginFailure).values(failed_at=utcnow() - timedelta(minutes=16)))
    assert sign_in(client).status_code == 302


def test_a_correct_password_resets_the_accounts_count(client, account):
    for i in range(4):
        sign_in(client, password=f"wrong-password-{i}")
    assert sign_in(client).status_code == 302
    client.post("/sign-out")
    for i in range(4):
        sign_in(client, password=f"wrong-password-{i}")
    assert sign_in(client).status_code == 302


def test_failures_are_kept_as_keyed_hashes_in_the_database(app, client, account, waits):
    """In the database, so every gunicorn worker counts the same failures; hashed, so the
    table holds no e-mail address or IP address."""
    sign_in(client, password="wrong-password-1", address="192.0.2.44")
    row = db.session.scalar(select(LoginFailure))
    assert EMAIL not in (row.account + row.address) and "192.0.2.44" not in (row.account + row.address)
    assert row.account != hashlib.sha256(EMAIL.encode()).hexdigest()  # keyed: not a plain digest
    # a second app on the same database (another worker) sees the count
    from tests.test_security_sessions import another_app

    with another_app(app, WTF_CSRF_ENABLED=False) as worker, worker.app_context():
        for i in range(5):
            worker.test_client().post("/sign-in", data={"email": EMAIL, "password": f"bad-password-{i}"},
                                      environ_base={"REMOTE_ADDR": "192.0.2.45"})
    assert sign_in(client, address="192.0.2.45").status_code == 429


def test_old_failures_are_deleted(client, account):
    sign_in(client, password="wrong-password-1")
    with db.engine.begin() as conn:
        conn.execute(update(LoginFailure).values(failed_at=utcnow() - timedelta(hours=2)))
    sign_in(client, password="wrong-password-2")
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 1


# --------------------------------------------------------------------------- hashing


def test_passwords_are_hashed_with_scrypt_and_its_parameters(app, account):
    stored = db.session.scalar(select(User.password_hash).where(User.email == EMAIL))
    scheme, params, salt, key = stored.split("$")
    assert scheme == "scrypt"
    assert params == "ln=14,r=8,p=1"  # the test app's cheaper cost (see conftest)
    assert PASSWORD not in stored and len(key) >= 40 and len(salt) >= 20
    assert users.verify_password(stored, PASSWORD) == (True, False)
    assert users.verify_password(stored, PASSWORD + "x") == (False, False)
    # the same password twice: different salts, different hashes
    assert users.make_hash(PASSWORD) != users.make_hash(PASSWORD)


def test_the_production_cost_is_owasps_minimum(app, monkeypatch):
    from shortlist import config

    monkeypatch.delenv("PASSWORD_SCRYPT_LOG2_N", raising=False)
    settings = config.from_environment(__import__("pathlib").Path(app.instance_path), {"SECRET_KEY": "x"})
    assert settings["PASSWORD_SCRYPT_LOG2_N"] == 17  # N = 2**17, r = 8, p = 1: 128 MiB a hash
    assert (users.SCRYPT_R, users.SCRYPT_P) == (8, 1)
    monkeypatch.setitem(app.config, "PASSWORD_SCRYPT_LOG2_N", 17)
    assert users.make_hash("a-production-strength-hash").split("$")[1] == "ln=17,r=8,p=1"


def test_an_older_hash_still_verifies_and_is_upgraded_at_sign_in(app, client, account):
    old = generate_password_hash(PASSWORD, method="pbkdf2:sha256")
    db.session.execute(update(User).where(User.email == EMAIL).values(password_hash=old))
    db.session.commit()
    assert sign_in(client).status_code == 302
    db.session.remove()
    upgraded = db.session.scalar(select(User.password_hash).where(User.email == EMAIL))
    assert upgraded.startswith("scrypt$ln=14,r=8,p=1$")
    client.post("/sign-out")
    assert sign_in(client).status_code == 302  # the new hash works


def test_a_hash_with_weaker_parameters_is_upgraded(app, client, account):
    weaker = users.make_hash(PASSWORD, ln=12)
    db.session.execute(update(User).where(User.email == EMAIL).values(password_hash=weaker))
    db.session.commit()
    assert sign_in(client).status_code == 302
    db.session.remove()
    assert db.session.scalar(select(User.password_hash).where(User.email == EMAIL)).startswith("scrypt$ln=14,")


def test_a_tampered_hash_verifies_nothing(account):
    stored = db.session.scalar(select(User.password_hash).where(User.email == EMAIL))
    assert users.verify_password(stored.replace("ln=14", "ln=40"), PASSWORD) == (False, False)  # no 2**40 work
    assert users.verify_password("plain-text-password", "plain-text-password") == (False, False)
    assert users.verify_password("scrypt$ln=14,r=8,p=1$!!$!!", PASSWORD) == (False, False)


# --------------------------------------------------------------------------- password policy


@pytest.mark.parametrize(("password", "problem"), [
    ("short-pass1", "at least 12 characters"),
    ("password1234", "most common passwords"),
    ("Password2026!", "most common passwords"),
    ("P@ssw0rd12345", "most common passwords"),
    ("qwertyuiop123", "most common passwords"),
    ("123456789012", "most common passwords"),
    ("iloveyou1234", "most common passwords"),
    ("liverpool2026", "most common passwords"),
    ("aaaaaaaaaaaa", "repeated or sequential"),
    ("abcabcabcabc", "repeated or sequential"),
    ("lmnopqrstuvw", "repeated or sequential"),
    ("hana.hr.example.org!", "your email address"),
    ("x" * 257, "256 characters or fewer"),
])
def test_weak_passwords_are_refused_with_the_reason(password, problem):
    assert problem in (users.password_problem(password, EMAIL) or "")
    with pytest.raises(users.PasswordRejected, match=problem):
        users.upsert_user(EMAIL, "Hana HR", Role.HR_ADMIN, password, audit.CLI)


@pytest.mark.parametrize("password", [PASSWORD, "shortlist-demo-2026", "correct horse battery staple",
                                      "Tr0ub4dor&3-but-longer"])
def test_reasonable_passwords_are_accepted(password):
    assert users.password_problem(password, EMAIL) is None


def test_the_common_password_list_is_shipped_in_the_package():
    from importlib import resources

    text = resources.files("shortlist").joinpath("data/common-passwords.txt").read_text(encoding="utf-8")
    assert "Source:" in text and "NCSC" in text
    common = users.common_passwords()
    assert len(common) > 300 and "password" in common and "123456" in common
    assert all(p == p.lower() and p.strip() == p for p in common)


def test_the_command_line_refuses_a_common_password(runner):
    result = runner.invoke(args=["create-user", "new.person@example.org", "--name", "New Person",
                                 "--role", "panel_member", "--password", "password12345"])
    assert result.exit_code != 0
    assert "most common passwords" in result.output
    assert db.session.scalar(select(User).where(User.email == "new.person@example.org")) is None
