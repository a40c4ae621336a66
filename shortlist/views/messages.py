"""Message settings: HR's wording for each kind of message per organisation (previewed with
sample data), each vacancy's choices for its messages (set by HR or its recruiting manager),
and each member of staff's own reminder switch, with the messages they caused that did not go."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from shortlist.forms import dates
from shortlist.messages import catalogue
from shortlist.models import Role, Vacancy
from shortlist.permissions import organisations_for, role_required, signed_in, vacancy_access
from shortlist.services import message_templates, notices, outbox

account = Blueprint("account", __name__, url_prefix="/account")
templates = Blueprint("templates", __name__, url_prefix="/hr/templates")
settings = Blueprint("messaging", __name__, url_prefix="/vacancies/<reference>")


def _csrf() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400)


# --------------------------------------------------------------------------- staff: their own settings


@account.route("/notifications", methods=["GET", "POST"])
@signed_in
def notifications():  # noqa: ANN201
    if request.method == "POST":
        _csrf()
        choice = request.form.get("reminders", "")
        if choice not in ("on", "off"):
            return render_template("messages/account.html", reminders=message_templates.reminders_on(current_user.id),
                                   problems=outbox.problems_caused_by(current_user),
                                   page_errors=[{"text": "Select whether you want reminders", "href": "#reminders"}],
                                   kinds=catalogue.KINDS), 400
        changed = message_templates.set_reminders(current_user, choice == "on")
        flash(("Reminders are on." if choice == "on" else "Reminders are off. You will still get invitations "
               "and the other messages.") if changed else "Nothing changed.", "success")
        return redirect(url_for("account.notifications"))
    return render_template("messages/account.html", reminders=message_templates.reminders_on(current_user.id),
                           problems=outbox.problems_caused_by(current_user), kinds=catalogue.KINDS)


# --------------------------------------------------------------------------- HR: the wording


def _organisation() -> str:
    organisation = (request.values.get("organisation") or "").strip()[:200]
    known = message_templates.organisations(organisations_for(current_user, "administer"))
    if not organisation and known:
        organisation = known[0]
    if organisation and organisation not in known:
        abort(404)
    return organisation


@templates.get("/")
@role_required(Role.HR_ADMIN)
def index():  # noqa: ANN201
    organisation = _organisation()
    return render_template("messages/templates.html", organisation=organisation,
                           organisations=message_templates.organisations(organisations_for(current_user, "administer")), kinds=catalogue.KINDS,
                           changed=message_templates.customised(organisation) if organisation else set())


@templates.route("/<kind>", methods=["GET", "POST"])
@role_required(Role.HR_ADMIN)
def edit(kind: str):  # noqa: ANN201
    spec = catalogue.KINDS.get(kind)
    if spec is None:
        abort(404)
    organisation = _organisation()
    if not organisation:
        abort(404)
    current = message_templates.wording(organisation, kind)
    values = {"subject": current.subject, "body": current.body}
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    preview = None
    status = 200
    if request.method == "POST":
        _csrf()
        action = request.form.get("action", "preview")
        values = {"subject": request.form.get("subject", ""), "body": request.form.get("body", "")}
        try:
            if action == "reset":
                message_templates.reset(current_user, organisation, kind)
                flash(f"“{spec.label}” for {organisation} is back to the standard wording.", "success")
                return redirect(url_for("templates.index", organisation=organisation))
            if action == "save":
                message_templates.save(current_user, organisation, kind, values["subject"], values["body"])
                flash(f"“{spec.label}” for {organisation} is saved: new messages use it.", "success")
                return redirect(url_for("templates.index", organisation=organisation))
            preview = message_templates.preview(kind, values["subject"], values["body"])
        except message_templates.TemplateRefused as refused:
            page_errors, field_errors, status = refused.errors, refused.by_field, 400
    else:
        preview = message_templates.preview(kind, values["subject"], values["body"])
    return render_template(
        "messages/template.html", spec=spec, organisation=organisation, values=values, customised=current.customised,
        preview=preview, page_errors=page_errors, field_errors=field_errors,
        placeholders=[catalogue.PLACEHOLDERS[name] for name in spec.placeholders]), status


# --------------------------------------------------------------------------- a vacancy's choices


@settings.route("/setup/messages", methods=["GET", "POST"])
@vacancy_access("manage")
def vacancy_settings(vacancy: Vacancy):  # noqa: ANN201
    row = notices.messaging(vacancy)
    deadline = dates.from_iso("deadline", row.scoring_deadline)
    values = {"reminder_days": str(row.reminder_days), "contact": row.contact,
              "share_panel_names": "yes" if row.share_panel_names else "no", "what_to_bring": row.what_to_bring,
              "adjustments": row.adjustments, "self_booking": "yes" if row.self_booking else "no",
              "booking_cutoff_hours": str(row.booking_cutoff_hours)}
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        _csrf()
        values = {k: request.form.get(k, "") for k in values}
        deadline = dates.read(request.form, "deadline", "Scoring deadline") if any(
            request.form.get(f"deadline-{p}", "").strip() for p in dates.PARTS) else dates.DateParts("deadline")
        try:
            notices.save_messaging(vacancy, current_user, deadline=deadline, **values)
        except notices.MessagingRefused as refused:
            page_errors, field_errors, status = refused.errors, refused.by_field, 400
        else:
            flash("The vacancy's message settings are saved.", "success")
            return redirect(url_for("messaging.vacancy_settings", reference=vacancy.reference))
    return render_template("messages/vacancy.html", vacancy=vacancy, values=values, deadline=deadline,
                           page_errors=page_errors, field_errors=field_errors), status
