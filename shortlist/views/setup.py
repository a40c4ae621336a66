"""Setting up a vacancy in steps: details, checks, person specification, scale, panel,
interview questions, then review and publish. Each step is validated by the rules engine."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from shortlist import rules
from shortlist.forms.vacancy import (
    ChecksForm,
    CompletedForm,
    CriterionForm,
    DetailsForm,
    DetailsStepForm,
    ImportSpecForm,
    PanelMemberForm,
    ReviewImportForm,
    ScaleForm,
)
from shortlist.models import DBS_LEVELS, METHODS, Vacancy
from shortlist.rules.vocabulary import INTERVIEW_METHODS
from shortlist.permissions import organisation_required, organisations_for, vacancy_access
from shortlist.services import access_links, band_warnings, organisations, panel_changes
from shortlist.services import vacancies as service
from shortlist.services.panel import PanelRefused
from shortlist.services.recommendations import check_model
from shortlist.specimport import READING_DOUBTS, SpecImportError, import_spec, import_text

bp = Blueprint("setup", __name__)

CHECK_PREFIXES = service.CHECK_PREFIXES
DETAIL_PREFIXES = service.DETAIL_PREFIXES


@bp.app_template_global()
def setup_fix_url(reference: str, field: str) -> str | None:
    """The set-up step where a finding about `field` is fixed."""
    endpoint, values = service.fix_endpoint(reference, field)
    return None if endpoint == "setup.tasks" else url_for(endpoint, **values)


def _attach(form: FlaskForm, findings: list[rules.Finding], fields: dict[str, str], fallback: str) -> None:
    """Show the engine's findings on the form fields they concern (GOV.UK error summary links to them)."""
    for finding in findings:
        name = next((f for prefix, f in fields.items() if finding.field.startswith(prefix)), fallback)
        field = getattr(form, name)
        field.errors = [*field.errors, finding.message]


def _warn(findings: list[rules.Finding]) -> None:
    for finding in findings:
        if finding.severity == "warning":
            flash(f"Check: {finding.message}", "warning")


def _scores(count: int) -> str:
    return f"{count} score{'' if count == 1 else 's'}"


def _yes(value: str | None) -> bool:
    return value == "yes"


def _yn(value: bool) -> str:
    return "yes" if value else "no"


# --------------------------------------------------------------------------- create and task list


@bp.route("/vacancies/new", methods=["GET", "POST"])
@organisation_required("create_vacancy")
def new():  # noqa: ANN201
    form = DetailsForm()
    _organisations(form)
    if form.validate_on_submit():
        reference = form.reference.data.strip()
        if service.reference_taken(reference):
            form.reference.errors = [f"A vacancy with the reference {reference} already exists"]
        else:
            vacancy = service.create_vacancy(current_user, reference, **_details(form))
            flash(f"Vacancy {reference} created as a draft", "success")
            return redirect(url_for("setup.tasks", reference=vacancy.reference))
    return render_template("setup/details.html", form=form, vacancy=None)


def _organisations(form: DetailsForm, vacancy: Vacancy | None = None) -> None:
    """The organisations offered: those the person creates vacancies for (and the vacancy's own)."""
    ids = set(organisations_for(current_user, "create_vacancy"))
    if vacancy is not None:
        ids.add(vacancy.organisation_id)
        if request.method == "GET":
            form.organisation.data = vacancy.org.code
    found = organisations.by_ids(ids)
    form.organisation.choices = [(o.code, o.name) for o in found]
    form.organisation_ids = {o.code: o.id for o in found}  # type: ignore[attr-defined]


def _details(form: DetailsForm) -> dict[str, Any]:
    return {
        "title": form.title.data.strip(), "organisation_id": form.organisation_ids[form.organisation.data],
        "department": (form.department.data or "").strip(), "grade": (form.grade.data or "").strip(),
        "posts": form.posts.data, "closing_date": form.closing_date.data,
    }


