"""Organisations (issue 17): a vacancy belongs to one; HR of one organisation see, act on and
audit its vacancies only (a shared HR service may hold roles in several); a system
administrator creates organisations; campaign files name theirs by code (or, written before
codes, by name); the migration carries existing vacancies over, one organisation per name."""

from __future__ import annotations

import csv
import io
import time

import pytest
from sqlalchemy import func, select, text

from shortlist.extensions import db
from shortlist.messages import catalogue
from shortlist.models import AuditEvent, Organisation, OrganisationRole, User, Vacancy
from shortlist.services import audit, organisations, outbox
from shortlist.services.campaigns import CampaignExists  # noqa: F401 - the loader's own refusal stays
from shortlist.campaign_format import CampaignError
from tests.app_fixtures import login
from tests.factories import campaign_dict, load, make_user, to_yaml

KENT_HR = "hr.kent@example.org"
LEWISHAM_HR = "hr.lewisham@example.org"
SHARED_HR = "hr.shared@example.org"  # HR administrator of Kent, HR adviser of Lewisham
ADMIN = "admin@example.org"


@pytest.fixture
def two_employers() -> None:
    organisations.create(audit.CLI, "Kent County Council", "KCC", "kent.gov.uk")
    organisations.create(audit.CLI, "London Borough of Lewisham", "LBL", "lewisham.gov.uk", 12)
    load(campaign_dict("KCC-01", organisation="KCC"))
    load(campaign_dict("LBL-01", organisation="LBL", recruiting_manager="boss.lbl@example.org"))
    make_user(KENT_HR, "hr_admin", organisations_named=("Kent County Council",))
    make_user(LEWISHAM_HR, "hr_admin", organisations_named=("London Borough of Lewisham",))
    make_user(SHARED_HR, "hr_admin", organisations_named=("Kent County Council",))
    make_user(SHARED_HR, "hr_adviser", organisations_named=("London Borough of Lewisham",))


