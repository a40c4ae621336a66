"""The Flask application, built by `shortlist.create_app`."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, abort, g, request
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from shortlist import config as app_config
from shortlist.extensions import csrf, db, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def migrations_dir() -> Path:
    """The Alembic folder: ``migrations/`` in a checkout, ``shortlist/migrations`` installed.

    The checkout's own folder comes first: an editable install maps ``shortlist.migrations`` to
    the checkout it was installed from, which is another checkout's when a second working copy
    runs on the first one's environment."""
    checkout = Path(__file__).resolve().parent.parent / "migrations"
    if (checkout / "env.py").is_file():
        return checkout
    import shortlist.migrations

    return Path(shortlist.migrations.__file__).resolve().parent


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite enforces foreign keys only when asked, per connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def build_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        "shortlist",
        static_url_path="/assets",
        static_folder=str(PACKAGE_DIR / "static"),
        template_folder=str(PACKAGE_DIR / "templates"),
        instance_relative_config=True,
        instance_path=os.environ.get("SHORTLIST_INSTANCE_PATH") or None,
    )
    from shortlist.http import CleanRequest
    from shortlist.numbers import BoundedIntegerConverter

    app.url_map.converters["int"] = BoundedIntegerConverter  # ids in URLs: below 2**31, ASCII digits

    app.request_class = CleanRequest  # no control characters in form values or query arguments
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(app_config.from_environment(Path(app.instance_path), overrides))
    if app.config.get("PROXY_FIX_HOPS"):  # the client's address, as the proxies in front of the app saw it
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    app.jinja_loader = ChoiceLoader([
        PackageLoader("shortlist"),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(migrations_dir()), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from shortlist.models import User

    from flask_login import user_unauthorized

    def _keep_lapsed_form(sender: Any, **_extra: Any) -> None:
        """A scoring form sent after the sign-in lapsed is kept for its author, who gets it back
        on the page after signing in again (shortlist.services.form_stash)."""
        from flask import flash, request, session

        from shortlist.services import form_stash, sessions

        if request.method != "POST" or request.endpoint not in form_stash.STASHABLE:
            return
        user_id = sessions.lapsed_user(session.get("_user_id"), session.get(sessions.SESSION_KEY))
        if user_id is not None and form_stash.stash(user_id, request.full_path.rstrip("?"), request.form.to_dict()):
            flash("What you typed is kept. Sign in again and it will be back on the page for you to check and "
                  "save.", "info")

    user_unauthorized.connect(_keep_lapsed_form, app, weak=False)

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # a live session row, not only a signed cookie (see shortlist.services.sessions)
        from flask import flash, session

        from shortlist.services import sessions

        user, ended = sessions.resume(user_id, session.get(sessions.SESSION_KEY))
        if ended == "idle":
            minutes = app.config["SESSION_IDLE_MINUTES"]
            flash(f"You were signed out because you had not used the service for {minutes} minutes. "
                  "Sign in again to continue.", "info")
        elif ended == "expired":
            flash("You were signed out because your session had lasted its longest. Sign in again to continue.",
                  "info")
        return user

    from shortlist.views import applications, audit_log, auth, errors, interviews, main, panel, setup, vacancies
    from shortlist.views import library as library_views

    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    from shortlist.views import sso as sso_views

    app.register_blueprint(sso_views.bp)
    app.register_blueprint(vacancies.bp)
    app.register_blueprint(audit_log.bp)
    app.register_blueprint(applications.bp)
    app.register_blueprint(setup.bp)
    app.register_blueprint(library_views.bp)
    app.register_blueprint(panel.bp)
    from shortlist.views import sift as sift_views

    app.register_blueprint(sift_views.bp)
    app.register_blueprint(interviews.bp)
    from shortlist.views import hr, reports

    app.register_blueprint(hr.bp)
    app.register_blueprint(reports.bp)
    from shortlist.views import packs as pack_views

    app.register_blueprint(pack_views.bp)
    from shortlist.views import access

    app.register_blueprint(access.bp)
    from shortlist.views import booking

    app.register_blueprint(booking.bp)
    from shortlist.views import outbox as outbox_views

    app.register_blueprint(outbox_views.bp)
    from shortlist.views import messages as message_views

    app.register_blueprint(message_views.account)
    app.register_blueprint(message_views.templates)
    app.register_blueprint(message_views.settings)
    from shortlist.views import people

    app.register_blueprint(people.bp)
    from shortlist.views import two_factor as two_factor_views

    app.register_blueprint(two_factor_views.bp)
    from shortlist.views import integrations

    app.register_blueprint(integrations.bp)
    from shortlist.views import organisations as organisation_views

    app.register_blueprint(organisation_views.bp)
    from shortlist.views import users as user_views

    app.register_blueprint(user_views.bp)
    errors.register(app)
    from shortlist import api

    api.init_app(app)

    from shortlist import filters

    filters.register(app)

    from shortlist.cli import register_commands

    register_commands(app)

    @app.before_request
    def _nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)
        if getattr(request, "path_has_control_characters", False):
            abort(404)

    from flask_login import current_user

    from shortlist.permissions import can, organisations_for

    def user_can(capability: str, vacancy: Any) -> bool:
        return bool(current_user.is_authenticated and can(current_user, capability, vacancy))

    def organisations_of_user(user: Any, capability: str) -> frozenset[int]:
        return organisations_for(user, capability) if user.is_authenticated else frozenset()

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        from shortlist.services.sessions import TOUCH_EVERY

        # the page's idle clock: the server's limit, less the time its clock may run ahead (it
        # notes a request at most once a minute)
        limit = float(app.config["SESSION_IDLE_MINUTES"]) * 60
        idle = max(5, int(limit - min(TOUCH_EVERY.total_seconds(), limit / 5)))
        return {"cspNonce": g.get("csp_nonce", ""), "user_can": user_can,
                "organisations_for": organisations_of_user, "timeout_idle_seconds": idle,
                "timeout_warn_seconds": min(120, idle // 2)}

    @app.after_request
    def _security_headers(response: Any) -> Any:
        nonce = g.get("csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if app.config["SESSION_COOKIE_SECURE"]:  # served over https: browsers must keep to it
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.shell_context_processor
    def _shell() -> dict[str, Any]:
        import shortlist.models as models

        return {"db": db, "models": models}

    return app
