"""HR's Users page (issue 17): the people of HR's organisations with their roles, last
sign-in and status; search; invite (an account, a role, a link to set a password); change
roles; deactivate (signed out at once, sign-in refused, their work kept) and reactivate.
Every change is in the audit log; HR of another organisation finds none of it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AuditEvent, ScoreSheet, User
from shortlist.services import audit, organisations
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, PASSWORD, campaign_dict, load, make_user

OTHER_HR = "hr.other@example.org"


@pytest.fixture
def council() -> None:
    load(campaign_dict())
    make_user(HR, "hr_admin", name="Hana HR", password=PASSWORD)
    organisations.create(audit.CLI, "Other Trust", "OTH", "other.example.org")
    make_user(OTHER_HR, "hr_admin", name="Olu Other", password=PASSWORD, organisations_named=("Other Trust",))
    db.session.commit()


def _user(email: str) -> User:
    db.session.remove()
    return db.session.scalar(select(User).where(User.email == email))


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def _sign_in(client, email: str, password: str = PASSWORD):  # noqa: ANN001, ANN202
    return client.post("/sign-in", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": "192.0.2.10"})


def test_hr_list_their_organisations_people_with_roles_last_sign_in_and_status(client, council):
    assert _sign_in(client, HR).status_code == 302
    page = client.get("/hr/users/").get_data(as_text=True)
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr[^>]*data-email="([^"]+)".*?</tr>', page, re.S)}
    assert set(rows) == {HR, CHAIR, MEMBER, "other@example.org"}  # not Other Trust's HR
    assert "HR administrator, Example Council" in rows[HR] and "Never" not in rows[HR]
    assert "Recruiting manager, Example Council" in rows[CHAIR]
    assert "Panels only" in rows[MEMBER] and "Never" in rows[MEMBER] and "Invited" in rows[MEMBER]
    found = client.get("/hr/users/?q=MEMBER@").get_data(as_text=True)
    assert re.findall(r'data-email="([^"]+)"', found) == [MEMBER]


def test_an_invitation_makes_the_account_the_role_and_a_link_that_sets_the_password(client, council):
    login(client, HR)
    page = client.post("/hr/users/invite", data={
        "name": "Nia New", "email": "Nia.New@Example.org", "organisation": str(organisations.by_code("EC").id),
        "role": "recruiting_manager"}).get_data(as_text=True)
    link = re.search(r'value="(http://localhost/set-password/[^"]+)"', page).group(1)
    person = _user("nia.new@example.org")
    assert person.password_hash is None and person.role == "recruiting_manager"
    assert [(r.organisation.code, r.role) for r in person.organisation_roles] == [("EC", "recruiting_manager")]
    invited = _events("user.invited")[-1]
    assert invited.actor == HR and invited.data["roles"] == [["EC", "recruiting_manager"]]
    assert _events("access_link.issued")[-1].data["email"] == "nia.new@example.org"
    # the link sets the password; then they sign in and may create a vacancy
    client.post(link.removeprefix("http://localhost"), data={"password": "a long new passphrase",
                                                             "confirm": "a long new passphrase"})
    assert _sign_in(client, "nia.new@example.org", "a long new passphrase").status_code == 302
    assert client.get("/vacancies/new").status_code == 200


def test_an_invitation_with_problems_names_them_and_writes_nothing(client, council):
    login(client, HR)
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post("/hr/users/invite", data={
        "name": "", "email": "not-an-address", "organisation": str(organisations.by_code("OTH").id), "role": "x"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in ("Enter their full name", "Enter an e-mail address like", "Select the organisation",
                    "Select their role"):
        assert message in page
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_hr_change_roles_in_their_organisations_only(client, council):
    member = _user(MEMBER)
    other = organisations.by_code("OTH")
    from shortlist.services import users

    users.upsert_user(MEMBER, "Member Person", "hr_adviser", None, audit.CLI, [other])
    login(client, HR)
    ec = organisations.by_code("EC").id
    assert client.post(f"/hr/users/{member.id}/roles", data={f"roles-{ec}": ["hr_adviser", "recruiting_manager"]}
                       ).status_code == 302
    held = sorted((r.organisation.code, r.role) for r in _user(MEMBER).organisation_roles)
    assert held == [("EC", "hr_adviser"), ("EC", "recruiting_manager"), ("OTH", "hr_adviser")]
    change = _events("user.roles_changed")[-1]
    assert change.actor == HR and change.data["after"] == [["EC", "hr_adviser"], ["EC", "recruiting_manager"]]
    assert change.organisation_id == ec
    client.post(f"/hr/users/{member.id}/roles", data={})  # none ticked: no role in Example Council
    assert sorted((r.organisation.code, r.role) for r in _user(MEMBER).organisation_roles) == [("OTH", "hr_adviser")]
    # their own HR administrator role stays theirs to keep
    me = _user(HR)
    page = client.post(f"/hr/users/{me.id}/roles", data={}, follow_redirects=True).get_data(as_text=True)
    assert "You cannot remove your own HR administrator role" in page
    assert [r.role for r in _user(HR).organisation_roles] == ["hr_admin"]


def test_a_deactivated_person_is_signed_out_at_once_and_their_work_stays(client, app, council):
    member = _user(MEMBER)
    sheets = db.session.scalar(select(func.count()).select_from(ScoreSheet).where(ScoreSheet.user_id == member.id))
    assert sheets
    from shortlist.services import users

    users.upsert_user(MEMBER, "Member Person", "panel_member", PASSWORD, audit.CLI)
    theirs = app.test_client()
    assert _sign_in(theirs, MEMBER).status_code == 302
    assert theirs.get("/vacancies").status_code == 200
    login(client, HR)
    done = client.post(f"/hr/users/{member.id}/deactivate", follow_redirects=True).get_data(as_text=True)
    assert "is deactivated" in done
    assert theirs.get("/vacancies").status_code == 302  # signed out
    assert _sign_in(theirs, MEMBER).status_code == 200  # and cannot sign in
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)
                             .where(ScoreSheet.user_id == member.id)) == sheets
    assert _events("user.deactivated")[-1].data == {"email": MEMBER, "sessions_ended": True,
                                                    "organisation_id": organisations.by_code("EC").id}
    assert "Deactivated" in client.get("/hr/users/").get_data(as_text=True)
    client.post(f"/hr/users/{member.id}/reactivate")
    assert _sign_in(theirs, MEMBER).status_code == 302
    assert [e.action for e in _events("user.reactivated")] == ["user.reactivated"]
    assert audit.verify() is None


def test_someone_who_also_works_elsewhere_is_deactivated_by_hr_of_all_their_organisations(client, council):
    from shortlist.services import users

    users.upsert_user(MEMBER, "Member Person", "hr_adviser", None, audit.CLI, [organisations.by_code("OTH")])
    member = _user(MEMBER)
    login(client, HR)
    page = client.post(f"/hr/users/{member.id}/deactivate", follow_redirects=True).get_data(as_text=True)
    assert "also works for Other Trust" in page
    assert _user(MEMBER).active
    me = _user(HR)
    assert "cannot deactivate your own account" in client.post(
        f"/hr/users/{me.id}/deactivate", follow_redirects=True).get_data(as_text=True)


def test_hr_of_another_organisation_finds_none_of_them(client, council):
    member = _user(MEMBER).id
    login(client, OTHER_HR)
    assert MEMBER not in client.get("/hr/users/").get_data(as_text=True)
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for path in (f"/hr/users/{member}", f"/hr/users/{member}/roles", f"/hr/users/{member}/deactivate"):
        response = client.get(path) if path.endswith(str(member)) else client.post(path)
        assert response.status_code == 404, path
    assert _user(MEMBER).active and db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
