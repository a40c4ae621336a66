"""HR's Users page (issue 17): the people of the organisations an HR administrator
administers; search, invite, change roles, deactivate and reactivate. The work is the
service's (shortlist.services.accounts); this reads forms and shows pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from shortlist.permissions import organisation_required
from shortlist.rules.vocabulary import ORGANISATION_ROLE_NAMES
from shortlist.services import accounts
from shortlist.services.refusals import AccountRefused

bp = Blueprint("users", __name__, url_prefix="/hr/users")


def _csrf() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400)


def _person(user_id: int):  # noqa: ANN202
    user = accounts.person(current_user, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/")
@organisation_required("administer")
def index():  # noqa: ANN201
    search = request.args.get("q", "").strip()[:accounts.MAX_SEARCH]
    found, total = accounts.people(current_user, search)
    return render_template("users/index.html", people=found, total=total, search=search, page=accounts.PAGE)


@bp.route("/invite", methods=["GET", "POST"])
@organisation_required("administer")
def invite():  # noqa: ANN201
    mine = accounts.administered(current_user)
    values = {"email": "", "name": "", "organisation": str(mine[0].id) if len(mine) == 1 else "", "role": ""}
    errors: list[dict[str, str]] = []
    by_field: dict[str, str] = {}
    if request.method == "POST":
        _csrf()
        values = {k: (request.form.get(k) or "").strip() for k in values}
        chosen = int(values["organisation"]) if values["organisation"].isdigit() else None
        try:
            invited = accounts.invite(current_user, values["email"], values["name"], chosen, values["role"])
        except AccountRefused as refused:
            errors, by_field = refused.errors, refused.by_field
        else:
            if invited.domain_warning:
                flash(invited.domain_warning, "info")
            if invited.link is None:
                flash(f"{invited.user.name} already has a password: they can sign in with their role now.", "success")
                return redirect(url_for("users.show", user_id=invited.user.id))
            return render_template("users/invited.html", invited=invited,
                                   url=url_for("access.set_password", token=invited.link.token, _external=True))
    return render_template("users/invite.html", values=values, organisations=mine, roles=accounts.ROLE_CHOICES,
                           page_errors=errors, by_field=by_field), (400 if errors else 200)


@bp.get("/<int:user_id>")
@organisation_required("administer")
def show(user_id: int):  # noqa: ANN201
    person = _person(user_id)
    mine = accounts.administered(current_user)
    return render_template("users/show.html", person=person, organisations=mine,
                           held=accounts.roles_in(person, [o.id for o in mine]), role_names=ORGANISATION_ROLE_NAMES,
                           elsewhere=[r for r in person.organisation_roles if r.organisation_id not in {o.id for o in mine}])


@bp.post("/<int:user_id>/roles")
@organisation_required("administer")
def roles(user_id: int):  # noqa: ANN201
    person = _person(user_id)
    _csrf()
    chosen = {o.id: request.form.getlist(f"roles-{o.id}") for o in accounts.administered(current_user)}
    try:
        changed = accounts.change_roles(current_user, person, chosen)
    except AccountRefused as refused:
        flash(refused.message, "error")
        return redirect(url_for("users.show", user_id=person.id))
    flash(f"{person.name}’s roles are saved." if changed else "Nothing changed.", "success")
    return redirect(url_for("users.show", user_id=person.id))


@bp.post("/<int:user_id>/deactivate")
@organisation_required("administer")
def deactivate(user_id: int):  # noqa: ANN201
    person = _person(user_id)
    _csrf()
    try:
        done = accounts.deactivate(current_user, person)
    except AccountRefused as refused:
        flash(refused.message, "error")
        return redirect(url_for("users.show", user_id=person.id))
    flash(f"{person.name} is deactivated: they are signed out and cannot sign in. Their scores and records stay."
          if done else f"{person.name} was already deactivated.", "success")
    return redirect(url_for("users.show", user_id=person.id))


@bp.post("/<int:user_id>/reactivate")
@organisation_required("administer")
def reactivate(user_id: int):  # noqa: ANN201
    person = _person(user_id)
    _csrf()
    try:
        done = accounts.reactivate(current_user, person)
    except AccountRefused as refused:
        flash(refused.message, "error")
        return redirect(url_for("users.show", user_id=person.id))
    flash(f"{person.name} can sign in again." if done else f"{person.name} was already active.", "success")
    return redirect(url_for("users.show", user_id=person.id))