def _text(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


def test_hr_see_their_own_organisations_vacancies_only(client, two_employers):
    login(client, KENT_HR)
    page = _text(client.get("/vacancies"))
    assert "KCC-01" in page and "LBL-01" not in page
    assert client.get("/vacancies/LBL-01").status_code == 404
    assert client.get("/vacancies/KCC-01/decisions").status_code == 200
    login(client, LEWISHAM_HR)
    assert client.get("/vacancies/KCC-01").status_code == 404
    assert client.get("/vacancies/LBL-01/decisions").status_code == 200


def test_a_shared_service_sees_both_and_acts_only_where_it_is_hr_administrator(client, two_employers):
    login(client, SHARED_HR)
    page = _text(client.get("/vacancies"))
    assert "KCC-01" in page and "LBL-01" in page
    # an adviser of Lewisham sees the vacancy and its recommendations, and does not act as HR on it
    assert client.get("/vacancies/LBL-01").status_code == 200
    assert client.get("/vacancies/LBL-01/candidates").status_code == 200
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert client.post("/vacancies/LBL-01/close-applications", data={"reason": "Enough applications"}
                       ).status_code == 403
    assert client.get("/vacancies/LBL-01/decisions").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert client.get("/vacancies/KCC-01/decisions").status_code == 200


def test_the_audit_log_and_its_export_hold_the_organisations_own_events(client, two_employers):
    login(client, KENT_HR)
    page = _text(client.get("/audit/"))
    assert "KCC-01" in page and "LBL-01" not in page
    rows = list(csv.DictReader(io.StringIO(_text(client.get("/audit/export.csv")))))
    assert {r["vacancy"] for r in rows} <= {"KCC-01", ""}
    assert any(r["vacancy"] == "KCC-01" for r in rows)
    # the Lewisham HR's log: its vacancy, and its HR's role there; nothing of Kent's
    login(client, LEWISHAM_HR)
    rows = list(csv.DictReader(io.StringIO(_text(client.get("/audit/export.csv")))))
    assert "KCC-01" not in {r["vacancy"] for r in rows} and any(r["vacancy"] == "LBL-01" for r in rows)
    assert not any(KENT_HR in r["data"] for r in rows)
    # the one chain still verifies, every organisation's rows in it
    assert audit.verify() is None


def test_reports_and_the_outbox_cover_the_organisations_own_vacancies(client, two_employers):
    for reference in ("KCC-01", "LBL-01"):
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
        person = db.session.scalar(select(User).where(User.email == KENT_HR))
        outbox.queue("scoring_open", outbox.to_user(person),
                     catalogue.sample_context(catalogue.kind("scoring_open")), actor=audit.CLI, vacancy=vacancy)
        db.session.commit()
    kent, lewisham = (db.session.scalar(select(Vacancy.id).where(Vacancy.reference == r)) for r in ("KCC-01", "LBL-01"))
    ids = {m.vacancy_id: m.id for m in outbox.messages()}
    login(client, KENT_HR)
    report = _text(client.get("/hr/reports/disability-confident"))
    assert "KCC-01" in report and "LBL-01" not in report
    assert client.get("/hr/reports/disability-confident?vacancy=LBL-01").status_code == 404
    assert client.get(f"/hr/outbox/{ids[kent]}").status_code == 200
    assert client.get(f"/hr/outbox/{ids[lewisham]}").status_code == 404
    assert client.post(f"/hr/outbox/{ids[lewisham]}/cancel").status_code == 404
    templates = _text(client.get("/hr/templates/"))
    assert "Kent County Council" in templates and "Lewisham" not in templates
    assert client.get("/hr/templates/scoring_open?organisation=London Borough of Lewisham").status_code == 404


def test_hr_change_only_their_own_peoples_training(client, two_employers):
    boss = db.session.scalar(select(User).where(User.email == "boss.lbl@example.org"))
    login(client, KENT_HR)
    assert client.get(f"/hr/people/{boss.id}/training").status_code == 404
    assert "boss.lbl@example.org" not in _text(client.get("/hr/people"))
    login(client, LEWISHAM_HR)
    assert client.get(f"/hr/people/{boss.id}/training").status_code == 200


def test_a_vacancy_is_created_for_one_of_the_persons_organisations(client, two_employers):
    login(client, KENT_HR)
    form = _text(client.get("/vacancies/new"))
    assert 'value="KCC"' in form and 'value="LBL"' not in form
    data = {"reference": "NEW-9", "title": "Therapist", "posts": "1", "closing_date": ["1", "3", "2027"]}
    assert client.post("/vacancies/new", data={**data, "organisation": "LBL"}).status_code == 200
    assert db.session.scalar(select(Vacancy).where(Vacancy.reference == "NEW-9")) is None
    assert client.post("/vacancies/new", data={**data, "organisation": "KCC"}).status_code == 302
    created = db.session.scalar(select(Vacancy).where(Vacancy.reference == "NEW-9"))
    assert created.org.code == "KCC" and created.recruiting_manager_id is None


def test_an_organisations_retention_default_applies_to_its_vacancies(two_employers):
    from shortlist.services import sealed

    lewisham = db.session.scalar(select(Vacancy).where(Vacancy.reference == "LBL-01"))
    kent = db.session.scalar(select(Vacancy).where(Vacancy.reference == "KCC-01"))
    assert sealed.policy_for(lewisham).retention_months == 12
    assert sealed.policy_for(kent).retention_months == 6


# --------------------------------------------------------------------------- the system administrator


def test_a_system_administrator_creates_an_organisation_and_problems_are_named(client):
    make_user(ADMIN, system_admin=True)
    make_user(KENT_HR, "hr_admin")
    login(client, KENT_HR)
    assert client.get("/organisations/").status_code == 403
    login(client, ADMIN)
    assert client.get("/organisations/").status_code == 200
    refused = client.post("/organisations/", data={"name": "", "code": "kc c", "email_domains": "not a domain",
                                                    "retention_months": "99"})
    assert refused.status_code == 400
    page = _text(refused)
    for message in ("Enter the organisation’s name", "The code must be 2 to 20 capital letters",
                    "These are not e-mail domains: not, a, domain", "from 1 to 72"):
        assert message in page
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1  # Example Council only
    made = client.post("/organisations/", data={"name": "Kent County Council", "code": "kcc",
                                                "email_domains": "kent.gov.uk\n@KENT.gov.uk, medway.gov.uk",
                                                "retention_months": "9"})
    assert made.status_code == 302
    kent = organisations.by_code("KCC")
    assert (kent.name, kent.email_domains, kent.retention_months) == (
        "Kent County Council", ["kent.gov.uk", "medway.gov.uk"], 9)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "organisation.created")
                               .order_by(AuditEvent.seq.desc())).first()
    assert event.actor == ADMIN and event.data["code"] == "KCC" and event.organisation_id == kent.id
    again = client.post("/organisations/", data={"name": "kent county council", "code": "KCC"})
    assert "already exists" in _text(again) and "already used" in _text(again)


