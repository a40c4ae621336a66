"""The vacancy page leads (issue 14, finding 6): the stage the vacancy is at, each stage's
progress, and what stops it moving on as work for named people, linked to where it is done.
The blockers are the finalise check's own; each person reads only what the access policy
lets them (a panel member never learns another's scores from them)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import Role, User, Vacancy
from shortlist.services import closing, panel
from shortlist.services import vacancies as setup
from shortlist.services.blockers import finalise_blockers
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, OTHER, campaign_dict, load, make_user

STAGE = re.compile(r"Stage (\d) of 7: (.+)")


def vacancy() -> Vacancy:
    db.session.expire_all()
    return db.session.scalar(select(Vacancy))


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def page(client, who: str, path: str = "/vacancies/TST-01") -> BeautifulSoup:
    login(client, who)
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def stage(soup: BeautifulSoup) -> tuple[int, str]:
    match = STAGE.search(soup.select_one("#stage").get_text(" ", strip=True))
    assert match, soup.select_one("#stage")
    return int(match.group(1)), match.group(2)


def actions(soup: BeautifulSoup) -> list[str]:
    return [" ".join(li.get_text().split()) for li in soup.select("#actions li")]


def tasks(soup: BeautifulSoup) -> dict[str, str]:
    """Each stage's task title -> its status text."""
    out = {}
    for item in soup.select("#stages .govuk-task-list__item"):
        name = item.select_one(".govuk-task-list__name-and-hint")
        hint = name.select_one(".govuk-task-list__hint")
        title = name.get_text(" ", strip=True).removesuffix(hint.get_text(" ", strip=True) if hint else "")
        out[" ".join(title.split())] = item.select_one(".govuk-task-list__status").get_text(" ", strip=True)
    return out


def declare(v: Vacancy, email: str) -> None:
    member = user(email)
    panel.declare_conflicts(v, member, {a.token: ("no", "") for a in panel.applicants_for_declaration(v, member)})


def two_applicants(**vacancy_fields) -> None:
    """A001 scored by the chair and the member (0 and 3 on K1: the chair must agree a score);
    A002 in the scheme, claiming K1 unmet because of a disability (HR reviews it), scored by
    the two members; A003 and A004 not yet scored by anyone."""
    data = campaign_dict(**vacancy_fields)
    data["applications"][0]["scores"] = {"shortlisting": {CHAIR: {"K1": 0, "D1": 1}, MEMBER: {"K1": 3, "D1": 2}}}
    data["applications"].append({
        "reference": "A002", "name": "Applicant Two", "disability_declared": True, "offer_interview_opt_in": True,
        "unmet_due_to_disability": ["K1"], "evidence": {"D1": "Supervised students."},
        "scores": {"shortlisting": {MEMBER: {"K1": 1, "D1": 2}, OTHER: {"K1": 1, "D1": 2}}}})
    for ref in ("A003", "A004"):
        data["applications"].append({"reference": ref, "name": f"Applicant {ref}", "evidence": {"K1": "Some."}})
    load(data)
    make_user(HR, Role.HR_ADMIN, name="Hana HR")


def test_the_stage_moves_from_setup_to_interview_and_the_page_says_which(client):
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    data = campaign_dict(status="draft", closing_date=date.today() + timedelta(days=10))
    data["applications"] = [{"reference": "A001", "name": "Applicant One", "evidence": {"K1": "Systemic work."}}]
    load(data)
    soup = page(client, HR)
    assert stage(soup) == (1, "Setup")
    assert tasks(soup)["Set up and publish the vacancy"] == "In progress"
    assert tasks(soup)["Take applications"] == "Cannot start yet"

    for task in setup.REQUIRED_TASKS:  # someone confirms each set-up step
        setup.mark_task(vacancy(), user(HR), task, True)
    setup.publish(vacancy(), user(HR))
    soup = page(client, HR)
    assert stage(soup) == (2, "Open")
    assert tasks(soup)["Set up and publish the vacancy"] == "Completed"
    assert "1 application received" in soup.select_one("#stages").get_text(" ", strip=True)

    closing.close_applications(vacancy(), user(HR), "Enough applications")
    soup = page(client, HR)
    assert stage(soup) == (3, "Applications closed")
    assert "Closed on" in soup.select_one("#stages").get_text() and "Enough applications" in soup.get_text()

    v = vacancy()
    for email in (CHAIR, MEMBER):
        declare(v, email)
        v = vacancy()
        panel.save_sheet(v, v.applications[0], user(email), "shortlisting", {"K1": "3", "D1": "2"}, {}, {},
                         submit=True)
    soup = page(client, HR)
    assert stage(soup) == (4, "Shortlisting")
    assert "2 of 3 score sheets submitted" in soup.select_one("#stages").get_text(" ", strip=True)

    v = vacancy()
    rec = panel.recommendation_for(v, "A001", "shortlisting")
    panel.decide(v, v.applications[0], user(CHAIR), "invite", panel.suggested_reason(rec))
    soup = page(client, CHAIR)
    assert stage(soup) == (5, "Decided")
    assert actions(soup) == [] and "Nothing stops the shortlist being finalised" in soup.get_text()
    assert soup.select_one("a.govuk-button[href$='/decisions#finalise']").get_text(strip=True) == \
        "Finalise the shortlist"

    panel.finalise_shortlist(vacancy(), user(CHAIR))
    soup = page(client, CHAIR)
    assert stage(soup) == (6, "Interview")
    lines = actions(soup)
    # the interview pack's own refusal (no safeguarding question), then the interview to arrange
    assert lines[0].startswith("Chair Person (you): This is a safeguarding role, so the interview pack must ask")
    assert soup.select_one("#actions li a")["href"] == "/vacancies/TST-01/setup/questions"
    assert lines[1:] == ["Chair Person (you): interview to arrange for A001"]
    statuses = tasks(soup)
    assert [statuses[t] for t in ("Score, moderate and decide", "Finalise the shortlist",
                                  "Interview the shortlisted candidates")] == ["Completed", "Completed", "In progress"]


