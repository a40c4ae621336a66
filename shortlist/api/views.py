"""The API's operations: each names the scope it needs (``scope``), checked before anything is
read from the request, so a refused call writes nothing. Every call is counted against its
token's rate limit and, once it has an answer, audited as the integration (api.called)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from shortlist.api import PREFIX, errors, schemas
from shortlist.services import api as service
from shortlist.services import api_tokens
from shortlist.services.api import ApiProblem

bp = Blueprint("api", __name__, url_prefix=PREFIX, description="Shortlist's JSON API")

#: every operation may answer these, in the errors format
COMMON = (400, 401, 403, 404, 422, 429)


def scope(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The view needs a token holding ``name`` (403 otherwise): its access rule, for the
    permissions test, is ``api:<scope>``."""
    if name not in api_tokens.SCOPES:
        raise KeyError(name)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            caller: api_tokens.Caller = g.api_caller
            if not caller.has(name):
                return errors.response(403, [("", f"this token does not hold the {name} scope")])
            return view(*args, **kwargs)

        wrapper.access_rule = f"api:{name}"  # type: ignore[attr-defined]
        return wrapper

    return decorator


def documented(*codes: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The error answers an operation may give, with the errors schema, in the document."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        for code in sorted(set(COMMON) | set(codes)):
            view = bp.alt_response(code, schema=schemas.Errors, description=errors.MESSAGES.get(code, ""))(view)
        return view

    return decorator


@bp.before_request
def _authenticate() -> Any:
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    caller = api_tokens.authenticate(token.strip()) if kind.lower() == "bearer" else None
    if caller is None:
        return errors.response(401, [("Authorization", "send a live token from the Integrations page: "
                                                       "Authorization: Bearer <token>")],
                               {"WWW-Authenticate": "Bearer"})
    g.api_caller = caller
    wait = api_tokens.count_call(caller, int(current_app.config.get("API_RATE_LIMIT", 600)))
    if wait is not None:
        g.api_unaudited = True
        return errors.response(429, [("", f"this token made more than {current_app.config.get('API_RATE_LIMIT', 600)}"
                                          f" calls this minute: wait {wait} seconds")], {"Retry-After": str(wait)})
    return None


@bp.after_request
def _audit(response: Any) -> Any:
    caller = g.get("api_caller")
    if caller is None or g.get("api_unaudited"):
        return response
    api_tokens.record_call(caller, request.method, request.path, response.status_code)
    return response


@bp.errorhandler(ApiProblem)
def _problem(exc: ApiProblem) -> Any:
    return errors.response(exc.status, [(p.path, p.message) for p in exc.problems])


@bp.errorhandler(HTTPException)
def _http(exc: HTTPException) -> Any:
    return errors.from_http_exception(exc)


# --------------------------------------------------------------------------- vacancies


@bp.route("/vacancies", methods=["GET"])
@scope("vacancies:read")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.VacancyPage)
@documented()
def vacancies(cursor: str | None, limit: int) -> Any:
    """The organisation's vacancies, oldest first, a page at a time."""
    return service.list_vacancies(g.api_caller, cursor, limit).as_dict()


@bp.route("/vacancies/<reference>", methods=["GET"])
@scope("vacancies:read")
@bp.response(200, schemas.VacancyStatus)
@documented()
def vacancy(reference: str) -> Any:
    """A vacancy's status and the panel's progress (each scorer's submitted score sheets)."""
    return service.vacancy_status(g.api_caller, reference)


@bp.route("/vacancies/<reference>", methods=["PUT"])
@scope("vacancies:write")
@bp.arguments(schemas.Campaign)
@bp.response(200, schemas.VacancySaved, description="Replaced (it had no applications)")
@bp.alt_response(201, schema=schemas.VacancySaved, description="Created")
@documented(409)
def save_vacancy(body: dict[str, Any], reference: str) -> Any:
    """Create a vacancy from the campaign file's structure (vacancy, criteria, panel, questions),
    validated by the same reader as `shortlist load`, all or nothing; or replace it while it has
    no applications."""
    vacancy, created = service.save_vacancy(g.api_caller, reference, request.get_json(silent=True))
    return {"reference": vacancy.reference, "created": created}, 201 if created else 200


