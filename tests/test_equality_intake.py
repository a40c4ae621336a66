"""Equality monitoring and criminal-record declarations enter with the application (issue
14, finding 11): the CSV template and the manual form carry them, they are sealed on the way
in (HR only; never in the audit log's data, never on a panel's page), and the adverse-impact
report says when answers are missing instead of drawing a conclusion."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import Application, AuditEvent, Role
from shortlist.rules import reports as calc
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user
from tests.hr_helpers import decide
from tests.pages import page

ETHNIC_MARK = "Other ethnic group: Marker-7f3a"
CONVICTION_MARK = "Marker-9c2e: a speeding fine in 2024"


def post_csv(client, text: str):  # noqa: ANN001, ANN201
    return client.post("/vacancies/TST-01/applications/import",
                       data={"file": (io.BytesIO(text.encode()), "apps.csv")}, content_type="multipart/form-data")


def application(reference: str) -> Application:
    db.session.expire_all()
    return db.session.scalar(select(Application).where(Application.reference == reference))


def audit_text() -> str:
    return json.dumps([e.data for e in db.session.scalars(select(AuditEvent))])


@pytest.fixture
def vacancy():
    load(campaign_dict())
    make_user(HR, Role.HR_ADMIN, name="Hana HR")


def test_the_csv_template_asks_for_monitoring_and_the_declaration(client, vacancy):
    login(client, CHAIR)
    header = next(csv.reader(io.StringIO(client.get("/vacancies/TST-01/applications/template.csv")
                                         .get_data(as_text=True))))
    for column in ("equality_age_band", "equality_sex", "equality_ethnicity", "equality_disability",
                   "equality_caring_responsibilities", "unspent_convictions", "conviction_details"):
        assert column in header, column


def test_a_csv_row_s_answers_are_sealed_on_the_way_in(client, vacancy):
    login(client, CHAIR)
    response = post_csv(client, (
        "reference,name,equality_sex,equality_ethnicity,equality_disability,unspent_convictions,conviction_details,K1\n"
        f"B001,Sam Taylor,Female,{ETHNIC_MARK},Prefer not to say,yes,{CONVICTION_MARK},Systemic work.\n"
        "B002,Ali Khan,,,,no,,Some knowledge.\n"
        "B003,Jo Lee,,,,,,Some knowledge.\n"))
    assert response.status_code == 302
    sam = application("B001")
    assert sam.equality_monitoring.answers == {"sex": "Female", "ethnicity": ETHNIC_MARK,
                                               "disability": "Prefer not to say"}
    assert (sam.criminal_record_declaration.unspent_convictions, sam.criminal_record_declaration.details) == (
        True, CONVICTION_MARK)
    ali, jo = application("B002"), application("B003")
    assert ali.equality_monitoring is None and ali.criminal_record_declaration.unspent_convictions is False
    assert jo.equality_monitoring is None and jo.criminal_record_declaration is None  # not asked: nothing stored
    # sealed: not in the audit log's data, not on the manager's pages
    assert "Marker-" not in audit_text()
    for path in ("/vacancies/TST-01/applications/", "/vacancies/TST-01"):
        assert "Marker-" not in client.get(path).get_data(as_text=True), path
    # HR reads them on the sealed page
    login(client, HR)
    sealed = client.get("/hr/vacancies/TST-01/applications/B001/sealed").get_data(as_text=True)
    assert "Marker-7f3a" in sealed and "Marker-9c2e" in sealed


@pytest.mark.parametrize(("row", "message"), [
    ("B001,Sam,,maybe,", "line 2, column unspent_convictions: must be yes, no or left empty"),
    ("B001,Sam,,no,Fined", "line 2, column conviction_details: give details only when unspent_convictions is yes"),
    ("B001,Sam," + "x" * 201 + ",,", "line 2, column equality_ethnicity: is longer than 200 characters"),
])
def test_a_bad_answer_names_its_line_and_column_and_nothing_is_saved(client, vacancy, row, message):
    login(client, CHAIR)
    response = post_csv(client, "reference,name,equality_ethnicity,unspent_convictions,conviction_details\n" + row + "\n")
    assert message in page(response).select_one("#problems").get_text(" ", strip=True)
    assert application("B001") is None


def test_the_manual_form_takes_them_sealed(client, vacancy):
    login(client, CHAIR)
    form = page(client.get("/vacancies/TST-01/applications/new"))
    assert form.select_one("select#equality_ethnicity") is not None
    assert [o["value"] for o in form.select("select#equality_sex option")][:1] == [""]  # "Not answered" first
    legend = form.select_one("#unspent_convictions").find_parent("fieldset").legend.get_text(strip=True)
    assert legend == "Did the applicant declare any unspent convictions?"
    response = client.post("/vacancies/TST-01/applications/new", data={
        "reference": "H001", "name": "Hand Entered", "disability_declared": "no", "offer_interview_opt_in": "no",
        "equality_sex": "Male", "equality_religion": "Prefer not to say", "equality_ethnicity": "",
        "unspent_convictions": "yes", "conviction_details": CONVICTION_MARK, "evidence_K1": "My evidence"})
    assert response.status_code == 302
    hand = application("H001")
    assert hand.equality_monitoring.answers == {"sex": "Male", "religion": "Prefer not to say"}
    assert hand.criminal_record_declaration.details == CONVICTION_MARK
    assert "Marker-" not in audit_text()
    refused = page(client.post("/vacancies/TST-01/applications/new", data={
        "reference": "H002", "name": "Two", "disability_declared": "no", "offer_interview_opt_in": "no",
        "equality_sex": "Not a listed answer"}))
    assert refused.select_one(".govuk-error-summary a[href='#equality_sex']")
    assert application("H002") is None


def test_a_panel_member_never_sees_them(client, vacancy):
    login(client, CHAIR)
    post_csv(client, ("reference,name,equality_ethnicity,unspent_convictions,conviction_details,K1\n"
                      f"B001,Sam Taylor,{ETHNIC_MARK},yes,{CONVICTION_MARK},Systemic work.\n"))
    login(client, MEMBER)
    for path in ("/vacancies/TST-01", "/vacancies/TST-01/conflicts", "/vacancies/TST-01/scoring/B001"):
        body = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert "Marker-" not in body, path


# --------------------------------------------------------------------------- the report


def people(answers: list[str | None], shortlisted: set[int]) -> list[calc.Person]:
    return [calc.Person({} if a is None else {"ethnicity": a}, frozenset({"shortlisted"} if i in shortlisted else ()))
            for i, a in enumerate(answers)]


@pytest.mark.parametrize(("answers", "shortlisted", "code"), [
    ([None] * 12, {0, 1}, "no_answers"),
    (["Prefer not to say"] * 12, {0, 1}, "no_answers"),
    (["A"] * 6 + [None] * 6, {0, 1, 2}, "too_few_to_compare"),
    (["A"] * 6 + ["B"] * 6 + [None] * 3, {0, 1, 2, 3, 6, 7, 8, 9}, "none_below"),
    (["A"] * 6 + ["B"] * 6, {0, 1, 2, 3, 4, 6}, "below_four_fifths"),
])
def test_the_report_concludes_only_from_answers_it_has(answers, shortlisted, code):
    counts = calc.stage_counts(people(answers, shortlisted), ["ethnicity"])["ethnicity"]
    table = calc.adverse_impact("ethnicity", counts)
    conclusion = calc.impact_conclusion(table)
    assert conclusion.code == code
    unanswered = sum(1 for a in answers if a in (None, "Prefer not to say"))
    assert (conclusion.applicants, conclusion.unanswered) == (len(answers), unanswered)
    if unanswered and code != "no_answers":  # how many did not answer (a small number is not given exactly)
        counted = str(unanswered) if unanswered >= calc.MIN_GROUP else f"fewer than {calc.MIN_GROUP}"
        assert f"{counted} of the {len(answers)} applicants did not answer".lower() in conclusion.message.lower()
    if code in ("no_answers", "too_few_to_compare"):
        assert "four-fifths" not in conclusion.message and "cannot say" in conclusion.message


def test_the_report_for_a_vacancy_built_in_the_app_says_answers_are_missing(client):
    data = campaign_dict("AI-02")
    data["applications"] = [{"reference": f"A{i:03d}", "name": f"Applicant {i}"} for i in range(1, 13)]
    load(data)
    for ref in ("A001", "A002", "A003"):
        decide("AI-02", ref, "shortlisting", "invite")
    make_user(HR, Role.HR_ADMIN)
    login(client, HR)
    summary = page(client.get("/hr/reports/adverse-impact?vacancy=AI-02&characteristic=ethnicity"))
    text = summary.select_one("#impact-summary").get_text(" ", strip=True)
    assert "No selection rate is below four-fifths" not in text
    assert "None of the 12 applicants answered" in text and "cannot" in text
    assert summary.select_one("#impact-summary")["data-code"] == "no_answers"
