from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from shortlist.forms.auth import LoginForm, LogoutForm
from shortlist.permissions import public, signed_in
from shortlist.services import auth, sessions

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.vacancies")


THROTTLED = ("Too many failed attempts to sign in. Wait {minutes} minutes, then try again. "
             "If you have forgotten your password, choose \u201cForgot your password?\u201d below.")


def _begin(tried: auth.Attempt) -> None:
    """Put the new session in the browser: a fresh one, so nothing set before it survives."""
    session.clear()
    login_user(tried.user)
    session[sessions.SESSION_KEY] = tried.session_token


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def login():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(url_for("main.vacancies"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        tried = auth.attempt(form.email.data or "", form.password.data or "", request.remote_addr or "")
        if tried.outcome == auth.THROTTLED:
            error = THROTTLED.format(minutes=current_app.config["LOGIN_THROTTLE_WINDOW_MINUTES"])
            form.email.errors = [error]
            status = 429
        elif tried.outcome == auth.FAILED:
            # The same message whether the account exists or not.
            error = "Enter a correct email address and password"
            form.password.errors = list(form.password.errors) + [error]
        else:
            _begin(tried)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/sign-out")
@signed_in
def logout():  # noqa: ANN201
    form = LogoutForm()
    if form.validate_on_submit():
        timed_out = "timed_out" in request.form  # the timeout warning ran out
        auth.sign_out(current_user, session.get(sessions.SESSION_KEY), timed_out)
        logout_user()
        session.clear()
        if timed_out:
            flash(f"You were signed out because you had not used the service for "
                  f"{current_app.config['SESSION_IDLE_MINUTES']} minutes. Sign in again to continue.", "info")
        else:
            flash("You have signed out", "success")
    return redirect(url_for("auth.login"))
