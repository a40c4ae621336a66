"""The API's errors: JSON, every problem with its field path, never an HTML page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response, jsonify, request

from shortlist.api import PREFIX

MESSAGES = {
    400: "the request is not valid JSON",
    401: "send a token from the Integrations page: Authorization: Bearer <token>",
    403: "this token does not hold the scope this operation needs",
    404: "not found",
    405: "this method is not allowed here",
    409: "this conflicts with what Shortlist holds",
    413: "the request is too large",
    415: "send JSON (Content-Type: application/json)",
    422: "the request is not valid",
    429: "too many calls: wait for Retry-After seconds",
    500: "something went wrong in Shortlist; nothing was written",
}


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def response(status: int, problems: Iterable[tuple[str, str]] | None = None,
             headers: dict[str, str] | None = None) -> Response:
    items = [{"path": path, "message": message} for path, message in (problems or ())]
    if not items:
        items = [{"path": "", "message": MESSAGES.get(status, "error")}]
    out = jsonify({"errors": items})
    out.status_code = status
    for name, value in (headers or {}).items():
        out.headers[name] = value
    return out


def _flatten(messages: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """webargs' nested messages ({"json": {"applications": {"0": {"name": ["..."]}}}}) as
    (field path, message) pairs, in the campaign file's path style (applications[0].name)."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            if path == "" and key in ("json", "query", "path", "headers", "form"):
                yield from _flatten(value, "")
                continue
            if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
                sub = f"{path}[{key}]"
            else:
                sub = f"{path}.{key}" if path else str(key)
            yield from _flatten(value, sub)
    elif isinstance(messages, list | tuple):
        for item in messages:
            if isinstance(item, dict | list):
                yield from _flatten(item, path)
            else:
                yield path, str(item)
    else:
        yield path, str(messages)


def from_http_exception(exc: Any) -> Response:
    code = exc.code or 500
    data = getattr(exc, "data", None) or {}
    problems = list(_flatten(data.get("messages"))) if isinstance(data, dict) and data.get("messages") else []
    headers = {}
    if code == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if code == 422 and not problems:
        problems = [("", MESSAGES[422])]
    return response(code, problems, headers)
