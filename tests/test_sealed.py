"""Sealed data: HR sees an application's equality monitoring and criminal-record declaration,
every view is logged, and declarations reach others only through a recorded grant after
shortlisting, where the vacancy allows it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role, User, Vacancy
from shortlist.models.base import utcnow
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, OTHER, campaign_dict, load, make_user
from tests.hr_helpers import app_spec, decide


def text(response) -> str:  # noqa: ANN001
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


@pytest.fixture
def vacancy():
    data = campaign_dict("SEAL-01")
    data["applications"] = [
        app_spec("A001", equality_monitoring={"sex": "Female", "ethnicity": "Mixed: White and Asian",
                                              "religion": "Buddhist"},
                 criminal_record_declaration={"unspent_convictions": True,
                                              "details": "Speeding fine, 2023, spent in 2028"}),
        app_spec("A002", criminal_record_declaration={"unspent_convictions": False, "details": ""}),
        app_spec("A003", criminal_record_declaration={"unspent_convictions": True,
                                                      "details": "Not shortlisted, so never shared"}),
    ]
    load(data)
    make_user(HR, Role.HR_ADMIN, "Harriet Reid")
    make_user("stranger@example.org", Role.PANEL_MEMBER)


def test_hr_sees_sealed_data_and_the_view_is_logged(client, vacancy):
    login(client, HR)
    page = text(client.get("/hr/vacancies/SEAL-01/applications/A001/sealed"))
    assert "Mixed: White and Asian" in page and "Buddhist" in page
    assert "Speeding fine, 2023, spent in 2028" in page
    assert "Sexual orientation Not answered" in page
    [event] = events("sealed.viewed")
    assert (event.actor, event.vacancy_reference, event.subject) == (HR, "SEAL-01", "application A001")
    assert event.data == {"application": "A001", "parts": ["equality_monitoring", "criminal_record_declaration"]}
    assert event.occurred_at is not None
    client.get("/hr/vacancies/SEAL-01/applications/A002/sealed")
    assert [e.data["application"] for e in events("sealed.viewed")] == ["A001", "A002"]
    assert events("sealed.viewed")[1].data["parts"] == ["criminal_record_declaration"]


def test_unknown_application_is_404_and_not_logged(client, vacancy):
    login(client, HR)
    assert client.get("/hr/vacancies/SEAL-01/applications/A999/sealed").status_code == 404
    assert events("sealed.viewed") == []


@pytest.mark.parametrize(("email", "status"), [(CHAIR, 403), (MEMBER, 403), ("stranger@example.org", 404)])
def test_nobody_but_hr_opens_the_sealed_page(client, vacancy, email, status):
    login(client, email)
    for path in ("/hr/vacancies/SEAL-01/applications/A001/sealed", "/hr/vacancies/SEAL-01",
                 "/vacancies/SEAL-01/declarations"):
        response = client.get(path)
        assert response.status_code == status, path
        assert "Speeding fine" not in response.get_data(as_text=True)
    assert events("sealed.viewed") == [] and events("declarations.viewed") == []


def _shortlist_made() -> None:
    decide("SEAL-01", "A001", "shortlisting", "invite")
    decide("SEAL-01", "A002", "shortlisting", "invite")
    decide("SEAL-01", "A003", "shortlisting", "reject")
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "SEAL-01"))
    vacancy.shortlist_finalised_at = utcnow()
    db.session.commit()


def _user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


def test_a_grant_needs_the_policy_and_a_finished_shortlist(client, vacancy):
    login(client, HR)
    grant = {"user_id": _user_id(MEMBER), "reason": "Interview panel will discuss the declaration"}
    refused = text(client.post("/hr/vacancies/SEAL-01/grants", data=grant))
    assert "policy keeps criminal-record declarations to HR" in refused
    client.post("/hr/vacancies/SEAL-01/policy", data={"retention_months": "6", "share_declarations": "yes"})
    refused = text(client.post("/hr/vacancies/SEAL-01/grants", data=grant))
    assert "only after shortlisting" in refused
    assert events("declaration_grant.added") == []
    _shortlist_made()
    no_reason = client.post("/hr/vacancies/SEAL-01/grants", data={**grant, "reason": ""})
    assert no_reason.status_code == 400 and "Enter why they need to see the declarations" in text(no_reason)
    assert client.post("/hr/vacancies/SEAL-01/grants", data=grant).status_code == 302
    [event] = events("declaration_grant.added")
    assert event.actor == HR and event.data["email"] == MEMBER
    assert event.data["reason"] == "Interview panel will discuss the declaration"
    twice = text(client.post("/hr/vacancies/SEAL-01/grants", data=grant))
    assert "can already see the declarations" in twice


def test_only_people_on_the_vacancy_can_be_granted(client, vacancy):
    _shortlist_made()
    login(client, HR)
    client.post("/hr/vacancies/SEAL-01/policy", data={"retention_months": "6", "share_declarations": "yes"})
    response = client.post("/hr/vacancies/SEAL-01/grants",
                           data={"user_id": _user_id("stranger@example.org"), "reason": "Curious"})
    assert response.status_code == 400
    assert "Select someone on this vacancy" in text(response)


def test_granted_member_sees_invited_candidates_declarations_only_and_is_logged(client, vacancy):
    _shortlist_made()
    login(client, HR)
    client.post("/hr/vacancies/SEAL-01/policy", data={"retention_months": "6", "share_declarations": "yes"})
    client.post("/hr/vacancies/SEAL-01/grants", data={"user_id": _user_id(MEMBER), "reason": "KCSIE interview"})

    login(client, OTHER)  # on the panel, no grant
    assert client.get("/vacancies/SEAL-01/declarations").status_code == 403

    login(client, MEMBER)
    response = client.get("/vacancies/SEAL-01/declarations")
    page = text(response)
    assert response.status_code == 200
    assert "Speeding fine, 2023, spent in 2028" in page  # A001, invited
    assert "Application A002" in page
    assert "Not shortlisted, so never shared" not in page and "A003" not in page  # not invited
    assert "Mixed: White and Asian" not in page  # equality monitoring stays with HR
    assert client.get("/hr/vacancies/SEAL-01/applications/A001/sealed").status_code == 403
    [event] = events("declarations.viewed")
    assert event.actor == MEMBER and event.data == {"applications": ["A001", "A002"]}

    login(client, HR)
    grant_id = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "declaration_grant.added")).data["grant"]
    assert client.post(f"/hr/vacancies/SEAL-01/grants/{grant_id}/revoke").status_code == 302
    assert events("declaration_grant.revoked")[0].data == {"grant": grant_id, "email": MEMBER}
    login(client, MEMBER)
    assert client.get("/vacancies/SEAL-01/declarations").status_code == 403


def test_turning_sharing_off_stops_existing_grants(client, vacancy):
    _shortlist_made()
    login(client, HR)
    client.post("/hr/vacancies/SEAL-01/policy", data={"retention_months": "6", "share_declarations": "yes"})
    client.post("/hr/vacancies/SEAL-01/grants", data={"user_id": _user_id(MEMBER), "reason": "Interview"})
    client.post("/hr/vacancies/SEAL-01/policy", data={"retention_months": "6", "share_declarations": "no"})
    [*_, change] = events("data_policy.updated")
    assert change.data == {"before": {"retention_months": 6, "share_declarations": True},
                           "after": {"retention_months": 6, "share_declarations": False}}
    login(client, MEMBER)
    assert client.get("/vacancies/SEAL-01/declarations").status_code == 403


def test_hr_vacancy_page_links_every_applications_sealed_data(client, vacancy):
    login(client, HR)
    page = BeautifulSoup(client.get("/hr/vacancies/SEAL-01").get_data(as_text=True), "html.parser")
    links = {a["href"] for a in page.select("#applications ~ table a")}
    assert {f"/hr/vacancies/SEAL-01/applications/{r}/sealed" for r in ("A001", "A002", "A003")} <= links
    assert "Speeding fine" not in page.get_text()  # the list itself shows no sealed data


def test_bad_policy_input_names_the_field(client, vacancy):
    login(client, HR)
    response = client.post("/hr/vacancies/SEAL-01/policy", data={"retention_months": "0", "share_declarations": "no"})
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert response.status_code == 400
    assert page.title.string.startswith("Error:")
    link = page.select_one('.govuk-error-summary a[href="#retention_months"]')
    assert link is not None and "between 1 and 72" in link.get_text()
    assert events("data_policy.updated") == []
