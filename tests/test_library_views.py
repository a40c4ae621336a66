"""The criteria library in the UI: browse and search the national frameworks from a vacancy's
person specification, add statements as criteria (one service call, one audit record naming the
source); the NHS band check on the checks and publish steps; interview questions reused."""

from __future__ import annotations

from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.library import load_library
from shortlist.models import AuditEvent, Criterion, Role, User, Vacancy
from shortlist.services.vacancies import mark_task
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user
from tests.pages import page as soup

LIBRARY = "/vacancies/TST-01/setup/library/"
ADD = "/vacancies/TST-01/setup/library/add"
KS3 = "ccdf-proficient-ks-3"
FACTOR2 = "nhs-arts-therapist-entry-level-f2"


def unscored(reference: str = "TST-01", **vacancy) -> dict:
    data = campaign_dict(reference, **vacancy)
    for application in data["applications"]:
        application["scores"] = {}
    return data


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def vacancy(reference: str = "TST-01") -> Vacancy:
    db.session.remove()
    return db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))


def events(action: str) -> list[AuditEvent]:
    db.session.remove()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def add_form(*rows: dict) -> dict:
    data: dict = {"count": str(len(rows))}
    for i, row in enumerate(rows):
        data.update({f"s{i}-id": row["id"], f"s{i}-category": row.get("category", "Knowledge"),
                     f"s{i}-text": row.get("text", "Some words"), f"s{i}-essential": row.get("essential", "essential"),
                     f"s{i}-methods": row.get("methods", ["AF", "I"]), f"s{i}-shortlisting": row.get("shortlisting", "yes")})
    return data


# --------------------------------------------------------------------------- browse and search


def test_the_person_specification_step_leads_to_the_library(client):
    load(unscored())
    login(client, CHAIR)
    page = soup(client.get("/vacancies/TST-01/setup/criteria"))
    link = page.find("a", string="Add from the criteria library")
    assert link is not None and link["href"] == LIBRARY


def test_library_names_its_sources_and_offers_levels_and_bands(client):
    load(unscored())
    login(client, CHAIR)
    page = soup(client.get(LIBRARY))
    sources = page.select_one("#sources").get_text(" ", strip=True)
    assert "Clinical Career Development Framework for Art, Drama, & Music Therapists" in sources
    assert "BAAT, BADth and BAMT" in sources
    assert "National Profiles for Art, Dance Movement, Drama, and Music" in sources
    levels = [a.get_text(strip=True) for a in page.select("#browse-levels a")]
    assert levels == [lv.name for lv in load_library().levels()]
    bands = " ".join(page.select_one("#browse-bands").get_text().split())
    assert "Band 6: Arts Therapist Entry Level" in bands
    assert "Band 8c-8d: Head of Arts Therapies, Arts Therapies Consultant" in bands


def test_browsing_a_level_lists_its_ks_statements_and_responsibilities(client):
    load(unscored())
    login(client, CHAIR)
    page = soup(client.get(LIBRARY + "?level=proficient&kind=knowledge_skill"))
    offered = [i["value"] for i in page.select("#results input[name=statement]")]
    expected = [s.id for s in load_library().statements if s.level == "proficient" and s.kind == "knowledge_skill"]
    assert offered == expected
    hint = page.select_one(f"#results input[value={KS3}]").find_parent("div").get_text(" ", strip=True)
    assert "Career framework, Proficient/Foundation Practitioner" in hint and "KS.3" in hint

    page = soup(client.get(LIBRARY + "?level=proficient&kind=responsibility"))
    assert len(page.select("#results input[name=statement]")) == 25


def test_search_finds_nhs_statements_by_band_and_names_the_profile(client):
    load(unscored())
    login(client, CHAIR)
    page = soup(client.get(LIBRARY + "?q=budget&band=8c-8d"))
    offered = [i["value"] for i in page.select("#results input[name=statement]")]
    assert offered, "a search for budget at band 8c-8d finds nothing"
    assert all(load_library().get(v).band == "8c-8d" for v in offered)
    text = page.select_one("#results").get_text(" ", strip=True)
    assert "NHS profile Head of Arts Therapies" in text
    heading = page.select_one("#results-title").get_text(strip=True)
    assert heading == f"{len(offered)} statement{'s' if len(offered) != 1 else ''} found"