def test_each_finalise_blocker_is_on_the_page_naming_who_and_linking_where(client, app):
    two_applicants()
    soup = page(client, HR)
    assert stage(soup) == (4, "Shortlisting")
    lines = actions(soup)
    assert "Hana HR" not in " ".join(lines)
    assert "HR (you): adjustment review for A002" in lines
    for who in ("Chair Person", "Member Person", "Other Person"):
        assert f"{who}: 2 sheets to submit (A003, A004)" in lines
    assert "Chair Person: agreed scores to record for A001" in lines
    assert "Chair Person: 4 decisions to confirm (A001, A002, A003, A004)" in lines
    # the same blockers as the finalise check: every one of them is on the page
    with app.test_request_context():
        blockers = finalise_blockers(vacancy())
        refusals = panel.finalise_refusals(vacancy())
    assert {b.code for b in blockers} == {r.code for r in refusals}
    shown = {code for li in soup.select("#actions li") for code in li["data-codes"].split()}
    assert shown == {b.code for b in blockers}
    # HR cannot open a member's scoring page: the work is named, not linked there
    other = next(li for li in soup.select("#actions li") if li["data-who"] == "Other Person")
    assert not other.select("a[href*='/scoring']")


def test_every_link_on_the_page_opens_for_the_person_reading_it(client):
    two_applicants()
    for who in (HR, CHAIR, MEMBER, OTHER):
        soup = page(client, who)
        for link in soup.select("main a[href^='/vacancies/TST-01']"):
            href = link["href"].split("#")[0]
            status = client.get(href).status_code
            assert status in (200, 302), f"{who}: {link.get_text(strip=True)} -> {href}: {status}"


def test_a_panel_member_reads_only_their_own_work_and_never_others_scores(client):
    two_applicants()
    soup = page(client, OTHER)
    lines = actions(soup)
    # they have not declared yet: that comes first, since they may not read an application before it
    assert lines == ["Other Person (you): declare your conflicts of interest before you score",
                     "Other Person (you): 2 sheets to submit (A003, A004)"]
    assert soup.select_one("#actions li a")["href"] == "/vacancies/TST-01/conflicts"
    others = soup.select_one("#others").get_text(" ", strip=True)
    assert re.match(r"\d+ other things for other people on the panel to do", others)
    text = " ".join(soup.select_one(f"#{part}").get_text(" ", strip=True) for part in ("actions", "others", "stages"))
    # the chair must agree A001's K1 because the members differ: a member must not learn that,
    # nor that A002 asked for an adjustment, nor how the decisions stand
    assert "agreed" not in text and "adjustment review" not in text and "decisions to confirm" not in text
    assert "invited" not in soup.select_one("#stages").get_text()

    v = vacancy()
    declare(v, OTHER)
    assert actions(page(client, OTHER)) == ["Other Person (you): 2 sheets to submit (A003, A004)"]
    for ref in ("A003", "A004"):
        v = vacancy()
        panel.save_sheet(v, panel.application_by_reference(v, ref), user(OTHER), "shortlisting",
                         {"K1": "2", "D1": "1"}, {}, {}, submit=True)
    soup = page(client, OTHER)  # submitted every sheet: nothing of their own left
    assert actions(soup) == []
    assert "nothing for you" in soup.select_one("#others").get_text()


def test_a_manager_who_chairs_reads_their_work_first_and_scores_only_once_they_have_scored(client):
    two_applicants()
    soup = page(client, CHAIR)  # the recruiting manager and the chair; declared nothing yet
    lines = actions(soup)
    # A001's agreed score tells of the members' scores: not until they have declared
    assert lines[0] == ("Chair Person (you): declare your conflicts of interest, then submit your own scores, "
                        "to see 1 more thing to do")
    assert soup.select_one("#actions li a")["href"] == "/vacancies/TST-01/conflicts"
    assert "Other Person: 2 sheets to submit (A003, A004)" in lines  # they coordinate the panel's work
    assert not [line for line in lines if "agreed" in line or "adjustment" in line]
    assert "1 other thing for other people" in soup.select_one("#others").get_text()  # A002's review
    mine = soup.select("#actions li[data-mine=yes]")
    assert {li["data-codes"] for li in mine} == {"scores_hidden", "candidate_incomplete", "decision_missing"}
    # their own sheets link to their queue, and each to where they score it
    sheets = next(li for li in mine if "sheets to submit" in li.get_text())
    assert [a["href"] for a in sheets.select("a")] == [
        "/vacancies/TST-01/scoring", "/vacancies/TST-01/scoring/A003", "/vacancies/TST-01/scoring/A004"]

    declare(vacancy(), CHAIR)  # they submitted A001 (loaded): now they read its agreed-score work
    lines = actions(page(client, CHAIR))
    assert "Chair Person (you): agreed scores to record for A001" in lines
    assert not [line for line in lines if "adjustment" in line]  # A002: not scored by them


