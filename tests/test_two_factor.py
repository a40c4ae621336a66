"""Issue 17, accounts: two-factor sign-in for password accounts.

A code from an authenticator app (TOTP) after the password, set up with a QR code (inline SVG)
and the key as text, with ten single-use recovery codes kept only as hashes. Required for HR
when they sign in with a password (they set it up during that sign-in); anyone else may turn
it on and off.
"""

from __future__ import annotations

import hashlib
import time

import pyotp
import pytest
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AuditEvent, RecoveryCode, Role, TwoFactor, User
from shortlist.services import users
from tests import db_snapshot
from tests.app_fixtures import login
from tests.factories import PASSWORD, make_user
from tests.pages import page

MEMBER = "tomas.member@example.org"
HR = "hana.hr@example.org"


@pytest.fixture
def people():
    make_user(MEMBER, Role.PANEL_MEMBER, "Tomas Member", PASSWORD)
    make_user(HR, Role.HR_ADMIN, "Hana HR", PASSWORD)


@pytest.fixture
def hr_must(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("hr_admin",))


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(users, "wait", lambda seconds: None)


def sign_in(client, email: str = MEMBER, password: str = PASSWORD, address: str = "192.0.2.20"):
    return client.post("/sign-in", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def enter(client, code: str, url: str = "/sign-in/code", address: str = "192.0.2.20"):
    return client.post(url, data={"code": code}, environ_base={"REMOTE_ADDR": address})


def signed_in(client) -> bool:
    return client.get("/vacancies").status_code == 200


def secret_on(response) -> str:
    return page(response).select_one("#totp-secret")["data-secret"]


def turn_on(client) -> tuple[str, list[str]]:
    """Through the account page: (the secret, the recovery codes shown)."""
    assert client.post("/account/two-factor").headers["Location"].endswith("/account/two-factor/set-up")
    secret = secret_on(client.get("/account/two-factor/set-up"))
    shown = client.post("/account/two-factor/set-up", data={"code": pyotp.TOTP(secret).now()})
    assert shown.status_code == 200
    return secret, [li.get_text(strip=True) for li in page(shown).select("#recovery-codes li")]


def next_code(secret: str) -> str:
    """The code for the next 30-second step (accepted: a clock a step apart), so a test never
    offers the step it has just used."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_a_panel_member_turns_it_on_with_a_qr_code_and_gets_ten_recovery_codes(client, people):
    login(client, MEMBER)
    status = page(client.get("/account/two-factor"))
    assert "Two-factor sign-in is off" in status.select_one("#two-factor-status").get_text(" ", strip=True)
    client.post("/account/two-factor")
    set_up = client.get("/account/two-factor/set-up")
    secret = secret_on(set_up)
    assert len(secret) == 32 and pyotp.TOTP(secret).now().isdigit()
    svg = page(set_up).select_one(".app-qr-code svg")
    assert svg is not None and svg.find("title").get_text() == "QR code to scan with your authenticator app"
    wrong = client.post("/account/two-factor/set-up", data={"code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                                           else "111111"})
    assert "The code is not right" in page(wrong).select_one(".govuk-error-summary").get_text()
    assert db.session.scalar(select(TwoFactor.confirmed_at)) is None

    shown = client.post("/account/two-factor/set-up", data={"code": pyotp.TOTP(secret).now()})
    codes = [li.get_text(strip=True) for li in page(shown).select("#recovery-codes li")]
    assert len(codes) == len(set(codes)) == 10
    stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    user_id = db.session.scalar(select(User.id).where(User.email == MEMBER))
    assert hashlib.sha256(f"{user_id}:{codes[0].replace('-', '')}".encode()).hexdigest() in stored
    status = page(client.get("/account/two-factor")).get_text(" ", strip=True)
    assert "Two-factor sign-in is on" in status and "10 recovery codes left" in status
    assert "two_factor.enabled" in actions()


def test_signing_in_then_asks_for_a_code_and_accepts_each_code_once(client, people):
    login(client, MEMBER)
    secret, codes = turn_on(client)
    client.post("/sign-out")

    response = sign_in(client)
    assert response.headers["Location"].endswith("/sign-in/code")
    assert not signed_in(client)  # the password alone signs nobody in
    assert page(client.get("/sign-in/code")).find("h1").get_text() == "Enter your code"
    wrong = enter(client, "123456" if next_code(secret) != "123456" else "654321")
    assert "The code is not right" in page(wrong).select_one(".govuk-error-summary").get_text()
    code = next_code(secret)
    assert enter(client, code).headers["Location"].endswith("/vacancies")
    assert signed_in(client)
    login_event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login")
                                    .order_by(AuditEvent.seq.desc()))
    assert login_event.data["second_factor"] == "app"
    client.post("/sign-out")

    # the same code again (someone who saw it over a shoulder): refused
    sign_in(client)
    assert enter(client, code).status_code == 200 and not signed_in(client)
    # a recovery code, once
    assert enter(client, codes[3].upper()).headers["Location"].endswith("/vacancies")
    client.post("/sign-out")
    sign_in(client)
    assert enter(client, codes[3]).status_code == 200 and not signed_in(client)
    assert "two_factor.recovery_code_used" in actions()
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode).where(RecoveryCode.used_at.is_(None))) == 9


def test_wrong_codes_are_throttled_like_wrong_passwords(client, people):
    login(client, MEMBER)
    secret, _codes = turn_on(client)
    client.post("/sign-out")
    sign_in(client, address="203.0.113.9")
    for _ in range(5):
        enter(client, "999999" if next_code(secret) != "999999" else "888888", address="203.0.113.9")
    refused = enter(client, next_code(secret), address="203.0.113.9")
    assert refused.status_code == 429 and not signed_in(client)
    assert actions().count("auth.code_failed") == 5
    # the owner, from their own address, still gets in
    sign_in(client, address="192.0.2.21")
    assert enter(client, next_code(secret), address="192.0.2.21").headers["Location"].endswith("/vacancies")


def test_the_second_step_waits_ten_minutes_at_most(client, people):
    login(client, MEMBER)
    secret, _codes = turn_on(client)
    client.post("/sign-out")
    sign_in(client)
    with client.session_transaction() as session:
        session["pending_sign_in"] = {**session["pending_sign_in"], "at": time.time() - 601}
    response = enter(client, next_code(secret))
    assert response.headers["Location"].endswith("/sign-in") and not signed_in(client)
    # and with nothing pending, the page sends the person to sign in
    assert client.get("/sign-in/code").headers["Location"].endswith("/sign-in")


def test_a_member_can_turn_it_off_with_their_password(client, people):
    login(client, MEMBER)
    turn_on(client)
    wrong = client.post("/account/two-factor/turn-off", data={"password": "not my password at all"})
    assert "Enter your correct password" in page(wrong).select_one(".govuk-error-summary").get_text()
    assert db.session.scalar(select(func.count()).select_from(TwoFactor)) == 1
    done = client.post("/account/two-factor/turn-off", data={"password": PASSWORD}, follow_redirects=True)
    assert "Two-factor sign-in is off" in done.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    client.post("/sign-out")
    assert sign_in(client).headers["Location"].endswith("/vacancies")


def test_hr_must_set_it_up_when_signing_in_with_a_password_and_cannot_turn_it_off(client, people, hr_must):
    response = sign_in(client, HR)
    assert response.headers["Location"].endswith("/sign-in/set-up-two-factor")
    assert not signed_in(client)
    set_up = client.get("/sign-in/set-up-two-factor")
    assert "Your role must use a second step" in set_up.get_data(as_text=True)
    secret = secret_on(set_up)
    assert secret_on(client.get("/sign-in/set-up-two-factor")) == secret  # the same until finished
    shown = enter(client, pyotp.TOTP(secret).now(), url="/sign-in/set-up-two-factor")
    assert len(page(shown).select("#recovery-codes li")) == 10
    assert signed_in(client)
    off = client.post("/account/two-factor/turn-off", data={"password": PASSWORD})
    assert "cannot be turned off" in page(off).select_one(".govuk-error-summary").get_text()
    assert "two_factor.disabled" not in actions()
    client.post("/sign-out")
    # from then on, the code every time
    assert sign_in(client, HR).headers["Location"].endswith("/sign-in/code")
    assert enter(client, next_code(secret)).headers["Location"].endswith("/vacancies")


def test_a_member_is_not_asked_when_it_is_off(client, people, hr_must):
    assert sign_in(client).headers["Location"].endswith("/vacancies")


def test_the_server_command_resets_it_for_someone_who_lost_their_app(client, people, runner):
    login(client, MEMBER)
    secret, _codes = turn_on(client)
    client.post("/sign-out")
    result = runner.invoke(args=["two-factor-reset", MEMBER])
    assert result.exit_code == 0 and f"Two-factor sign-in is off for {MEMBER}" in result.output
    assert "two_factor.reset" in actions()
    assert sign_in(client).headers["Location"].endswith("/vacancies")
    again = runner.invoke(args=["two-factor-reset", MEMBER])
    assert "nothing changed" in again.output
    assert runner.invoke(args=["two-factor-reset", "nobody@example.org"]).exit_code != 0


def codes_shown(response) -> list[str]:
    return [li.get_text(strip=True) for li in page(response).select("#recovery-codes li")]


def test_a_member_gets_ten_new_recovery_codes_after_a_code_from_their_app_and_the_old_ones_stop_working(
        client, people):
    login(client, MEMBER)
    secret, old = turn_on(client)
    link = page(client.get("/account/two-factor")).select_one("#renew-recovery-codes")
    assert link.get_text(strip=True) == "Get new recovery codes" and link["href"] == "/account/two-factor/recovery-codes"
    form = page(client.get("/account/two-factor/recovery-codes"))
    assert form.find("h1").get_text() == "Get new recovery codes"
    assert "Your old recovery codes will stop working" in form.select_one(".govuk-warning-text").get_text()
    assert "You have 10 recovery codes left" in form.get_text(" ", strip=True)

    # refused, nothing written: no code, a wrong one, a recovery code instead of the app's
    before = db_snapshot.take()
    wrong = "000000" if next_code(secret) != "000000" and pyotp.TOTP(secret).now() != "000000" else "111111"
    for code, message in (("", "Enter the 6-digit code from your authenticator app"),
                          (wrong, "The code is not right"), (old[0], "a recovery code will not do here")):
        refused = client.post("/account/two-factor/recovery-codes", data={"code": code})
        assert refused.status_code == 200 and not codes_shown(refused)
        assert message in page(refused).select_one(".govuk-error-summary").get_text()
    assert db_snapshot.differences(before, db_snapshot.take()) == []

    code = next_code(secret)
    shown = client.post("/account/two-factor/recovery-codes", data={"code": code})
    new = codes_shown(shown)
    assert len(new) == len(set(new)) == 10 and not set(new) & set(old)
    assert page(shown).find("h1").get_text(strip=True) == "You have new recovery codes"
    assert "Your old recovery codes no longer work" in shown.get_data(as_text=True)
    renewed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "two_factor.recovery_codes_renewed"))
    assert renewed.data["email"] == MEMBER and renewed.data["recovery_codes"] == 10
    # shown once: the page does not show them again, and the same app code does not make more
    assert not codes_shown(client.get("/account/two-factor/recovery-codes"))
    again = client.post("/account/two-factor/recovery-codes", data={"code": code})
    assert "The code is not right" in page(again).select_one(".govuk-error-summary").get_text()
    assert actions().count("two_factor.recovery_codes_renewed") == 1
    stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10

    client.post("/sign-out")
    sign_in(client)
    assert enter(client, old[1]).status_code == 200 and not signed_in(client)  # an old code: no longer
    assert enter(client, new[1]).headers["Location"].endswith("/vacancies")


def test_someone_without_two_factor_sign_in_has_no_recovery_codes_to_renew(client, people):
    login(client, MEMBER)
    assert client.get("/account/two-factor/recovery-codes").headers["Location"].endswith("/account/two-factor")
    before = db_snapshot.take()
    refused = client.post("/account/two-factor/recovery-codes", data={"code": "123456"})
    assert refused.headers["Location"].endswith("/account/two-factor")
    assert db_snapshot.differences(before, db_snapshot.take()) == []
    assert "Get new recovery codes" not in client.get("/account/two-factor").get_data(as_text=True)


def test_the_code_page_says_what_to_do_about_a_lost_device_and_offers_a_reset_once_throttled(client, people):
    login(client, MEMBER)
    secret, _codes = turn_on(client)
    client.post("/sign-out")
    sign_in(client, address="203.0.113.7")
    code_page = page(client.get("/sign-in/code"))
    guidance = code_page.select_one("#lost-device").find_next("p").get_text(" ", strip=True)
    assert code_page.select_one("#lost-device").get_text() == "If you have lost your device"
    assert guidance.startswith("Enter one of your recovery codes in the box above")
    assert "ask your HR team to reset two-factor sign-in" in code_page.get_text(" ", strip=True)
    # the password was right: no reset is offered while the code can still be entered
    assert code_page.find("a", string="Forgot your password?") is None
    for _ in range(5):
        enter(client, "999999" if next_code(secret) != "999999" else "888888", address="203.0.113.7")
    throttled = enter(client, next_code(secret), address="203.0.113.7")
    assert throttled.status_code == 429
    assert "choose \u201cForgot your password?\u201d below" in page(throttled).select_one(
        ".govuk-error-summary").get_text()
    assert page(throttled).find("a", string="Forgot your password?")["href"] == "/forgot-password"