def test_search_with_no_match_says_so_and_unknown_filters_are_ignored(client):
    load(unscored())
    login(client, CHAIR)
    page = soup(client.get(LIBRARY + "?q=zebra+crossing&band=99"))
    assert "0 statements found" in page.get_text(" ", strip=True)
    assert "No statement matches" in page.get_text(" ", strip=True)
    assert page.select_one("#band option[selected]") is None or page.select_one("#band option[selected]")["value"] == ""


def test_a_large_result_is_cut_to_a_page_with_a_note(client):
    load(unscored())
    login(client, CHAIR)
    page = soup(client.get(LIBRARY + "?framework=ccdf"))
    assert len(page.select("#results input[name=statement]")) == 50
    assert "287 statements found" in page.get_text(" ", strip=True)
    assert "The first 50 are shown" in page.get_text(" ", strip=True)


def test_library_is_for_those_who_manage_the_vacancy(client):
    load(unscored())
    make_user(HR, Role.HR_ADMIN)
    make_user("stranger@example.org", Role.RECRUITING_MANAGER)
    for email, status in ((HR, 200), (CHAIR, 200), (MEMBER, 403), ("stranger@example.org", 404)):
        login(client, email)
        assert client.get(LIBRARY).status_code == status, email
        assert client.post(ADD, data=add_form({"id": KS3})).status_code in ((302,) if status == 200 else (status,))
    assert vacancy().criteria[-1].text == "Some words"


# --------------------------------------------------------------------------- adding


def test_chosen_statements_are_offered_as_the_library_suggests(client):
    load(unscored())
    login(client, CHAIR)
    page = soup(client.get(f"{ADD}?statement={KS3}&statement={FACTOR2}"))
    ks3 = load_library().get(KS3)
    assert page.select_one("#s0-text").get_text() == ks3.text
    assert page.select_one("#s0-category")["value"] == ks3.category
    assert page.select_one("#s0-essential")["value"] == "essential" and page.select_one("#s0-essential").has_attr("checked")
    checked = [i["value"] for i in page.select("input[name=s0-methods][checked]")]
    assert checked == list(ks3.methods)
    source = page.select_one("#s0-source").get_text(" ", strip=True)
    assert "Clinical Career Development Framework" in source and "KS.3" in source
    nhs = page.select_one("#s1-source").get_text(" ", strip=True)
    assert "NHS profile Arts Therapist Entry Level" in nhs and "Factor 2" in nhs and "JE level 7" in nhs
    assert vacancy().criteria and len(vacancy().criteria) == 3  # nothing added by looking


def test_adding_statements_is_one_call_with_one_audit_record_naming_the_source(client):
    load(unscored())
    login(client, CHAIR)
    response = client.post(ADD, data=add_form(
        {"id": KS3, "category": "Knowledge", "text": "Understanding of the theory behind the use of art forms.",
         "methods": ["AF", "I"], "shortlisting": "yes"},
        {"id": FACTOR2, "category": "Qualifications", "text": "Master's-level training in arts therapy.",
         "essential": "desirable", "methods": ["Q"], "shortlisting": "no"},
    ))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/vacancies/TST-01/setup/criteria#criterion-K2")
    criteria = vacancy().criteria
    assert [c.key for c in criteria] == ["K1", "C1", "D1", "K2", "Q1"]
    k2, q1 = criteria[3], criteria[4]
    assert (k2.category, k2.text, k2.essential, k2.methods, k2.shortlisting) == (
        "Knowledge", "Understanding of the theory behind the use of art forms.", True, ["AF", "I"], True)
    assert (q1.category, q1.text, q1.essential, q1.methods, q1.shortlisting) == (
        "Qualifications", "Master's-level training in arts therapy.", False, ["Q"], False)

    saved = events("criteria.saved")
    assert len(saved) == 1
    data = saved[0].data
    assert data["change"] == "library_add"
    assert [(item["statement"], item["key"]) for item in data["library"]] == [(KS3, "K2"), (FACTOR2, "Q1")]
    assert "Clinical Career Development Framework" in data["library"][0]["source"]
    assert data["library"][1]["band"] == "6" and data["library"][1]["ref"] == "Factor 2"

    banner = soup(client.get(response.headers["Location"])).select_one(".govuk-notification-banner")
    assert "2 criteria added from the library: K2, Q1" in banner.get_text(" ", strip=True)


