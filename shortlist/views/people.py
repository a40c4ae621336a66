"""People's safer-recruitment training (R18): each person records their own; HR records or
corrects anyone's. The date is the person's, shown on every panel they sit on."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shortlist.forms import dates
from shortlist.forms.people import TrainingForm
from shortlist.models import Role, User
from shortlist.permissions import may_manage_person, organisations_for, role_required, signed_in
from shortlist.rules._text import add_years
from shortlist.services import organisations, training, users
from shortlist.services.recommendations import refresh_years

bp = Blueprint("people", __name__)


@bp.app_template_global()
def training_status(person: User) -> str:
    """in_date, expired, future (a date not yet reached does not count) or none (R18)."""
    trained = person.safer_recruitment_trained_on
    if trained is None:
        return "none"
    today = date.today()
    if trained > today:
        return "future"
    return "in_date" if today < add_years(trained, refresh_years()) else "expired"


@bp.route("/account/training", methods=["GET", "POST"])
@signed_in
def mine():  # noqa: ANN201
    return _training_page(current_user, back=url_for("main.vacancies"))


@bp.get("/hr/people")
@role_required(Role.HR_ADMIN)
def index():  # noqa: ANN201
    mine = organisations.members(organisations_for(current_user, "administer"))
    return render_template("people/index.html", people=[p for p in training.people() if p.id in mine],
                           refresh_years=refresh_years())


@bp.route("/hr/people/<int:user_id>/training", methods=["GET", "POST"])
@role_required(Role.HR_ADMIN)
def person_training(user_id: int):  # noqa: ANN201
    person = users.by_id(user_id)
    if person is None or not may_manage_person(current_user, person, organisations.organisations_of(person)):
        abort(404)
    return _training_page(person, back=url_for("people.index"))


def _training_page(person: User, back: str):  # noqa: ANN202
    form = TrainingForm()
    day = dates.from_iso("trained_on", person.safer_recruitment_trained_on)
    page_errors: list[dict[str, str]] = []
    if form.validate_on_submit():
        day = dates.read(request.form, "trained_on", "The date on the certificate")
        if day.error:
            page_errors = [{"text": day.error, "href": f"#{day.error_id}"}]
        else:
            assert day.value is not None
            try:
                training.record_training(current_user, person, day.value, form.reason.data or "")
            except training.TrainingRefused as refused:
                href = f"#{day.error_id}" if refused.field == "trained_on" else "#reason"
                page_errors = [{"text": str(refused), "href": href}]
                if refused.field == "trained_on":
                    day = dates.DateParts(day.name, day.day, day.month, day.year, None, str(refused),
                                          dates.PARTS)
                else:
                    form.reason.errors = [*form.reason.errors, str(refused)]
            else:
                own = person.id == current_user.id
                flash(("Your" if own else f"{person.name}’s") + " safer-recruitment training is recorded.", "success")
                return redirect(back)
    return render_template("people/training.html", person=person, form=form, day=day, page_errors=page_errors,
                           own=person.id == current_user.id, back=back, refresh_years=refresh_years())