@bp.get("/vacancies/<reference>/setup")
@vacancy_access("manage")
def tasks(vacancy: Vacancy):  # noqa: ANN201
    findings = check_model(vacancy)
    errors = [f for f in findings if f.severity == "error"]
    problems = {
        section: sum(1 for f in errors if f.field.startswith(prefixes))
        for section, prefixes in {"checks": ("dbs", "min_scorers", "employment_gap_months", "safeguarding"),
                                  "criteria": ("criteria",), "scale": ("scale",), "panel": ("panel",)}.items()
    }
    refusals = service.publish_refusals(vacancy) if vacancy.status == "draft" else []
    return render_template("setup/tasks.html", vacancy=vacancy, findings=findings, errors=errors,
                           problems=problems, locked=service.scores_submitted(vacancy), refusals=refusals,
                           task_names=service.SETUP_TASKS, completed={t: service.task_completed(vacancy, t)
                                                                      for t in service.SETUP_TASKS})


def _completed(form: Any, vacancy: Vacancy, task: str) -> None:
    """Show whether the step is marked completed (a GET of the step)."""
    if request.method == "GET":
        form.completed.data = "yes" if service.task_completed(vacancy, task) else None


@bp.route("/vacancies/<reference>/setup/details", methods=["GET", "POST"])
@vacancy_access("manage")
def details(vacancy: Vacancy):  # noqa: ANN201
    form = DetailsStepForm(obj=vacancy)
    _organisations(form, vacancy)
    _completed(form, vacancy, "details")
    if form.validate_on_submit():
        _warn(service.update_details(vacancy, current_user, completed=_yes(form.completed.data), **_details(form)))
        return redirect(url_for("setup.tasks", reference=vacancy.reference))
    return render_template("setup/details.html", form=form, vacancy=vacancy)


@bp.post("/vacancies/<reference>/setup/criteria/complete")
@vacancy_access("manage")
def criteria_complete(vacancy: Vacancy):  # noqa: ANN201
    return _list_complete(vacancy, "criteria")


@bp.post("/vacancies/<reference>/setup/panel/complete")
@vacancy_access("manage")
def panel_complete(vacancy: Vacancy):  # noqa: ANN201
    return _list_complete(vacancy, "panel")


def _list_complete(vacancy: Vacancy, task: str) -> Any:
    """Whether a step made of a list is completed: its own small form at the end of its page."""
    done = CompletedForm()
    if done.validate_on_submit():
        service.mark_task(vacancy, current_user, task, _yes(done.completed.data))
        return redirect(url_for("setup.tasks", reference=vacancy.reference))
    page_errors = [{"text": e, "href": "#completed"} for e in done.completed.errors]
    return (_criteria_page(vacancy, done=done, page_errors=page_errors) if task == "criteria"
            else _panel_page(vacancy, PanelMemberForm(formdata=None), done=done, page_errors=page_errors))


CHECK_FIELDS = {
    "dbs.level": "dbs_level", "dbs.barred_lists": "barred_lists", "dbs.regulated_activity": "regulated_activity",
    "dbs": "dbs_level", "min_scorers": "min_scorers", "employment_gap_months": "employment_gap_months",
    "criteria": "customer_facing", "disability_confident.reason": "change_reason",
    "disability_confident.confirm_lost": "confirm_lost", "disability_confident": "offer_interview",
    "safeguarding_exemption": "safeguarding_exemption", "armed_forces_scheme": "armed_forces_scheme",
}