def test_a_bad_choice_names_its_field_and_adds_nothing(client):
    load(unscored())
    login(client, CHAIR)
    page = soup(client.post(ADD, data=add_form({"id": KS3, "methods": []}, {"id": FACTOR2, "category": " "})))
    assert page.title.string.startswith("Error:")
    links = {a["href"]: a.get_text(strip=True) for a in page.select(".govuk-error-summary a")}
    assert links == {"#s0-methods": "Statement 1: select at least one way it is assessed",
                     "#s1-category": "Statement 2: enter the category"}
    assert page.select_one("#s0-methods-error") is not None
    assert len(vacancy().criteria) == 3
    assert events("criteria.saved") == []


def test_an_unknown_statement_is_not_added(client):
    load(unscored())
    login(client, CHAIR)
    response = client.post(ADD, data=add_form({"id": "no-such-statement"}))
    assert response.status_code == 302 and response.headers["Location"] == LIBRARY
    assert len(vacancy().criteria) == 3
    response = client.get(f"{ADD}?statement=no-such-statement&q=risk")
    assert response.status_code == 302 and response.headers["Location"] == LIBRARY + "?q=risk"


def test_after_scoring_only_hr_can_add_from_the_library(client):
    load(campaign_dict())  # A001 has submitted scores
    make_user(HR, Role.HR_ADMIN)
    login(client, CHAIR)
    page = soup(client.post(ADD, data=add_form({"id": KS3})))
    assert "Scoring has started" in page.select_one(".govuk-error-summary").get_text()
    assert len(vacancy().criteria) == 3
    login(client, HR)
    assert client.post(ADD, data=add_form({"id": KS3})).status_code == 302
    assert len(vacancy().criteria) == 4
    saved = events("criteria.saved")[-1].data
    assert saved["after_scoring"] is True and saved["cleared_scores"] == 0  # adding clears nothing
    assert db.session.scalar(select(func.count()).select_from(Criterion)) == 4


# --------------------------------------------------------------------------- band check


def test_band_check_warns_on_the_checks_and_publish_steps_and_never_blocks(client):
    data = unscored(grade="Band 6", title="Art Psychotherapist", status="draft")
    load(data)
    login(client, CHAIR)
    for step in ("checks", "publish", "criteria"):
        page = soup(client.get(f"/vacancies/TST-01/setup/{step}"))
        panel = page.select_one("#band-check")
        assert panel is not None, step
        assert "NHS band 6: band check" in panel.get_text(" ", strip=True)
        codes = [li["data-code"] for li in panel.select("#band-check-warnings li")]
        assert codes == ["band_training_missing"], step
        assert "master's-level arts therapy training" in panel.get_text(" ", strip=True)
    for step in ("criteria", "panel"):  # someone confirms each step (the others' forms say so as they save)
        client.post(f"/vacancies/TST-01/setup/{step}/complete", data={"completed": "yes"})
    for task in ("details", "checks", "scale"):
        mark_task(vacancy(), user(CHAIR), task, True)
    response = client.post("/vacancies/TST-01/setup/publish")
    assert response.status_code == 302
    assert vacancy().status == "open"
    published = events("vacancy.published")[0].data
    assert "band_training_missing" in published["warnings"]
    reason = next(r for r in published["reasons"] if r["code"] == "band_training_missing")
    assert reason["field"] == "grade" and "Factor 2" in reason["message"]


