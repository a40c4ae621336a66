"""Setting up a vacancy in steps: the review of an imported person specification (edit, merge,
split, reorder, delete; nothing saved until confirmed), the lock once scoring starts (only HR may
change the scale or criteria; the affected scores are cleared, with an audit record), and the
rules engine's findings named on the steps that fix them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, update

from shortlist.extensions import db
from shortlist.models import AgreedScore, AuditEvent, Criterion, Role, Score, ScoreSheet, Vacancy
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user
from tests.pages import page as soup

SPEC = (
    "Family Therapist\n"
    "The post requires an enhanced DBS check with a check of the children's barred list.\n"
    "We are a Disability Confident employer.\n\n"
    "PERSON SPECIFICATION\n"
    "Criteria\tEssential\tDesirable\tMethod of assessment\n"
    "Experience\t\t\t\n"
    "Experience of family therapy with children in care. Supervision of other therapists.\t✓\t\tAF/I\n"
    "Experience of working in local government\t\tYes\tAF\n"
    "Knowledge\t\t\t\n"
    "Knowledge of the Children Act 1989\tX\t\tI\n"
    "Knowledge of systemic theory\tX\t\tAF/I\n"
)
SETUP = "/vacancies/NEW-01/setup"
REVIEW = f"{SETUP}/import/review"


def fresh(reference: str = "NEW-01") -> Vacancy:
    db.session.remove()
    return db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))


def actions() -> list[str]:
    db.session.remove()
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def last(action: str) -> dict:
    db.session.remove()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                               .order_by(AuditEvent.seq.desc())).first()
    assert event is not None, f"no {action} audit record"
    return event.data


def form_values(page: BeautifulSoup) -> dict[str, list[str]]:
    """What the browser would send from the page's main form (without a button)."""
    form = page.select_one("main form[method=post]")
    data: dict[str, list[str]] = {}
    for field in form.select("input, textarea"):
        name = field.get("name")
        if not name:
            continue
        kind = field.get("type", "text")
        if kind in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        value = field.get_text() if field.name == "textarea" else field.get("value", "")
        data.setdefault(name, []).append(value)
    return data


def cards(page: BeautifulSoup) -> list[tuple]:
    """The proposals on the review page: (category, text, essential, methods, shortlisting)."""
    out = []
    i = 0
    while page.select_one(f"#c{i}-text") is not None:
        out.append((
            page.select_one(f"#c{i}-category")["value"], page.select_one(f"#c{i}-text").get_text(),
            page.select_one(f"#c{i}-essential-essential").has_attr("checked"),
            tuple(b["value"] for b in page.select(f"input[name=c{i}-methods][checked]")),
            page.select_one(f"#c{i}-shortlisting-yes").has_attr("checked"),
        ))
        i += 1
    return out


def press(client, action: str, **changes) -> BeautifulSoup:  # noqa: ANN001
    """Press a button on the review page, with the fields as shown plus `changes`."""
    data = form_values(soup(client.get(REVIEW)))
    for name, value in changes.items():
        data[name.replace("_", "-", 1) if name.startswith("c") and name[1].isdigit() else name] = value
    data["action"] = [action]
    response = client.post(REVIEW, data=data)
    return soup(client.get(REVIEW) if response.status_code == 302 else response)


@pytest.fixture
def manager(client):  # noqa: ANN001, ANN201
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person")
    login(client, CHAIR)
    response = client.post("/vacancies/new", data={
        "reference": "NEW-01", "title": "Family Therapist", "organisation": "EC", "posts": "1",
        "closing_date": ["15", "12", "2026"]})
    assert response.status_code == 302 and response.headers["Location"] == SETUP
    return client


def start_import(client) -> BeautifulSoup:  # noqa: ANN001
    response = client.post(f"{SETUP}/import", data={"text": SPEC})
    assert response.status_code == 302 and response.headers["Location"] == REVIEW
    return soup(client.get(REVIEW))


# --------------------------------------------------------------------------- import review