@bp.route("/vacancies/<reference>/setup/checks", methods=["GET", "POST"])
@vacancy_access("manage")
def checks(vacancy: Vacancy):  # noqa: ANN201
    form = ChecksForm()
    if request.method == "GET":
        form.dbs_level.data = vacancy.dbs_level
        form.barred_lists.data = list(vacancy.dbs_barred_lists)
        form.regulated_activity.data = _yn(vacancy.dbs_regulated_activity)
        form.safeguarding_role.data = _yn(vacancy.safeguarding_role)
        form.customer_facing.data = _yn(vacancy.customer_facing)
        form.offer_interview.data = _yn(vacancy.offer_interview)
        form.declaration_triggers_scheme.data = _yn(vacancy.declaration_triggers_scheme)
        form.waiver_policy.data = _yn(vacancy.waiver_policy)
        form.armed_forces_scheme.data = _yn(vacancy.armed_forces_scheme)
        form.min_scorers.data = vacancy.min_scorers
        form.employment_gap_months.data = vacancy.employment_gap_months
        form.safeguarding_exemption.data = vacancy.safeguarding_exemption or ""
    _completed(form, vacancy, "checks")
    if form.validate_on_submit():
        try:
            warnings = service.update_checks(
                vacancy, current_user, dbs_level=form.dbs_level.data, barred_lists=form.barred_lists.data or [],
                regulated_activity=_yes(form.regulated_activity.data),
                safeguarding_role=_yes(form.safeguarding_role.data),
                customer_facing=_yes(form.customer_facing.data), offer_interview=_yes(form.offer_interview.data),
                waiver_policy=_yes(form.waiver_policy.data),
                declaration_triggers_scheme=_yes(form.declaration_triggers_scheme.data),
                armed_forces_scheme=(_yes(form.armed_forces_scheme.data) if form.armed_forces_scheme.data
                                     else vacancy.armed_forces_scheme),
                min_scorers=form.min_scorers.data, employment_gap_months=form.employment_gap_months.data,
                change_reason=form.change_reason.data or "", confirm_lost=bool(form.confirm_lost.data),
                safeguarding_exemption=form.safeguarding_exemption.data or "", completed=_yes(form.completed.data),
            )
        except service.SetupRefused as exc:
            _attach(form, exc.findings, CHECK_FIELDS, "dbs_level")
        else:
            _warn(warnings)
            return redirect(url_for("setup.tasks", reference=vacancy.reference))
    return render_template("setup/checks.html", form=form, vacancy=vacancy, band=band_warnings.check(vacancy),
                           scheme_locked=service.scores_submitted(vacancy))


# --------------------------------------------------------------------------- scale


@bp.route("/vacancies/<reference>/setup/scale", methods=["GET", "POST"])
@vacancy_access("manage")
def scale(vacancy: Vacancy):  # noqa: ANN201
    form = ScaleForm()
    locked = service.scores_submitted(vacancy)
    if request.method == "GET":
        current = {"min": vacancy.scale_min, "max": vacancy.scale_max, "met": vacancy.scale_met,
                   "divergence_gap": vacancy.divergence_gap, "descriptors": vacancy.descriptors}
        form.preset.data = next((k for k, v in service.SCALE_PRESETS.items() if v == current), "custom")
        form.descriptors.data = "\n".join(f"{k}: {v}" for k, v in sorted(vacancy.descriptors.items()))
        form.met.data = vacancy.scale_met
        form.divergence_gap.data = vacancy.divergence_gap
    _completed(form, vacancy, "scale")
    if form.validate_on_submit():
        if form.preset.data in service.SCALE_PRESETS:
            preset = service.SCALE_PRESETS[form.preset.data]
            values = {"minimum": preset["min"], "maximum": preset["max"], "met": preset["met"],
                      "divergence_gap": preset["divergence_gap"], "descriptors": dict(preset["descriptors"])}
        else:
            values = None
            try:
                descriptors = form.parsed_descriptors()
            except ValueError as exc:
                form.descriptors.errors = [str(exc)]
            else:
                if form.met.data is None:
                    form.met.errors = ["Enter the score at which a criterion is met"]
                else:
                    values = {"minimum": min(descriptors), "maximum": max(descriptors), "met": form.met.data,
                              "divergence_gap": form.divergence_gap.data or 2, "descriptors": descriptors}
        if values is not None:
            affected = service.scores_affected(vacancy) if locked else 0
            try:
                warnings = service.set_scale(vacancy, current_user, completed=_yes(form.completed.data), **values)
            except service.Locked as exc:
                form.preset.errors = [str(exc)]
            except service.SetupRefused as exc:
                _attach(form, exc.findings, {"scale.met": "met", "scale.divergence_gap": "divergence_gap"},
                        "descriptors")
            else:
                _warn(warnings)
                cleared = affected - (service.scores_affected(vacancy) if locked else 0)
                if cleared:
                    flash(f"The scale was changed after scoring started: {_scores(cleared)} cleared. "
                          "The panel members score again on the new scale.", "success")
                return redirect(url_for("setup.tasks", reference=vacancy.reference))
    return render_template("setup/scale.html", form=form, vacancy=vacancy, locked=locked,
                           affected=service.scores_affected(vacancy) if locked else 0)


