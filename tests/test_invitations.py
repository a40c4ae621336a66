"""Issue 17, accounts: invitations and password resets by e-mail.

Adding a new person to a panel e-mails them an invitation through the outbox: a single-use
link, valid 72 hours, held only as a hash, to set their own password (the usual rules).
"Forgot your password?" e-mails a link valid 1 hour, and answers the same whether or not the
address has an account.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AccessLink, AuditEvent, OutboxMessage, Role, User, UserSession
from shortlist.models.base import utcnow
from shortlist.services import access_links, audit, outbox, sessions
from shortlist.services.refusals import LinkRefused
from tests.account_fixtures import events
from tests.app_fixtures import login
from tests.test_outbox import smtp  # noqa: F401 - the fixture: a real SMTP server in this process
from tests.factories import CHAIR, HR, MEMBER, PASSWORD, make_user
from tests.pages import page

NEW = "nadia.new@example.org"
NEW_PASSWORD = "heron lantern quietly 42"
LINK = re.compile(r"http://[^\s)]+/set-password/([A-Za-z0-9_-]{40,})")


def mail_to(email: str, kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == email,
                                                               OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


def token_in(message: OutboxMessage) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def add_to_panel(client, email: str = NEW, name: str = "Nadia New"):
    return client.post("/vacancies/TST-01/setup/panel", data={"email": email, "name": name, "role": "member"},
                       follow_redirects=True)


def set_password(client, token: str, password: str = NEW_PASSWORD):
    return client.post(f"/set-password/{token}", data={"password": password, "confirm": password})


def sign_in(client, email: str, password: str):
    return client.post("/sign-in", data={"email": email, "password": password})


# --------------------------------------------------------------------------- invitations


def test_adding_a_new_person_to_a_panel_emails_them_an_invitation_to_set_a_password(client, panel_accounts):
    login(client, CHAIR)
    response = add_to_panel(client)
    assert "we have e-mailed them an invitation" in response.get_data(as_text=True)
    [message] = mail_to(NEW, "account_invitation")
    assert message.subject == "Your Shortlist account for Example Council"
    assert "Dear Nadia New" in message.body and "Panel member" in message.body
    assert "The link works for 72 hours" in message.body
    token = token_in(message)
    # only the hash is held, and the audit log never sees the token
    link = db.session.scalar(select(AccessLink).where(AccessLink.purpose == "invitation"))
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.expires_at - link.created_at == timedelta(hours=72)
    assert all(token not in str(e.data) for e in db.session.scalars(select(AuditEvent)))
    [issued] = events("access_link.issued")
    assert (issued.actor, issued.data["purpose"], issued.vacancy_reference) == (CHAIR, "invitation", "TST-01")
    assert events("message.queued")[-1].data["kind"] == "account_invitation"

    client.post("/sign-out")
    assert "Nadia New, set the password" in page(client.get(f"/set-password/{token}")).get_text()
    short = set_password(client, token, "too short")
    assert "at least 12 characters" in page(short).select_one(".govuk-error-summary").get_text()
    common = set_password(client, token, "password1234")
    assert "most common passwords" in page(common).select_one(".govuk-error-summary").get_text()
    assert set_password(client, token).headers["Location"].endswith("/sign-in")
    assert events("user.password_set")[-1].data["purpose"] == "invitation"
    assert sign_in(client, NEW, NEW_PASSWORD).headers["Location"].endswith("/vacancies")
    client.post("/sign-out")
    # single use
    assert client.get(f"/set-password/{token}").status_code == 404
    assert set_password(client, token, "another long password 9").status_code == 404


def test_an_invitation_expires_after_72_hours(client, panel_accounts):
    login(client, HR)
    add_to_panel(client)
    token = token_in(mail_to(NEW, "account_invitation")[0])
    link = db.session.scalar(select(AccessLink).where(AccessLink.purpose == "invitation"))
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    client.post("/sign-out")
    response = client.get(f"/set-password/{token}")
    assert response.status_code == 404 and "This link does not work" in response.get_data(as_text=True)


def test_someone_who_has_a_password_is_added_without_an_invitation(client, panel_accounts):
    make_user("trained.colleague@example.org", Role.PANEL_MEMBER, "Trained Colleague", PASSWORD)
    login(client, CHAIR)
    response = add_to_panel(client, "trained.colleague@example.org", "Trained Colleague")
    assert "Trained Colleague added to the panel" in response.get_data(as_text=True)
    assert "invitation" not in response.get_data(as_text=True)
    assert mail_to("trained.colleague@example.org", "account_invitation") == []


def test_invite_is_one_service_function_and_a_new_invitation_replaces_the_old(app, panel_accounts):
    hr = db.session.scalar(select(User).where(User.email == HR))
    person = make_user("invitee@example.org", Role.PANEL_MEMBER, "In Vitee", password=None)
    first = access_links.invite(hr, person)
    second = access_links.invite(audit.Actor.of(hr), person)
    assert access_links.find(first.token) is None and access_links.find(second.token) is not None
    messages = mail_to("invitee@example.org", "account_invitation")
    assert len(messages) == 2 and token_in(messages[-1]) == second.token
    assert "Your employer has given you an account" in messages[-1].body  # no vacancy names one
    member = db.session.scalar(select(User).where(User.email == MEMBER))
    with pytest.raises(LinkRefused, match="already has a password"):
        access_links.invite(hr, member)
    assert mail_to(MEMBER, "account_invitation") == []


# --------------------------------------------------------------------------- password resets


def ask_reset(client, email: str):
    return client.post("/forgot-password", data={"email": email}, environ_base={"REMOTE_ADDR": "192.0.2.7"})


def answer(response) -> str:
    main = page(response).select_one("main")
    return re.sub(r"\S+@\S+", "ADDRESS", main.get_text(" ", strip=True))


def test_the_sign_in_page_offers_a_reset_that_says_the_same_whether_or_not_the_account_exists(client, panel_accounts):
    sign_in_page = page(client.get("/sign-in"))
    assert sign_in_page.find("a", string="Forgot your password?")["href"] == "/forgot-password"
    known, unknown = ask_reset(client, MEMBER), ask_reset(client, "nobody.at.all@example.org")
    assert known.status_code == unknown.status_code == 200
    assert answer(known) == answer(unknown)
    assert "Check your email" in answer(known) and "60 minutes" in answer(known)
    assert len(mail_to(MEMBER, "password_reset")) == 1
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address.like("nobody%"))).all() == []
    outcomes = [e.data["outcome"] for e in events("auth.reset_requested")]
    assert outcomes == ["sent", "no_account"]
    empty = client.post("/forgot-password", data={"email": ""})
    assert "Enter your email address" in page(empty).select_one(".govuk-error-summary").get_text()


def test_a_reset_link_works_once_for_one_hour_and_ends_the_old_passwords_sessions(client, panel_accounts):
    member = db.session.scalar(select(User).where(User.email == MEMBER))
    member_id = member.id
    sessions.start(member)
    db.session.commit()
    ask_reset(client, MEMBER)
    [message] = mail_to(MEMBER, "password_reset")
    assert "Reset your Shortlist password" == message.subject and "The link works for 1 hour" in message.body
    token = token_in(message)
    link = db.session.scalar(select(AccessLink).where(AccessLink.purpose == "password_reset"))
    assert link.expires_at - link.created_at == timedelta(hours=1)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert set_password(client, token).status_code == 302
    assert db.session.scalar(select(UserSession).where(UserSession.user_id == member_id,
                                                       UserSession.ended_at.is_(None))) is None
    assert sign_in(client, MEMBER, PASSWORD).status_code == 200  # the old password no longer works
    assert sign_in(client, MEMBER, NEW_PASSWORD).status_code == 302
    client.post("/sign-out")
    assert set_password(client, token, "yet another long one 77").status_code == 404


def test_a_reset_link_expires_after_an_hour(client, panel_accounts):
    ask_reset(client, MEMBER)
    token = token_in(mail_to(MEMBER, "password_reset")[0])
    link = db.session.scalar(select(AccessLink).where(AccessLink.purpose == "password_reset"))
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/set-password/{token}").status_code == 404


def test_resets_to_one_person_are_limited_to_three_an_hour(client, panel_accounts):
    pages = [answer(ask_reset(client, MEMBER)) for _ in range(5)]
    assert len(set(pages)) == 1  # the same answer every time
    assert len(mail_to(MEMBER, "password_reset")) == 3
    assert [e.data["outcome"] for e in events("auth.reset_requested")] == ["sent"] * 3 + ["too_many"] * 2


def test_setting_a_password_ends_the_persons_other_links(client, panel_accounts):
    login(client, HR)
    add_to_panel(client)
    client.post("/sign-out")
    invitation = token_in(mail_to(NEW, "account_invitation")[0])
    ask_reset(client, NEW)  # they lost the invitation and asked for a reset instead
    reset = token_in(mail_to(NEW, "password_reset")[0])
    assert set_password(client, reset).status_code == 302
    assert client.get(f"/set-password/{invitation}").status_code == 404


def test_a_deactivated_account_gets_no_reset(client, panel_accounts):
    member = db.session.scalar(select(User).where(User.email == MEMBER))
    member.active = False
    db.session.commit()
    assert "Check your email" in answer(ask_reset(client, MEMBER))
    assert mail_to(MEMBER, "password_reset") == []


def test_once_a_real_backend_has_sent_it_the_outbox_keeps_no_link(client, panel_accounts, smtp):  # noqa: F811
    """The database holds only the link's hash: the outbox's copy of a sent invitation or reset
    loses its link (with MAIL_BACKEND=outbox, as in the demo, the outbox page is the delivery)."""
    ask_reset(client, MEMBER)
    [message] = mail_to(MEMBER, "password_reset")
    token, message_id = token_in(message), message.id
    assert outbox.deliver(message_id) == "sent"
    assert token in smtp.messages[-1].raw.decode()  # it arrived with the link
    db.session.expire_all()
    kept = db.session.get(OutboxMessage, message_id)
    assert token not in kept.body and token not in str(kept.context)
    assert outbox.LINK_REMOVED in kept.body
    assert client.get(f"/set-password/{token}").status_code == 200  # the recipient's link still works