def test_an_import_is_proposed_and_nothing_is_saved_until_confirmed(manager):
    page = start_import(manager)
    assert cards(page) == [
        ("Experience", "Experience of family therapy with children in care. Supervision of other therapists.",
         True, ("AF", "I"), True),
        ("Experience", "Experience of working in local government", False, ("AF",), True),
        ("Knowledge", "Knowledge of the Children Act 1989", True, ("I",), False),
        ("Knowledge", "Knowledge of systemic theory", True, ("AF", "I"), True),
    ]
    assert "DBS check: Enhanced with the Children’s barred list" in page.get_text(" ", strip=True)
    press(manager, "down:0")
    press(manager, "delete:3")
    vacancy = fresh()
    assert vacancy.criteria == [] and vacancy.dbs_level == "none" and vacancy.offer_interview is False
    assert actions() == ["organisation.created", "user.created", "user.roles_changed", "vacancy.created",
                         "spec.import_started"]


def test_the_manager_edits_merges_splits_reorders_and_deletes_then_confirms(manager):
    start_import(manager)
    page = press(manager, "split:0")  # at the sentence end
    assert [c[1] for c in cards(page)][:2] == ["Experience of family therapy with children in care.",
                                               "Supervision of other therapists."]
    assert cards(page)[1][2:] == (True, ("AF", "I"), True)  # the new half keeps the marks
    page = press(manager, "merge:2", **{"c2-text": ["Experience of working in a council"]})
    assert cards(page)[2] == ("Experience", "Experience of working in a council Knowledge of the Children Act 1989",
                              False, ("AF", "I"), True)
    page = press(manager, "up:3")
    assert [c[1] for c in cards(page)] == [
        "Experience of family therapy with children in care.", "Supervision of other therapists.",
        "Knowledge of systemic theory", "Experience of working in a council Knowledge of the Children Act 1989"]
    page = press(manager, "delete:3")
    assert len(cards(page)) == 3
    page = press(manager, "split:1", **{"c1-text": ["Supervision of other therapists\nand students"]})
    assert [c[1] for c in cards(page)][1:3] == ["Supervision of other therapists", "and students"]
    page = press(manager, "delete:2")
    page = press(manager, "add")
    assert cards(page)[-1] == ("", "", True, (), True)
    response = manager.post(REVIEW, data={**form_values(page), "action": ["confirm"], "c3-category": ["Skills"],
                                          "c3-text": ["Able to write clear court reports."], "c3-methods": ["AF", "P"],
                                          "c1-essential": ["desirable"], "c1-methods": ["AF"],
                                          "c1-shortlisting": ["no"], "mode": ["replace"]})
    assert response.status_code == 302 and response.headers["Location"] == f"{SETUP}/criteria"
    vacancy = fresh()
    assert [(c.key, c.category, c.text, c.essential, c.methods, c.shortlisting) for c in vacancy.criteria] == [
        ("E1", "Experience", "Experience of family therapy with children in care.", True, ["AF", "I"], True),
        ("E2", "Experience", "Supervision of other therapists", False, ["AF"], False),
        ("K1", "Knowledge", "Knowledge of systemic theory", True, ["AF", "I"], True),
        ("S1", "Skills", "Able to write clear court reports.", True, ["AF", "P"], True),
    ]
    assert (vacancy.dbs_level, vacancy.dbs_barred_lists, vacancy.offer_interview) == ("enhanced", ["children"], True)
    saved = last("criteria.saved")
    assert saved["change"] == "import_replace" and saved["file"] == "pasted text"
    assert actions().count("criteria.saved") == 1
    assert manager.get(REVIEW).status_code == 302  # the draft is gone


def test_a_criterion_with_nothing_to_split_at_says_so(manager):
    start_import(manager)
    page = press(manager, "split:1")
    assert len(cards(page)) == 4
    assert "Criterion 2 was not split" in page.select_one(".govuk-notification-banner").get_text()


