"""Subject access: one candidate's data, as JSON and PDF, with each member's scores and notes
and the agreed scores, and nothing about any other candidate; the PDF fetches nothing but
the app's static files."""

from __future__ import annotations

import json
import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role
from shortlist.pdf import BASE_URL, FetchRefused, StaticFilesFetcher, render_pdf
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user
from tests.hr_helpers import app_spec, decide

OTHER_NAME = "Bartholomew Otherperson"
OTHER_EMAIL = "bart.other@example.net"
OTHER_EVIDENCE = "I led the Otherperson family-therapy pilot."
OTHER_NOTE = "Otherperson answer was thin"


@pytest.fixture
def candidate():
    data = campaign_dict("SAR-01")
    data["applications"] = [
        app_spec("A001", name="Olwen Jarvis", email="olwen.jarvis@example.net", k1=(2, 3),
                 notes={"shortlisting": {CHAIR: {"K1": "Clear systemic examples"},
                                         MEMBER: {"K1": "Strongest of the batch"}}},
                 agreed={"shortlisting": {"K1": {"score": 3, "rationale": "Evidence exceeds the standard"}}},
                 equality_monitoring={"sex": "Female", "religion": "Quaker"},
                 criminal_record_declaration={"unspent_convictions": False, "details": ""}),
        app_spec("A002", name=OTHER_NAME, email=OTHER_EMAIL, k1=(1, 1),
                 evidence={"K1": OTHER_EVIDENCE},
                 notes={"shortlisting": {CHAIR: {"K1": OTHER_NOTE}}},
                 agreed={"shortlisting": {"K1": {"score": 1, "rationale": "Otherperson did not show it"}}},
                 equality_monitoring={"sex": "Male", "religion": "Jedi"}),
    ]
    load(data)
    decide("SAR-01", "A001", "shortlisting", "invite", reason="Meets every essential criterion")
    decide("SAR-01", "A002", "shortlisting", "reject", reason="Otherperson did not meet K1")
    again = campaign_dict("SAR-02")
    again["applications"] = [app_spec("B007", name="Olwen Jarvis", email="OLWEN.JARVIS@example.net")]
    load(again)
    make_user(HR, Role.HR_ADMIN, "Harriet Reid")


def _other_candidate_absent(text: str) -> None:
    for leak in (OTHER_NAME, "Otherperson", OTHER_EMAIL, OTHER_EVIDENCE, OTHER_NOTE, "Jedi"):
        assert leak not in text


def test_json_export_holds_the_candidates_scores_and_no_other_candidate(client, candidate):
    login(client, HR)
    response = client.get("/hr/vacancies/SAR-01/applications/A001/subject-access.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    _other_candidate_absent(text)
    data = json.loads(text)
    assert data["subject_access_export"]["about"] == {"name": "Olwen Jarvis", "email": "olwen.jarvis@example.net"}
    first, second = data["applications"]
    assert (first["vacancy"]["reference"], first["reference"]) == ("SAR-01", "A001")
    assert (second["vacancy"]["reference"], second["reference"]) == ("SAR-02", "B007")  # same e-mail address
    scores = {s["panel_member"]: [(x["criterion"], x["score"], x["note"]) for x in s["scores"]]
              for s in first["scores"]}
    assert scores == {"Chair Person": [("K1", 2, "Clear systemic examples")],
                      "Member Person": [("K1", 3, "Strongest of the batch")]}
    assert [(a["criterion"], a["score"], a["rationale"]) for a in first["agreed_scores"]] == [
        ("K1", 3, "Evidence exceeds the standard")]
    assert first["decisions"][0]["outcome"] == "invite"
    assert first["decisions"][0]["reason"] == "Meets every essential criterion"
    assert first["equality_monitoring"] == {"sex": "Female", "religion": "Quaker"}
    assert first["criminal_record_declaration"]["unspent_convictions"] is False
    assert first["personal_details"]["name"] == "Olwen Jarvis"
    assert first["evidence"][0]["text"] == "Evidence from A001."
    assert first["recommendation_at_shortlisting"]["outcome"] == "meets_essentials"
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "subject_access.exported")).all()
    assert event.actor == HR and event.data == {"applications": ["SAR-01/A001", "SAR-02/B007"], "format": "json"}


def test_pdf_export_holds_the_candidates_scores_and_no_other_candidate(client, candidate):
    login(client, HR)
    response = client.get("/hr/vacancies/SAR-01/applications/A001/subject-access.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    _other_candidate_absent(text)
    assert "Subject access export" in text and "About: Olwen Jarvis (olwen.jarvis@example.net)" in text
    assert "Chair Person, shortlisting" in text and "Member Person, shortlisting" in text
    assert "Clear systemic examples" in text and "Strongest of the batch" in text
    assert "Evidence exceeds the standard" in text and "Meets every essential criterion" in text
    assert "Quaker" in text
    assert "Family Therapist (SAR-02), application B007" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "subject_access.exported")).all()
    assert event.data["format"] == "pdf"


