"""Applications intake: a CSV imports all or nothing; errors name their line and column."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.intake import IntakeError, parse_csv
from shortlist.models import Application, AuditEvent, Role, Vacancy
from tests.app_fixtures import login
from tests.factories import CHAIR, MEMBER, campaign_dict, load, make_user
from tests.test_campaign_load import snapshot

GOOD = (
    "reference,name,email,disability_declared,offer_interview_opt_in,unmet_due_to_disability,"
    "employment_history,qualifications,K1,D1\n"
    "B001,Sam Taylor,sam@example.net,yes,yes,,2015-01 to 2019-06 Leeds City Council / Social worker;"
    "2019-10 to now Kirklees Council / Therapist,MSc Family Therapy,I trained in systemic therapy.,\n"
    "B002,Ali Khan,,no,no,,,,Some knowledge.,I supervised students.\n"
)


def post_csv(client, data: bytes, name: str = "apps.csv"):  # noqa: ANN001, ANN201
    return client.post("/vacancies/TST-01/applications/import",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_csv_imports_every_row(client):
    load(campaign_dict())
    login(client, CHAIR)
    response = post_csv(client, GOOD.encode())
    assert response.status_code == 302
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "TST-01"))
    apps = {a.reference: a for a in vacancy.applications}
    assert set(apps) == {"A001", "B001", "B002"}
    sam = apps["B001"]
    assert sam.details.name == "Sam Taylor" and sam.details.offer_interview_opt_in
    assert [(s.start, s.end, s.employer, s.role) for s in sam.employment] == [
        ("2015-01", "2019-06", "Leeds City Council", "Social worker"),
        ("2019-10", None, "Kirklees Council", "Therapist"),
    ]
    assert {e.criterion.key: e.text for e in apps["B002"].evidence} == {"K1": "Some knowledge.", "D1": "I supervised students."}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "applications.imported"))
    assert event.data["count"] == 2 and event.actor == CHAIR
    page = BeautifulSoup(client.get(response.headers["Location"]).get_data(as_text=True), "html.parser")
    assert "2 applications imported" in page.select_one(".govuk-notification-banner").get_text()
    assert "Sam Taylor" not in page.get_text()  # the manager chairs the panel: no names before the shortlist


BAD = [
    ("reference,name,K9\nB001,Sam,x\n", "line 1, column K9: unknown column"),
    ("reference,name,email\nB001,Sam,not-an-email\n", "line 2, column email: 'not-an-email' is not an e-mail address"),
    ("reference,name\nB001,Sam\nB001,Alex\n", "line 3, column reference: 'B001' is already used"),
    ("reference,name\nA001,Sam\n", "line 2, column reference: 'A001' is already used"),
    ("reference,name,disability_declared\nB001,Sam,perhaps\n", "line 2, column disability_declared: must be yes or no"),
    ("reference,name,employment_history\nB001,Sam,since 2019 somewhere\n", "line 2, column employment_history"),
    ("reference,name\nB001,\n", "line 2, column name: is required"),
    ("name\nSam\n", "line 1, column reference: this column is required"),
    ("reference,name,unmet_due_to_disability\nB001,Sam,K1\n", "needs disability_declared: yes"),
    ("", "the file is empty"),
    ("reference,name\n", "no applications"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_csv_names_line_and_column_and_changes_nothing(client, text, message):
    load(campaign_dict())
    login(client, CHAIR)
    before = snapshot()
    response = post_csv(client, text.encode())
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.title.string.startswith("Error:")
    assert "Nothing was saved" in page.select_one(".govuk-error-summary").get_text()
    assert message in page.select_one("#problems").get_text()
    assert snapshot() == before


def test_binary_file_is_refused_clearly():
    with pytest.raises(IntakeError, match="not text"):
        parse_csv(b"\x00\x01\x02\xff\xfe" * 100, ["K1"])


def test_template_has_a_column_per_criterion(client):
    load(campaign_dict())
    login(client, CHAIR)
    response = client.get("/vacancies/TST-01/applications/template.csv")
    assert response.mimetype == "text/csv"
    header = response.get_data(as_text=True).strip().split(",")
    assert header[:2] == ["reference", "name"] and header[-3:] == ["K1", "C1", "D1"]


def test_template_round_trips_through_import():
    from shortlist.intake import template

    header = template(["K1", "D1"])
    values = {"reference": "B001", "name": "Sam", "disability_declared": "yes", "offer_interview_opt_in": "no",
              "K1": "evidence"}
    row = ",".join(values.get(column, "") for column in header.strip().split(","))
    specs = parse_csv((header + row + "\n").encode(), ["K1", "D1"])
    assert specs[0].evidence == {"K1": "evidence"} and specs[0].disability_declared


def test_add_an_application_by_hand(client):
    load(campaign_dict())
    login(client, CHAIR)
    page = BeautifulSoup(client.get("/vacancies/TST-01/applications/new").get_data(as_text=True), "html.parser")
    assert page.select_one("#evidence_K1") is not None  # shortlisting criteria get a box
    assert page.select_one("#evidence_C1") is None  # interview-only criteria do not
    response = client.post("/vacancies/TST-01/applications/new", data={
        "reference": "H001", "name": "Hand Entered", "email": "hand@example.net", "phone": "",
        "disability_declared": "no", "offer_interview_opt_in": "no", "adjustments": "",
        "evidence_K1": "My evidence", "evidence_D1": "",
    })
    assert response.status_code == 302
    app = db.session.scalar(select(Application).where(Application.reference == "H001"))
    assert app.details.name == "Hand Entered" and [e.text for e in app.evidence] == ["My evidence"]
    again = client.post("/vacancies/TST-01/applications/new", data={
        "reference": "H001", "name": "Twice", "disability_declared": "no", "offer_interview_opt_in": "no"})
    assert "An application H001 already exists" in again.get_data(as_text=True)


@pytest.mark.parametrize(("email", "status"), [(CHAIR, 200), ("hr@example.org", 200), (MEMBER, 403)])
def test_intake_is_for_the_manager_and_hr(client, email, status):
    load(campaign_dict())
    make_user("hr@example.org", Role.HR_ADMIN)
    login(client, email)
    for path in ("", "import", "new", "template.csv"):
        assert client.get(f"/vacancies/TST-01/applications/{path}").status_code == status


def test_hr_sees_names(client):
    load(campaign_dict())
    make_user("hr@example.org", Role.HR_ADMIN)
    login(client, "hr@example.org")
    assert "Applicant One" in client.get("/vacancies/TST-01/applications/").get_data(as_text=True)


# --------------------------------------------------------------------------- from a campaign file


def campaign_file(**changes) -> bytes:  # noqa: ANN003
    """TST-01's campaign with two new applications (no scores), as a manager would upload it."""
    from tests.factories import to_yaml

    data = campaign_dict()
    data["applications"] = [
        {"reference": "C001", "name": "Casey Jones", "email": "casey@example.net",
         "evidence": {"K1": "I completed systemic training in 2020."},
         "employment_history": [{"from": "2019-01", "to": None, "employer": "Example Trust", "role": "Therapist"}],
         "equality_monitoring": {"ethnicity": "Prefer not to say"}},
        {"reference": "C002", "name": "Dana Smith", "evidence": {"D1": "I supervised a placement student."}},
    ]
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return to_yaml(data).encode()