# --------------------------------------------------------------------------- campaign files


def test_campaign_files_name_the_organisation_by_code_or_by_their_old_name(runner, tmp_path):
    organisations.create(audit.CLI, "Kent County Council", "KCC")
    by_code = tmp_path / "a.yaml"
    by_code.write_text(to_yaml(campaign_dict("A-1", organisation="KCC")))
    by_name = tmp_path / "b.yaml"
    by_name.write_text(to_yaml(campaign_dict("B-1", organisation="kent county council")))
    new_name = tmp_path / "c.yaml"
    new_name.write_text(to_yaml(campaign_dict("C-1", organisation="London Borough of Lewisham")))
    for path in (by_code, by_name, new_name):
        result = runner.invoke(args=["load", str(path)])
        assert result.exit_code == 0, result.output
    codes = dict(db.session.execute(select(Vacancy.reference, Organisation.code).join(Vacancy.org)).all())
    assert codes == {"A-1": "KCC", "B-1": "KCC", "C-1": "LBL"}
    exported = runner.invoke(args=["export", "B-1"])
    assert "organisation: KCC" in exported.output


def test_an_unknown_code_or_an_ambiguous_name_is_refused_and_nothing_is_loaded(runner, tmp_path):
    organisations.create(audit.CLI, "Kent County Council", "KCC")
    organisations.create(audit.CLI, "KCS", "KCS1")  # a name that is another organisation's code
    organisations.create(audit.CLI, "Kent Community Services", "KCS")
    unknown = tmp_path / "u.yaml"
    unknown.write_text(to_yaml(campaign_dict("U-1", organisation="NOPE")))
    result = runner.invoke(args=["load", str(unknown)])
    assert result.exit_code != 0
    assert "vacancy.organisation: no organisation has the code NOPE (codes: KCS1, KCS, KCC)" in result.output
    ambiguous = tmp_path / "a.yaml"
    ambiguous.write_text(to_yaml(campaign_dict("A-1", organisation="KCS")))
    result = runner.invoke(args=["load", str(ambiguous)])
    assert result.exit_code != 0 and "name the organisation by its code" in result.output
    assert db.session.scalar(select(func.count()).select_from(Vacancy)) == 0
    with pytest.raises(CampaignError):
        load(campaign_dict("X-1", organisation="ZZZ"))


def test_create_user_needs_the_organisation_when_there_are_several(runner):
    organisations.create(audit.CLI, "Kent County Council", "KCC")
    organisations.create(audit.CLI, "London Borough of Lewisham", "LBL")
    args = ["create-user", "new.hr@example.org", "--name", "New HR", "--role", "hr_admin",
            "--password", "a-long-enough-passphrase"]
    refused = runner.invoke(args=args)
    assert refused.exit_code != 0 and "--organisation: name the organisation" in refused.output
    assert runner.invoke(args=[*args, "--organisation", "XYZ"]).exit_code != 0
    made = runner.invoke(args=[*args, "--organisation", "LBL", "--organisation", "kcc"])
    assert made.exit_code == 0, made.output
    person = db.session.scalar(select(User).where(User.email == "new.hr@example.org"))
    assert person.role == "hr_admin"
    assert sorted((r.organisation.code, r.role) for r in person.organisation_roles) == [
        ("KCC", "hr_admin"), ("LBL", "hr_admin")]


# --------------------------------------------------------------------------- the migration

BEFORE = "f3c7a9e2d5b1"  # the revision before organisations


