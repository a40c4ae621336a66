"""Issue 14, finding 1: employment-gap marks on sheets loaded from campaign files.

Campaign files carry the shortlisters' gap marks (and `export` writes them); a loaded
submitted sheet without one loads with a warning naming the member; the chair's decisions
page says who owes which mark and links to where it is given; the member gives it on their
submitted sheet, or HR records it for them with a reason, each in the audit log.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
from sqlalchemy import select

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.models import AuditEvent, GapMark, Role
from shortlist.services.campaigns import export_campaign
from shortlist.services import vacancy_checks
from tests.app_fixtures import SEEDS, login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user, to_yaml
from tests.pages import page

GAP_HISTORY = [
    {"from": "2015-01", "to": "2019-12", "employer": "North Trust", "role": "Therapist"},
    {"from": "2020-09", "to": None, "employer": "South Trust", "role": "Senior Therapist"},
]


def gap_campaign(marks: dict | None = None) -> dict:
    """A001 has an eight-month gap from January 2020; the chair and the member submitted scores."""
    data = campaign_dict()
    data["applications"][0]["employment_history"] = copy.deepcopy(GAP_HISTORY)
    if marks is not None:
        data["applications"][0]["gap_marks"] = marks
    return data


def blockers(client) -> list:
    listed = page(client.get("/vacancies/TST-01/decisions")).select_one("#finalise-refusals")
    return [] if listed is None else listed.select("li[data-code=gap_not_marked]")


def gap_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "gap.marked")
                                   .order_by(AuditEvent.seq)))


@pytest.fixture
def unmarked():
    load(gap_campaign())
    make_user(HR, Role.HR_ADMIN, name="Hana HR")


def test_a_campaign_file_carries_gap_marks_and_export_writes_them():
    marks = {CHAIR: {"2020-01": "explained"},
             MEMBER: {"2020-01": {"mark": "explore", "note": "Ask about the eight months."}}}
    load(gap_campaign(marks))
    rows = {(m.user.email, m.gap_start): (m.mark, m.note) for m in db.session.scalars(select(GapMark))}
    assert rows == {(CHAIR, "2020-01"): ("explained", ""), (MEMBER, "2020-01"): ("explore", "Ask about the eight months.")}
    exported = export_campaign("TST-01")["applications"][0]["gap_marks"]
    assert exported == {CHAIR: {"2020-01": "explained"},
                        MEMBER: {"2020-01": {"mark": "explore", "note": "Ask about the eight months."}}}
    # and it loads again as it was
    again = cf.parse(cf.dump({**export_campaign("TST-01"), "vacancy": {
        **export_campaign("TST-01")["vacancy"], "reference": "TST-02"}}))
    assert again.applications[0].gap_marks == {CHAIR: {"2020-01": ("explained", "")},
                                               MEMBER: {"2020-01": ("explore", "Ask about the eight months.")}}


def test_a_loaded_sheet_without_its_gap_mark_is_named_in_a_warning():
    campaign = cf.parse(to_yaml(gap_campaign({CHAIR: {"2020-01": "explained"}})))
    findings = vacancy_checks.gap_mark_findings(campaign, date(2026, 12, 20))
    assert [(f.severity, f.code, f.field) for f in findings] == [
        ("warning", "gap_mark_missing", f"applications[0].gap_marks.{MEMBER}")]
    assert "2020-01" in findings[0].message and MEMBER in findings[0].message


@pytest.mark.parametrize("marks, path, words", [
    ({CHAIR: {"2021-05": "explained"}}, f"applications[0].gap_marks.{CHAIR}.2021-05", "no employment gap starting 2021-05"),
    ({"other@example.org": {"2020-01": "explained"}}, "applications[0].gap_marks.other@example.org",
     "has no shortlisting scores"),
])
def test_a_gap_mark_that_fits_no_gap_or_no_sheet_is_refused_at_load(marks, path, words):
    with pytest.raises(cf.CampaignError) as refused:
        load(gap_campaign(marks))
    assert any(p.path == path and words in p.message for p in refused.value.problems), refused.value.problems


def test_a_gap_mark_must_be_explained_or_explore():
    with pytest.raises(cf.CampaignError) as refused:
        cf.parse(to_yaml(gap_campaign({CHAIR: {"2020-01": "fine"}})))
    assert [str(p) for p in refused.value.problems][0].startswith(
        f"applications[0].gap_marks.{CHAIR}.2020-01: a gap mark must be explained or explore")


def test_the_chair_sees_who_owes_each_gap_mark_and_where_to_give_it(client, unmarked):
    login(client, CHAIR)
    owed = blockers(client)
    assert {li.get_text(" ", strip=True) for li in owed} == {
        "Chair Person: mark the employment gap from January 2020 in A001 as explained or to explore at interview",
        "Member Person: mark the employment gap from January 2020 in A001 as explained or to explore at interview"}
    links = {li.select_one("a")["href"] for li in owed}
    assert links == {"/vacancies/TST-01/scoring/A001#gap-2020-01"}
    assert all(li["data-candidate"] == "A001" for li in owed)
    # HR is also offered to record a mark for the member
    login(client, HR)
    assert [a["href"] for li in blockers(client) for a in li.select("a")][1::2] == [
        "/vacancies/TST-01/gaps/A001"] * 2


def test_a_member_marks_the_gap_on_their_submitted_sheet(client, unmarked):
    login(client, MEMBER)
    client.post("/vacancies/TST-01/conflicts", data={"confirm": "y"})
    soup = page(client.get("/vacancies/TST-01/scoring/A001"))
    assert "your mark is missing" in soup.select_one("#gaps").find_next("fieldset").get_text()
    response = client.post("/vacancies/TST-01/scoring/A001", data={"mark_gaps": "y"})
    summary = page(response).select_one(".govuk-error-summary")
    assert "Select whether the gap from January 2020 is explained or to explore at interview" in summary.get_text()
    assert summary.select_one("a")["href"] == "#gap-2020-01"
    response = client.post("/vacancies/TST-01/scoring/A001", data={
        "mark_gaps": "y", "gap-2020-01": "explore", "gapnote-2020-01": "Ask what they did."})
    assert response.status_code == 302
    mark = db.session.scalar(select(GapMark))
    assert (mark.user.email, mark.mark, mark.note, mark.recorded_by_id) == (MEMBER, "explore", "Ask what they did.", None)
    [event] = gap_events()
    assert (event.actor, event.data["member"], event.data["marks"], event.data["recorded_for_member"]) == (
        MEMBER, MEMBER, {"2020-01": "explore"}, False)
    soup = page(client.get("/vacancies/TST-01/scoring/A001"))
    assert "Explore at interview" in soup.select_one("[data-gap-mark='2020-01']").get_text()
    # once given, the mark is final: a second post changes nothing
    client.post("/vacancies/TST-01/scoring/A001", data={"mark_gaps": "y", "gap-2020-01": "explained"})
    assert db.session.scalar(select(GapMark.mark)) == "explore"
    login(client, CHAIR)
    assert [li["data-candidate"] for li in blockers(client)] == ["A001"]  # only the chair's own mark is owed


def test_hr_records_a_mark_for_a_member_with_a_reason(client, unmarked):
    login(client, CHAIR)
    assert client.post("/vacancies/TST-01/gaps/A001", data={"member": MEMBER, "gap-2020-01": "explained",
                                                           "reason": "By e-mail"}).status_code == 403
    login(client, HR)
    soup = page(client.get("/vacancies/TST-01/gaps/A001"))
    row = soup.select_one(f"tr[data-member='{MEMBER}']")
    assert "Not marked" in row.get_text()
    form_url = row.select_one("a")["href"]
    assert "Record Member Person" in page(client.get(form_url)).select_one("#record").get_text()
    response = client.post("/vacancies/TST-01/gaps/A001", data={"member": MEMBER, "gap-2020-01": "explained"})
    summary = page(response).select_one(".govuk-error-summary")
    assert "Give the reason you are recording Member Person's mark" in summary.get_text()
    assert db.session.scalar(select(GapMark)) is None
    response = client.post("/vacancies/TST-01/gaps/A001", data={
        "member": MEMBER, "gap-2020-01": "explained", "reason": "Member Person gave it by e-mail on 3 December."})
    assert response.status_code == 302
    mark = db.session.scalar(select(GapMark))
    assert (mark.user.email, mark.mark, mark.recorded_by.email) == (MEMBER, "explained", HR)
    [event] = gap_events()
    assert (event.actor, event.data["member"], event.data["recorded_for_member"], event.data["reason"]) == (
        HR, MEMBER, True, "Member Person gave it by e-mail on 3 December.")
    assert "Recorded by Hana HR" in page(client.get("/vacancies/TST-01/gaps/A001")).select_one(
        f"tr[data-member='{MEMBER}']").get_text()


def test_the_seed_campaigns_carry_every_gap_mark():
    for path in sorted(SEEDS.glob("*-*.yaml")):
        campaign = cf.parse(path.read_text())
        assert vacancy_checks.gap_mark_findings(campaign, date.today()) == [], path.name
        assert any(a.gap_marks for a in campaign.applications), path.name
