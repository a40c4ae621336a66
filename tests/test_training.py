"""Safer-recruitment training is held on the person (issue 14, finding 10): one certificate
date per person, set by HR or by the person, shown on every panel they sit on, correctable
with an audit entry; the per-vacancy dates of before are moved onto the people."""

from __future__ import annotations

from datetime import date, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select, text

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role, User, Vacancy
from shortlist.services import panel
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, campaign_dict, load, make_user
from tests.pages import page

TODAY = date.today()


def person(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def training_cell(soup: BeautifulSoup, name: str) -> str:
    row = next(tr for tr in soup.select("#panel-members tr") if tr.select_one("td, th")
               and tr.get_text(" ", strip=True).startswith(name))
    cell = row.select_one("[data-training]")
    for label in cell.select(".app-table__label"):  # shown only on a narrow screen
        label.decompose()
    return cell.get_text(" ", strip=True)


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def two_vacancies(second_date: date | None) -> None:
    load(campaign_dict("TST-01"))  # the chair's certificate: 1 March 2025
    second = campaign_dict("TST-02")
    second["panel"][0]["safer_recruitment_trained_on"] = second_date
    load(second)
    make_user(HR, Role.HR_ADMIN, name="Hana HR")


def test_one_person_has_one_training_date_on_every_panel(client):
    two_vacancies(None)  # the second file says nothing of the chair's training
    assert person(CHAIR).safer_recruitment_trained_on == date(2025, 3, 1)
    login(client, HR)
    for reference in ("TST-01", "TST-02"):
        for path in (f"/vacancies/{reference}", f"/vacancies/{reference}/setup/panel"):
            assert training_cell(page(client.get(path)), "Chair Person").startswith("1 March 2025"), path


def test_a_campaign_file_cannot_give_a_person_a_second_date():
    warnings: list = []
    load(campaign_dict("TST-01"))
    second = campaign_dict("TST-02")
    second["panel"][0]["safer_recruitment_trained_on"] = date(2021, 1, 1)
    from shortlist import campaign_format as cf
    from shortlist.services import audit
    from shortlist.services.campaigns import load_campaign
    from tests.factories import to_yaml

    load_campaign(cf.parse(to_yaml(second)), audit.CLI, filename="second.yaml", warnings=warnings)
    assert person(CHAIR).safer_recruitment_trained_on == date(2025, 3, 1)
    kept = [w for w in warnings if w.code == "training_date_kept"]
    assert len(kept) == 1 and "1 March 2025" in kept[0].message and CHAIR in kept[0].field


def test_the_person_records_and_corrects_their_own_training(client):
    load(campaign_dict())
    login(client, MEMBER)
    form = page(client.get("/account/training"))
    assert form.select_one(".govuk-date-input")
    year = TODAY.year
    future = TODAY + timedelta(days=10)
    refused = page(client.post("/account/training", data={
        "trained_on-day": str(future.day), "trained_on-month": str(future.month), "trained_on-year": str(future.year)}))
    assert refused.select_one(".govuk-error-summary a[href='#trained_on-day']").get_text(strip=True) == \
        "The date on the certificate must be today or in the past"
    refused = page(client.post("/account/training", data={
        "trained_on-day": "1", "trained_on-month": "1", "trained_on-year": "9999"}))
    assert refused.select_one(".govuk-error-summary a[href='#trained_on-year']")
    assert person(MEMBER).safer_recruitment_trained_on is None

    assert client.post("/account/training", data={
        "trained_on-day": "12", "trained_on-month": "5", "trained_on-year": str(year - 1)}).status_code == 302
    assert person(MEMBER).safer_recruitment_trained_on == date(year - 1, 5, 12)
    [first] = [e for e in events("training.recorded") if e.data["email"] == MEMBER]
    assert first.actor == MEMBER and first.data["before"] is None and first.data["after"] == f"{year - 1}-05-12"

    # a correction says why
    correction = {"trained_on-day": "21", "trained_on-month": "5", "trained_on-year": str(year - 1)}
    refused = page(client.post("/account/training", data=correction))
    assert refused.select_one(".govuk-error-summary a[href='#reason']").get_text(strip=True) == \
        "Say why the date is being corrected"
    correction["reason"] = "I typed the course date, not the certificate's"
    assert client.post("/account/training", data=correction).status_code == 302
    second = events("training.recorded")[-1]
    assert (second.data["before"], second.data["after"], second.data["reason"]) == (
        f"{year - 1}-05-12", f"{year - 1}-05-21", "I typed the course date, not the certificate's")


def test_hr_corrects_anyones_training_and_nobody_else_can(client):
    two_vacancies(None)
    chair = person(CHAIR)
    login(client, CHAIR)  # a recruiting manager
    assert client.get(f"/hr/people/{chair.id}/training").status_code == 403
    assert client.post(f"/hr/people/{person(MEMBER).id}/training", data={}).status_code == 403
    login(client, HR)
    people = page(client.get("/hr/people"))
    row = people.select_one(f"tr[data-email='{CHAIR}']")
    assert "1 March 2025" in row.get_text(" ", strip=True)
    response = client.post(f"/hr/people/{chair.id}/training", data={
        "trained_on-day": "1", "trained_on-month": "3", "trained_on-year": "2022",
        "reason": "The certificate on file says 2022"})
    assert response.status_code == 302
    assert person(CHAIR).safer_recruitment_trained_on == date(2022, 3, 1)
    event = events("training.recorded")[-1]
    assert event.actor == HR and event.subject == f"user {chair.id}" and event.data["email"] == CHAIR
    # now out of date on both vacancies (3-year refresh): both panels say so
    for reference in ("TST-01", "TST-02"):
        assert "Expired" in training_cell(page(client.get(f"/vacancies/{reference}")), "Chair Person")


def test_the_panel_form_no_longer_asks_the_manager_for_a_date(client):
    load(campaign_dict())
    login(client, CHAIR)
    form = page(client.get("/vacancies/TST-01/setup/panel"))
    assert not form.select("[name^=trained_on]")


def test_the_safeguarding_checks_read_the_persons_training(client):
    data = campaign_dict()
    data["panel"][0]["safer_recruitment_trained_on"] = None  # nobody trained: a safeguarding role is blocked
    load(data)
    make_user(HR, Role.HR_ADMIN)
    vacancy = db.session.scalar(select(Vacancy))
    assert "no_trained_panel_member" in {r.code for r in panel.finalise_refusals(vacancy)}
    login(client, HR)
    client.post(f"/hr/people/{person(MEMBER).id}/training", data={
        "trained_on-day": "1", "trained_on-month": "9", "trained_on-year": str(TODAY.year - 1)})
    vacancy = db.session.scalar(select(Vacancy))
    assert "no_trained_panel_member" not in {r.code for r in panel.finalise_refusals(vacancy)}


def test_the_migration_moves_each_persons_latest_vacancy_date_onto_them(tmp_path):
    from flask_migrate import upgrade

    from shortlist import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}", "SECRET_KEY": "k",
                      "TESTING": True})
    directory = app.extensions["migrate"].directory
    with app.app_context():
        upgrade(directory=directory, revision=PREVIOUS)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO user (id, email, name, role, active, created_at) VALUES "
                              "(1, 'a@example.org', 'A', 'panel_member', 1, '2026-01-01'), "
                              "(2, 'b@example.org', 'B', 'panel_member', 1, '2026-01-01')"))
            for vid in (1, 2):
                conn.execute(text(
                    "INSERT INTO vacancy (id, reference, title, organisation, department, grade, posts, "
                    "closing_date, status, dbs_level, dbs_barred_lists, dbs_regulated_activity, safeguarding_role, "
                    "customer_facing, offer_interview, waiver_policy, declaration_triggers_scheme, scale_min, "
                    "scale_max, scale_met, divergence_gap, scale_descriptors, min_scorers, employment_gap_months, "
                    "created_at, updated_at, setup_confirmations) VALUES "
                    f"({vid}, 'V{vid}', 'T', 'O', '', '', 1, '2026-12-01', 'open', 'none', '[]', 0, 0, 0, 0, 0, 0, "
                    "0, 3, 2, 2, '{}', 2, 3, '2026-01-01', '2026-01-01', '{}')"))
            conn.execute(text("INSERT INTO panel_membership (vacancy_id, user_id, role, "
                              "safer_recruitment_trained_on) VALUES (1, 1, 'chair', '2023-04-01'), "
                              "(2, 1, 'member', '2025-02-03'), (1, 2, 'member', NULL)"))
        upgrade(directory=directory)
        rows = dict(db.session.execute(text("SELECT email, safer_recruitment_trained_on FROM user")).all())
        assert rows == {"a@example.org": "2025-02-03", "b@example.org": None}
        columns = {c["name"] for c in db.inspect(db.engine).get_columns("panel_membership")}
        assert "safer_recruitment_trained_on" not in columns
        db.session.remove()
        db.engine.dispose()


PREVIOUS = "1991538e08f9"  # the revision before training moved onto the person
