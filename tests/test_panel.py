"""The panel's shortlisting work through its pages: conflicts first, independent
scores, gap marks, moderation, decisions with the rules' refusals, finalising."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AgreedScore, AuditEvent, ConflictDeclaration, Decision, Role, ScoreSheet, Vacancy
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, OTHER, campaign_dict, load, make_user
from tests.pages import page


def campaign() -> dict:
    data = campaign_dict()
    data["applications"] = [
        {"reference": "A001", "name": "Alice Adams", "email": "alice@example.net",
         "evidence": {"K1": "Alice's systemic work.", "D1": "Supervised students."},
         "employment_history": [
             {"from": "2015-01", "to": "2019-12", "employer": "North Trust", "role": "Therapist"},
             {"from": "2020-09", "to": None, "employer": "South Trust", "role": "Senior Therapist"}]},
        {"reference": "A002", "name": "Bob Brown", "email": "bob@example.net",
         "disability_declared": True, "offer_interview_opt_in": True,
         "evidence": {"K1": "Bob's systemic work."},
         "employment_history": [{"from": "2018-01", "to": None, "employer": "East Trust", "role": "Therapist"}]},
        {"reference": "A003", "name": "Cara Cole", "email": "cara@example.net",
         "evidence": {"K1": "Cara's evidence."},
         "employment_history": [{"from": "2018-01", "to": None, "employer": "West Trust", "role": "Therapist"}]},
    ]
    return data


@pytest.fixture
def vacancy():
    load(campaign())
    make_user(HR, Role.HR_ADMIN, name="Hana HR")


def tokens_by_name(client) -> dict[str, str]:
    soup = page(client.get("/vacancies/TST-01/conflicts"))
    out = {}
    for box in soup.select("input[name=conflict]"):
        label = soup.select_one(f"label[for='{box['id']}']").get_text(strip=True)
        out[label] = box["value"]
    return out


def declare(client, conflicts: dict[str, str] | None = None):
    tokens = tokens_by_name(client)
    data = {"confirm": "y", "conflict": [tokens[name] for name in (conflicts or {})]}
    for name, details in (conflicts or {}).items():
        data[f"details-{tokens[name]}"] = details
    return client.post("/vacancies/TST-01/conflicts", data=data)


def score(client, ref: str, values: dict[str, int], submit: bool = True, **extra: str):
    data = {f"score-{k}": str(v) for k, v in values.items()}
    data.update(extra)
    data["submit" if submit else "save"] = "y"
    return client.post(f"/vacancies/TST-01/scoring/{ref}", data=data)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_conflicts_come_first_and_show_names_only(client, vacancy):
    login(client, MEMBER)
    response = client.get("/vacancies/TST-01/scoring/A001")
    assert response.status_code == 302 and response.headers["Location"].endswith("/vacancies/TST-01/conflicts")
    html = client.get("/vacancies/TST-01/conflicts").get_data(as_text=True)
    assert "Alice Adams" in html and "Bob Brown" in html
    assert "A001" not in html and "A002" not in html  # names only: nothing links a name to its reference
    # names in alphabetical order, whatever the references
    assert html.index("Alice Adams") < html.index("Bob Brown") < html.index("Cara Cole")


def test_a_conflict_needs_details_and_removes_the_member_from_scoring(client, vacancy):
    login(client, MEMBER)
    tokens = tokens_by_name(client)
    response = client.post("/vacancies/TST-01/conflicts", data={"confirm": "y", "conflict": [tokens["Cara Cole"]]})
    assert response.status_code == 200
    assert "Describe how you know Cara Cole" in page(response).select_one(".govuk-error-summary").get_text()
    assert db.session.scalar(select(func.count()).select_from(ConflictDeclaration)) == 0

    response = declare(client, {"Cara Cole": "She is my sister-in-law."})
    assert response.status_code == 302
    # before the reveal, the queue leaves the declared applicant out without saying which it is (finding 2)
    queue = page(client.get("/vacancies/TST-01/scoring"))
    assert queue.select_one("tr[data-reference=A003]") is None and "Conflict declared" not in queue.get_text()
    assert client.get("/vacancies/TST-01/scoring/A003").status_code == 404
    assert "conflicts.declared" in audit_actions()


def test_the_confirmation_is_required(client, vacancy):
    login(client, MEMBER)
    response = client.post("/vacancies/TST-01/conflicts", data={})
    assert "Confirm you have read every name" in response.get_data(as_text=True)


def test_the_scoring_page_is_anonymised(client, vacancy):
    login(client, MEMBER)
    declare(client)
    html = client.get("/vacancies/TST-01/scoring/A002").get_data(as_text=True)
    assert "Bob&#39;s systemic work." in html or "Bob's systemic work." in html
    for secret in ("Bob Brown", "bob@example.net", "Prefer not to say", "disability"):
        assert secret not in html
    soup = page(client.get("/vacancies/TST-01/scoring/A002"))
    # the form is generated from the shortlisting criteria, with the scale's descriptors
    assert soup.select("input[name=score-K1]") and soup.select("input[name=score-D1]")
    assert not soup.select("input[name=score-C1]")  # interview-only criterion: not at shortlisting
    assert "2: Meets" in soup.select_one("#c-K1").get_text()


def test_nobody_sees_another_members_scores_before_submitting(client, vacancy):
    login(client, CHAIR)
    declare(client)
    assert score(client, "A003", {"K1": 3, "D1": 1}, **{"note-K1": "Strong systemic evidence"}).status_code == 302

    login(client, MEMBER)
    declare(client)
    html = client.get("/vacancies/TST-01/scoring/A003").get_data(as_text=True)
    assert "Strong systemic evidence" not in html and "Chair Person" not in html
    score(client, "A003", {"K1": 1}, submit=False)  # a draft: still hidden
    assert "Strong systemic evidence" not in client.get("/vacancies/TST-01/scoring/A003").get_data(as_text=True)
    score(client, "A003", {"K1": 1, "D1": 2})
    soup = page(client.get("/vacancies/TST-01/scoring/A003"))
    others = soup.select_one("table[data-others=K1]").get_text()
    assert "Chair Person" in others and "3" in others and "Strong systemic evidence" in others


def test_a_submission_needs_every_score_and_names_the_missing_one(client, vacancy):
    login(client, MEMBER)
    declare(client)
    response = score(client, "A003", {"K1": 2})
    summary = page(response).select_one(".govuk-error-summary")
    assert "Select a score for D1" in summary.get_text()
    assert summary.select_one("a")["href"] == "#score-D1"
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0
    response = score(client, "A003", {"K1": 9, "D1": 1})
    assert "must be from 0 to 3" in response.get_data(as_text=True)


def test_a_submitted_sheet_is_final(client, vacancy):
    login(client, MEMBER)
    declare(client)
    score(client, "A003", {"K1": 2, "D1": 2})
    response = score(client, "A003", {"K1": 0, "D1": 0})
    assert "can no longer be changed" in response.get_data(as_text=True)
    sheet = db.session.scalar(select(ScoreSheet))
    assert sorted(s.value for s in sheet.scores) == [2, 2]


def test_every_employment_gap_must_be_marked(client, vacancy):
    login(client, MEMBER)
    declare(client)
    soup = page(client.get("/vacancies/TST-01/scoring/A001"))
    gap = soup.select_one("[data-gap]")
    assert gap is not None and gap["data-gap"] == "2020-01"
    assert "never a reason to lower a score" in soup.get_text()
    response = score(client, "A001", {"K1": 2, "D1": 1})
    assert "Mark the employment gap from 2020-01" in response.get_data(as_text=True)
    assert score(client, "A001", {"K1": 2, "D1": 1}, **{"gap-2020-01": "explore"}).status_code == 302


def progress_rows(client) -> dict[str, str]:
    soup = page(client.get("/vacancies/TST-01/moderation"))
    return {row["data-member"]: row.get_text(" ", strip=True) for row in soup.select("#panel-progress tr[data-member]")}


def score_all(client, who: str, values: dict[str, dict[str, int]]) -> None:
    login(client, who)
    declare(client)
    for ref, vals in values.items():
        extra = {"gap-2020-01": "explore"} if ref == "A001" else {}
        assert score(client, ref, vals, **extra).status_code == 302, ref


def test_chair_sees_progress_and_moderates_a_divergence(client, vacancy):
    score_all(client, MEMBER, {"A001": {"K1": 0, "D1": 1}, "A002": {"K1": 2, "D1": 2}})
    login(client, CHAIR)
    declare(client)
    rows = progress_rows(client)
    assert "2 of 3" in rows[MEMBER] and "0 of 3" in rows[CHAIR]
    # the chair scores too, so cannot see A001's scores before submitting their own
    matrix = page(client.get("/vacancies/TST-01/moderation"))
    assert "Submit your scores first" in matrix.select_one("tr[data-reference=A001]").get_text()
    score(client, "A001", {"K1": 3, "D1": 1}, **{"gap-2020-01": "explained"})
    matrix = page(client.get("/vacancies/TST-01/moderation"))
    cell = matrix.select_one("tr[data-reference=A001] td[data-criterion=K1]")
    assert cell.get("data-divergent") == "true" and "0" in cell.get_text() and "3" in cell.get_text()

    url = "/vacancies/TST-01/moderation/A001"
    response = client.post(url, data={"version-K1": "", "agreed-K1": "2"})
    assert "Give the rationale for the agreed score for K1" in response.get_data(as_text=True)
    response = client.post(url, data={"version-K1": "", "agreed-K1": "2",
                                      "rationale-K1": "Evidence of systemic practice, thinly described."})
    assert response.status_code == 302
    agreed = db.session.scalar(select(AgreedScore))
    assert (agreed.value, agreed.rationale) == (2, "Evidence of systemic practice, thinly described.")
    matrix = page(client.get("/vacancies/TST-01/moderation"))
    assert "agreed 2" in matrix.select_one("tr[data-reference=A001] td[data-criterion=K1]").get_text()
    assert "agreed.recorded" in audit_actions()


def test_a_second_chair_is_told_the_agreed_score_changed(client, vacancy):
    score_all(client, MEMBER, {"A003": {"K1": 0, "D1": 1}})
    score_all(client, CHAIR, {"A003": {"K1": 3, "D1": 1}})
    url = "/vacancies/TST-01/moderation/A003"
    # both open the page with no agreed score (version ""), the first saves
    assert client.post(url, data={"version-K1": "", "agreed-K1": "2",
                                  "rationale-K1": "First view."}).status_code == 302
    login(client, HR)
    response = client.post(url, data={"version-K1": "", "agreed-K1": "1", "rationale-K1": "Second view."})
    assert "changed the agreed score for K1 while you were looking at it" in response.get_data(as_text=True)
    assert db.session.scalar(select(AgreedScore.value)) == 2


def test_the_chair_cannot_reject_a_guaranteed_candidate_but_hr_can_with_a_listed_reason(client, vacancy):
    score_all(client, MEMBER, {"A002": {"K1": 2, "D1": 0}})
    score_all(client, CHAIR, {"A002": {"K1": 3, "D1": 0}})
    soup = page(client.get("/vacancies/TST-01/decisions/A002"))
    assert "Guaranteed interview" in soup.get_text()
    assert soup.select_one("input[name=outcome][value=invite]").has_attr("checked")  # prefilled
    response = client.post("/vacancies/TST-01/decisions/A002",
                           data={"outcome": "reject", "reason": "Weaker than the others."})
    text = page(response).select_one(".govuk-error-summary").get_text()
    assert "guaranteed an interview and cannot be rejected by the panel" in text
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0

    login(client, HR)
    response = client.post("/vacancies/TST-01/decisions/A002",
                           data={"outcome": "reject", "reason": "Withdrew by e-mail on 3 December.",
                                 "override_code": "withdrew"})
    assert response.status_code == 302
    decision = db.session.scalar(select(Decision))
    assert (decision.outcome, decision.override_reason, decision.recommendation) == (
        "reject", "withdrew", "guaranteed_interview")


def test_finalising_is_refused_until_everything_is_done_then_reveals_names(client, vacancy):
    score_all(client, MEMBER, {"A001": {"K1": 2, "D1": 1}, "A002": {"K1": 2, "D1": 0}, "A003": {"K1": 0, "D1": 0}})
    login(client, CHAIR)
    declare(client)
    refusals = page(client.get("/vacancies/TST-01/decisions")).select_one("#finalise-refusals")
    codes = {li["data-code"] for li in refusals.select("li")}
    assert {"too_few_shortlisters", "candidate_incomplete", "decision_missing"} <= codes

    for ref, vals in {"A001": {"K1": 3, "D1": 1}, "A002": {"K1": 3, "D1": 0}, "A003": {"K1": 1, "D1": 0}}.items():
        extra = {"gap-2020-01": "explore"} if ref == "A001" else {}
        score(client, ref, vals, **extra)
    decided = {"A001": "invite", "A002": "invite", "A003": "reject"}
    for ref, outcome in decided.items():
        reason = page(client.get(f"/vacancies/TST-01/decisions/{ref}")).select_one("textarea[name=reason]").get_text()
        assert reason.strip(), ref  # prefilled from the engine's reasons
        response = client.post(f"/vacancies/TST-01/decisions/{ref}", data={"outcome": outcome, "reason": reason})
        assert response.status_code == 302, page(response).select_one(".govuk-error-summary")
    assert "essential" in db.session.scalar(select(Decision.reason).join(Decision.application)
                                            .where(Decision.outcome == "reject")).lower()
    soup = page(client.get("/vacancies/TST-01/decisions"))
    assert soup.select_one("#finalise-refusals") is None
    assert client.post("/vacancies/TST-01/finalise").status_code == 302
    vacancy = db.session.scalar(select(Vacancy))
    assert vacancy.status == "interview" and vacancy.shortlist_finalised_at is not None
    assert "shortlist.finalised" in audit_actions()

    # names revealed: the conflict step asks again, with names and references
    login(client, MEMBER)
    html = client.get("/vacancies/TST-01/conflicts").get_data(as_text=True)
    assert "Alice Adams (A001)" in html
    assert "are now shown with their references" in html
    # shortlisting scores are closed
    assert client.get("/vacancies/TST-01/scoring").status_code == 302  # must declare again first
    assert "Cara Cole" not in html  # not shortlisted: her name stays hidden
    declare(client, {"Alice Adams (A001)": "Met her at a conference last year."})
    response = score(client, "A002", {"K1": 0, "D1": 0})
    assert "shortlist has been finalised" in response.get_data(as_text=True)


def test_conflict_declared_after_reveal_is_flagged_for_hr(client, vacancy):
    test_finalising_is_refused_until_everything_is_done_then_reveals_names(client, vacancy)
    login(client, HR)
    soup = page(client.get("/vacancies/TST-01/decisions"))
    assert "A001: Member Person" in soup.select_one("#late-conflicts").get_text()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "conflicts.declared")
                              .order_by(AuditEvent.seq.desc()))
    assert event.data["phase"] == "after_reveal" and event.data["scores_excluded"] == ["A001"]


@pytest.mark.parametrize(("who", "path", "status"), [
    (MEMBER, "/vacancies/TST-01/moderation", 403),
    (MEMBER, "/vacancies/TST-01/decisions", 403),
    (OTHER, "/vacancies/TST-01/decisions/A001", 403),
    (HR, "/vacancies/TST-01/scoring", 403),   # HR does not score
    ("stranger@example.org", "/vacancies/TST-01/conflicts", 404),
])
def test_who_may_use_the_panel_pages(client, vacancy, who, path, status):
    make_user("stranger@example.org")
    login(client, who)
    assert client.get(path).status_code == status


def test_an_application_of_another_vacancy_is_not_found(client, vacancy):
    other = campaign_dict("TST-02")
    other["applications"][0]["reference"] = "Z999"
    load(other)
    login(client, MEMBER)
    declare(client)
    assert client.get("/vacancies/TST-01/scoring/Z999").status_code == 404
    assert re.search(r"Z999", client.get("/vacancies/TST-01/scoring").get_data(as_text=True)) is None


def test_members_see_the_scheme_only_as_the_computed_result_after_submitting(client, vacancy):
    score_all(client, MEMBER, {"A002": {"K1": 2, "D1": 0}})
    assert page(client.get("/vacancies/TST-01/scoring/A002")).select_one("#guaranteed") is None  # one scorer so far
    login(client, CHAIR)
    declare(client)
    assert page(client.get("/vacancies/TST-01/scoring/A002")).select_one("#guaranteed") is None  # not submitted
    score(client, "A002", {"K1": 3, "D1": 0})
    assert "Guaranteed interview" in page(client.get("/vacancies/TST-01/scoring/A002")).select_one("#guaranteed").get_text()
    assert "disability" not in client.get("/vacancies/TST-01/scoring/A002").get_data(as_text=True).lower()


def test_a_cap_is_declared_before_scoring_and_after_it_only_by_hr_with_approval(client, vacancy):
    login(client, CHAIR)
    response = client.post("/vacancies/TST-01/cap", data={"places": "2", "reason": ""})
    assert "needs a recorded reason" in response.get_data(as_text=True)
    assert client.post("/vacancies/TST-01/cap", data={"places": "2", "reason": "Over 400 applicants"}).status_code == 302
    assert db.session.scalar(select(Vacancy.interview_cap_places)) == 2
    assert client.post("/vacancies/TST-01/cap", data={"places": "", "reason": ""}).status_code == 302  # removed

    score_all(client, MEMBER, {"A003": {"K1": 1, "D1": 0}})
    login(client, CHAIR)
    response = client.post("/vacancies/TST-01/cap", data={"places": "1", "reason": "Too many"})
    assert "look like a pretext" in response.get_data(as_text=True)
    assert db.session.scalar(select(Vacancy.interview_cap_places)) is None
    login(client, HR)
    response = client.post("/vacancies/TST-01/cap", data={"places": "1", "reason": "Too many", "approval": ""})
    assert "senior-HR approval" in response.get_data(as_text=True)
    assert client.post("/vacancies/TST-01/cap", data={
        "places": "1", "reason": "Too many", "approval": "Approved by the Head of HR, 2 December"}).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cap.set").order_by(AuditEvent.seq.desc()))
    assert event.data["after_scoring"] is True and event.data["approval"].startswith("Approved by the Head of HR")


def test_positive_action_only_between_equal_totals_by_hr_with_evidence(client, vacancy):
    score_all(client, MEMBER, {"A001": {"K1": 2, "D1": 1}, "A002": {"K1": 2, "D1": 1}, "A003": {"K1": 3, "D1": 1}})
    score_all(client, CHAIR, {"A001": {"K1": 2, "D1": 1}, "A002": {"K1": 2, "D1": 1}, "A003": {"K1": 3, "D1": 1}})
    form = {"preferred": "A001", "other": "A003", "characteristic": "Race",
            "evidence_reference": "Workforce report 2026, p.12", "rationale": "Under-represented in the team."}
    assert client.post("/vacancies/TST-01/positive-action", data=form).status_code == 403  # the chair cannot
    login(client, HR)
    response = client.post("/vacancies/TST-01/positive-action", data=form)
    assert "are not equally qualified" in response.get_data(as_text=True)
    response = client.post("/vacancies/TST-01/positive-action", data={**form, "other": "A002", "rationale": ""})
    assert "Record the rationale for this case" in response.get_data(as_text=True)
    response = client.post("/vacancies/TST-01/positive-action", data={**form, "other": "A002"})
    assert response.status_code == 302
    listed = page(client.get("/vacancies/TST-01/decisions")).select_one("#positive-actions").get_text()
    assert "A001 preferred to A002 (Race; evidence: Workforce report 2026, p.12)" in listed
    login(client, CHAIR)  # the chair learns of the tie-break, never the characteristic (R10)
    listed = page(client.get("/vacancies/TST-01/decisions")).select_one("#positive-actions").get_text()
    assert "A001 preferred to A002 by positive action" in listed and "Race" not in listed
    assert "positive_action.applied" in audit_actions()
