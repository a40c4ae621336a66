"""Helpers for the API's tests: tokens made as HR makes them, and calls with them."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from flask.testing import FlaskClient

from shortlist.models import Role
from shortlist.services import api_tokens
from tests.factories import HR, campaign_dict, make_user
from tests.factories import organisation as organisation_named

ORG = "Example Council"
ALL_SCOPES = tuple(api_tokens.SCOPES)


def token(*scopes: str, organisation: str = ORG, name: str = "Test ATS") -> str:
    """A token HR makes for ``organisation`` (its name or code), HR made its HR administrator."""
    from shortlist.extensions import db
    from shortlist.services import audit, organisations
    from shortlist.services.users import find_by_email

    org = organisation_named(organisation)
    hr = find_by_email(HR) or make_user(HR, Role.HR_ADMIN, organisations_named=(org.name,))
    if organisations.ensure_role(hr.id, org, "hr_admin", audit.CLI):
        db.session.commit()
    _row, value = api_tokens.create(hr, name, org, list(scopes or ALL_SCOPES))
    return value


def auth(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def call(client: FlaskClient, method: str, path: str, value: str | None, json: Any = None, **kwargs: Any) -> Any:
    headers = auth(value) if value else {}
    return client.open("/api/v1" + path, method=method, headers=headers, json=json, **kwargs)


def vacancy_body(reference: str = "API-01", organisation: str = ORG, **vacancy: Any) -> dict[str, Any]:
    """The campaign structure as JSON (dates as text), without applications."""
    data = campaign_dict(reference, organisation=organisation, status="open", **vacancy)
    data.pop("applications")
    data["vacancy"]["closing_date"] = "2026-12-15"
    for member in data["panel"]:
        trained = member.get("safer_recruitment_trained_on")
        member["safer_recruitment_trained_on"] = trained.isoformat() if isinstance(trained, date) else trained
    return copy.deepcopy(data)


def application(external_id: str, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"external_id": external_id, "name": f"Applicant {external_id}",
                            "email": f"{external_id.lower()}@example.net",
                            "evidence": {"K1": "I trained in systemic therapy."}}
    item.update(extra)
    return item
