"""What people see: signing in and out, the vacancy list, a vacancy's person specification."""

from __future__ import annotations

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role
from tests.app_fixtures import login
from tests.factories import CHAIR, MEMBER, PASSWORD, campaign_dict, load, make_user
from tests.pages import page as soup


def test_sign_in_with_password_then_out(client):
    make_user("hr@example.org", Role.HR_ADMIN, "Harriet Reid", PASSWORD)
    response = client.post("/sign-in", data={"email": "HR@example.org ", "password": PASSWORD})
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    assert "Signed in as Harriet Reid (HR administrator)" in page.get_text(" ", strip=True)
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/vacancies").status_code == 302  # signed out
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions[-2:] == ["auth.login", "auth.logout"]


def test_wrong_password_and_unknown_user_get_the_same_message(client):
    make_user("hr@example.org", Role.HR_ADMIN, "Harriet Reid", PASSWORD)
    wrong = soup(client.post("/sign-in", data={"email": "hr@example.org", "password": "not-the-password"}))
    unknown = soup(client.post("/sign-in", data={"email": "nobody@example.org", "password": "not-the-password"}))
    for page in (wrong, unknown):
        assert page.title.string.startswith("Error:")
        summary = page.select_one(".govuk-error-summary")
        assert summary is not None
        assert "Enter a correct email address and password" in summary.get_text()
    assert wrong.select_one(".govuk-error-summary").get_text() == unknown.select_one(".govuk-error-summary").get_text()


def test_empty_sign_in_names_each_field(client):
    page = soup(client.post("/sign-in", data={"email": "", "password": ""}))
    links = {a["href"]: a.get_text(strip=True) for a in page.select(".govuk-error-summary a")}
    assert links == {"#email": "Enter your email address", "#password": "Enter your password"}


def test_next_parameter_cannot_redirect_off_site(client):
    make_user("hr@example.org", Role.HR_ADMIN, "Harriet Reid", PASSWORD)
    response = client.post("/sign-in?next=//evil.example/x", data={"email": "hr@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/vacancies"


def test_vacancy_page_shows_spec_grouped_by_category(client):
    load(campaign_dict())
    login(client, MEMBER)
    page = soup(client.get("/vacancies/TST-01"))
    assert page.h1.get_text(strip=True) == "Family Therapist"
    captions = [c.get_text(strip=True) for c in page.select("#person-specification ~ table caption")]
    assert captions[:3] == ["Knowledge", "Communication", "Experience"]
    k1 = page.select_one("#criterion-K1").get_text(" ", strip=True)
    assert "Knowledge of systemic therapy." in k1 and "Essential" in k1 and "AF/I" in k1 and "Used at shortlisting" in k1
    c1 = page.select_one("#criterion-C1").get_text(" ", strip=True)
    assert "Not used at shortlisting" in c1
    d1 = page.select_one("#criterion-D1").get_text(" ", strip=True)
    assert "Desirable" in d1
    text = page.get_text(" ", strip=True)
    assert "Enhanced DBS check" in text
    assert "Barred lists Children’s barred list" in text
    assert "Runs the scheme" in text
    assert "A criterion is met at 2 or more" in text


def test_vacancy_page_warns_when_no_trained_panel_member(client):
    data = campaign_dict()
    for member in data["panel"]:
        member["safer_recruitment_trained_on"] = None
    load(data)
    login(client, CHAIR)
    text = soup(client.get("/vacancies/TST-01")).get_text(" ", strip=True)
    assert "no panel member has safer-recruitment training completed in the last 3 years" in text


def test_panel_never_sees_personal_or_sealed_data_on_the_vacancy_page(client):
    load(campaign_dict())
    login(client, MEMBER)
    html = client.get("/vacancies/TST-01").get_data(as_text=True)
    for secret in ("Applicant One", "one@example.net", "Prefer not to say"):
        assert secret not in html


def test_security_headers_on_every_page(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)


def test_error_page_is_plain(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_audit_log_is_hr_only_and_filters(client):
    load(campaign_dict())
    make_user("hr@example.org", Role.HR_ADMIN, "Harriet Reid")
    login(client, CHAIR)
    assert client.get("/audit/").status_code == 403
    assert "Audit log" not in client.get("/vacancies").get_data(as_text=True)
    login(client, "hr@example.org")
    page = soup(client.get("/audit/?vacancy=TST-01"))
    rows = [r.get_text(" ", strip=True) for r in page.select("tbody tr")]
    assert len(rows) == 1 and "campaign.loaded" in rows[0]
    assert "campaign.loaded" not in soup(client.get("/audit/?vacancy=OTHER")).select_one("table").get_text()
    bad = soup(client.get("/audit/?from=yesterday"))
    assert "Enter the date as year-month-day" in bad.get_text()