def test_the_fact_choices_survive_the_row_buttons(manager):
    start_import(manager)
    data = form_values(soup(manager.get(REVIEW)))
    data.pop("use_dbs")
    manager.post(REVIEW, data={**data, "action": ["down:0"]})
    page = soup(manager.get(REVIEW))
    assert not page.select_one("#use_dbs").has_attr("checked")
    assert page.select_one("#use_disability_confident").has_attr("checked")
    manager.post(REVIEW, data={**form_values(page), "action": ["confirm"]})
    vacancy = fresh()
    assert len(vacancy.criteria) == 4
    assert vacancy.dbs_level == "none" and vacancy.offer_interview is True


def test_discarding_saves_nothing(manager):
    start_import(manager)
    press(manager, "delete:0")
    response = manager.post(REVIEW, data={**form_values(soup(manager.get(REVIEW))), "action": ["discard"]})
    assert response.status_code == 302
    assert fresh().criteria == []
    assert "criteria.saved" not in actions()
    assert actions()[-1] == "spec.import_discarded"
    assert last("spec.import_discarded") == {"file": "pasted text", "proposed": 3}


def test_blank_fields_are_named_in_the_error_summary_and_nothing_is_saved(manager):
    start_import(manager)
    data = {**form_values(soup(manager.get(REVIEW))), "action": ["confirm"],
            "c0-text": [" "], "c1-category": [""], "c2-methods": []}
    page = soup(manager.post(REVIEW, data=data))
    assert page.title.string.startswith("Error:")
    links = {a["href"]: a.get_text(strip=True) for a in page.select(".govuk-error-summary a")}
    assert links == {"#c0-text": "Criterion 1: enter the criterion, or delete it",
                     "#c1-category": "Criterion 2: enter the category",
                     "#c2-methods": "Criterion 3: select at least one way it is assessed"}
    assert page.select_one("#c0-text-error") is not None
    assert fresh().criteria == []


def _upload(client, data: bytes, name: str):  # noqa: ANN001, ANN202
    import io

    return client.post(f"{SETUP}/import", data={"file": (io.BytesIO(data), name), "text": ""},
                       content_type="multipart/form-data")


def test_the_attribute_and_tick_columns_table_is_imported(manager):
    """Issue 14, finding 12: "Attribute | Essential (tick) | Desirable (tick) | Method of
    assessment" gave no criteria; the attribute column holds the criteria."""
    from tests.specimport import builders

    data = builders.docx_from_markup(
        "# Person specification\n"
        "|! Attribute | Essential | Desirable | Method of assessment |\n"
        "| Degree in social work or equivalent | ✓ |  | Application form / Certificates |\n"
        "| Experience of child protection work | ✓ |  | Application form / Interview |\n"
        "| Experience of court work |  | ✓ | Interview |\n"
    )
    response = _upload(manager, data, "spec.docx")
    assert response.status_code == 302 and response.headers["Location"] == REVIEW
    page = soup(manager.get(REVIEW))
    assert [(c[1], c[2], c[3]) for c in cards(page)] == [
        ("Degree in social work or equivalent", True, ("AF", "Q")),
        ("Experience of child protection work", True, ("AF", "I")),
        ("Experience of court work", False, ("I",)),
    ]


def test_an_upload_without_criteria_is_told_under_the_upload(manager):
    """Issue 14, finding 12: the error stood under the paste box although a file was uploaded."""
    from tests.specimport import builders

    data = builders.docx_from_text("Job description\nYou will answer the telephone and keep the diary.")
    page = soup(_upload(manager, data, "job-description.docx"))
    file_group = page.select_one("#file").find_parent(class_="govuk-form-group")
    text_group = page.select_one("#text").find_parent(class_="govuk-form-group")
    assert "No criteria were found" in file_group.get_text()
    assert "govuk-form-group--error" in file_group["class"]
    assert "govuk-form-group--error" not in text_group["class"]
    assert page.select_one(".govuk-error-summary a")["href"] == "#file"


