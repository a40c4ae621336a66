"""Safe set-up (issue 14, finding 9): a set-up task is completed only when someone has
confirmed it; publishing needs every required task confirmed, a DBS decision and a panel
with a chair; a role with regulated activity is a safeguarding role unless someone records
why not."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.models import AuditEvent, Role, Vacancy
from shortlist.services import vacancies as setup
from tests.app_fixtures import login
from tests.factories import campaign_dict, load, make_user, to_yaml
from tests.pages import page

MANAGER = "manager@example.org"
CHECKS = {"dbs_level": "enhanced", "barred_lists": ["children"], "regulated_activity": "yes",
          "safeguarding_role": "yes", "customer_facing": "no", "offer_interview": "yes",
          "declaration_triggers_scheme": "no", "waiver_policy": "no", "min_scorers": "2",
          "employment_gap_months": "3"}


def vacancy() -> Vacancy:
    db.session.expire_all()
    return db.session.scalar(select(Vacancy))


def statuses(client) -> dict[str, str]:
    soup = page(client.get("/vacancies/NEW-1/setup"))
    out = {}
    for item in soup.select(".govuk-task-list__item"):
        name = item.select_one(".govuk-task-list__name-and-hint")
        hint = name.select_one(".govuk-task-list__hint")
        title = name.get_text(" ", strip=True).removesuffix(hint.get_text(" ", strip=True) if hint else "").strip()
        out[title] = item.select_one(".govuk-task-list__status").get_text(" ", strip=True)
    return out


@pytest.fixture
def new_vacancy(client):
    make_user(MANAGER, Role.RECRUITING_MANAGER, "Mina Manager")
    login(client, MANAGER)
    response = client.post("/vacancies/new", data={
        "reference": "NEW-1", "title": "Family Therapist", "organisation": "EC",
        "posts": "1", "closing_date": ["15", "1", "2027"]})
    assert response.status_code == 302
    return client


def test_a_new_vacancy_has_no_task_completed_until_someone_confirms_it(new_vacancy):
    client = new_vacancy
    found = statuses(client)
    assert found["DBS, safeguarding and Disability Confident"] != "Completed"
    assert found["Scoring scale"] != "Completed"
    assert found["Vacancy details"] != "Completed"
    assert not [title for title, status in found.items() if status == "Completed"]

    # saving the checks without saying it is finished leaves it incomplete
    assert client.post("/vacancies/NEW-1/setup/checks", data={**CHECKS, "completed": "no"}).status_code == 302
    assert statuses(client)["DBS, safeguarding and Disability Confident"] == "Incomplete"
    assert client.post("/vacancies/NEW-1/setup/checks", data={**CHECKS, "completed": "yes"}).status_code == 302
    assert statuses(client)["DBS, safeguarding and Disability Confident"] == "Completed"
    marked = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "setup.task_marked")).all()
    assert [(e.data["task"], e.data["completed"], e.actor) for e in marked] == [("checks", True, MANAGER)]
    # the form asks, in the GOV.UK words
    form = page(client.get("/vacancies/NEW-1/setup/checks"))
    legend = form.select_one("#completed").find_parent("fieldset").legend.get_text(strip=True)
    assert legend == "Have you completed this section?"


def test_a_change_to_a_confirmed_list_makes_it_incomplete_again(new_vacancy):
    client = new_vacancy
    client.post("/vacancies/NEW-1/setup/criteria/new", data={
        "category": "Knowledge", "text": "Knowledge of systemic therapy.", "essential": "essential",
        "methods": ["AF", "I"], "shortlisting": "yes"})
    assert client.post("/vacancies/NEW-1/setup/criteria/complete", data={"completed": "yes"}).status_code == 302
    assert statuses(client)["Person specification"] == "Completed"
    client.post("/vacancies/NEW-1/setup/criteria/new", data={
        "category": "Experience", "text": "Experience of supervising students.", "essential": "desirable",
        "methods": ["AF"], "shortlisting": "yes"})
    assert statuses(client)["Person specification"] == "Incomplete"


def test_publishing_needs_every_task_confirmed_a_dbs_decision_and_a_chair(new_vacancy):
    client = new_vacancy
    refused = page(client.post("/vacancies/NEW-1/setup/publish"))
    codes = {li["data-code"] for li in refused.select("#refused li")}
    assert {"setup_task_incomplete", "dbs_not_decided", "no_chair"} <= codes
    text = refused.select_one("#refused").get_text(" ", strip=True)
    assert "The panel needs a chair" in text
    assert vacancy().status == "draft"

    client.post("/vacancies/NEW-1/setup/details", data={
        "reference": "NEW-1", "title": "Family Therapist", "organisation": "EC", "posts": "1",
        "closing_date": ["15", "1", "2027"], "completed": "yes"})
    client.post("/vacancies/NEW-1/setup/checks", data={**CHECKS, "completed": "yes"})
    client.post("/vacancies/NEW-1/setup/criteria/new", data={
        "category": "Knowledge", "text": "Knowledge of systemic therapy.", "essential": "essential",
        "methods": ["AF", "I"], "shortlisting": "yes"})
    client.post("/vacancies/NEW-1/setup/criteria/complete", data={"completed": "yes"})
    client.post("/vacancies/NEW-1/setup/scale", data={"preset": "0-3", "completed": "yes"})
    client.post("/vacancies/NEW-1/setup/panel", data={"email": "member@example.org", "name": "Mo Member",
                                                      "role": "member"})
    client.post("/vacancies/NEW-1/setup/panel/complete", data={"completed": "yes"})
    refused = page(client.post("/vacancies/NEW-1/setup/publish"))
    assert {li["data-code"] for li in refused.select("#refused li")} == {"no_chair"}

    client.post("/vacancies/NEW-1/setup/panel", data={"email": "chair@example.org", "name": "Cat Chair",
                                                      "role": "chair"})
    assert statuses(client)["Panel"] == "Incomplete"  # changed since it was confirmed
    client.post("/vacancies/NEW-1/setup/panel/complete", data={"completed": "yes"})
    assert client.post("/vacancies/NEW-1/setup/publish").status_code == 302
    assert vacancy().status == "open"


def test_regulated_activity_is_a_safeguarding_role_unless_someone_records_why_not(new_vacancy):
    client = new_vacancy
    data = {**CHECKS, "safeguarding_role": "no", "completed": "yes"}
    refused = page(client.post("/vacancies/NEW-1/setup/checks", data=data))
    link = refused.select_one(".govuk-error-summary a[href='#safeguarding_exemption']")
    assert link is not None and "regulated activity" in link.get_text()
    assert vacancy().safeguarding_role is False and vacancy().dbs_regulated_activity is False  # nothing saved

    data["safeguarding_exemption"] = "Supervised at all times by a safeguarding-trained practitioner."
    assert client.post("/vacancies/NEW-1/setup/checks", data=data).status_code == 302
    v = vacancy()
    assert (v.safeguarding_role, v.safeguarding_exemption) == (
        False, "Supervised at all times by a safeguarding-trained practitioner.")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "vacancy.updated")).all()[-1]
    assert event.data["after"]["safeguarding_exemption"] == v.safeguarding_exemption
    shown = page(client.get("/vacancies/NEW-1")).get_text(" ", strip=True)
    assert "Not a safeguarding role: Supervised at all times by a safeguarding-trained practitioner." in shown


def test_a_campaign_file_with_regulated_activity_needs_a_safeguarding_role_or_a_reason():
    data = campaign_dict(safeguarding_role=False)
    with pytest.raises(cf.CampaignError) as error:
        load(data)
    assert any("regulated activity" in p.message for p in error.value.problems)
    data["vacancy"]["safeguarding_exemption"] = "Never alone with children: always supervised."
    load(data)
    assert vacancy().safeguarding_exemption == "Never alone with children: always supervised."
    again = cf.parse(to_yaml(data))
    assert again.vacancy.safeguarding_exemption == "Never alone with children: always supervised."


def test_a_loaded_or_published_vacancy_has_its_tasks_completed():
    load(campaign_dict())
    v = vacancy()
    assert setup.incomplete_tasks(v) == []