# --------------------------------------------------------------------------- applications


@bp.route("/vacancies/<reference>/applications", methods=["POST"])
@scope("applications:write")
@bp.arguments(schemas.Batch)
@bp.response(200, schemas.BatchResult)
@documented(409)
def add_applications(body: dict[str, Any], reference: str) -> Any:
    """Add up to 500 applications, idempotent by external_id: one the vacancy holds already is
    left as it is ("existing"). All or nothing: a problem anywhere writes none of the batch."""
    raw = request.get_json(silent=True)
    if not isinstance(raw, dict) or set(raw) != {"applications"}:
        raise ApiProblem.one(422, "", 'send {"applications": [...]}: an object with the list of applications only')
    return service.add_applications(g.api_caller, reference, raw["applications"])


@bp.route("/vacancies/<reference>/applications", methods=["GET"])
@scope("vacancies:read")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.ApplicationPage)
@documented()
def applications(reference: str, cursor: str | None, limit: int) -> Any:
    """The vacancy's applications. Sealed data (equality answers, the criminal-record declaration)
    only for a token with sealed:read, and each such read is in the audit log."""
    return service.list_applications(g.api_caller, reference, cursor, limit).as_dict()


@bp.route("/vacancies/<reference>/applications/<application_reference>/withdrawal", methods=["POST"])
@scope("applications:write")
@bp.arguments(schemas.Withdrawal)
@bp.response(200, schemas.ApplicationOut)
@documented()
def withdraw(body: Any, reference: str, application_reference: str) -> Any:
    """Record that the applicant withdrew (the application stays, marked; the webhooks hear
    application.withdrawn). Recording it again changes nothing."""
    return service.withdraw(g.api_caller, reference, application_reference, request.get_json(silent=True))


# --------------------------------------------------------------------------- decisions and outcomes


@bp.route("/vacancies/<reference>/recommendations", methods=["GET"])
@scope("decisions:read")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.RecommendationPage)
@documented()
def recommendations(reference: str, cursor: str | None, limit: int) -> Any:
    """The rules engine's shortlisting recommendation for each application, with its reasons."""
    return service.recommendations(g.api_caller, reference, cursor, limit).as_dict()


@bp.route("/vacancies/<reference>/decisions", methods=["GET"])
@scope("decisions:read")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.DecisionPage)
@documented()
def decisions(reference: str, cursor: str | None, limit: int) -> Any:
    """The shortlisting decisions the panel's chair (or HR) recorded, with their reasons."""
    return service.decisions(g.api_caller, reference, "shortlisting", cursor, limit).as_dict()


@bp.route("/vacancies/<reference>/interview-outcomes", methods=["GET"])
@scope("outcomes:read")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.DecisionPage)
@documented()
def interview_outcomes(reference: str, cursor: str | None, limit: int) -> Any:
    """The interview outcomes recorded: appoint, reserve or not appointed, with their reasons."""
    return service.decisions(g.api_caller, reference, "interview", cursor, limit).as_dict()


# --------------------------------------------------------------------------- webhooks


@bp.route("/webhooks", methods=["GET"])
@scope("webhooks:manage")
@bp.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.WebhookPage)
@documented()
def webhooks(cursor: str | None, limit: int) -> Any:
    """The organisation's webhooks."""
    return service.list_webhooks(g.api_caller, cursor, limit).as_dict()


@bp.route("/webhooks", methods=["POST"])
@scope("webhooks:manage")
@bp.arguments(schemas.WebhookIn)
@bp.response(201, schemas.WebhookMade)
@documented()
def add_webhook(body: Any) -> Any:
    """Register a webhook, on a host HR registered for the organisation on the Integrations page.
    The answer holds its signing secret, shown this once."""
    return service.add_webhook(g.api_caller, request.get_json(silent=True)), 201


@bp.route("/webhooks/<int:webhook_id>", methods=["DELETE"])
@scope("webhooks:manage")
@bp.response(204)
@documented()
def remove_webhook(webhook_id: int) -> Any:
    """Remove a webhook: nothing more is sent to it."""
    service.remove_webhook(g.api_caller, webhook_id)
    return "", 204