def test_each_field_of_the_review_names_its_own_criterion(manager):
    """Issue 14 (accessibility): every category label read "of criterion 1"."""
    page = start_import(manager)
    labels = [label.get_text(" ", strip=True) for label in page.select("label[for$=-category]")]
    assert labels == [f"Category of criterion {n}" for n in (1, 2, 3, 4)]


def test_the_review_counts_what_is_left_after_deleting(manager):
    """Issue 14: after deleting, the review still said every criterion was found and kept."""
    page = start_import(manager)
    assert "4 criteria were found in pasted text" in page.get_text(" ", strip=True)
    page = press(manager, "delete:0")
    text = page.get_text(" ", strip=True)
    assert "4 criteria were found in pasted text; you deleted or merged 1, so 3 will be saved" in text
    assert "Criterion 4" not in text


def test_doubtful_criteria_are_listed_first_with_their_reasons_and_source(manager):
    """Issue 20: the review shows the doubtful rows first and highlighted, with the line
    they were read from; a document read with low confidence says so at the top; the doubts
    stay with their row through the review's edits."""
    text = (
        "PERSON SPECIFICATION\n"
        "Criteria\tEssential\tDesirable\tMethod of assessment\n"
        "Experience of casework Ability to drive Knowledge of the law\t✓\t\tAF/I\n"
        "Experience of court work\t✓\t\tAF/I\n"
    )
    response = manager.post(f"{SETUP}/import", data={"text": text})
    assert response.status_code == 302
    page = soup(manager.get(REVIEW))
    # the first row held three criteria run together: split, the two cut off it doubted
    assert [c[1] for c in cards(page)] == ["Experience of casework", "Ability to drive", "Knowledge of the law",
                                           "Experience of court work"]
    assert page.select_one("#low-confidence").get_text(" ", strip=True).startswith(
        "! Warning This document was read with low confidence: 2 of the 4")
    first = page.select_one("#check-first")
    assert [a["href"] for a in first.select("a")] == ["#c1", "#c2"]
    assert "ran list items together" in first.get_text()
    assert "Check" in page.select_one("#c1 .govuk-summary-card__title").get_text()
    assert "Check" not in page.select_one("#c0 .govuk-summary-card__title").get_text()
    assert "From the document: Experience of casework Ability to drive Knowledge of the law | ✓ | AF/I" in (
        page.select_one("#c1-doubts").get_text(" ", strip=True))
    page = press(manager, "up:1")
    assert [a["href"] for a in page.select("#check-first a")] == ["#c0", "#c2"]  # the doubt moved with its row
    page = press(manager, "merge:1")  # "Experience of casework" takes "Knowledge of the law" back
    assert [a["href"] for a in page.select("#check-first a")] == ["#c0"]  # the manager has settled it
    page = press(manager, "split:1", c1_text=["Experience of casework\nKnowledge of the law"])
    assert [a["href"] for a in page.select("#check-first a")] == ["#c0"]


def test_an_import_with_every_proposal_deleted_cannot_be_saved(manager):
    start_import(manager)
    for _ in range(4):
        press(manager, "delete:0")
    page = soup(manager.post(REVIEW, data={**form_values(soup(manager.get(REVIEW))), "action": ["confirm"]}))
    assert "there is nothing to save" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one(".govuk-error-summary a")["href"] == "#criteria-heading"