def test_a_campaign_file_adds_its_applications(client):
    load(campaign_dict())
    make_user("hr@example.org", Role.HR_ADMIN)
    login(client, CHAIR)
    response = post_csv(client, campaign_file(), "applications.yaml")
    assert response.status_code == 302
    db.session.remove()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "TST-01"))
    added = {a.reference: a for a in vacancy.applications}
    assert sorted(added) == ["A001", "C001", "C002"]
    assert [(e.criterion.key, e.text) for e in added["C001"].evidence] == [("K1", "I completed systemic training in 2020.")]
    assert added["C001"].equality_monitoring is not None  # sealed data goes to its sealed table
    assert added["C001"].score_sheets == []
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "applications.imported")).one()
    assert (event.data["count"], event.data["references"], event.data["format"]) == (2, ["C001", "C002"], "campaign")


BAD_CAMPAIGNS = [
    ({"vacancy__reference": "OTHER-01"}, "the file is for vacancy OTHER-01, not TST-01"),
    ({"applications__0__reference": "A001"}, "application A001 is already on this vacancy"),
    ({"criteria__0__text": "Knowledge of narrative therapy."},
     "criterion K1 in the file is not worded as this vacancy's K1"),
    ({"applications__1__scores": {"shortlisting": {CHAIR: {"K1": 2}}}}, "scores are not imported with applications"),
    ({"applications__1__disability_declared": "perhaps"}, "disability_declared"),
    ({"applications": []}, "the file holds no applications"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_CAMPAIGNS)
def test_a_bad_campaign_file_names_the_problem_and_changes_nothing(client, changes, message):
    load(campaign_dict())
    login(client, CHAIR)
    before = snapshot()
    page = BeautifulSoup(post_csv(client, campaign_file(**changes), "apps.yml").get_data(as_text=True), "html.parser")
    assert "Nothing was saved" in page.select_one(".govuk-error-summary").get_text()
    assert message in page.select_one("#problems").get_text()
    assert snapshot() == before


def test_a_campaign_file_that_is_not_yaml_is_refused_with_its_line(client):
    load(campaign_dict())
    login(client, CHAIR)
    page = BeautifulSoup(post_csv(client, b"vacancy: [unclosed\n", "apps.yaml").get_data(as_text=True),
                         "html.parser")
    assert "line" in page.select_one("#problems").get_text()
    page = BeautifulSoup(post_csv(client, b"\xff\xfe\x00bad", "apps.yaml").get_data(as_text=True), "html.parser")
    assert "not UTF-8 text" in page.select_one("#problems").get_text()
