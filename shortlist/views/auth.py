from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from shortlist.extensions import db
from shortlist.forms.auth import LoginForm, LogoutForm
from shortlist.permissions import public, signed_in
from shortlist.services import audit, sessions, users

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.vacancies")


THROTTLED = ("Too many failed attempts to sign in. Wait {minutes} minutes, then try again. "
             "If you have forgotten your password, ask HR to set a new one.")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def login():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(url_for("main.vacancies"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        email, address = (form.email.data or "").strip().lower()[:254], request.remote_addr or ""
        gate = users.sign_in_gate(email, address)
        if gate.refused:
            # Refused before the password is checked, whether it is right or not.
            audit.record(audit.Actor(None, "anonymous"), "auth.login_throttled", email=email)
            db.session.commit()
            error = THROTTLED.format(minutes=current_app.config["LOGIN_THROTTLE_WINDOW_MINUTES"])
            form.email.errors = [error]
            status = 429
        else:
            users.wait(gate.delay)  # the account's failures from anywhere slow it down; never lock it
            user = users.authenticate(email, form.password.data or "")
            if user is None:
                users.record_failure(email, address)
                audit.record(audit.Actor(None, "anonymous"), "auth.login_failed", email=email)
                db.session.commit()
                # The same message whether the account exists or not.
                error = "Enter a correct email address and password"
                form.password.errors = list(form.password.errors) + [error]
            else:
                session.clear()  # a fresh session at sign-in: nothing set before it survives
                login_user(user)
                session[sessions.SESSION_KEY] = sessions.start(user)
                users.clear_failures(email, address)
                audit.record(audit.Actor.of(user), "auth.login", email=user.email)
                db.session.commit()
                return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/sign-out")
@signed_in
def logout():  # noqa: ANN201
    form = LogoutForm()
    if form.validate_on_submit():
        audit.record(audit.Actor.of(current_user), "auth.logout", email=current_user.email)
        db.session.commit()
        timed_out = "timed_out" in request.form  # the timeout warning ran out
        sessions.end(session.get(sessions.SESSION_KEY), "idle" if timed_out else "logout")
        logout_user()
        session.clear()
        if timed_out:
            flash(f"You were signed out because you had not used the service for "
                  f"{current_app.config['SESSION_IDLE_MINUTES']} minutes. Sign in again to continue.", "info")
        else:
            flash("You have signed out", "success")
    return redirect(url_for("auth.login"))
