"""HR's data-protection pages: per vacancy, the retention policy, legal holds, who may see
declarations, each application's sealed data and the subject access export; and the
declarations page for the people HR grants access."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from shortlist.forms.hr import DataPolicyForm, GrantForm, LegalHoldForm, ReleaseHoldForm, WithdrawalForm
from shortlist.models import Application, Role, Vacancy
from shortlist.pdf import render_pdf
from shortlist.permissions import declarations_access, organisations_for, role_required, vacancy_access
from shortlist.services import applications as applications_service
from shortlist.services import audit, retention
from shortlist.services import sealed as sealed_service
from shortlist.services import subject_access
from shortlist.downloads import attachment

bp = Blueprint("hr", __name__)


# --------------------------------------------------------------------------- overview


@bp.get("/hr/")
@role_required(Role.HR_ADMIN)
def index():  # noqa: ANN201
    plan = retention.plan(date.today(), within=organisations_for(current_user, "administer"))
    return render_template("hr/index.html", plan=plan)


# --------------------------------------------------------------------------- one vacancy


def _forms(vacancy: Vacancy, policy_form: DataPolicyForm | None = None, hold_form: LegalHoldForm | None = None,
           grant_form: GrantForm | None = None) -> dict[str, Any]:
    policy = sealed_service.policy_for(vacancy)
    if policy_form is None:
        policy_form = DataPolicyForm(formdata=None, retention_months=policy.retention_months,
                                     share_declarations="yes" if policy.share_declarations else "no")
    hold_form = hold_form or LegalHoldForm(formdata=None)
    grant_form = grant_form or GrantForm(formdata=None)
    _choices(vacancy, hold_form, grant_form)
    return {"policy_form": policy_form, "hold_form": hold_form, "grant_form": grant_form}


def _choices(vacancy: Vacancy, hold_form: LegalHoldForm, grant_form: GrantForm) -> None:
    refs = [a.reference for a in applications_service.listed(vacancy)]
    hold_form.target.choices = [SelectChoice("", "Select"), SelectChoice("vacancy", "The whole vacancy")] + [
        SelectChoice(r, f"Application {r}") for r in refs]
    grant_form.user_id.choices = [SelectChoice(0, "Select")] + [
        SelectChoice(u.id, f"{u.name} ({u.email})") for u in sealed_service.grantable_people(vacancy)]


def _page(vacancy: Vacancy, status: int = 200, page_errors: list[dict[str, str]] | None = None,
          **forms: Any) -> Any:
    plan = next(vp for vp in retention.plan(date.today()).vacancies if vp.vacancy_id == vacancy.id)
    applications = applications_service.listed(vacancy)
    erased = retention.erased_ids(a.id for a in applications)
    context = _forms(vacancy, **forms)
    return render_template(
        "hr/vacancy.html", vacancy=vacancy, plan=plan, applications=applications, erased=erased,
        holds=retention.holds_for(vacancy), grants=sealed_service.grants(vacancy),
        policy=sealed_service.policy_for(vacancy), shortlist_made=sealed_service.shortlist_made(vacancy),
        page_errors=page_errors or [], **context,
    ), status


def _errors(*forms: FlaskForm) -> list[dict[str, str]]:
    return [{"text": message, "href": f"#{name}"} for form in forms for name, messages in form.errors.items()
            for message in messages]


@bp.get("/hr/vacancies/<reference>")
@vacancy_access("hr")
def vacancy(vacancy: Vacancy):  # noqa: ANN201
    return _page(vacancy)


@bp.post("/hr/vacancies/<reference>/policy")
@vacancy_access("hr")
def policy(vacancy: Vacancy):  # noqa: ANN201
    form = DataPolicyForm()
    if not form.validate_on_submit():
        return _page(vacancy, 400, _errors(form), policy_form=form)
    changed = retention.update_policy(vacancy, current_user, retention_months=form.retention_months.data,
                                      share_declarations=form.share_declarations.data == "yes")
    flash("Data policy saved" if changed else "Nothing changed", "success" if changed else "info")
    return redirect(url_for("hr.vacancy", reference=vacancy.reference) + "#policy")


@bp.post("/hr/vacancies/<reference>/holds")
@vacancy_access("hr")
def place_hold(vacancy: Vacancy):  # noqa: ANN201
    form = LegalHoldForm()
    _choices(vacancy, form, GrantForm(formdata=None))
    if form.validate_on_submit():
        try:
            retention.place_hold(vacancy, current_user, kind=form.kind.data, reason=form.reason.data,
                                 application_reference=None if form.target.data == "vacancy" else form.target.data)
        except retention.HoldRefused as exc:
            getattr(form, exc.field).errors = [str(exc)]
        else:
            flash("Legal hold placed: nothing it covers will be deleted until it is released", "success")
            return redirect(url_for("hr.vacancy", reference=vacancy.reference) + "#holds")
    return _page(vacancy, 400, _errors(form), hold_form=form)


@bp.route("/hr/vacancies/<reference>/holds/<int:hold_id>/release", methods=["GET", "POST"])
@vacancy_access("hr")
def release_hold(vacancy: Vacancy, hold_id: int):  # noqa: ANN201
    hold = next((h for h in retention.holds_for(vacancy) if h.id == hold_id and h.active), None)
    if hold is None:
        abort(404)
    form = ReleaseHoldForm()
    if form.validate_on_submit():
        retention.release_hold(vacancy, current_user, hold_id, form.release_reason.data)
        flash("Legal hold released", "success")
        return redirect(url_for("hr.vacancy", reference=vacancy.reference) + "#holds")
    return render_template("hr/release_hold.html", vacancy=vacancy, hold=hold, form=form)


@bp.post("/hr/vacancies/<reference>/grants")
@vacancy_access("hr")
def grant(vacancy: Vacancy):  # noqa: ANN201
    form = GrantForm()
    _choices(vacancy, LegalHoldForm(formdata=None), form)
    if form.validate_on_submit() and form.user_id.data:
        try:
            sealed_service.grant_declarations(vacancy, current_user, form.user_id.data, form.reason.data)
        except sealed_service.GrantRefused as exc:
            getattr(form, exc.field).errors = [str(exc)]
        else:
            flash("Access to the declarations given", "success")
            return redirect(url_for("hr.vacancy", reference=vacancy.reference) + "#declarations")
    elif not form.user_id.data and not form.user_id.errors:
        form.user_id.errors = ["Select who needs to see the declarations"]
    return _page(vacancy, 400, _errors(form), grant_form=form)


@bp.post("/hr/vacancies/<reference>/grants/<int:grant_id>/revoke")
@vacancy_access("hr")
def revoke_grant(vacancy: Vacancy, grant_id: int):  # noqa: ANN201
    if not FlaskForm().validate_on_submit():
        abort(400)
    if sealed_service.revoke_grant(vacancy, current_user, grant_id) is None:
        abort(404)
    flash("Access to the declarations withdrawn", "success")
    return redirect(url_for("hr.vacancy", reference=vacancy.reference) + "#declarations")


# --------------------------------------------------------------------------- sealed data


@bp.get("/hr/vacancies/<reference>/applications/<application_reference>/sealed")
@vacancy_access("hr")
def sealed(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    record = sealed_service.view_sealed(vacancy, application_reference, current_user)
    if record is None:
        abort(404)
    return render_template("hr/sealed.html", vacancy=vacancy, record=record)


@bp.route("/hr/vacancies/<reference>/applications/<application_reference>/withdrawal", methods=["GET", "POST"])
@vacancy_access("hr")
def withdrawal(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    """The applicant told HR they withdraw: recorded, with their reason (integrations hear of it)."""
    application = applications_service.find(vacancy, application_reference)
    if application is None:
        abort(404)
    form = WithdrawalForm()
    if request.method == "POST" and form.validate():
        try:
            applications_service.withdraw(vacancy, application_reference, form.reason.data or "",
                                          audit.Actor.of(current_user))
        except applications_service.WithdrawalRefused as refused:
            form.reason.errors = [str(refused)]
        else:
            flash(f"{application_reference}'s withdrawal is recorded", "success")
            return redirect(url_for("hr.vacancy", reference=vacancy.reference) + "#applications")
    return render_template("hr/withdrawal.html", vacancy=vacancy, application=application, form=form), (
        400 if form.errors else 200)


@bp.get("/vacancies/<reference>/declarations")
@declarations_access
def declarations(vacancy: Vacancy):  # noqa: ANN201
    rows = sealed_service.view_declarations(vacancy, current_user)
    return render_template("hr/declarations.html", vacancy=vacancy, rows=rows)


# --------------------------------------------------------------------------- subject access


def _application(vacancy: Vacancy, reference: str) -> Application:
    application = subject_access.find(vacancy, reference)
    if application is None:
        abort(404)
    return application


@bp.get("/hr/vacancies/<reference>/applications/<application_reference>/subject-access")
@vacancy_access("hr")
def subject_access_page(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    app = _application(vacancy, application_reference)
    others = [a for a in subject_access.applications_of(app) if a.id != app.id]
    return render_template("hr/subject_access.html", vacancy=vacancy, application=app, others=others)


@bp.get("/hr/vacancies/<reference>/applications/<application_reference>/subject-access.json")
@vacancy_access("hr")
def subject_access_json(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    data = subject_access.export(_application(vacancy, application_reference), current_user, "json")
    return Response(subject_access.to_json(data), mimetype="application/json", headers={
        "Content-Disposition": attachment(f"subject-access-{vacancy.reference}-{application_reference}.json")})


@bp.get("/hr/vacancies/<reference>/applications/<application_reference>/subject-access.pdf")
@vacancy_access("hr")
def subject_access_pdf(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    data = subject_access.export(_application(vacancy, application_reference), current_user, "pdf")
    html = render_template("hr/subject_access_pdf.html", data=data)
    return Response(render_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": attachment(f"subject-access-{vacancy.reference}-{application_reference}.pdf")})