def test_append_keeps_the_criteria_and_replace_keeps_rows_worded_the_same(client):
    load(unscored_campaign("NEW-01", criteria=[
        {"key": "K1", "category": "Knowledge", "text": "Knowledge of systemic theory.", "essential": True,
         "methods": ["AF", "I"]},
        {"key": "X1", "category": "Other", "text": "Something that goes.", "essential": True, "methods": ["AF"]}]))
    login(client, CHAIR)
    evidence_row = fresh().criteria[0].id
    start_import(client)
    client.post(REVIEW, data={**form_values(soup(client.get(REVIEW))), "action": ["confirm"], "mode": ["append"]})
    assert [c.key for c in fresh().criteria] == ["K1", "X1", "E1", "E2", "K2", "K3"]

    start_import(client)
    client.post(REVIEW, data={**form_values(soup(client.get(REVIEW))), "action": ["confirm"], "mode": ["replace"]})
    vacancy = fresh()
    assert [c.text for c in vacancy.criteria] == [
        "Experience of family therapy with children in care. Supervision of other therapists.",
        "Experience of working in local government", "Knowledge of the Children Act 1989",
        "Knowledge of systemic theory"]
    kept = vacancy.criteria[3]
    assert (kept.key, kept.id) == ("K1", evidence_row)  # same words: same row, its evidence kept


def test_a_dbs_check_is_proposed_as_pre_employment_and_the_marks_are_saved(manager):
    spec = SPEC + "Satisfactory enhanced DBS disclosure\tX\t\tAF\n"
    manager.post(f"{SETUP}/import", data={"text": spec})
    page = soup(manager.get(REVIEW))
    assert page.select_one("#c4-pre_employment").has_attr("checked")
    assert not page.select_one("#c3-pre_employment").has_attr("checked")
    assert not page.select_one("#c0-non_waivable").has_attr("checked")
    manager.post(REVIEW, data={**form_values(page), "action": ["confirm"], "c3-non_waivable": ["yes"],
                               "c4-methods": []})  # a pre-employment check needs no method
    marks = [(c.non_waivable, c.pre_employment) for c in fresh().criteria]
    assert marks == [(False, False), (False, False), (False, False), (True, False), (False, True)]


# --------------------------------------------------------------------------- the lock


def unscored_campaign(reference: str = "TST-01", criteria: list | None = None) -> dict:
    data = campaign_dict(reference)
    if criteria is not None:
        data["criteria"] = criteria
        for application in data["applications"]:
            application["evidence"] = {}
    for application in data["applications"]:
        application["scores"] = {}
    return data


def scored() -> None:
    """TST-01 with two submitted sheets (K1 and D1 each) and an agreed K1 score."""
    data = campaign_dict()
    data["applications"][0]["agreed"] = {"shortlisting": {"K1": {"score": 2, "rationale": "Discussed."}}}
    load(data)
    make_user(HR, Role.HR_ADMIN, "Harriet Reid")


def score_rows() -> dict[str, int]:
    db.session.remove()
    rows = db.session.execute(select(Criterion.key, func.count()).join(Score, Score.criterion_id == Criterion.id)
                              .group_by(Criterion.key))
    return dict(rows.all())


def agreed_rows() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(AgreedScore))


def submitted_sheets() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(ScoreSheet).where(ScoreSheet.submitted_at.is_not(None)))


CRITERION = "/vacancies/TST-01/setup/criteria"
K1_CHANGE = {"category": "Knowledge", "text": "Knowledge of systemic and narrative therapy.", "essential": "essential",
             "methods": ["AF", "I"], "shortlisting": "yes"}


def test_the_lock_starts_with_the_first_submitted_score(client):
    load(campaign_dict())
    db.session.execute(update(ScoreSheet).values(submitted_at=None))  # drafts only
    db.session.commit()
    login(client, CHAIR)
    assert "Scoring has started" not in soup(client.get(f"{CRITERION}/K1")).get_text()
    assert client.post(f"{CRITERION}/K1", data=K1_CHANGE).status_code == 302
    assert fresh("TST-01").criteria[0].text == "Knowledge of systemic and narrative therapy."
    assert last("criteria.saved")["after_scoring"] is False


