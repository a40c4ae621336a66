from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shortlist import campaign_format as cf
from shortlist.forms import dates
from shortlist.forms.applications import (
    EQUALITY_QUESTIONS,
    ExportUploadForm,
    ImportApplicationsForm,
    make_application_form,
)
from shortlist.intake import IntakeError, template
from shortlist.models import Vacancy
from shortlist.permissions import is_hr_of, vacancy_access
from shortlist.services import applications as service
from shortlist.services import audit
from shortlist.services import exports as exports_service
from shortlist.downloads import attachment

bp = Blueprint("applications", __name__, url_prefix="/vacancies/<reference>/applications")


@bp.get("/")
@vacancy_access("manage")
def index(vacancy: Vacancy):  # noqa: ANN201
    return render_template("applications/index.html", vacancy=vacancy, show_names=is_hr_of(current_user, vacancy))


@bp.get("/template.csv")
@vacancy_access("manage")
def csv_template(vacancy: Vacancy):  # noqa: ANN201
    return Response(
        template(c.key for c in vacancy.criteria),
        mimetype="text/csv",
        headers={"Content-Disposition": attachment(f"{vacancy.reference}-applications.csv")},
    )


@bp.route("/import", methods=["GET", "POST"])
@vacancy_access("manage")
def import_csv(vacancy: Vacancy):  # noqa: ANN201
    form = ImportApplicationsForm()
    problems: list[cf.Problem] = []
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or "upload.csv"
        importer = service.import_campaign_file if filename.lower().endswith((".yaml", ".yml")) else service.import_csv
        try:
            count = importer(vacancy, upload.read(), filename, audit.Actor.of(current_user))
        except IntakeError as exc:
            problems = exc.problems
            form.file.errors = [f"The file was not imported: {len(problems)} problem"
                                f"{'' if len(problems) == 1 else 's'} (listed below). Nothing was saved."]
        else:
            flash(f"{count} application{'' if count == 1 else 's'} imported", "success")
            return redirect(url_for("applications.index", reference=vacancy.reference))
    return render_template("applications/import.html", vacancy=vacancy, form=form, problems=problems)


# --------------------------------------------------------------------------- from another system's export


@bp.route("/from-export", methods=["GET", "POST"])
@vacancy_access("manage")
def from_export(vacancy: Vacancy):  # noqa: ANN201
    form = ExportUploadForm()
    problems: list[cf.Problem] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            draft = exports_service.upload(vacancy, current_user, upload.filename or "export.csv", upload.read())
        except IntakeError as exc:
            problems = exc.problems
            form.file.errors = ["The file cannot be read (the problem is below). Nothing was saved."]
        else:
            return redirect(url_for("applications.map_export", reference=vacancy.reference, draft_id=draft.id))
    return render_template("applications/from_export.html", vacancy=vacancy, form=form, problems=problems), (
        400 if form.errors else 200)


@bp.route("/from-export/<int:draft_id>", methods=["GET", "POST"])
@vacancy_access("manage")
def map_export(vacancy: Vacancy, draft_id: int):  # noqa: ANN201
    """The file's columns beside our fields; the first rows and every problem before anything is written."""
    from shortlist import exports

    draft = exports_service.draft_for(vacancy, current_user, draft_id)
    if draft is None:
        abort(404)
    profiles = exports_service.profiles(vacancy.organisation_id)
    criteria = exports_service.criteria(vacancy)
    fields = exports.fields_for(criteria)
    profile = request.values.get("profile", "")
    table = exports.read(draft.content, draft.filename)
    if request.method == "POST" and request.form.get("action") != "profile":
        mapping = {f: request.form.get(f"map-{f}", "") for f in fields}
    else:
        mapping = exports.suggest(table, criteria, profiles.get(profile))
    notice = ""
    if request.method == "POST" and request.form.get("action") == "save":
        try:
            exports_service.save_profile(vacancy, current_user, request.form.get("profile_name", ""), mapping)
            profile = " ".join(request.form.get("profile_name", "").split())
            profiles = exports_service.profiles(vacancy.organisation_id)
            notice = f"Profile {profile!r} saved for {vacancy.organisation}"
        except exports_service.ProfileRefused as refused:
            notice = str(refused)
    checked = exports_service.check(vacancy, draft, mapping)
    if request.method == "POST" and request.form.get("action") == "import" and not checked.problems:
        count = exports_service.import_mapped(vacancy, current_user, draft, mapping, profile)
        flash(f"{count} application{'' if count == 1 else 's'} imported from {draft.filename}", "success")
        return redirect(url_for("applications.index", reference=vacancy.reference))
    return render_template("applications/map_export.html", vacancy=vacancy, draft=draft, fields=fields,
                           columns=table.columns, mapping=mapping, checked=checked, profiles=profiles,
                           profile=profile, notice=notice, sealed=exports.SEALED), (
        400 if request.method == "POST" and request.form.get("action") == "import" else 200)