@pytest.mark.parametrize("who", [HR, CHAIR, MEMBER])
def test_the_vacancy_sections_are_one_navigation_not_a_list_of_links(client, who):
    two_applicants()
    soup = page(client, who)
    nav = soup.select_one("nav[aria-label='Vacancy sections']")
    assert nav is not None
    items = [a.get_text(strip=True) for a in nav.select(".govuk-service-navigation__item")]
    assert items[0] == "Overview"
    assert nav.select_one("[aria-current=page]").get_text(strip=True) == "Overview"
    assert len(items) <= 9
    assert not soup.select("nav[aria-label='Vacancy sections'] ~ nav ul.govuk-list")
    if who == MEMBER:
        assert "Moderation" not in items and "Candidates" not in items and "Scoring" in items


class FakeBlocker:
    def __init__(self, code: str, role: str, candidate: str | None, for_: str):
        self.code, self.role, self.candidate, self._for = code, role, candidate, for_

    def is_for(self, u) -> bool:  # noqa: ANN001
        return u.email == self._for


@pytest.mark.parametrize(("relations", "declared", "submitted", "expect"), [
    # HR: everything
    ({"hr"}, True, set(), {"agree", "review", "sheet-other", "sheet-mine", "decide", "trained"}),
    # a member: their own sheet and the vacancy's own problem; nothing about others or scores
    ({"member"}, True, {"A001"}, {"sheet-mine", "trained"}),
    # a chair who has not submitted A001: coordinates the work, but not what tells of A001's scores
    ({"chair"}, True, set(), {"sheet-other", "decide", "trained", "sheet-mine"}),
    # the same chair once they submitted A001
    ({"chair"}, True, {"A001"}, {"agree", "review", "sheet-other", "decide", "trained", "sheet-mine"}),
    # the manager who chairs has not declared: held to the stricter of their two relations
    ({"manager", "chair"}, False, {"A001"}, {"sheet-other", "decide", "trained", "sheet-mine"}),
])
def test_who_reads_which_blocker(relations, declared, submitted, expect):
    from types import SimpleNamespace

    from shortlist.permissions import Sight, visible_blockers

    me = SimpleNamespace(email="me@example.org")
    blockers = {
        "agree": FakeBlocker("candidate_incomplete", "chair", "A001", "chair@example.org"),
        "review": FakeBlocker("candidate_hr_review", "hr", "A001", "hr"),
        "sheet-other": FakeBlocker("candidate_incomplete", "member", "A002", "other@example.org"),
        "sheet-mine": FakeBlocker("candidate_incomplete", "member", "A002", "me@example.org"),
        "decide": FakeBlocker("decision_missing", "chair", "A002", "chair@example.org"),
        "trained": FakeBlocker("no_trained_panel_member", "manager", None, "manager@example.org"),
    }
    seen = Sight(relations=frozenset(relations), hr="hr" in relations, declared=declared,
                 submitted=frozenset(submitted))
    shown, own_hidden, others = visible_blockers(me, seen, blockers.values())
    assert {k for k, b in blockers.items() if b in shown} == expect
    assert own_hidden + others + len(shown) == len(blockers)


def test_a_chair_who_must_decide_a_candidate_they_have_not_scored_is_led_to_score_them(client):
    """The panel's other members have scored A002, so the chair owes no sheet for it, yet must
    decide it, and sees its scores only once they have scored it: the decisions list and the
    decision page lead them to the sheet (issue 14: the demo's chair was stuck at 'Submit your
    scores first' with nothing to click)."""
    two_applicants()
    declare(vacancy(), CHAIR)
    soup = page(client, CHAIR, "/vacancies/TST-01/decisions")
    row = soup.select_one("#decisions tr[data-reference=A002]")
    assert "Submit your scores first" in row.get_text()
    assert [(a.get_text(" ", strip=True), a["href"]) for a in row.select("a")] == [
        ("Score A002", "/vacancies/TST-01/scoring/A002")]
    soup = page(client, CHAIR, "/vacancies/TST-01/decisions/A002")
    assert soup.find("a", string="Score A002")["href"] == "/vacancies/TST-01/scoring/A002"
    # HR, who does not score, decides it as it stands
    soup = page(client, HR, "/vacancies/TST-01/decisions")
    assert soup.select_one("#decisions tr[data-reference=A002] a").get_text(" ", strip=True) == "Decide A002"
