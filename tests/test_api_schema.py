"""schemathesis against the served OpenAPI document (issue 18): property-based requests to every
operation, with a token holding every scope, on a vacancy with applications. No answer may be a
500, and every answer must match the document: its status, content type and schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api_helpers import ALL_SCOPES, auth, token
from tests.factories import campaign_dict, load


def _served_document() -> dict:
    """The document as the app serves it (an app of its own: the suite's is a fixture, made later)."""
    from shortlist import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "document-only-" + "x" * 32})
    return app.test_client().get("/api/v1/openapi.json").get_json()


schema = schemathesis.openapi.from_dict(_served_document())


@pytest.fixture
def world(app):
    load(campaign_dict("API-01", organisation="Example Council"))
    app.config["API_RATE_LIMIT"] = 100_000
    yield auth(token(*ALL_SCOPES))
    app.config["API_RATE_LIMIT"] = 600


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_every_operation_answers_by_its_schema(case, world, app):
    from shortlist.extensions import db

    if "reference" in (case.path_parameters or {}):
        case.path_parameters["reference"] = "API-01"  # the vacancy that exists, so answers carry data
    db.session.remove()  # each call starts as in production: a fresh session
    case.call_and_validate(app=app, headers=world, checks=[not_a_server_error, status_code_conformance,
                                                  content_type_conformance, response_schema_conformance])
