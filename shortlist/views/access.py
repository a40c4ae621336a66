"""Links to set a password: made by HR or a vacancy's manager for someone on its panel,
used once by that person (shortlist.services.access_links)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, session, url_for
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm

from shortlist.forms.auth import ForgotPasswordForm, SetPasswordForm
from shortlist.models import Vacancy
from shortlist.permissions import public, signed_in, vacancy_access
from shortlist.services import access_links, sessions

bp = Blueprint("access", __name__)


@bp.post("/vacancies/<reference>/panel/<int:membership_id>/sign-in-link")
@vacancy_access("manage")
def make_link(vacancy: Vacancy, membership_id: int):  # noqa: ANN201
    if not FlaskForm().validate_on_submit():
        abort(400)
    membership = access_links.panel_member(vacancy, membership_id)
    if membership is None:
        abort(404)
    try:
        issued = access_links.issue(current_user, membership.user, vacancy)
    except access_links.LinkRefused as refused:
        flash(refused.message, "error")
        return redirect(url_for("setup.panel", reference=vacancy.reference))
    return render_template("access/link.html", vacancy=vacancy, issued=issued,
                           url=url_for("access.set_password", token=issued.token, _external=True))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):  # noqa: ANN201
    link = access_links.find(token)
    if link is None:
        return render_template("access/expired.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = access_links.redeem(token, form.password.data or "", form.confirm.data or "")
        except access_links.LinkRefused as refused:
            target = form.confirm if refused.field == "confirm" else form.password
            target.errors = [*target.errors, refused.message]
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(f"Your password is set. Sign in with {user.email} and your new password.", "success")
            return redirect(url_for("auth.login"))
    return render_template("access/set_password.html", form=form, name=link.user.name, email=link.user.email)


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password():  # noqa: ANN201
    """The same answer whether or not the address has an account (nothing to enumerate)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        access_links.request_reset(form.email.data or "")
        return render_template("access/reset_sent.html", email=(form.email.data or "").strip(),
                               minutes=int(access_links.lifetime("password_reset").total_seconds() // 60))
    return render_template("access/forgot_password.html", form=form)


@bp.post("/session/keep-alive")
@signed_in
def keep_alive():  # noqa: ANN201
    """"Stay signed in" in the timeout warning: the sign-in's idle clock starts again."""
    sessions.touch(session.get(sessions.SESSION_KEY))
    return jsonify(signed_in=True)
