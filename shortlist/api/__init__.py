"""The JSON API, ``/api/v1`` (issue 18): flask-smorest views over marshmallow schemas, its OpenAPI
3.1 document generated from them and served at ``/api/v1/openapi.json``, with a readable page at
``/api/v1/docs``. Why flask-smorest: docs/api.md."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api

PREFIX = "/api/v1"


class ShortlistApi(Api):  # type: ignore[misc]
    """flask-smorest's Api, without its app-wide error handler: the app's pages keep their HTML
    error pages, and the API's errors are JSON (shortlist.api.errors, chosen by the path). Those
    have one schema (Errors), documented on each operation, so there is no "default" answer."""

    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        return None


api = ShortlistApi()


def init_app(app: Flask) -> None:
    from shortlist.api import views
    from shortlist.extensions import csrf

    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    spec: dict[str, Any] = {
        "title": "Shortlist API", "version": "1", "openapi_version": "3.1.0",
        "info": {"description": "Vacancies, applications, recommendations and decisions for an "
                                "organisation's integrations. Authenticate with a token from the "
                                "Integrations page: `Authorization: Bearer <token>`."},
        "servers": [{"url": "/"}],
        "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        "security": [{"token": []}],
    }
    api.init_app(app, spec_kwargs=spec)
    api.register_blueprint(views.bp)
    csrf.exempt(views.bp)
    from shortlist.permissions import public

    # the document is public (it says what the API does, not what it holds)
    served = app.view_functions["api-docs.openapi_json"]

    def openapi_json() -> Any:
        return served()

    app.view_functions["api-docs.openapi_json"] = public(openapi_json)
