"""A person's own two-factor sign-in (shortlist.services.two_factor): turn it on with an
authenticator app, see how many recovery codes are left and get ten new ones, turn it off
(unless their role requires it)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from shortlist.forms.auth import EnrolCodeForm, RenewRecoveryCodesForm, TurnOffTwoFactorForm
from shortlist.permissions import signed_in
from shortlist.services import two_factor

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")


def _status(form: TurnOffTwoFactorForm | None = None, status: int = 200):  # noqa: ANN202
    return render_template("two_factor/index.html", enabled=two_factor.enabled(current_user),
                           required=two_factor.required(current_user),
                           codes_left=two_factor.recovery_codes_left(current_user),
                           form=form or TurnOffTwoFactorForm(), start=FlaskForm()), status


def _codes_shown(form: EnrolCodeForm | RenewRecoveryCodesForm, make: Callable[[], list[str]],
                 renewed: bool = False) -> str | None:
    """The page showing the recovery codes ``make()`` returns (the only time they are shown),
    or None with its refusal at the form's code field."""
    try:
        codes = make()
    except two_factor.TwoFactorRefused as refused:
        form.code.errors = [refused.message]
        return None
    return render_template("two_factor/recovery_codes.html", codes=codes, renewed=renewed,
                           next_url=url_for("two_factor.index"))


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
        shown = _codes_shown(form, lambda: two_factor.confirm(current_user, form.code.data or ""))
        if shown is not None:
            return shown
    return render_template("two_factor/set_up.html", form=form, enrolment=enrolment, during_sign_in=False)


@bp.route("/recovery-codes", methods=["GET", "POST"])
@signed_in
def recovery_codes():  # noqa: ANN201
    """Ten new recovery codes, after a code from the person's app; shown once, in the answer to
    the form (the old ones stop working)."""
    if not two_factor.enabled(current_user):
        return redirect(url_for("two_factor.index"))
    form = RenewRecoveryCodesForm()
    if form.validate_on_submit():
        shown = _codes_shown(form, lambda: two_factor.renew_recovery_codes(current_user, form.code.data or ""),
                             renewed=True)
        if shown is not None:
            return shown
    return render_template("two_factor/renew.html", form=form,
                           codes_left=two_factor.recovery_codes_left(current_user))


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
