"""Error pages: plain words, no stack trace, no data."""

from __future__ import annotations

import traceback

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from shortlist.services import transactions

TITLES = {
    400: ("Sorry, there is a problem with the request", "Go back and try again."),
    403: ("You do not have permission to see this page", "Ask the recruiting manager or HR if you need access."),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("Sorry, that action is not allowed here", "Go back and try again."),
    413: ("The file is too large", "Upload a smaller file."),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you entered was saved."),
}


def register(app: Flask) -> None:
    from shortlist.api import errors as api_errors

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # noqa: ANN202
        if api_errors.is_api_request():  # the API answers in JSON, even for a URL it does not have
            return api_errors.from_http_exception(exc)
        code = exc.code or 500
        title, advice = TITLES.get(code, (exc.name, "Go back and try again."))
        return render_template("error.html", code=code, title=title, advice=advice), code

    @app.errorhandler(Exception)
    def server_error(exc: Exception):  # noqa: ANN202
        transactions.abandon()
        # Frames only: an exception's message can carry personal data (SQL parameters).
        app.logger.error("Unhandled %s\n%s", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
        if api_errors.is_api_request():
            return api_errors.response(500)
        title, advice = TITLES[500]
        return render_template("error.html", code=500, title=title, advice=advice), 500