def test_band_check_names_the_criterion_above_the_band(client):
    data = unscored(grade="Band 6", title="Art Psychotherapist")
    data["criteria"].append({"key": "Q1", "category": "Qualifications", "essential": True, "methods": ["AF", "Q"],
                             "text": "MA in Art Psychotherapy and HCPC registration as an Art Therapist."})
    data["criteria"].append({"key": "E9", "category": "Experience", "essential": True, "methods": ["AF", "I"],
                             "text": "Experience of line management of a team of therapists."})
    load(data)
    login(client, CHAIR)
    panel = soup(client.get("/vacancies/TST-01/setup/checks")).select_one("#band-check")
    items = panel.select("#band-check-warnings li")
    assert [(li["data-code"], li.get("data-criterion")) for li in items] == [("band_requirement_above_profile", "E9")]
    assert items[0].a["href"] == "/vacancies/TST-01/setup/criteria/E9"


def test_band_check_in_line_says_so(client):
    data = unscored(grade="Band 7", title="Music Therapist")
    data["criteria"].append({"key": "Q1", "category": "Qualifications", "essential": True, "methods": ["AF", "Q"],
                             "text": "MSc in Music Therapy and HCPC registration as a music therapist."})
    load(data)
    login(client, CHAIR)
    panel = soup(client.get("/vacancies/TST-01/setup/checks")).select_one("#band-check")
    assert panel.select_one("#band-check-clear") is not None
    assert panel.select("#band-check-warnings li") == []


def test_no_band_check_for_other_grades_or_other_nhs_posts_and_a_note_for_uncovered_bands(client):
    load(unscored())  # grade P07: not an NHS band
    login(client, CHAIR)
    assert soup(client.get("/vacancies/TST-01/setup/checks")).select_one("#band-check") is None
    # an NHS band on a post the arts therapists' profiles do not cover: nothing said (issue 14)
    load(unscored("TST-02", grade="Band 6", title="Staff Nurse"))
    assert soup(client.get("/vacancies/TST-02/setup/checks")).select_one("#band-check") is None
    load(unscored("TST-03", grade="Band 5", title="Art Therapist"))
    panel = soup(client.get("/vacancies/TST-03/setup/checks")).select_one("#band-check")
    assert "no profile to check band 5 against" in panel.get_text(" ", strip=True)


# --------------------------------------------------------------------------- reusing interview questions


def test_questions_for_the_same_criterion_on_another_vacancy_can_be_reused(client):
    old = unscored("OLD-01")
    old["questions"] = {"C1": ["Tell us how you explain a hard decision to a carer."]}
    load(old)
    load(unscored())
    other = unscored("THEIRS-01", recruiting_manager="someone.else@example.org")
    other["questions"] = {"C1": ["A question from someone else's vacancy."]}
    other["panel"] = [{"email": "someone.else@example.org", "name": "Someone Else", "role": "chair"}]
    load(other)
    login(client, CHAIR)
    page = soup(client.get("/vacancies/TST-01/setup/questions"))
    offered = page.select("input[name=reuse-C1]")
    assert len(offered) == 1
    label = offered[0].find_parent("div").get_text(" ", strip=True)
    assert "Tell us how you explain a hard decision to a carer." in label and "OLD-01" in label
    assert "someone else" not in page.get_text().lower()

    response = client.post("/vacancies/TST-01/setup/questions",
                           data={"q-C1": "What does good communication look like?", "reuse-C1": offered[0]["value"],
                                 "completed": "yes"})
    assert response.status_code == 302
    texts = [(q.criterion.key, q.text) for q in vacancy().questions]
    assert texts == [("C1", "What does good communication look like?"),
                     ("C1", "Tell us how you explain a hard decision to a carer.")]
    saved = events("questions.saved")[-1].data
    assert saved["reused"] == [{"criterion": "C1", "from_vacancy": "OLD-01", "question": int(offered[0]["value"])}]
    # once reused, it is no longer offered
    assert soup(client.get("/vacancies/TST-01/setup/questions")).select("input[name=reuse-C1]") == []