def test_after_scoring_a_manager_cannot_change_add_reorder_or_delete_criteria(client):
    scored()
    login(client, CHAIR)
    page = soup(client.get(f"{CRITERION}/K1"))
    assert "Only HR can change them" in page.select_one(".govuk-warning-text").get_text()
    page = soup(client.post(f"{CRITERION}/K1", data=K1_CHANGE))
    assert "Scoring has started" in page.select_one(".govuk-error-summary").get_text()
    page = soup(client.post(f"{CRITERION}/new", data={**K1_CHANGE, "text": "A new one."}))
    assert "Scoring has started" in page.select_one(".govuk-error-summary").get_text()
    for action in ("down", "delete"):
        response = client.post(f"{CRITERION}/K1/change", data={"action": action})
        assert response.status_code == 302
        banner = soup(client.get(response.headers["Location"])).select_one(".govuk-notification-banner")
        assert "Not changed: Scoring has started" in banner.get_text()
    vacancy = fresh("TST-01")
    assert [(c.key, c.text) for c in vacancy.criteria] == [
        ("K1", "Knowledge of systemic therapy."), ("C1", "Communicates clearly in spoken English."),
        ("D1", "Experience of supervising students.")]
    assert score_rows() == {"K1": 2, "D1": 2} and agreed_rows() == 1 and submitted_sheets() == 2
    assert "criteria.saved" not in actions()


def test_hr_changes_a_criterion_after_scoring_and_only_its_scores_are_cleared(client):
    scored()
    login(client, HR)
    page = soup(client.get(f"{CRITERION}/K1"))
    assert "Changing this criterion clears its 2 scores" in page.select_one(".govuk-warning-text").get_text()
    response = client.post(f"{CRITERION}/K1", data=K1_CHANGE)
    assert response.status_code == 302
    banner = soup(client.get(response.headers["Location"])).select_one(".govuk-notification-banner")
    assert "The change cleared 2 scores for K1" in banner.get_text()
    assert score_rows() == {"D1": 2}  # D1's scores stay
    assert agreed_rows() == 0
    assert submitted_sheets() == 0  # both sheets lost a score: reopened for rescoring
    record = last("criteria.saved")
    assert (record["change"], record["after_scoring"], record["cleared_scores"], record["cleared_agreed_scores"],
            record["reopened_sheets"]) == ("edit", True, 2, 1, 2)
    assert record["before"][0]["text"] == "Knowledge of systemic therapy."
    assert record["after"][0]["text"] == "Knowledge of systemic and narrative therapy."


def test_hr_deleting_a_criterion_clears_its_scores(client):
    scored()
    login(client, HR)
    client.post(f"{CRITERION}/D1/change", data={"action": "delete"})
    assert [c.key for c in fresh("TST-01").criteria] == ["K1", "C1"]
    assert score_rows() == {"K1": 2} and agreed_rows() == 1
    record = last("criteria.saved")
    assert (record["change"], record["cleared_scores"], record["reopened_sheets"]) == ("delete", 2, 2)


def test_hr_reordering_after_scoring_clears_nothing(client):
    scored()
    login(client, HR)
    client.post(f"{CRITERION}/K1/change", data={"action": "down"})
    assert [c.key for c in fresh("TST-01").criteria] == ["C1", "K1", "D1"]
    assert score_rows() == {"K1": 2, "D1": 2} and submitted_sheets() == 2
    assert last("criteria.saved")["cleared_scores"] == 0


SCALE = "/vacancies/TST-01/setup/scale"


def test_after_scoring_only_hr_changes_the_scale_and_every_score_is_cleared(client):
    scored()
    login(client, CHAIR)
    page = soup(client.post(SCALE, data={"preset": "civil-service-1-7", "completed": "yes"}))
    assert "Scoring has started" in page.select_one(".govuk-error-summary").get_text()
    assert fresh("TST-01").scale_max == 3 and score_rows() == {"K1": 2, "D1": 2}
    login(client, HR)
    assert "clears all 4 scores" in soup(client.get(SCALE)).select_one(".govuk-warning-text").get_text()
    response = client.post(SCALE, data={"preset": "civil-service-1-7", "completed": "yes"})
    assert response.status_code == 302
    vacancy = fresh("TST-01")
    assert (vacancy.scale_min, vacancy.scale_max, vacancy.scale_met) == (1, 7, 4)
    assert vacancy.descriptors[7] == "Outstanding demonstration"
    assert score_rows() == {} and agreed_rows() == 0 and submitted_sheets() == 0
    record = last("vacancy.scale_set")
    assert (record["after_scoring"], record["cleared_scores"], record["cleared_agreed_scores"],
            record["reopened_sheets"]) == (True, 4, 1, 2)
    assert "4 scores cleared" in soup(client.get(response.headers["Location"])).get_text()


