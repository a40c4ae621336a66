"""The HR reports as HR sees them: pages with a chart, a text alternative and a table,
CSV downloads (audited), HR only, and a fixed number of queries however many applications."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role
from shortlist.services import reports as service
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user
from tests.hr_helpers import app_spec, count_queries, decide
from tests.pages import page as soup


def rows_of(table) -> list[list[str]]:  # noqa: ANN001
    return [[c.get_text(" ", strip=True) for c in tr.select("th, td")] for tr in table.select("tbody tr")]


def read_csv(response) -> list[dict[str, str]]:  # noqa: ANN001
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def scheme_vacancy():
    """Four scheme applicants (three meet the minimum), one other; decisions as the panel left them."""
    data = campaign_dict("DC-01")
    data["applications"] = [
        app_spec("S1", k1=(2, 3), scheme=True),
        app_spec("S2", k1=(2, 2), scheme=True),
        app_spec("S3", k1=(3, 3), scheme=True),
        app_spec("S4", k1=(0, 1), scheme=True),
        app_spec("N1", k1=(3, 3)),
    ]
    load(data)
    decide("DC-01", "S1", "shortlisting", "invite")
    decide("DC-01", "S2", "shortlisting", "reserve", reason="Interview slots were full on the day",
           override_reason=None)
    decide("DC-01", "S4", "shortlisting", "reject", reason="Essential K1 not met")
    decide("DC-01", "N1", "shortlisting", "invite")
    make_user(HR, Role.HR_ADMIN)


def test_disability_confident_lists_scheme_applicants_met_but_not_invited(client, scheme_vacancy):
    login(client, HR)
    page = soup(client.get("/hr/reports/disability-confident"))
    assert rows_of(page.select_one("#dc-table")) == [["DC-01", "4", "3", "1", "2"]]
    listed = rows_of(page.select_one("#not-invited-table"))
    assert listed == [
        ["DC-01", "S2", "Reserve list", "Interview slots were full on the day"],
        ["DC-01", "S3", "No decision recorded yet", "No reason recorded"],
    ]
    summary = page.select_one("#dc-summary").get_text(" ", strip=True)
    assert "4 applicants in the scheme, 3 met the minimum criteria, 1 was invited" in summary
    assert "2 who met the minimum criteria were not invited" in summary
    svg = page.select_one("svg[role=img]")
    assert svg is not None and svg.select_one("title").get_text() and svg.select_one("desc").get_text()
    assert page.select_one('a[href="/hr/reports/disability-confident.csv"]') is not None


def test_disability_confident_across_vacancies_has_a_total(client, scheme_vacancy):
    other = campaign_dict("DC-02")
    other["applications"] = [app_spec("T1", scheme=True)]
    load(other)
    login(client, HR)
    page = soup(client.get("/hr/reports/disability-confident"))
    table = rows_of(page.select_one("#dc-table"))
    assert table[-1] == ["All vacancies", "5", "4", "1", "3"]
    one = soup(client.get("/hr/reports/disability-confident?vacancy=DC-02"))
    assert rows_of(one.select_one("#dc-table")) == [["DC-02", "1", "1", "0", "1"]]
    assert client.get("/hr/reports/disability-confident?vacancy=NOPE").status_code == 404


def test_disability_confident_csv_is_recorded_in_the_audit_log(client, scheme_vacancy):
    login(client, HR)
    response = client.get("/hr/reports/disability-confident.csv?vacancy=DC-01")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0]["in_scheme"] == "4" and rows[0]["met_not_invited"] == "2"
    assert [(r["not_invited_reference"], r["decision"]) for r in rows if r["not_invited_reference"]] == [
        ("S2", "Reserve list"), ("S3", "No decision recorded yet")]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.exported")).one()
    assert event.actor == HR and event.vacancy_reference == "DC-01"
    assert event.data == {"report": "disability-confident", "filters": {"vacancy": "DC-01"}, "rows": len(rows)}


def test_csv_cells_cannot_run_as_spreadsheet_formulas():
    text = service.to_csv(["a", "b"], [["=HYPERLINK(\"x\")", "+1"], ["plain", "-2"]])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["'=HYPERLINK(\"x\")", "'+1"], ["plain", "'-2"]]


def test_csv_cells_repeated_on_many_rows_stay_safe_and_keep_their_own_value():
    """Each distinct text is made safe once and reused; numbers, booleans and lists are
    written as themselves (1 and True are equal as keys, not as cells)."""
    rows = [["=SUM(A1)", 1, True, None], ["=SUM(A1)", True, 1, ["x"]], ["-3", -3, "1", ""]]
    text = service.to_csv(["a", "b", "c", "d"], rows)
    assert list(csv.reader(io.StringIO(text)))[1:] == [
        ["'=SUM(A1)", "1", "True", ""], ["'=SUM(A1)", "True", "1", "['x']"], ["'-3", "'-3", "1", ""]]


@pytest.fixture
def impact_vacancy():
    """Sex: 6 women (5 shortlisted, 2 interviewed, 1 appointed), 6 men (2 shortlisted), 2 prefer not to say."""
    data = campaign_dict("AI-01")
    apps = [app_spec(f"F{i}", sex="Female") for i in range(1, 7)]
    apps += [app_spec(f"M{i}", sex="Male") for i in range(1, 7)]
    apps += [app_spec("P1", sex="Prefer not to say"), app_spec("P2", sex="Prefer not to say")]
    data["applications"] = apps
    load(data)
    for ref in ("F1", "F2", "F3", "F4", "F5", "M1", "M2"):
        decide("AI-01", ref, "shortlisting", "invite")
    decide("AI-01", "F1", "interview", "appoint")
    decide("AI-01", "F2", "interview", "not_appointed")
    make_user(HR, Role.HR_ADMIN)


def test_adverse_impact_flags_below_four_fifths_and_suppresses_small_groups(client, impact_vacancy):
    login(client, HR)
    page = soup(client.get("/hr/reports/adverse-impact?characteristic=sex"))
    shortlisted = rows_of(page.select_one("#step-shortlisted"))
    assert shortlisted == [
        ["Female", "6", "5", "83%", "1.00", "Highest rate"],
        ["Male", "6", "2", "33%", "0.40", "Below 0.8"],
        ["Prefer not to say", "Suppressed: fewer than 5 people"],
    ]
    interviewed = rows_of(page.select_one("#step-interviewed"))
    assert interviewed[0] == ["Female", "5", "2", "40%", "1.00", "Highest rate"]
    assert interviewed[1] == ["Male", "Suppressed: fewer than 5 people"]
    summary = page.select_one("#impact-summary").get_text(" ", strip=True)
    assert "14 applicants" in summary and "Male at shortlisted (invited to interview) (33%, ratio 0.40)" in summary
    chart = page.select_one("svg[role=img]")
    assert "suppressed" in chart.get_text()
    # the two people who preferred not to say cannot be counted from the page
    assert "Fewer than 5" in rows_of(page.select("table")[0])[-1][1]


def test_adverse_impact_csv_covers_every_characteristic(client, impact_vacancy):
    login(client, HR)
    rows = read_csv(client.get("/hr/reports/adverse-impact.csv?vacancy=AI-01"))
    male = next(r for r in rows if r["characteristic"] == "sex" and r["group"] == "Male" and r["stage"] == "shortlisted")
    assert (male["pool"], male["selected"], male["impact_ratio"], male["below_four_fifths"]) == ("6", "2", "0.4000", "yes")
    prefer = next(r for r in rows if r["group"] == "Prefer not to say" and r["stage"] == "shortlisted")
    assert prefer["suppressed"] == "yes" and prefer["pool"] == "" and prefer["selected"] == ""
    assert {r["characteristic"] for r in rows} >= {"sex", "ethnicity", "age_band", "disability"}


def test_adverse_impact_rejects_an_unknown_characteristic(client, impact_vacancy):
    login(client, HR)
    assert client.get("/hr/reports/adverse-impact?characteristic=shoe_size").status_code == 404


@pytest.fixture
def calibrated_vacancy():
    data = campaign_dict("CAL-01")
    data["applications"] = [
        app_spec("A1", k1=(2, 3), agreed={"shortlisting": {"K1": {"score": 2, "rationale": "Evidence is sound"}}}),
        app_spec("A2", k1=(1, 3), agreed={"shortlisting": {"K1": {"score": 2, "rationale": "Met on balance"}}}),
        app_spec("A3", k1=(0, 0)),
    ]
    load(data)
    make_user(HR, Role.HR_ADMIN)


def test_calibration_shows_distribution_and_each_members_distance(client, calibrated_vacancy):
    login(client, HR)
    page = soup(client.get("/hr/reports/calibration?vacancy=CAL-01"))
    assert rows_of(page.select_one("#distribution-table")) == [["K1", "2", "1", "1", "2", "6", "1.50"]]
    distances = rows_of(page.select_one("#distance-table"))
    # chair: 2 vs 2, 1 vs 2 -> 0.5, -0.5; member: 3 vs 2, 3 vs 2 -> 1.0, +1.0
    assert distances == [["Chair Person", "3", "2", "0.50", "-0.50"], ["Member Person", "3", "2", "1.00", "1.00"]]
    assert "Furthest from the agreed scores: Member Person" in page.select_one("#calibration-summary").get_text()
    assert len(page.select("svg[role=img]")) == 2
    rows = read_csv(client.get("/hr/reports/calibration.csv?vacancy=CAL-01"))
    member = next(r for r in rows if r["criterion_or_member"] == MEMBER)
    assert member["mean_distance"] == "1.00" and member["compared_with_agreed"] == "2"


def test_calibration_lists_vacancies_until_one_is_chosen(client, calibrated_vacancy):
    login(client, HR)
    page = soup(client.get("/hr/reports/calibration"))
    assert page.select_one('a[href="/hr/reports/calibration?vacancy=CAL-01"]') is not None
    assert client.get("/hr/reports/calibration?vacancy=CAL-01&stage=final").status_code == 404
    assert client.get("/hr/reports/calibration.csv").status_code == 404


@pytest.mark.parametrize("path", [
    "/hr/reports/", "/hr/reports/disability-confident", "/hr/reports/disability-confident.csv",
    "/hr/reports/adverse-impact", "/hr/reports/adverse-impact.csv", "/hr/reports/calibration?vacancy=CAL-01",
    "/hr/reports/calibration.csv?vacancy=CAL-01",
])
@pytest.mark.parametrize("email", [CHAIR, MEMBER])
def test_reports_are_for_hr_only(client, calibrated_vacancy, path, email):
    login(client, email)
    assert client.get(path).status_code == 403


def _campaign_of(n: int, reference: str) -> None:
    data = campaign_dict(reference)
    sexes = ["Female", "Male", "Prefer not to say"]
    data["applications"] = [
        app_spec(f"A{i:03d}", scheme=i % 2 == 0, sex=sexes[i % 3],
                 agreed={"shortlisting": {"K1": {"score": 2, "rationale": "Agreed"}}})
        for i in range(n)
    ]
    load(data)
    for i in range(0, n, 2):
        decide(reference, f"A{i:03d}", "shortlisting", "invite")


@pytest.mark.parametrize("report", ["disability_confident", "adverse_impact", "calibration"])
def test_each_report_makes_the_same_number_of_queries_for_3_or_30_applications(report):
    counts = []
    for n, reference in ((3, "Q-SMALL"), (30, "Q-LARGE")):
        _campaign_of(n, reference)
        db.session.remove()
        with count_queries() as statements:
            if report == "calibration":
                service.calibration(service.vacancies(reference)[0])
            else:
                getattr(service, report)(reference)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