def test_the_subject_access_page_names_the_other_application_and_links_both_formats(client, candidate):
    login(client, HR)
    page = client.get("/hr/vacancies/SAR-01/applications/A001/subject-access").get_data(as_text=True)
    assert "SAR-02, application B007" in page
    assert 'href="/hr/vacancies/SAR-01/applications/A001/subject-access.pdf"' in page
    assert 'href="/hr/vacancies/SAR-01/applications/A001/subject-access.json"' in page
    assert client.get("/hr/vacancies/SAR-01/applications/A404/subject-access.json").status_code == 404


def test_a_vacancy_wide_hold_reason_is_not_disclosed(client, candidate):
    from shortlist.models import User, Vacancy
    from shortlist.services import retention

    hr = db.session.scalar(select(User).where(User.email == HR))
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "SAR-01"))
    retention.place_hold(vacancy, hr, kind="claim", reason=f"Claim brought by {OTHER_NAME}")
    retention.place_hold(vacancy, hr, kind="subject_access", reason="Olwen's request of 2027-01-04",
                         application_reference="A001")
    login(client, HR)
    text = client.get("/hr/vacancies/SAR-01/applications/A001/subject-access.json").get_data(as_text=True)
    _other_candidate_absent(text)
    holds = json.loads(text)["applications"][0]["legal_holds"]
    assert [(h["on"], h["reason"]) for h in holds] == [("vacancy", None), ("application", "Olwen's request of 2027-01-04")]


@pytest.mark.parametrize("email", [CHAIR, MEMBER])
def test_only_hr_exports_subject_access(client, candidate, email):
    login(client, email)
    for suffix in ("", ".json", ".pdf"):
        assert client.get(f"/hr/vacancies/SAR-01/applications/A001/subject-access{suffix}").status_code == 403
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "subject_access.exported")).all() == []


# --------------------------------------------------------------------------- the PDF fetcher


@pytest.fixture
def static(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "pdf.css").write_text("p { color: #0b0c0c; }")
    (tmp_path / "secret.txt").write_text("not for documents")
    return StaticFilesFetcher(tmp_path / "static", "/assets")


def test_fetcher_serves_static_files(static):
    response = static.fetch(BASE_URL + "assets/pdf.css")
    assert response.read() == b"p { color: #0b0c0c; }" and response.content_type == "text/css"


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://shortlist.invalid/assets/pdf.css",
    "https://example.org/assets/pdf.css",
    "https://169.254.169.254/latest/meta-data/",
    "data:text/plain,hello",
    BASE_URL + "assets/../secret.txt",
    BASE_URL + "assets/%2e%2e/secret.txt",
    BASE_URL + "assets/..%2fsecret.txt",
    BASE_URL + "secret.txt",
    BASE_URL + "assets/nothing-here.css",
    BASE_URL + "assets/pdf.css?x=1",
])
def test_fetcher_refuses_everything_else(static, url):
    with pytest.raises(FetchRefused):
        static.fetch(url)


def test_a_document_cannot_make_the_pdf_read_files(app, monkeypatch):
    asked: list[tuple[str, str]] = []
    original = StaticFilesFetcher.fetch

    def recording(self, url, headers=None):  # noqa: ANN001, ANN202
        try:
            response = original(self, url, headers)
        except FetchRefused:
            asked.append((url, "refused"))
            raise
        asked.append((url, "served"))
        return response

    monkeypatch.setattr(StaticFilesFetcher, "fetch", recording)
    pdf = render_pdf('<p>Hello</p><img src="file:///etc/passwd"><img src="/assets/favicon.svg">'
                     '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">')
    assert pdf.startswith(b"%PDF")
    assert ("file:///etc/passwd", "refused") in asked
    assert ("http://127.0.0.1:9/x.css", "refused") in asked
    assert (BASE_URL + "assets/favicon.svg", "served") in asked


def test_checks_interview_and_tie_breaks_are_included_without_the_other_candidates_characteristic(client, candidate):
    from datetime import datetime

    from shortlist.models import Application, InterviewSlot, PositiveAction, PreEmploymentCheck, User

    one, two = db.session.scalars(select(Application).join(Application.vacancy)
                                  .where(Application.reference.in_(["A001", "A002"])).order_by(Application.reference))
    hr = db.session.scalar(select(User).where(User.email == HR))
    db.session.add_all([
        InterviewSlot(application_id=one.id, starts_at=datetime(2027, 1, 12, 10), location="Room 4, Civic Centre"),
        PreEmploymentCheck(application_id=one.id, kind="references", status="satisfactory", note="Two received"),
        PositiveAction(vacancy_id=one.vacancy_id, preferred_id=two.id, other_id=one.id,
                       characteristic="Otherperson is disabled; disabled people are under-represented",
                       evidence_reference="Workforce report 2025", rationale="Equal totals", recorded_by_id=hr.id),
    ])
    db.session.commit()
    login(client, HR)
    text = client.get("/hr/vacancies/SAR-01/applications/A001/subject-access.json").get_data(as_text=True)
    _other_candidate_absent(text)
    first = json.loads(text)["applications"][0]
    assert first["interview"]["location"] == "Room 4, Civic Centre"
    assert first["pre_employment_checks"] == [{"check": "references", "status": "satisfactory", "checked_on": None,
                                               "note": "Two received"}]
    [tie] = first["positive_action_tie_breaks"]
    assert tie["preferred"] is False and "under-represented" not in text