def test_after_scoring_a_manager_cannot_save_an_import(client):
    scored()
    login(client, CHAIR)
    client.post("/vacancies/TST-01/setup/import", data={"text": SPEC})
    review = "/vacancies/TST-01/setup/import/review"
    page = soup(client.post(review, data={**form_values(soup(client.get(review))), "action": ["confirm"],
                                          "mode": ["append"]}))
    assert "Scoring has started" in page.select_one(".govuk-error-summary").get_text()
    assert len(fresh("TST-01").criteria) == 3
    assert client.get(review).status_code == 200  # the draft is kept for HR or later


# --------------------------------------------------------------------------- steps and findings


def test_creating_a_vacancy_names_missing_fields(client):
    make_user(CHAIR, Role.RECRUITING_MANAGER)
    login(client, CHAIR)
    page = soup(client.post("/vacancies/new", data={"reference": "NEW-01", "posts": "1"}))
    links = {a["href"]: a.get_text(strip=True) for a in page.select(".govuk-error-summary a")}
    assert links["#title"] == "Enter the job title"
    assert links["#organisation"] == "Select the organisation"
    assert links["#closing_date"] == "Enter the closing date"
    assert fresh() is None


def test_a_panel_member_cannot_set_up_a_vacancy(client):
    load(campaign_dict())
    login(client, MEMBER)
    for path in ("/setup", "/setup/criteria", "/setup/import", "/setup/scale", "/setup/publish"):
        assert client.get(f"/vacancies/TST-01{path}").status_code == 403, path
    assert client.get("/vacancies/new").status_code == 403


def test_barred_lists_without_regulated_activity_is_named_on_the_checks_step(client):
    load(unscored_campaign())
    login(client, CHAIR)
    page = soup(client.post("/vacancies/TST-01/setup/checks", data={
        "dbs_level": "enhanced", "barred_lists": ["children"], "regulated_activity": "no",
        "safeguarding_role": "yes", "customer_facing": "no", "offer_interview": "yes",
        "declaration_triggers_scheme": "no", "waiver_policy": "no", "min_scorers": "2",
        "employment_gap_months": "3", "completed": "yes"}))
    links = {a["href"]: a.get_text(strip=True) for a in page.select(".govuk-error-summary a")}
    assert any(href == "#barred_lists" and "regulated activity" in text for href, text in links.items()), links
    assert fresh("TST-01").dbs_regulated_activity is True


def test_publishing_is_refused_with_a_link_to_the_step_that_fixes_it(client):
    data = unscored_campaign(criteria=[])
    data["vacancy"]["status"] = "draft"
    data["applications"] = []
    load(data)
    login(client, CHAIR)
    page = soup(client.post("/vacancies/TST-01/setup/publish"))
    refused = page.select_one("#refused")
    link = refused.select_one("li[data-code=no_criteria] a")
    assert link["href"] == "/vacancies/TST-01/setup/criteria"
    assert fresh("TST-01").status == "draft"


def test_a_warning_on_a_criterion_links_to_that_criterion(client):
    data = unscored_campaign()
    data["criteria"].append({"key": "P1", "category": "Checks", "text": "Satisfactory enhanced DBS check.",
                             "essential": True, "methods": ["Q"]})
    load(data)
    login(client, CHAIR)
    page = soup(client.get("/vacancies/TST-01/setup/criteria"))
    link = page.select_one("#vacancy-checks-warnings li[data-code=dbs_as_criterion] a")
    assert link["href"] == "/vacancies/TST-01/setup/criteria/P1"