def _insert_vacancy(conn, vid: int, organisation: str, manager: int | None) -> None:  # noqa: ANN001
    conn.execute(text(
        "INSERT INTO vacancy (id, reference, title, organisation, department, grade, posts, "
        "closing_date, status, recruiting_manager_id, dbs_level, dbs_barred_lists, dbs_regulated_activity, "
        "safeguarding_role, customer_facing, offer_interview, waiver_policy, declaration_triggers_scheme, "
        "armed_forces_scheme, scale_min, scale_max, scale_met, divergence_gap, scale_descriptors, min_scorers, "
        "employment_gap_months, created_at, updated_at, setup_confirmations) VALUES "
        "(:id, :ref, 'T', :org, '', '', 1, '2026-12-01', 'open', :manager, 'none', '[]', false, false, false, "
        "false, false, false, false, 0, 3, 2, 2, '{}', 2, 3, '2026-01-01', '2026-01-01', '{}')"),
        {"id": vid, "ref": f"V{vid}", "org": organisation, "manager": manager})


def test_the_migration_makes_one_organisation_per_name_and_keeps_everyone_seeing_what_they_saw(tmp_path):
    from flask_migrate import downgrade, upgrade

    from shortlist import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}", "SECRET_KEY": "k",
                      "TESTING": True})
    directory = app.extensions["migrate"].directory
    with app.app_context():
        upgrade(directory=directory, revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO user (id, email, name, role, active, created_at) VALUES "
                              "(1, 'hr@example.org', 'H', 'hr_admin', true, '2026-01-01'), "
                              "(2, 'm1@example.org', 'M', 'recruiting_manager', true, '2026-01-01'), "
                              "(3, 'm2@example.org', 'N', 'recruiting_manager', true, '2026-01-01'), "
                              "(4, 'p@example.org', 'P', 'panel_member', true, '2026-01-01')"))
            _insert_vacancy(conn, 1, "Kent County Council", 2)
            _insert_vacancy(conn, 2, "Kent County Council", None)
            _insert_vacancy(conn, 3, "London Borough of Lewisham", None)
            _insert_vacancy(conn, 4, "Kent Children's Trust", None)
        started = time.perf_counter()
        upgrade(directory=directory)
        assert time.perf_counter() - started < 30
        found = dict(db.session.execute(text("SELECT name, code FROM organisation")).all())
        assert found == {"Kent County Council": "KCC", "London Borough of Lewisham": "LBL",
                         "Kent Children's Trust": "KCT"}
        by_vacancy = dict(db.session.execute(text(
            "SELECT vacancy.reference, organisation.code FROM vacancy JOIN organisation "
            "ON organisation.id = vacancy.organisation_id")).all())
        assert by_vacancy == {"V1": "KCC", "V2": "KCC", "V3": "LBL", "V4": "KCT"}
        roles = sorted(db.session.execute(text(
            "SELECT organisation_role.user_id, organisation.code, organisation_role.role FROM organisation_role "
            "JOIN organisation ON organisation.id = organisation_role.organisation_id")).all())
        assert roles == [(1, "KCC", "hr_admin"), (1, "KCT", "hr_admin"), (1, "LBL", "hr_admin"),
                         (2, "KCC", "recruiting_manager"), (3, "KCC", "recruiting_manager"),
                         (3, "KCT", "recruiting_manager"), (3, "LBL", "recruiting_manager")]
        downgrade(directory=directory, revision=BEFORE)
        back = dict(db.session.execute(text("SELECT reference, organisation FROM vacancy")).all())
        assert back == {"V1": "Kent County Council", "V2": "Kent County Council",
                        "V3": "London Borough of Lewisham", "V4": "Kent Children's Trust"}
        db.session.remove()
        db.engine.dispose()


def test_role_records_name_the_organisation(two_employers):
    person = db.session.scalar(select(User).where(User.email == SHARED_HR))
    assert sorted((r.organisation.code, r.role) for r in person.organisation_roles) == [
        ("KCC", "hr_admin"), ("LBL", "hr_adviser")]
    assert db.session.scalar(select(func.count()).select_from(OrganisationRole)
                             .where(OrganisationRole.user_id == person.id)) == 2
