"""A person's own two-factor sign-in (shortlist.services.two_factor): turn it on with an
authenticator app, see how many recovery codes are left, turn it off (unless their role
requires it)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from shortlist.forms.auth import EnrolCodeForm, TurnOffTwoFactorForm
from shortlist.permissions import signed_in
from shortlist.services import two_factor

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")


def _status(form: TurnOffTwoFactorForm | None = None, status: int = 200):  # noqa: ANN202
    return render_template("two_factor/index.html", enabled=two_factor.enabled(current_user),
                           required=two_factor.required(current_user),
                           codes_left=two_factor.recovery_codes_left(current_user),
                           form=form or TurnOffTwoFactorForm(), start=FlaskForm()), status


@bp.get("")
@signed_in
def index():  # noqa: ANN201
    return _status()


@bp.post("")
@signed_in
def start():  # noqa: ANN201
    if not FlaskForm().validate_on_submit():
        return _status()
    try:
        two_factor.start_enrolment(current_user)
    except two_factor.TwoFactorRefused as refused:
        flash(refused.message, "info")
        return redirect(url_for("two_factor.index"))
    return redirect(url_for("two_factor.set_up"))


@bp.route("/set-up", methods=["GET", "POST"])
@signed_in
def set_up():  # noqa: ANN201
    enrolment = two_factor.enrolment(current_user)
    if enrolment is None:
        return redirect(url_for("two_factor.index"))
    form = EnrolCodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm(current_user, form.code.data or "")
        except two_factor.TwoFactorRefused as refused:
            form.code.errors = [refused.message]
        else:
            return render_template("two_factor/recovery_codes.html", codes=codes,
                                   next_url=url_for("two_factor.index"))
    return render_template("two_factor/set_up.html", form=form, enrolment=enrolment, during_sign_in=False)


@bp.post("/turn-off")
@signed_in
def turn_off():  # noqa: ANN201
    form = TurnOffTwoFactorForm()
    if form.validate_on_submit():
        try:
            two_factor.turn_off(current_user, form.password.data or "")
        except two_factor.TwoFactorRefused as refused:
            form.password.errors = [refused.message]
        else:
            flash("Two-factor sign-in is off. You sign in with your password alone.", "success")
            return redirect(url_for("two_factor.index"))
    return _status(form)
