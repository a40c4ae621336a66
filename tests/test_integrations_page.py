"""HR's Integrations page (issue 18): a token made in the browser is shown once, works at once
against the API, is listed with its scopes and last use, and stops working when revoked."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import ApiToken, AuditEvent, Role
from tests.app_fixtures import login
from tests.factories import HR, campaign_dict, load, make_user, organisation


def test_hr_makes_a_token_sees_it_once_uses_it_and_revokes_it(client, app):
    make_user(HR, Role.HR_ADMIN)
    load(campaign_dict("INT-01"))
    login(client, HR)
    page = client.get("/integrations/").get_data(as_text=True)
    council = organisation("Example Council")
    assert "No integration has a token yet" in page and f'value="{council.id}"' in page

    refused = client.post("/integrations/", data={"name": "", "organisation": str(council.id)})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Enter the integration&#39;s name" in text and "Select what the integration may do" in text
    assert db.session.scalar(select(ApiToken)) is None

    made = client.post("/integrations/", data={"name": "Trac nightly", "organisation": str(council.id),
                                               "scopes": ["vacancies:read", "decisions:read"]})
    assert made.status_code == 200
    shown = re.search(r"data-token>(slk_[^<]+)<", made.get_data(as_text=True))
    assert shown, "the new token is shown"
    value = shown.group(1)
    again = client.get("/integrations/").get_data(as_text=True)
    assert value not in again and "Trac nightly" in again and "Never" in again  # shown once; never used yet

    api = client.get("/api/v1/vacancies", headers={"Authorization": f"Bearer {value}"})
    assert api.status_code == 200 and api.get_json()["items"][0]["reference"] == "INT-01"
    assert "Never" not in client.get("/integrations/").get_data(as_text=True)  # last use shown

    row = db.session.scalar(select(ApiToken))
    assert client.post(f"/integrations/{row.id}/revoke").status_code == 302
    assert "Revoked" in client.get("/integrations/").get_data(as_text=True)
    assert client.get("/api/v1/vacancies", headers={"Authorization": f"Bearer {value}"}).status_code == 401
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert "api_token.created" in actions and "api_token.revoked" in actions and "api.called" in actions


def test_hr_of_another_organisation_neither_sees_nor_makes_nor_revokes_its_tokens(client, app):
    """Tokens belong to an organisation (issue 17): HR of Other Trust is offered only Other Trust,
    does not see Example Council's token, and neither makes nor revokes one for it (nothing written)."""
    from tests.api_helpers import token

    load(campaign_dict("INT-01"))
    value = token("vacancies:read", name="Council ATS")  # Example Council's, made by its HR
    other = "hr.other@example.org"
    make_user(other, Role.HR_ADMIN, organisations_named=("Other Trust",))
    council, trust = organisation("Example Council").id, organisation("Other Trust").id
    login(client, other)
    page = client.get("/integrations/").get_data(as_text=True)
    assert f'value="{trust}"' in page and f'value="{council}"' not in page and "Council ATS" not in page

    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    refused = client.post("/integrations/", data={"name": "Sneaky", "organisation": str(council),
                                                  "scopes": ["vacancies:read"]})
    assert refused.status_code == 400
    row = db.session.scalar(select(ApiToken))
    assert client.post(f"/integrations/{row.id}/revoke").status_code == 404
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1
    assert db.session.scalar(select(ApiToken)).revoked_at is None
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    # the council's token still reaches the council's vacancy, and only that
    answer = client.get("/api/v1/vacancies", headers={"Authorization": f"Bearer {value}"}).get_json()
    assert [v["reference"] for v in answer["items"]] == ["INT-01"]
