"""Issue 14, finding 2: someone added to a panel gets in without a server command line.

The manager (or HR) makes a single-use, expiring link for the new account; only its hash is
stored; the person sets a password through it once and signs in; every step is audited.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from shortlist.extensions import db
from shortlist import models
from shortlist.models import PanelMembership, User, UserSession
from shortlist.models.base import utcnow
from shortlist.services import sessions
from tests.account_fixtures import events
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER
from tests.pages import page

NEW = "new.member@example.org"
NEW_PASSWORD = "heron lantern quietly 42"


def membership_id(email: str) -> int:
    return db.session.scalar(select(PanelMembership.id).join(User).where(User.email == email))


def add_member(client) -> None:
    response = client.post("/vacancies/TST-01/setup/panel", data={
        "email": NEW, "name": "Nadia New", "role": "member", "trained_on-day": "1", "trained_on-month": "9",
        "trained_on-year": "2025"}, follow_redirects=True)
    assert "Nadia New has no password yet: we have e-mailed them an invitation to set one (the link works for " \
           "72 hours)" in response.get_data(as_text=True)


def make_link(client, email: str = NEW) -> str:
    response = client.post(f"/vacancies/TST-01/panel/{membership_id(email)}/sign-in-link")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return page(response).select_one("#access-link")["value"]


def test_the_manager_makes_a_link_and_the_new_member_sets_a_password_and_signs_in(client, panel_accounts):
    login(client, CHAIR)
    add_member(client)
    row = page(client.get("/vacancies/TST-01/setup/panel")).select_one(f"[data-sign-in='{NEW}']")
    assert "No password yet" in row.get_text() and "Make a sign-in link" in row.get_text()
    url = make_link(client)
    token = re.fullmatch(r"http://localhost/set-password/([A-Za-z0-9_-]{40,})", url).group(1)
    # only the token's hash is held, and the audit log never sees the token
    link = db.session.scalar(select(models.AccessLink).where(models.AccessLink.purpose == "set_password"))
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in link.token_hash
    invited, issued = events("access_link.issued")  # the e-mailed invitation, then this link
    assert invited.data["purpose"] == "invitation" and issued.data["purpose"] == "set_password"
    assert issued.actor == CHAIR and issued.data["email"] == NEW and token not in str(issued.data)
    assert link.expires_at - link.created_at == timedelta(hours=72)

    client.post("/sign-out")
    anonymous = client
    form = page(anonymous.get(f"/set-password/{token}"))
    assert "Nadia New, set the password" in form.get_text()
    response = anonymous.post(f"/set-password/{token}", data={"password": NEW_PASSWORD, "confirm": "something else"})
    assert "Enter the same password twice" in page(response).select_one(".govuk-error-summary").get_text()
    response = anonymous.post(f"/set-password/{token}", data={"password": "short", "confirm": "short"})
    assert "at least 12 characters" in page(response).select_one(".govuk-error-summary").get_text()
    assert db.session.scalar(select(User.password_hash).where(User.email == NEW)) is None

    response = anonymous.post(f"/set-password/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    [password_set] = events("user.password_set")[-1:]
    assert (password_set.data["email"], password_set.data["via"]) == (NEW, "access_link")
    response = anonymous.post("/sign-in", data={"email": NEW, "password": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/vacancies")
    assert "TST-01" in anonymous.get("/vacancies").get_data(as_text=True)

    # once only
    anonymous.post("/sign-out")
    response = anonymous.get(f"/set-password/{token}")
    assert response.status_code == 404 and "This link does not work" in response.get_data(as_text=True)
    assert anonymous.post(f"/set-password/{token}", data={"password": "another long password 9",
                                                          "confirm": "another long password 9"}).status_code == 404


def test_a_link_expires_and_a_new_one_ends_the_old(client, panel_accounts):
    login(client, CHAIR)
    add_member(client)
    first = make_link(client).rsplit("/", 1)[1]
    second = make_link(client).rsplit("/", 1)[1]
    assert client.get(f"/set-password/{first}").status_code == 404
    assert client.get(f"/set-password/{second}").status_code == 200
    link = db.session.scalar(select(models.AccessLink).where(models.AccessLink.revoked_at.is_(None),
                                                              models.AccessLink.purpose == "set_password"))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/set-password/{second}").status_code == 404


def test_a_manager_cannot_reset_a_colleagues_password_but_hr_can(client, panel_accounts):
    login(client, CHAIR)
    row = page(client.get("/vacancies/TST-01/setup/panel")).select_one(f"[data-sign-in='{MEMBER}']")
    assert "Has a password" in row.get_text() and "Make a" not in row.get_text()
    response = client.post(f"/vacancies/TST-01/panel/{membership_id(MEMBER)}/sign-in-link", follow_redirects=True)
    assert "Member Person already has a password" in response.get_data(as_text=True)
    assert db.session.scalar(select(models.AccessLink)) is None

    member = db.session.scalar(select(User).where(User.email == MEMBER))
    member_id = member.id
    sessions.start(member)
    db.session.commit()
    login(client, HR)
    token = make_link(client, MEMBER).rsplit("/", 1)[1]
    assert events("access_link.issued")[-1].data["reset"] is True
    client.post("/sign-out")
    client.post(f"/set-password/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    # a reset ends the member's signed-in sessions
    assert db.session.scalar(select(UserSession).where(UserSession.user_id == member_id,
                                                       UserSession.ended_at.is_(None))) is None
    assert client.post("/sign-in", data={"email": MEMBER, "password": NEW_PASSWORD}).status_code == 302


def test_a_panel_member_cannot_make_links(client, panel_accounts):
    login(client, MEMBER)
    assert client.post(f"/vacancies/TST-01/panel/{membership_id(CHAIR)}/sign-in-link").status_code == 403
    assert db.session.scalar(select(models.AccessLink)) is None
