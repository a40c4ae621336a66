"""The JSON API (issue 18): every operation for every scope, refused calls writing nothing,
vacancies from the campaign structure with the campaign reader's errors, batches idempotent by
external_id, sealed data returned only to sealed:read, cursor pagination, 401/403/404/429, and
every call audited as the integration."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import ApiToken, Application, AuditEvent, Role, Vacancy, WebhookEndpoint
from shortlist.services import api_tokens
from tests.api_helpers import ALL_SCOPES, application, call, token, vacancy_body
from tests.factories import campaign_dict, load


def count(model) -> int:  # noqa: ANN001
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def events(action: str) -> list[AuditEvent]:
    db.session.remove()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


@pytest.fixture
def open_vacancy(app):
    """API-01, open, with one application (W1) and a webhook host HR registered (ats.example.org)."""
    from shortlist.services import audit, webhooks
    from shortlist.services.users import find_by_email
    from tests.factories import HR, make_user, organisation

    vacancy = load(campaign_dict("API-01", status="open") | {"applications": [{"reference": "W1", "name": "W One"}]})
    hr = find_by_email(HR) or make_user(HR, Role.HR_ADMIN)
    webhooks.register(organisation("Example Council"), "https://ats.example.org/hr", ["shortlist.finalised"], audit.Actor.of(hr),
                      user=hr)
    return vacancy


# every operation: (method, path, body, the scope it needs)
OPERATIONS = [
    ("GET", "/vacancies", None, "vacancies:read"),
    ("GET", "/vacancies/API-01", None, "vacancies:read"),
    ("PUT", "/vacancies/API-02", vacancy_body("API-02"), "vacancies:write"),
    ("GET", "/vacancies/API-01/applications", None, "vacancies:read"),
    ("POST", "/vacancies/API-01/applications", {"applications": [application("X1")]}, "applications:write"),
    ("GET", "/vacancies/API-01/recommendations", None, "decisions:read"),
    ("GET", "/vacancies/API-01/decisions", None, "decisions:read"),
    ("GET", "/vacancies/API-01/interview-outcomes", None, "outcomes:read"),
    ("POST", "/vacancies/API-01/applications/W1/withdrawal", {"reason": "Took another post"}, "applications:write"),
    ("GET", "/webhooks", None, "webhooks:manage"),
    ("POST", "/webhooks", {"url": "https://ats.example.org/events", "events": ["decision.changed"]},
     "webhooks:manage"),
    ("DELETE", "/webhooks/1", None, "webhooks:manage"),
]


@pytest.mark.parametrize("method,path,body,needed", OPERATIONS, ids=[f"{m} {p}" for m, p, _b, _n in OPERATIONS])
@pytest.mark.parametrize("held", ALL_SCOPES)
def test_every_operation_for_every_scope(client, open_vacancy, method, path, body, needed, held):
    value = token(held)
    def state() -> tuple[object, ...]:
        db.session.remove()
        withdrawn = db.session.scalar(select(Application.withdrawn_at).where(Application.reference == "W1"))
        hooks = [(w.id, w.removed_at) for w in db.session.scalars(select(WebhookEndpoint))]
        return count(Vacancy), count(Application), withdrawn, hooks

    before = state()
    response = call(client, method, path, value, json=body)
    if held == needed:
        assert response.status_code in (200, 201, 204), response.get_json()
        assert state() != before or method == "GET"
    else:
        assert response.status_code == 403
        assert response.get_json()["errors"][0]["message"] == f"this token does not hold the {needed} scope"
        assert state() == before  # a refused call writes nothing
    audited = events("api.called")[-1]
    assert audited.actor.startswith("integration Test ATS") and audited.data["status"] == response.status_code
    assert audited.data["method"] == method and audited.data["path"] == "/api/v1" + path


def test_no_token_a_wrong_token_and_a_revoked_token_are_401(client, open_vacancy):
    assert call(client, "GET", "/vacancies", None).status_code == 401
    response = call(client, "GET", "/vacancies", "slk_not-a-token")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    value = token("vacancies:read")
    assert call(client, "GET", "/vacancies", value).status_code == 200
    row = db.session.scalar(select(ApiToken))
    from shortlist.services.users import find_by_email
    from tests.factories import HR

    api_tokens.revoke(find_by_email(HR), row.id)
    assert call(client, "GET", "/vacancies", value).status_code == 401


def test_tokens_are_stored_hashed_and_last_use_is_noted(client, open_vacancy):
    value = token("vacancies:read")
    row = db.session.scalar(select(ApiToken))
    assert value not in (row.token_hash, row.prefix) and row.token_hash == api_tokens.digest(value)
    assert row.last_used_at is None
    call(client, "GET", "/vacancies", value)
    db.session.remove()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None


def test_another_organisations_vacancies_are_not_found(client, open_vacancy):
    load(campaign_dict("OTHER-01", organisation="Other Trust", status="open") | {"applications": []})
    value = token(*ALL_SCOPES)
    listed = call(client, "GET", "/vacancies", value).get_json()
    assert [v["reference"] for v in listed["items"]] == ["API-01"]
    assert call(client, "GET", "/vacancies/OTHER-01", value).status_code == 404
    response = call(client, "POST", "/vacancies/OTHER-01/applications", value,
                    json={"applications": [application("X1")]})
    assert response.status_code == 404 and count(Application) == 1
    # nor can it be made for another organisation, or take another organisation's reference
    response = call(client, "PUT", "/vacancies/NEW-01", value, json=vacancy_body("NEW-01", "Other Trust"))
    assert response.status_code == 422
    assert {"path": "vacancy.organisation", "message": "this token is for 'Example Council' (EC), so the vacancy "
            "must be too"} in response.get_json()["errors"]
    response = call(client, "PUT", "/vacancies/OTHER-01", value, json=vacancy_body("OTHER-01"))
    assert response.status_code == 409


def test_a_vacancy_from_the_campaign_structure_all_or_nothing_with_field_paths(client, app):
    value = token("vacancies:write", "vacancies:read")
    body = vacancy_body("API-02")
    body["vacancy"]["closing_date"] = "15/12/2026"
    body["criteria"][0]["methods"] = ["AF", "ZZ"]
    body["vacancy"]["surprise"] = True
    response = call(client, "PUT", "/vacancies/API-02", value, json=body)
    assert response.status_code == 422
    paths = {e["path"] for e in response.get_json()["errors"]}
    assert {"vacancy.closing_date", "vacancy.surprise", "criteria[0].methods[1]"} <= paths, paths
    assert count(Vacancy) == 0

    response = call(client, "PUT", "/vacancies/API-02", value, json=vacancy_body("API-02"))
    assert response.status_code == 201 and response.get_json() == {"reference": "API-02", "created": True}
    changed = vacancy_body("API-02", title="Senior Family Therapist")
    response = call(client, "PUT", "/vacancies/API-02", value, json=changed)
    assert response.status_code == 200 and response.get_json()["created"] is False
    status = call(client, "GET", "/vacancies/API-02", value).get_json()
    assert status["title"] == "Senior Family Therapist" and status["status"] == "open"
    assert [p["name"] for p in status["panel_progress"]] == ["Chair Person", "Member Person", "Other Person"]
    loaded = events("campaign.loaded")
    assert [e.actor for e in loaded] == ["integration Test ATS (token 1)"] * 2

    # once it has applications it is not replaced
    call(client, "POST", "/vacancies/API-02/applications", token("applications:write"),
         json={"applications": [application("X1")]})
    response = call(client, "PUT", "/vacancies/API-02", value, json=changed)
    assert response.status_code == 409 and "has 1 application(s)" in response.get_json()["errors"][0]["message"]


def test_batches_are_idempotent_by_external_id(client, open_vacancy):
    value = token("applications:write", "vacancies:read")
    batch = {"applications": [application("ATS-1"), application("ATS-2", reference="R-2"),
                              application("ATS-3", armed_forces={"discharge_due": "2027-01-10"})]}
    first = call(client, "POST", "/vacancies/API-01/applications", value, json=batch)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["created"] == 3 and first.get_json()["existing"] == 0
    again = call(client, "POST", "/vacancies/API-01/applications", value, json=batch)
    assert again.get_json()["created"] == 0 and again.get_json()["existing"] == 3
    assert [a["result"] for a in again.get_json()["applications"]] == ["existing"] * 3
    assert count(Application) == 4  # and W1, from the campaign
    refs = {a.external_id: a.reference for a in db.session.scalars(select(Application))}
    assert refs == {None: "W1", "ATS-1": "ATS-1", "ATS-2": "R-2", "ATS-3": "ATS-3"}
    assert len(events("applications.imported")) == 1


def test_a_batch_with_any_problem_writes_nothing(client, open_vacancy):
    value = token("applications:write")
    batch = {"applications": [
        application("ATS-1"),
        application("ATS-2", evidence={"NOPE": "x"}),
        application("ATS-1"),
        {"name": "No id"},
        application("ATS-5", scores={"shortlisting": {"chair@example.org": {"K1": 2}}}),
        application("ATS-6", armed_forces={"left_on": "2025-01-01"}),
        application("ATS-7", disability_declared=True, unmet_due_to_disability=[{}]),  # found by schemathesis: a 500
    ]}
    response = call(client, "POST", "/vacancies/API-01/applications", value, json=batch)
    assert response.status_code == 422
    paths = {e["path"] for e in response.get_json()["errors"]}
    assert {"applications[1].evidence.NOPE", "applications[2].external_id", "applications[3].external_id",
            "applications[4].scores", "applications[5].armed_forces.last_long_term_employer",
            "applications[6].unmet_due_to_disability[0]"} <= paths, paths
    assert count(Application) == 1  # W1 only


def test_sealed_data_is_written_but_returned_only_to_sealed_read(client, open_vacancy):
    writer = token("applications:write")
    sealed = {"equality_monitoring": {"ethnicity": "Prefer not to say"},
              "criminal_record_declaration": {"unspent_convictions": True, "details": "2019 caution"}}
    call(client, "POST", "/vacancies/API-01/applications", writer, json={"applications": [application("S1", **sealed)]})
    plain = call(client, "GET", "/vacancies/API-01/applications", token("vacancies:read")).get_json()["items"][1]
    assert "equality_monitoring" not in plain and "criminal_record_declaration" not in plain
    assert plain["external_id"] == "S1"
    hr = call(client, "GET", "/vacancies/API-01/applications",
              token("vacancies:read", "sealed:read", name="HR system")).get_json()["items"][1]
    assert hr["equality_monitoring"] == {"ethnicity": "Prefer not to say"}
    assert hr["criminal_record_declaration"] == {"unspent_convictions": True, "details": "2019 caution"}
    viewed = events("sealed.viewed")
    assert len(viewed) == 1 and viewed[0].actor.startswith("integration HR system")


def test_every_list_pages_by_cursor(client, open_vacancy):
    value = token("applications:write", "vacancies:read", "decisions:read")
    call(client, "POST", "/vacancies/API-01/applications", value,
         json={"applications": [application(f"P{i:02d}") for i in range(7)]})
    for path in ("/vacancies/API-01/applications", "/vacancies/API-01/recommendations"):
        seen, cursor = [], None
        for _ in range(10):
            page = call(client, "GET", path + f"?limit=3{'&cursor=' + cursor if cursor else ''}", value).get_json()
            seen += [i["reference"] for i in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == ["W1"] + [f"P{i:02d}" for i in range(7)], path
    bad = call(client, "GET", "/vacancies/API-01/applications?cursor=nonsense", value)
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["path"] == "cursor"
    assert call(client, "GET", "/vacancies?limit=0", value).status_code == 422


def test_recommendations_decisions_and_outcomes_read_back(client, app):
    load(campaign_dict("API-01"))  # A001 scored by two members
    value = token("decisions:read", "outcomes:read")
    recs = call(client, "GET", "/vacancies/API-01/recommendations", value).get_json()["items"]
    assert recs[0]["reference"] == "A001" and recs[0]["outcome"] and isinstance(recs[0]["reasons"], list)
    assert all({"code", "criterion", "message"} == set(r) for r in recs[0]["reasons"])
    assert call(client, "GET", "/vacancies/API-01/decisions", value).get_json() == {"items": [], "next_cursor": None}
    assert call(client, "GET", "/vacancies/API-01/interview-outcomes", value).status_code == 200


def test_calls_over_the_rate_limit_get_429_with_retry_after(client, app, open_vacancy):
    value = token("vacancies:read")
    app.config["API_RATE_LIMIT"] = 3
    try:
        codes = [call(client, "GET", "/vacancies", value).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        refused = call(client, "GET", "/vacancies", value)
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        # another token has its own window
        assert call(client, "GET", "/vacancies", token("vacancies:read", name="Other")).status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = 600


def test_errors_are_json_even_for_urls_the_api_does_not_have(client, app):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404 and response.get_json() == {"errors": [{"path": "", "message": "not found"}]}
    assert client.delete("/api/v1/vacancies", headers={"Authorization": "Bearer x"}).status_code == 405
    assert client.get("/no-such-page").content_type.startswith("text/html")


def test_the_document_is_openapi_3_1_and_the_docs_page_lists_every_operation(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    operations = [(m.upper(), p) for p, ms in document["paths"].items() for m in ms if m != "parameters"]
    assert len(operations) == len(OPERATIONS)
    page = client.get("/api/v1/docs").get_data(as_text=True)
    for method, path in operations:
        assert f"{method} {path}" in page
    assert "Scope: <code>applications:write</code>" in page
