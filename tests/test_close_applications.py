"""Applications close before scoring opens (issue 14, finding 8): automatically once the
closing date has passed, or earlier by HR with a reason; each close is audited. While
applications are open nobody declares conflicts or scores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.models import AuditEvent, Role, ScoreSheet, User, Vacancy
from shortlist.services import closing, panel
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user, to_yaml
from tests.pages import page

TODAY = date.today()


def open_campaign(closing_date: date, reference: str = "TST-01", **extra) -> dict:
    data = campaign_dict(reference, **{"status": "open", "closing_date": closing_date, **extra})
    for application in data["applications"]:
        application.pop("scores", None)  # nobody has scored while applications are open
    return data


def vacancy() -> Vacancy:
    db.session.remove()
    found = db.session.scalar(select(Vacancy))
    assert found is not None
    return found


def user(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def closes() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "applications.closed")))


def test_while_applications_are_open_nobody_declares_or_scores(client):
    load(open_campaign(TODAY + timedelta(days=20)))
    v, member = vacancy(), user(MEMBER)
    with pytest.raises(panel.PanelRefused) as refused:
        panel.declare_conflicts(v, member, {a.token: ("no", "") for a in panel.applicants_for_declaration(v, member)})
    assert refused.value.problems[0].code == "applications_open"
    closes_on = f"{(TODAY + timedelta(days=20)).day} {(TODAY + timedelta(days=20)):%B %Y}"
    assert closes_on in refused.value.problems[0].message
    with pytest.raises(panel.PanelRefused) as refused:
        panel.save_sheet(v, v.applications[0], member, "shortlisting", {"K1": "2", "D1": "1"}, {}, {}, submit=True)
    assert refused.value.problems[0].code == "applications_open"
    assert db.session.scalar(select(ScoreSheet)) is None

    login(client, MEMBER)
    conflicts = page(client.get("/vacancies/TST-01/conflicts"))
    assert f"Applications are open until {closes_on}" in conflicts.get_text(" ", strip=True)
    assert not conflicts.select("input[name=conflict]")  # nothing to declare on yet
    response = client.get("/vacancies/TST-01/scoring/A001")
    assert response.status_code in (302, 403) and db.session.scalar(select(ScoreSheet)) is None


def test_hr_closes_applications_early_with_a_reason_and_scoring_opens(client):
    load(open_campaign(TODAY + timedelta(days=20)))
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    login(client, CHAIR)  # the recruiting manager: only HR closes applications
    assert client.get("/vacancies/TST-01/close-applications").status_code == 403
    assert client.post("/vacancies/TST-01/close-applications", data={"reason": "Enough"}).status_code == 403

    login(client, HR)
    form = page(client.get("/vacancies/TST-01/close-applications"))
    assert "before its closing date" in form.get_text(" ", strip=True)
    refused = page(client.post("/vacancies/TST-01/close-applications", data={"reason": "  "}))
    link = refused.select_one(".govuk-error-summary a[href='#reason']")
    assert link.get_text(strip=True) == "Give the reason for closing applications before the closing date"
    assert vacancy().status == "open" and not closes()

    response = client.post("/vacancies/TST-01/close-applications",
                           data={"reason": "120 applications: enough to shortlist from"})
    assert response.status_code == 302
    v = vacancy()
    assert v.status == "shortlisting" and v.applications_closed_reason == "120 applications: enough to shortlist from"
    [event] = closes()
    assert event.actor == HR and event.vacancy_reference == "TST-01"
    assert event.data["early"] is True and event.data["reason"] == "120 applications: enough to shortlist from"
    assert event.data["applications"] == 1
    again = client.post("/vacancies/TST-01/close-applications", data={"reason": "Twice"})
    assert again.status_code == 200 and "already closed" in page(again).get_text()
    assert len(closes()) == 1

    v, member = vacancy(), user(MEMBER)
    panel.declare_conflicts(v, member, {a.token: ("no", "") for a in panel.applicants_for_declaration(v, member)})
    panel.save_sheet(v, v.applications[0], member, "shortlisting", {"K1": "2", "D1": "1"}, {}, {}, submit=True)
    assert db.session.scalar(select(ScoreSheet.submitted_at)) is not None


def test_after_the_closing_date_the_first_panel_action_records_the_automatic_close(client):
    load(open_campaign(TODAY - timedelta(days=1)))
    v, member = vacancy(), user(MEMBER)
    assert v.status == "open" and closing.applications_closed(v)
    panel.declare_conflicts(v, member, {a.token: ("no", "") for a in panel.applicants_for_declaration(v, member)})
    v = vacancy()
    assert v.status == "shortlisting" and v.applications_closed_by_id is None
    [event] = closes()
    assert event.actor == "system" and event.data["early"] is False
    assert "closing date" in event.data["reason"]
    # declared in the same transaction as the close: the close comes first in the log
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    # (with the "scoring is open" e-mails to the scorers, queued as the close is recorded)
    assert [a for a in actions if a != "message.queued"][-2:] == ["applications.closed", "conflicts.declared"]
    assert actions.count("message.queued") == 3


def test_the_close_command_closes_every_vacancy_past_its_closing_date_once(runner):
    load(open_campaign(TODAY - timedelta(days=3)))
    load(open_campaign(TODAY + timedelta(days=3), reference="TST-02"))
    load(open_campaign(TODAY, reference="TST-03"))  # open to the end of its closing date
    result = runner.invoke(args=["close-applications"])
    assert result.exit_code == 0, result.output
    assert "TST-01" in result.output and "TST-02" not in result.output and "TST-03" not in result.output
    statuses = dict(db.session.execute(select(Vacancy.reference, Vacancy.status)).all())
    assert statuses == {"TST-01": "shortlisting", "TST-02": "open", "TST-03": "open"}
    assert runner.invoke(args=["close-applications"]).exit_code == 0
    assert [e.vacancy_reference for e in closes()] == ["TST-01"]


def test_a_draft_is_never_closed_and_cannot_be_scored(client):
    load(open_campaign(TODAY - timedelta(days=3), status="draft"))
    v = vacancy()
    assert not closing.applications_closed(v)
    make_user(HR, Role.HR_ADMIN)
    with pytest.raises(closing.CloseRefused) as refused:
        closing.close_applications(v, user(HR), "Because")
    assert "publish" in str(refused.value).lower()


def test_a_campaign_file_cannot_hold_scores_while_applications_are_open():
    data = campaign_dict(status="open")  # campaign_dict's A001 has submitted scores
    with pytest.raises(cf.CampaignError) as error:
        cf.parse(to_yaml(data))
    assert any(p.path == "applications[0].scores" and "applications are open" in p.message
               for p in error.value.problems)


def test_a_campaign_file_at_shortlisting_records_when_and_why_applications_closed(runner):
    data = campaign_dict()
    data["vacancy"]["applications_closed"] = {"date": date(2026, 11, 28), "reason": "Closed early: 200 applications"}
    load(data)
    v = vacancy()
    assert v.applications_closed_at.date() == date(2026, 11, 28)
    assert v.applications_closed_reason == "Closed early: 200 applications"
    exported = runner.invoke(args=["export", "TST-01"])
    assert exported.exit_code == 0, exported.output
    again = cf.parse(exported.output)
    assert (again.vacancy.applications_closed_on, again.vacancy.applications_closed_reason) == (
        date(2026, 11, 28), "Closed early: 200 applications")

    bad = campaign_dict("TST-09", status="open")
    bad["applications"][0].pop("scores")
    bad["vacancy"]["applications_closed"] = {"date": date(2026, 11, 28), "reason": "x"}
    with pytest.raises(cf.CampaignError) as error:
        cf.parse(to_yaml(bad))
    assert any(p.path == "vacancy.applications_closed" for p in error.value.problems)
