"""Organisations (issue 17): a system administrator lists and creates them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from shortlist.forms.organisations import OrganisationForm
from shortlist.permissions import system_admin_required
from shortlist.services import audit
from shortlist.services import organisations as service
from shortlist.services.refusals import OrganisationRefused

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.route("/", methods=["GET", "POST"])
@system_admin_required
def index():  # noqa: ANN201
    form = OrganisationForm()
    errors: list[dict[str, str]] = []
    status = 200
    if form.validate_on_submit():
        try:
            created = service.create(audit.Actor.of(current_user), form.name.data or "", form.code.data or "",
                                     form.email_domains.data or "", form.retention_months.data or None)
        except OrganisationRefused as refused:
            errors = [p.as_error() for p in refused.problems]
            for p in refused.problems:
                field = getattr(form, p.field or "", None)
                if field is not None:
                    field.errors = [*field.errors, p.message]
            status = 400
        else:
            flash(f"{created.name} ({created.code}) is created. Give it an HR administrator: "
                  f"shortlist create-user --organisation {created.code} --role hr_admin", "success")
            return redirect(url_for("organisations.index"))
    return render_template("organisations/index.html", form=form, page_errors=errors,
                           organisations=service.all_organisations()), status
