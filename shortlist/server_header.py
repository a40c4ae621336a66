"""No Server header naming the server software in production (security review, "decide and
document"): gunicorn writes ``Server: gunicorn`` on every response and has no setting to
leave it out, so the WSGI entry point gunicorn loads (shortlist.wsgi) filters that one line
out of gunicorn's own response headers. Werkzeug's development server, which names itself
too, is never the production server (README, docs/deployment.md)."""

from __future__ import annotations

import sys
from typing import Any


def hide_gunicorn_server_header() -> bool:
    """Leave ``Server:`` out of gunicorn's responses in this process; False when gunicorn is not running it."""
    module = sys.modules.get("gunicorn.http.wsgi")
    if module is None:
        return False
    response = module.Response
    if getattr(response.default_headers, "without_server", False):
        return True
    original = response.default_headers

    def default_headers(self: Any) -> list[str]:
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.without_server = True  # type: ignore[attr-defined]
    response.default_headers = default_headers
    return True
