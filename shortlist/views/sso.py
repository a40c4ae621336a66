"""Single sign-on pages: choosing an organisation's sign-in, the provider's answer, and the
page after signing out that offers to sign out of the provider too (shortlist.services.sso)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from shortlist.forms.sso import WorkEmailForm
from shortlist.permissions import public
from shortlist.services import sessions, sso
from shortlist.views.auth import _safe_next

bp = Blueprint("sso", __name__)


@bp.app_context_processor
def _sso_choices() -> dict[str, Any]:
    """``sso_connections()`` for the sign-in page's "Sign in with ..." buttons."""
    return {"sso_connections": sso.connections}


def _go(conn: sso.Connection, next_url: str = "", login_hint: str = ""):  # noqa: ANN202
    try:
        url, state = sso.begin(conn, url_for("sso.callback", _external=True), next_url, login_hint)
    except sso.SsoRefused as refused:
        return render_template("auth/sso_refused.html", message=refused.message, connection=conn), 503
    session[sso.SESSION_STATE] = state
    return redirect(url)


@bp.route("/sign-in/sso", methods=["GET", "POST"])
@public
def choose():  # noqa: ANN201
    """Sign in with your organisation's account, found by your work e-mail address."""
    if current_user.is_authenticated:
        return redirect(url_for("main.vacancies"))
    form = WorkEmailForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        conn = sso.for_email(email)
        if conn is not None:
            return _go(conn, request.args.get("next", ""), email)
        form.email.errors = [*form.email.errors,
                             "No organisation signs in people with this email address through its own sign-in "
                             "service. Sign in with your password instead."]
    return render_template("auth/sso_choose.html", form=form)


@bp.get("/sign-in/sso/<code>")
@public
def start(code: str):  # noqa: ANN201
    """To this organisation's sign-in service ("Sign in with <organisation>")."""
    conn = sso.connection(code)
    if conn is None:
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("main.vacancies"))
    return _go(conn, request.args.get("next", ""), request.args.get("login_hint", "")[:254])


@bp.get("/sign-in/sso/callback")
@public
def callback():  # noqa: ANN201
    """The provider's answer: the person is signed in, or told why not."""
    browser_state = session.pop(sso.SESSION_STATE, None)
    try:
        outcome = sso.complete(request.args.to_dict(), browser_state)
    except sso.SsoRefused as refused:
        if refused.reason.startswith("state_"):
            sso.record_stale(refused)
        return render_template("auth/sso_refused.html", message=refused.message), 403
    session.clear()  # a fresh session at sign-in: nothing set before it survives
    login_user(outcome.user)
    session[sessions.SESSION_KEY] = outcome.token
    session[sso.SESSION_ORGANISATION] = outcome.connection.code
    return redirect(_safe_next(outcome.next_url))


@bp.get("/signed-out")
@public
def signed_out():  # noqa: ANN201
    """After signing out of Shortlist: the organisation's sign-in service may still have the
    person signed in on this device; offer its end-session endpoint."""
    code = session.get(sso.SESSION_ORGANISATION)
    conn = sso.connection(code) if code and not current_user.is_authenticated else None
    end_url = sso.end_session_url(conn, url_for("auth.login", _external=True)) if conn else None
    return render_template("auth/signed_out.html", connection=conn, end_url=end_url)