# --------------------------------------------------------------------------- criteria


@bp.get("/vacancies/<reference>/setup/criteria")
@vacancy_access("manage")
def criteria(vacancy: Vacancy):  # noqa: ANN201
    return _criteria_page(vacancy)


def _done_form(vacancy: Vacancy, task: str) -> CompletedForm:
    done = CompletedForm(formdata=None)
    done.completed.data = "yes" if service.task_completed(vacancy, task) else None
    return done


def _criteria_page(vacancy: Vacancy, done: CompletedForm | None = None, **extra: Any) -> str:
    return render_template("setup/criteria.html", vacancy=vacancy, findings=check_model(vacancy),
                           band=band_warnings.check(vacancy), locked=service.scores_submitted(vacancy),
                           done=done or _done_form(vacancy, "criteria"), **extra)


def _criterion_input(form: CriterionForm, key: str | None) -> service.CriterionInput:
    return service.CriterionInput(
        category=form.category.data.strip(), text=" ".join(form.text.data.split()),
        essential=form.essential.data == "essential",
        methods=tuple(m for m in METHODS if m in (form.methods.data or [])),
        shortlisting=_yes(form.shortlisting.data), non_waivable=bool(form.non_waivable.data),
        pre_employment=bool(form.pre_employment.data), key=key,
    )


def _criterion_field(finding: rules.Finding) -> str:
    for suffix, name in ((".methods", "methods"), (".shortlisting", "shortlisting"),
                         (".pre_employment", "pre_employment")):
        if finding.field.endswith(suffix):
            return name
    return "text"


@bp.route("/vacancies/<reference>/setup/criteria/new", methods=["GET", "POST"])
@bp.route("/vacancies/<reference>/setup/criteria/<key>", methods=["GET", "POST"])
@vacancy_access("manage")
def criterion(vacancy: Vacancy, key: str | None = None):  # noqa: ANN201
    row = next((c for c in vacancy.criteria if c.key == key), None) if key else None
    if key and row is None:
        abort(404)
    form = CriterionForm()
    if request.method == "GET" and row is not None:
        form.category.data, form.text.data = row.category, row.text
        form.essential.data = "essential" if row.essential else "desirable"
        form.methods.data = list(row.methods)
        form.shortlisting.data = _yn(row.shortlisting)
        form.non_waivable.data, form.pre_employment.data = row.non_waivable, row.pre_employment
    locked = service.scores_submitted(vacancy)
    affected = service.scores_affected(vacancy, [row.id]) if locked and row is not None else 0
    if form.validate_on_submit():
        items = service.current_inputs(vacancy)
        new_item = _criterion_input(form, key)
        items = [new_item if i.key == key else i for i in items] if key else [*items, new_item]
        before = service.scores_affected(vacancy, [row.id]) if locked and row is not None else 0
        try:
            warnings = service.save_criteria(vacancy, current_user, items, action="edit" if key else "add")
            cleared = before - (service.scores_affected(vacancy, [row.id]) if locked and row is not None else 0)
        except service.Locked as exc:
            form.text.errors = [str(exc)]
        except service.SetupRefused as exc:
            mine = [f for f in exc.findings if f.criterion in (key, None) or f.criterion == new_item.key]
            for finding in mine or exc.findings:
                field = getattr(form, _criterion_field(finding))
                field.errors = [*field.errors, finding.message]
        else:
            _warn(warnings)
            flash(f"Criterion saved. The change cleared {_scores(cleared)} for {key}: the panel members "
                  "concerned score it again." if cleared else "Criterion saved", "success")
            return redirect(url_for("setup.criteria", reference=vacancy.reference))
    return render_template("setup/criterion.html", form=form, vacancy=vacancy, row=row, locked=locked,
                           affected=affected)


