from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from shortlist.forms.auth import CodeForm, EnrolCodeForm, LoginForm, LogoutForm
from shortlist.services import two_factor, users
from shortlist.permissions import public, signed_in
from shortlist.services import auth, sessions, sso

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
        only_sso = sso.password_refused(auth.normalise(form.email.data or ""))
        if only_sso is not None:  # the organisation signs its people in through its own provider only
            return redirect(url_for("sso.start", code=only_sso.code, login_hint=auth.normalise(form.email.data or ""),
                                    next=request.args.get("next") or None))
        tried = auth.attempt(form.email.data or "", form.password.data or "", request.remote_addr or "")
        if tried.outcome == auth.THROTTLED:
            error = THROTTLED.format(minutes=current_app.config["LOGIN_THROTTLE_WINDOW_MINUTES"])
            form.email.errors = [error]
            status = 429
        elif tried.outcome == auth.FAILED:
            # The same message whether the account exists or not.
            error = "Enter a correct email address and password"
            form.password.errors = list(form.password.errors) + [error]
        elif tried.outcome in (auth.CODE, auth.ENROL) and tried.user is not None:
            # the password was right: nothing is signed in until the second step is done
            session.clear()
            session[PENDING] = {"user": tried.user.id, "step": tried.outcome, "at": time.time(),
                                "next": _safe_next(request.args.get("next"))}
            return redirect(url_for("auth.code" if tried.outcome == auth.CODE else "auth.enrol"))
        else:
            _begin(tried)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error), status


#: the Flask session's key for a sign-in whose password was right, waiting for its second step
PENDING = "pending_sign_in"
#: how long the second step may wait (seconds)
PENDING_FOR = 10 * 60


def _pending(step: str) -> int | None:
    found = session.get(PENDING)
    if not isinstance(found, dict) or found.get("step") != step or time.time() - float(found.get("at", 0)) > PENDING_FOR:
        return None
    return int(found["user"])


def _start_again():  # noqa: ANN202
    session.pop(PENDING, None)
    flash("Sign in again: the sign-in was not finished within 10 minutes.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
def code():  # noqa: ANN201
    """The second step: a code from the person's authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("main.vacancies"))
    user_id = _pending(auth.CODE)
    if user_id is None:
        return _start_again()
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        tried = auth.finish_with_code(user_id, form.code.data or "", request.remote_addr or "")
        if tried.outcome == auth.THROTTLED:
            form.code.errors = [THROTTLED.format(minutes=current_app.config["LOGIN_THROTTLE_WINDOW_MINUTES"])]
            status = 429
        elif tried.outcome == auth.FAILED:
            form.code.errors = ["The code is not right. Enter the code your authenticator app shows now, or one of "
                                "your recovery codes"]
        else:
            target = session.get(PENDING, {}).get("next") or url_for("main.vacancies")
            _begin(tried)
            return redirect(_safe_next(target))
    # throttled, the message sends the person to "Forgot your password?": the page has it then
    return render_template("auth/code.html", form=form, throttled=status == 429), status


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@public
def enrol():  # noqa: ANN201
    """Setting two-factor sign-in up as part of signing in: required for the person's role."""
    if current_user.is_authenticated:
        return redirect(url_for("main.vacancies"))
    user_id = _pending(auth.ENROL)
    person = users.by_id(user_id) if user_id is not None else None
    if person is None:
        return _start_again()
    form = EnrolCodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            tried = auth.finish_enrolment(user_id, form.code.data or "", request.remote_addr or "")
        except two_factor.TwoFactorRefused as refused:
            form.code.errors = [refused.message]
        else:
            if tried.outcome == auth.SIGNED_IN:
                target = session.get(PENDING, {}).get("next") or url_for("main.vacancies")
                _begin(tried)
                return render_template("two_factor/recovery_codes.html", codes=tried.recovery_codes,
                                       next_url=_safe_next(target))
            form.code.errors = [THROTTLED.format(minutes=current_app.config["LOGIN_THROTTLE_WINDOW_MINUTES"])]
            status = 429
    return render_template("two_factor/set_up.html", form=form, enrolment=two_factor.ensure_enrolment(person),
                           during_sign_in=True), status


@bp.post("/sign-out")
@signed_in
def logout():  # noqa: ANN201
    form = LogoutForm()
    if form.validate_on_submit():
        timed_out = "timed_out" in request.form  # the timeout warning ran out
        auth.sign_out(current_user, session.get(sessions.SESSION_KEY), timed_out)
        via = session.get(sso.SESSION_ORGANISATION)  # signed in through an organisation's provider
        logout_user()
        session.clear()
        if via and not timed_out:
            session[sso.SESSION_ORGANISATION] = via
            return redirect(url_for("sso.signed_out"))
        if timed_out:
            flash(f"You were signed out because you had not used the service for "
                  f"{current_app.config['SESSION_IDLE_MINUTES']} minutes. Sign in again to continue.", "info")
        else:
            flash("You have signed out", "success")
    return redirect(url_for("auth.login"))
