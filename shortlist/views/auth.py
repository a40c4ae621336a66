from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from shortlist.extensions import db
from shortlist.forms.auth import LoginForm, LogoutForm
from shortlist.permissions import public, signed_in
from shortlist.services import audit, users

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.vacancies")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def login():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(url_for("main.vacancies"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = users.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            audit.record(audit.Actor(None, "anonymous"), "auth.login_failed",
                         email=(form.email.data or "").strip().lower()[:254])
            db.session.commit()
            # The same message whether the account exists or not.
            error = "Enter a correct email address and password"
            form.password.errors = list(form.password.errors) + [error]
        else:
            session.clear()  # a fresh session at sign-in
            login_user(user)
            audit.record(audit.Actor.of(user), "auth.login", email=user.email)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/sign-out")
@signed_in
def logout():  # noqa: ANN201
    form = LogoutForm()
    if form.validate_on_submit():
        audit.record(audit.Actor.of(current_user), "auth.logout", email=current_user.email)
        db.session.commit()
        logout_user()
        session.clear()
        flash("You have signed out", "success")
    return redirect(url_for("auth.login"))