@bp.post("/vacancies/<reference>/setup/criteria/<key>/change")
@vacancy_access("manage")
def change_criterion(vacancy: Vacancy, key: str):  # noqa: ANN201
    """Move a criterion up or down, or delete it (buttons on the criteria page)."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    items = service.current_inputs(vacancy)
    index = next((i for i, item in enumerate(items) if item.key == key), None)
    if index is None:
        abort(404)
    action = request.form.get("action") or ""
    if not service.move(items, index, action):
        return redirect(url_for("setup.criteria", reference=vacancy.reference))
    try:
        _warn(service.save_criteria(vacancy, current_user, items, action=action))
    except (service.Locked, service.SetupRefused) as exc:
        flash(f"Not changed: {exc}", "warning")
    else:
        if action == "delete":
            flash(f"Criterion {key} deleted", "success")
    return redirect(url_for("setup.criteria", reference=vacancy.reference) + f"#criterion-{key}")


# --------------------------------------------------------------------------- import


@bp.route("/vacancies/<reference>/setup/import", methods=["GET", "POST"])
@vacancy_access("manage")
def import_spec_view(vacancy: Vacancy):  # noqa: ANN201
    form = ImportSpecForm()
    if form.validate_on_submit():
        upload = form.file.data
        uploaded = bool(upload and upload.filename)
        source = form.file if uploaded else form.text  # a problem is shown beside what was given
        try:
            if uploaded:
                proposal = import_spec(upload.read(), upload.filename)
                filename = upload.filename
            else:
                proposal = import_text(form.text.data)
                filename = "pasted text"
        except SpecImportError as exc:
            source.errors = [exc.message]
        else:
            if not proposal.criteria:
                source.errors = ["No criteria were found in the person specification. Check it is the person "
                                 "specification (not the job description), or add the criteria by hand."]
            else:
                data = proposal.to_json()
                data["found"] = len(proposal.criteria)  # the review counts what is left against it
                service.start_import(vacancy, current_user, data, filename)
                return redirect(url_for("setup.review_import", reference=vacancy.reference))
    return render_template("setup/import.html", form=form, vacancy=vacancy)


USE_FACTS = ("use_dbs", "use_disability_confident", "use_waiver_policy")


@bp.route("/vacancies/<reference>/setup/import/review", methods=["GET", "POST"])
@vacancy_access("manage")
def review_import(vacancy: Vacancy):  # noqa: ANN201
    draft = service.draft_for(vacancy, current_user)
    if draft is None:
        flash("There is no person specification waiting for review: upload one first", "info")
        return redirect(url_for("setup.import_spec_view", reference=vacancy.reference))
    form = ReviewImportForm()
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        rows = form.drafts(len(draft.data["criteria"]))
        use = {name: request.form.get(name) == "yes" for name in USE_FACTS}
        action = request.form.get("action", "")
        if action == "discard":
            service.discard_draft(vacancy, current_user, draft)
            flash("The import was discarded; nothing was saved", "success")
            return redirect(url_for("setup.criteria", reference=vacancy.reference))
        if action != "confirm":
            problem = service.review_action(rows, action)
            service.update_draft(draft, rows, use)
            if problem:
                flash(problem, "warning")
            verb, _, anchor = action.partition(":")
            anchor = str(len(rows) - 1) if verb == "add" else anchor
            return redirect(url_for("setup.review_import", reference=vacancy.reference) + f"#c{anchor}")
        errors = service.review_problems(rows)
        service.update_draft(draft, rows, use)
        if not errors:
            mode = request.form.get("mode") if request.form.get("mode") in ("replace", "append") else "replace"
            try:
                warnings = service.confirm_import(vacancy, current_user, draft, mode=mode,
                                                  apply_facts=_facts(draft.data, request.form))
            except service.Locked as exc:
                errors["mode"] = str(exc)
            except service.SetupRefused as exc:
                for finding in exc.findings:
                    errors[f"finding-{finding.code}-{finding.criterion or ''}"] = finding.message
            else:
                _warn(warnings)
                flash(f"{len(rows)} criteria saved from {draft.filename}", "success")
                return redirect(url_for("setup.criteria", reference=vacancy.reference))
    page_errors = [{"text": message, "href": f"#{key}" if not key.startswith("finding-") else
                    ("#mode" if "import_empty" not in key else "#criteria-heading")}
                   for key, message in errors.items()]
    rows = service.draft_rows(draft)
    check_first = [(i, row) for i, row in enumerate(rows) if any(d.get("code") in READING_DOUBTS for d in row.doubts)]
    return render_template("setup/review_import.html", vacancy=vacancy, draft=draft, rows=rows,
                           form=ReviewImportForm.of(rows, errors), errors=errors, methods=METHODS,
                           page_errors=page_errors, check_first=check_first)


def _facts(data: dict[str, Any], form: Any) -> dict[str, Any]:
    """The vacancy facts the document states, where the manager ticked "use this"."""
    facts: dict[str, Any] = {}
    dbs = data.get("dbs", {})
    if form.get("use_dbs") == "yes" and dbs.get("level") in DBS_LEVELS:
        facts["dbs_level"] = dbs["level"]
        facts["dbs_barred_lists"] = list(dbs.get("barred_lists", []))
        facts["dbs_regulated_activity"] = bool(dbs.get("barred_lists"))
    if form.get("use_disability_confident") == "yes" and data.get("disability_confident") is not None:
        facts["offer_interview"] = bool(data["disability_confident"])
    if form.get("use_waiver_policy") == "yes" and data.get("waiver_policy") is not None:
        facts["waiver_policy"] = bool(data["waiver_policy"])
    return facts


# --------------------------------------------------------------------------- panel


@bp.route("/vacancies/<reference>/setup/panel", methods=["GET", "POST"])
@vacancy_access("manage")
def panel(vacancy: Vacancy):  # noqa: ANN201
    form = PanelMemberForm()
    if form.validate_on_submit():
        try:
            service.add_panel_member(vacancy, current_user, email=form.email.data, name=form.name.data.strip(),
                                     role=form.role.data)
        except service.SetupRefused as exc:
            form.email.errors = [f.message for f in exc.findings]
        else:
            name = form.name.data.strip()
            flash(f"{name} added to the panel" + (
                "" if service.has_password(form.email.data) else
                f". {name} has no password yet: we have e-mailed them an invitation to set one (the link works "
                f"for {access_links.lifetime('invitation').total_seconds() / 3600:.0f} hours)."), "success")
            return redirect(url_for("setup.panel", reference=vacancy.reference))
    return _panel_page(vacancy, form)


def _panel_page(vacancy: Vacancy, form: PanelMemberForm, done: CompletedForm | None = None, **extra: Any) -> str:
    findings = [f for f in check_model(vacancy) if f.field.startswith("panel")]
    return render_template("setup/panel.html", vacancy=vacancy, form=form, findings=findings,
                           may_link={m.id: access_links.may_issue(current_user, m.user, vacancy) for m in vacancy.panel},
                           done=done or _done_form(vacancy, "panel"), **extra)


@bp.route("/vacancies/<reference>/setup/panel/<int:membership_id>/remove", methods=["GET", "POST"])
@vacancy_access("manage")
def remove_member(vacancy: Vacancy, membership_id: int):  # noqa: ANN201
    """A confirmation page that says what happens to what the member has done (one rule,
    panel_changes.SUBMITTED_SCORES_RULE), and asks for the reason once scoring has started."""
    membership = next((m for m in vacancy.panel if m.id == membership_id), None)
    if membership is None:
        abort(404)
    impact = panel_changes.removal_impact(vacancy, membership)
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST" and FlaskForm().validate_on_submit():
        name = membership.user.name
        try:
            panel_changes.remove_member(vacancy, current_user, membership, request.form.get("reason", ""))
        except PanelRefused as refused:
            page_errors, field_errors = refused.errors, refused.by_field
        else:
            flash(f"{name} removed from the panel", "success")
            return redirect(url_for("setup.panel", reference=vacancy.reference))
    return render_template("setup/remove_member.html", vacancy=vacancy, impact=impact, m=membership,
                           rule=panel_changes.SUBMITTED_SCORES_RULE, page_errors=page_errors,
                           field_errors=field_errors, reason=request.form.get("reason", ""))


# --------------------------------------------------------------------------- questions


@bp.route("/vacancies/<reference>/setup/questions", methods=["GET", "POST"])
@vacancy_access("manage")
def questions(vacancy: Vacancy):  # noqa: ANN201
    form = CompletedForm()
    _completed(form, vacancy, "questions")
    interview = [c for c in vacancy.criteria if set(c.methods) & INTERVIEW_METHODS and not c.pre_employment]
    reusable = service.reusable_questions(vacancy, current_user)
    page_errors: list[dict[str, str]] = []
    if request.method == "POST" and not form.validate_on_submit():
        page_errors = [{"text": e, "href": "#completed"} for e in form.completed.errors] or [
            {"text": "The form could not be read: reload the page and try again", "href": "#main-content"}]
    elif form.validate_on_submit():
        typed = {c.key: [line.strip() for line in request.form.get(f"q-{c.key}", "").splitlines() if line.strip()]
                 for c in interview}
        # too long is an error that names the criterion, not a question cut short
        page_errors = [{"text": f"Each question for {key} must be 2000 characters or fewer", "href": f"#q-{key}"}
                       for key, lines in typed.items() if any(len(line) > 2000 for line in lines)]
        if not page_errors:
            picked: dict[str, list[service.ReusableQuestion]] = {}
            for c in interview:
                chosen = set(request.form.getlist(f"reuse-{c.key}"))
                picked[c.key] = [q for q in reusable.get(c.key, []) if str(q.id) in chosen]
            service.save_questions(vacancy, current_user, typed, reused={k: v for k, v in picked.items() if v},
                                   completed=_yes(form.completed.data))
            flash("Interview questions saved", "success")
            return redirect(url_for("setup.tasks", reference=vacancy.reference))
    existing: dict[str, list[str]] = {}
    for q in vacancy.questions:
        existing.setdefault(q.criterion.key, []).append(q.text)
    reuse_items = {
        key: [{"value": str(q.id), "text": q.text, "hint": {"text": f"Asked on {q.vacancy_title} ({q.vacancy_reference})"}}
              for q in found]
        for key, found in reusable.items()
    }
    return render_template("setup/questions.html", vacancy=vacancy, form=form, interview=interview,
                           existing=existing, reusable=reusable, reuse_items=reuse_items,
                           page_errors=page_errors), 400 if page_errors else 200


# --------------------------------------------------------------------------- publish


@bp.route("/vacancies/<reference>/setup/publish", methods=["GET", "POST"])
@vacancy_access("manage")
def publish(vacancy: Vacancy):  # noqa: ANN201
    form = FlaskForm()
    refused: list[rules.Finding] = []
    if form.validate_on_submit():
        try:
            _warn(service.publish(vacancy, current_user))
        except service.SetupRefused as exc:
            refused = exc.findings
        else:
            flash(f"{vacancy.title} is published and open for applications", "success")
            return redirect(url_for("vacancies.show", reference=vacancy.reference))
    return render_template("setup/publish.html", vacancy=vacancy, form=form, findings=check_model(vacancy),
                           band=band_warnings.check(vacancy), refused=refused)
