"""The Armed Forces Covenant guaranteed interview (R7) is fed by the application: a campaign
file, the CSV template and the manual form carry the applicant's service (left on, or due to
leave on, and whether the Forces were their last long-term employer); the vacancy's scheme
switch turns the guarantee on; the engine's reason reaches the recommendation; HR's report
shows who was in the scheme and who met the minimum but was not invited."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from shortlist import campaign_format as cf
from shortlist import permissions
from shortlist.extensions import db
from shortlist.models import Application, Role, Vacancy
from shortlist.rules import codes
from shortlist.services.campaigns import export_campaign
from shortlist.services.recommendations import recommend_vacancy
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, campaign_dict, load, make_user
from tests.hr_helpers import app_spec, decide

TODAY = date.today()
TWO_YEARS_AGO = TODAY - timedelta(days=730)
FOUR_YEARS_AGO = TODAY - timedelta(days=4 * 365 + 2)


def page(response) -> BeautifulSoup:  # noqa: ANN001
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def rows_of(table) -> list[list[str]]:  # noqa: ANN001
    return [[c.get_text(" ", strip=True) for c in tr.select("th, td")] for tr in table.select("tbody tr")]


def recs(reference: str = "AF-01") -> dict[str, object]:
    db.session.expire_all()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    return {r.reference: r for r in recommend_vacancy(vacancy)}


def forces_campaign(scheme: bool = True) -> dict[str, object]:
    data = campaign_dict("AF-01", armed_forces_scheme=scheme)
    data["vacancy"]["disability_confident"] = {"offer_interview": False}
    data["applications"] = [
        # left two years ago, the Forces their last long-term employer; meets the essentials, low scores
        app_spec("V1", k1=(2, 2), armed_forces={"left_on": TWO_YEARS_AGO, "last_long_term_employer": True}),
        # left four years ago: outside the three years
        app_spec("V2", k1=(2, 2), armed_forces={"left_on": FOUR_YEARS_AGO, "last_long_term_employer": True}),
        # serving, due to leave in four weeks
        app_spec("V3", k1=(2, 2), armed_forces={"discharge_due": TODAY + timedelta(weeks=4)}),
        # eligible but does not meet the essentials
        app_spec("V4", k1=(0, 1), armed_forces={"left_on": TWO_YEARS_AGO, "last_long_term_employer": True}),
        app_spec("N1", k1=(3, 3)),
    ]
    return data


def test_a_campaign_file_feeds_the_guarantee_and_round_trips(app):
    load(forces_campaign())
    by_ref = recs()
    assert by_ref["V1"].outcome.value == "guaranteed_interview"
    assert codes.ARMED_FORCES_GUARANTEE in [r.code for r in by_ref["V1"].reasons]
    assert by_ref["V3"].outcome.value == "guaranteed_interview"
    assert by_ref["V2"].outcome.value == "meets_essentials"  # left 4 years ago: ranked normally
    assert by_ref["V4"].outcome.value == "does_not_meet"
    assert by_ref["N1"].outcome.value == "meets_essentials"  # nobody displaced
    assert by_ref["V1"].in_forces_scheme and by_ref["V4"].in_forces_scheme and not by_ref["V2"].in_forces_scheme

    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "AF-01"))
    assert vacancy.armed_forces_scheme is True
    exported = export_campaign("AF-01", include_sealed=True)
    assert exported["vacancy"]["armed_forces_scheme"] is True
    v1 = next(a for a in exported["applications"] if a["reference"] == "V1")
    assert v1["armed_forces"] == {"left_on": TWO_YEARS_AGO, "last_long_term_employer": True}
    again = cf.parse(cf.dump(exported))
    assert again.vacancy.armed_forces_scheme
    assert next(a for a in again.applications if a.reference == "V3").armed_forces == cf.ForcesSpec(
        discharge_due=TODAY + timedelta(weeks=4))


def test_without_the_vacancy_s_scheme_switch_there_is_no_guarantee(app):
    load(forces_campaign(scheme=False))
    assert recs()["V1"].outcome.value == "meets_essentials"
    assert not recs()["V1"].in_forces_scheme


def test_a_campaign_file_s_bad_service_facts_name_their_path():
    data = forces_campaign()
    data["applications"][0]["armed_forces"] = {"left_on": TWO_YEARS_AGO, "discharge_due": TODAY}
    data["applications"][1]["armed_forces"] = {}
    data["applications"][2]["armed_forces"] = {"discharge_due": TODAY, "last_long_term_employer": False}
    with pytest.raises(cf.CampaignError) as caught:
        cf.parse(cf.dump(data))
    paths = {p.path for p in caught.value.problems}
    assert "applications[0].armed_forces" in paths
    assert "applications[1].armed_forces" in paths
    assert "applications[2].armed_forces.last_long_term_employer" in paths


@pytest.fixture
def vacancy():
    data = forces_campaign()
    data["applications"] = []
    load(data)
    make_user(HR, Role.HR_ADMIN, name="Hana HR")


def test_the_csv_template_and_import_carry_armed_forces_service(client, vacancy):
    login(client, CHAIR)
    header = next(csv.reader(io.StringIO(
        client.get("/vacancies/AF-01/applications/template.csv").get_data(as_text=True))))
    for column in ("armed_forces_left_on", "armed_forces_discharge_due", "armed_forces_last_long_term_employer"):
        assert column in header
    left = TWO_YEARS_AGO.strftime("%d/%m/%Y")  # UK exports write dates day first
    response = client.post("/vacancies/AF-01/applications/import", data={"file": (io.BytesIO((
        "reference,name,armed_forces_left_on,armed_forces_discharge_due,armed_forces_last_long_term_employer,K1\n"
        f"B001,Sam Taylor,{left},,yes,Systemic work.\n"
        f"B002,Ali Khan,,{(TODAY + timedelta(weeks=2)).isoformat()},,Some knowledge.\n"
        "B003,Jo Lee,,,,Some knowledge.\n").encode()), "apps.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    sam = db.session.scalar(select(Application).where(Application.reference == "B001")).details
    assert (sam.forces_left_on, sam.forces_discharge_due, sam.forces_last_long_term_employer) == (
        TWO_YEARS_AGO, None, True)
    ali = db.session.scalar(select(Application).where(Application.reference == "B002")).details
    assert ali.forces_discharge_due == TODAY + timedelta(weeks=2) and ali.forces_left_on is None
    jo = db.session.scalar(select(Application).where(Application.reference == "B003")).details
    assert jo.forces_left_on is None and jo.forces_discharge_due is None


def test_bad_service_cells_name_line_and_column_and_save_nothing(client, vacancy):
    login(client, CHAIR)
    body = page(client.post("/vacancies/AF-01/applications/import", data={"file": (io.BytesIO((
        "reference,name,armed_forces_left_on,armed_forces_discharge_due,armed_forces_last_long_term_employer\n"
        "B001,Sam Taylor,last spring,,yes\n"
        f"B002,Ali Khan,{TWO_YEARS_AGO.isoformat()},{TODAY.isoformat()},yes\n"
        f"B003,Jo Lee,{TWO_YEARS_AGO.isoformat()},,\n"
        "B004,Kim Ng,,,maybe\n").encode()), "apps.csv")}, content_type="multipart/form-data")).get_text(" ")
    assert "line 2, column armed_forces_left_on" in body
    assert "line 3, column armed_forces_discharge_due" in body
    assert "line 4, column armed_forces_last_long_term_employer" in body
    assert "line 5, column armed_forces_last_long_term_employer" in body
    assert db.session.scalar(select(Application).where(Application.reference == "B001")) is None


def test_the_manual_form_asks_about_armed_forces_service(client, vacancy):
    login(client, CHAIR)
    form = page(client.get("/vacancies/AF-01/applications/new"))
    assert form.select_one("input[name=armed_forces][value=left]") is not None
    assert form.select_one("input[name=armed_forces_date-year]") is not None
    response = client.post("/vacancies/AF-01/applications/new", data={
        "reference": "M001", "name": "Morgan Hill", "disability_declared": "no", "offer_interview_opt_in": "no",
        "armed_forces": "left", "armed_forces_date-day": str(TWO_YEARS_AGO.day),
        "armed_forces_date-month": str(TWO_YEARS_AGO.month), "armed_forces_date-year": str(TWO_YEARS_AGO.year),
        "armed_forces_last_long_term_employer": "yes", "evidence_K1": "Systemic work."})
    assert response.status_code == 302, response.get_data(as_text=True)
    details = db.session.scalar(select(Application).where(Application.reference == "M001")).details
    assert details.forces_left_on == TWO_YEARS_AGO and details.forces_last_long_term_employer

    refused = page(client.post("/vacancies/AF-01/applications/new", data={
        "reference": "M002", "name": "Noor Ali", "disability_declared": "no", "offer_interview_opt_in": "no",
        "armed_forces": "serving"}))
    assert "Enter the date they are due to leave" in refused.select_one(".govuk-error-summary").get_text(" ")
    assert db.session.scalar(select(Application).where(Application.reference == "M002")) is None


def test_the_vacancy_checks_step_switches_the_scheme(client, vacancy):
    login(client, CHAIR)
    shown = page(client.get("/vacancies/AF-01/setup/checks"))
    assert shown.select_one("input[name=armed_forces_scheme][value=yes]").has_attr("checked")
    response = client.post("/vacancies/AF-01/setup/checks", data={
        "dbs_level": "enhanced", "barred_lists": ["children"], "regulated_activity": "yes",
        "safeguarding_role": "yes", "customer_facing": "no", "offer_interview": "no",
        "declaration_triggers_scheme": "no", "waiver_policy": "no", "armed_forces_scheme": "no",
        "min_scorers": "2", "employment_gap_months": "3", "completed": "yes"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Vacancy).where(Vacancy.reference == "AF-01")).armed_forces_scheme is False


def test_the_guarantee_never_reaches_a_pack(app):
    # the guarantee states scheme membership: packs, schedules and calendar files never carry it
    assert codes.ARMED_FORCES_GUARANTEE in permissions.SCHEME_CODES


def test_hr_s_armed_forces_report(client, app):
    load(forces_campaign())
    decide("AF-01", "V1", "shortlisting", "reserve", reason="Slots were full")
    decide("AF-01", "V3", "shortlisting", "invite")
    make_user(HR, Role.HR_ADMIN)
    login(client, HR)
    body = page(client.get("/hr/reports/armed-forces"))
    # in the scheme: V1, V3, V4 (V2 left too long ago); met the minimum: V1, V3; invited: V3
    assert rows_of(body.select_one("#dc-table")) == [["AF-01", "3", "2", "1", "1"]]
    assert rows_of(body.select_one("#not-invited-table")) == [["AF-01", "V1", "Reserve list", "Slots were full"]]
    rows = list(csv.DictReader(io.StringIO(
        client.get("/hr/reports/armed-forces.csv").get_data(as_text=True))))
    assert rows[0]["in_scheme"] == "3" and rows[0]["meet_minimum_criteria"] == "2"
    assert "armed-forces" in client.get("/hr/reports/").get_data(as_text=True)
    login(client, CHAIR)
    assert client.get("/hr/reports/armed-forces").status_code == 403
