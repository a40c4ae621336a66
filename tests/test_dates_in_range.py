"""Security review finding 8: a date in year 9999 (or 0001) is refused at every entry point
with a message naming the field (forms, campaign files, the CSV intake, interview slots);
a bad row already stored does not stop the purge or HR's pages: it is skipped and reported."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.intake import IntakeError, parse_csv
from shortlist.models import AuditEvent, Role, Vacancy
from tests.app_fixtures import login
from tests.factories import HR, campaign_dict, load, make_user, to_yaml


@pytest.mark.parametrize("bad", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_a_campaign_file_with_a_date_out_of_range_names_the_field_and_line(bad):
    text = to_yaml(campaign_dict()).replace("closing_date: 2026-12-15", f"closing_date: {bad}")
    with pytest.raises(cf.CampaignError) as refused:
        cf.parse(text)
    [problem] = [p for p in refused.value.problems if p.path == "vacancy.closing_date"]
    assert problem.message == "must be a date between 1900 and 2100" and problem.line


def test_a_campaign_file_with_an_employment_month_out_of_range_is_refused():
    data = campaign_dict()
    data["applications"][0]["employment_history"][0]["from"] = "9999-01"
    with pytest.raises(cf.CampaignError) as refused:
        cf.parse(to_yaml(data))
    assert any("employment_history" in p.path and "between 1900 and 2100" in p.message
               for p in refused.value.problems)


def test_the_csv_intake_refuses_a_year_9999_job():
    csv = b"reference,name,employment_history,K1\nA9,Ann,9999-01 to now East Trust / Therapist,Text\n"
    with pytest.raises(IntakeError) as refused:
        parse_csv(csv, ["K1"])
    assert "years are 1900 to 2100" in str(refused.value) and "line 2" in str(refused.value)


def test_the_details_form_refuses_a_closing_date_in_9999(client, app):
    make_user(HR, Role.HR_ADMIN)
    login(client, HR)
    response = client.post("/vacancies/new", data={
        "reference": "Y9-01", "title": "Therapist", "organisation": "EC", "posts": "1",
        "closing_date": ["31", "12", "9999"]})
    assert response.status_code == 200
    assert "Closing date must be between 1900 and 2100" in response.get_data(as_text=True)
    assert db.session.scalar(select(Vacancy).where(Vacancy.reference == "Y9-01")) is None


def test_an_interview_slot_in_9999_is_refused(app):
    from shortlist.services import interviews, panel
    from tests import access_world

    access_world.build()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "VAC-A"))
    application = panel.application_by_reference(vacancy, "A002")
    chair = access_world._user(access_world.CHAIR)
    with pytest.raises(panel.PanelRefused) as refused:
        interviews.arrange(vacancy, application, chair, day="9999-12-31", time="23:59", duration="480",
                           location="Room 1")
    assert refused.value.by_field == {"day": "The interview date must be between 1900 and 2100"}
    with pytest.raises(panel.PanelRefused) as refused:
        interviews.arrange(vacancy, application, chair, day="2026-12-10", time="10:00", duration="4²",
                           location="Room 1")
    assert "duration" in refused.value.by_field


def test_a_stored_closing_date_in_9999_is_skipped_and_reported_and_the_rest_is_purged(app, client):
    runner = app.test_cli_runner()
    make_user(HR, Role.HR_ADMIN)
    load(campaign_dict("OLD-01", closing_date=date(2020, 1, 6), status="closed"))
    load(campaign_dict("BAD-01", closing_date=date(2020, 1, 6), status="closed"))
    # as a row stored before dates were checked
    db.session.execute(update(Vacancy).where(Vacancy.reference == "BAD-01").values(closing_date=date(9999, 12, 31)))
    db.session.commit()
    login(client, HR)
    assert client.get("/hr/").status_code == 200
    assert client.get("/hr/vacancies/BAD-01").status_code == 200
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 1
    assert "BAD-01: skipped: its closing date must be between 1900 and 2100 (it is 9999-12-31)" in result.output
    assert "Removed personal data of: A001" in result.output
    purged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purged")).all()
    assert [e.vacancy_reference for e in purged] == ["OLD-01"]
