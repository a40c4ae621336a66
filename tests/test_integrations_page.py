"""HR's Integrations page (issue 18): a token made in the browser is shown once, works at once
against the API, is listed with its scopes and last use, and stops working when revoked."""

from __future__ import annotations

import re

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import ApiToken, AuditEvent, Role
from tests.conftest import login
from tests.factories import HR, campaign_dict, load, make_user


def test_hr_makes_a_token_sees_it_once_uses_it_and_revokes_it(client, app):
    make_user(HR, Role.HR_ADMIN)
    load(campaign_dict("INT-01"))
    login(client, HR)
    page = client.get("/integrations/").get_data(as_text=True)
    assert "No integration has a token yet" in page and 'value="Example Council"' in page

    refused = client.post("/integrations/", data={"name": "", "organisation": "Example Council"})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Enter the integration&#39;s name" in text and "Select what the integration may do" in text
    assert db.session.scalar(select(ApiToken)) is None

    made = client.post("/integrations/", data={"name": "Trac nightly", "organisation": "Example Council",
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