@bp.route("/new", methods=["GET", "POST"])
@vacancy_access("manage")
def new(vacancy: Vacancy):  # noqa: ANN201
    form = make_application_form(vacancy)()
    forces_date = dates.DateParts("armed_forces_date")
    forces: cf.ForcesSpec | None = None
    if request.method == "POST" and form.armed_forces.data in ("serving", "left"):
        serving = form.armed_forces.data == "serving"
        forces_date = dates.read(request.form, "armed_forces_date",
                                 "Date they are due to leave" if serving else "Date they left")
        if forces_date.value is not None:
            forces = cf.ForcesSpec(
                None if serving else forces_date.value, forces_date.value if serving else None,
                not serving and form.armed_forces_last_long_term_employer.data == "yes")
    if form.validate_on_submit():
        reference = form.reference.data.strip()
        if forces_date.error:
            form.armed_forces.errors = [forces_date.error]
        elif reference in service.existing_references(vacancy):
            form.reference.errors = [f"An application {reference} already exists on this vacancy"]
        elif form.unmet_due_to_disability.data and form.disability_declared.data != "yes":
            form.unmet_due_to_disability.errors = [
                "Only an applicant who declared a disability can say a criterion cannot be met because of it"]
        elif (form.conviction_details.data or "").strip() and form.unspent_convictions.data != "yes":
            form.conviction_details.errors = ["Give details only when the applicant declared an unspent conviction"]
        else:
            # sealed on the way in: stored apart, read by HR only (R10, R15), never in the audit data
            equality = {key: getattr(form, f"equality_{key}").data for key in EQUALITY_QUESTIONS
                        if getattr(form, f"equality_{key}").data}
            declared = form.unspent_convictions.data
            spec = cf.ApplicationSpec(
                reference=reference,
                name=form.name.data.strip(),
                email=(form.email.data or "").strip().lower(),
                phone=(form.phone.data or "").strip(),
                disability_declared=form.disability_declared.data == "yes",
                offer_interview_opt_in=form.offer_interview_opt_in.data == "yes",
                unmet_due_to_disability=tuple(form.unmet_due_to_disability.data or ()),
                adjustments=(form.adjustments.data or "").strip(),
                evidence={
                    c.key: getattr(form, f"evidence_{c.key}").data.strip()
                    for c in vacancy.criteria
                    if c.shortlisting and (getattr(form, f"evidence_{c.key}").data or "").strip()
                },
                equality_monitoring=equality or None,
                criminal_record_declaration=(declared == "yes", (form.conviction_details.data or "").strip()
                                             if declared == "yes" else "") if declared in ("yes", "no") else None,
                armed_forces=forces,
            )
            service.add_application(vacancy, spec, audit.Actor.of(current_user))
            flash(f"Application {reference} added", "success")
            return redirect(url_for("applications.index", reference=vacancy.reference))
    evidence_fields = [getattr(form, f"evidence_{c.key}") for c in vacancy.criteria if c.shortlisting]
    equality_fields = [getattr(form, f"equality_{key}") for key in EQUALITY_QUESTIONS]
    return render_template("applications/new.html", vacancy=vacancy, form=form, evidence_fields=evidence_fields,
                           equality_fields=equality_fields, forces_date=forces_date)
