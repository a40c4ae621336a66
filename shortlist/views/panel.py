"""The panel's pages: conflicts, scoring, moderation, decisions, finalising. Thin: each
POST calls one service function and shows its refusals in the error summary."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from markupsafe import Markup
from flask_login import current_user, logout_user
from werkzeug.datastructures import MultiDict

from shortlist import paging, rules
from shortlist.forms.panel import AgreedScoreForm, ConflictsForm, DecisionForm, FinaliseForm, make_scoring_form
from shortlist.models import GAP_MARK_NAMES, STAGES, Application, Criterion, Vacancy
from shortlist.models.base import utcnow
from shortlist.numbers import parse_int
from shortlist.permissions import Sight, can, hidden_because, is_hr_of, sees_scores, shown_recommendation, vacancy_access
from shortlist.services import lists
from shortlist.services import adjustments, closing, form_stash, gap_marks, panel, panel_changes, sessions
from shortlist.services import conflicts as conflict_service
from shortlist.services.blockers import first_blockers
from shortlist.services.recommendations import recommend_with_records
from shortlist.services.sight import sight

bp = Blueprint("panel", __name__, url_prefix="/vacancies/<reference>")

STATUS_LABELS = {
    "not_started": ("Not started", "govuk-tag--grey"),
    "draft": ("Draft", "govuk-tag--yellow"),
    "submitted": ("Submitted", "govuk-tag--green"),
    "conflict": ("Conflict declared", "govuk-tag--red"),
}
OUTCOME_LABELS = {
    "guaranteed_interview": ("Guaranteed interview", "govuk-tag--purple"),
    "meets_essentials": ("Meets essentials", "govuk-tag--green"),
    "does_not_meet": ("Does not meet", "govuk-tag--red"),
    "hr_review": ("HR review", "govuk-tag--orange"),
    "incomplete": ("Incomplete", "govuk-tag--grey"),
}


def _context(vacancy: Vacancy, **extra: object) -> dict[str, object]:
    return {
        "vacancy": vacancy,
        "can_see_recommendations": can(current_user, "view_recommendations", vacancy),
        "can_manage": can(current_user, "manage", vacancy),
        "status_labels": STATUS_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        # whose scores are shown as from someone who has left the panel (panel_changes.SUBMITTED_SCORES_RULE)
        "on_panel": {m.user.email for m in vacancy.panel},
        **extra,
    }


def _application(vacancy: Vacancy, application_reference: str) -> Application:
    application = panel.application_by_reference(vacancy, application_reference)
    if application is None:
        abort(404)
    return application


def _attach(form: object, refused: panel.PanelRefused) -> None:
    """Show each refusal at its field as well as in the error summary."""
    for problem in refused.problems:
        if problem.field and problem.field in form:  # type: ignore[operator]
            target = form[problem.field]  # type: ignore[index]
            target.errors = [*target.errors, problem.message]


def _stage() -> str:
    stage = request.args.get("stage", "shortlisting")
    return stage if stage in STAGES else "shortlisting"


# --------------------------------------------------------------------------- conflicts


@bp.route("/conflicts", methods=["GET", "POST"])
@vacancy_access("panel")
def conflicts(vacancy: Vacancy):  # noqa: ANN201
    form = ConflictsForm()
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        chosen = set(request.form.getlist("conflict"))
        answers = {
            a.token: ("yes" if a.token in chosen else "no", request.form.get(f"details-{a.token}", ""))
            for a in panel.applicants_for_declaration(vacancy, current_user)
        }
        try:
            found = panel.declare_conflicts(vacancy, current_user, answers)
        except panel.PanelRefused as refused:
            page_errors, field_errors = refused.errors, refused.by_field
        else:
            flash("Your declarations are saved." + (
                f" You will not score {len(found)} applicant{'s' if len(found) != 1 else ''} you declared."
                if found else ""), "success")
            return redirect(url_for("panel.scoring", reference=vacancy.reference))
    elif request.method == "POST":
        page_errors = [{"text": e, "href": "#confirm"} for e in form.confirm.errors]
    applicants = panel.applicants_for_declaration(vacancy, current_user)
    chosen = set(request.form.getlist("conflict")) if request.method == "POST" else {
        a.token for a in applicants if a.declared}
    return render_template("panel/conflicts.html", **_context(
        vacancy, form=form, applicants=applicants, chosen=chosen, page_errors=page_errors,
        field_errors=field_errors, phase=panel.conflict_phase(vacancy),
        is_scorer=panel.is_scorer(vacancy, current_user),
        applications_closed=closing.applications_closed(vacancy), open_message=closing.open_message(vacancy)))


@bp.post("/conflicts/withdrawal")
@vacancy_access("panel")
def request_withdrawal(vacancy: Vacancy):  # noqa: ANN201
    """A member asks HR or the chair to withdraw a conflict they declared (finding 2)."""
    if not FinaliseForm().validate_on_submit():
        abort(400)
    token = request.form.get("token", "")
    try:
        name = conflict_service.request_withdrawal(vacancy, current_user, token, request.form.get(f"withdraw-reason-{token}", ""))
    except panel.PanelRefused as refused:
        applicants = panel.applicants_for_declaration(vacancy, current_user)
        return render_template("panel/conflicts.html", **_context(
            vacancy, form=ConflictsForm(formdata=None), applicants=applicants,
            chosen={a.token for a in applicants if a.declared}, page_errors=refused.errors,
            field_errors=refused.by_field, phase=panel.conflict_phase(vacancy),
            is_scorer=panel.is_scorer(vacancy, current_user),
            applications_closed=closing.applications_closed(vacancy), open_message=closing.open_message(vacancy)))
    flash(f"You asked for your declared conflict with {name} to be withdrawn. It stays in place until HR or "
          "the chair has reviewed your request.", "success")
    return redirect(url_for("panel.conflicts", reference=vacancy.reference))


@bp.route("/conflicts/withdrawals", methods=["GET", "POST"])
@vacancy_access("moderate")
def withdrawals(vacancy: Vacancy):  # noqa: ANN201
    """HR or the chair reviews requests to withdraw a declared conflict, with a reason."""
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        if not FinaliseForm().validate_on_submit():
            abort(400)
        declaration_id = parse_int(request.form.get("declaration", ""), "declaration")
        try:
            conflict_service.review_withdrawal(vacancy, current_user, declaration_id,
                                        request.form.get(f"decision-{declaration_id}", ""),
                                        request.form.get(f"review-reason-{declaration_id}", ""))
        except panel.PanelRefused as refused:
            page_errors, field_errors = refused.errors, refused.by_field
        else:
            flash("Your review is recorded.", "success")
            return redirect(url_for("panel.withdrawals", reference=vacancy.reference))
    return render_template("panel/withdrawals.html", **_context(
        vacancy, requests=conflict_service.pending(vacancy), form=FinaliseForm(formdata=None), page_errors=page_errors,
        field_errors=field_errors))


# --------------------------------------------------------------------------- scoring


@bp.get("/scoring")
@vacancy_access("score")
def scoring(vacancy: Vacancy):  # noqa: ANN201
    stage = _stage()
    if not panel.declarations_complete(vacancy, current_user):
        flash("Declare any conflicts of interest before you read the applications.", "info")
        return redirect(url_for("panel.conflicts", reference=vacancy.reference))
    # one page of their queue (issue 19): its cost follows the rows shown, not the campaign
    status = request.args.get("status") or ""
    status = status if status in lists.QUEUE_STATUSES else ""
    listed = lists.queue_page(vacancy, current_user, stage, paging.page_number(request.args), status)
    queue = [panel.QueueItem(ref, st) for ref, st in listed.items]
    progress = panel.progress(vacancy, stage) if panel.may_moderate(vacancy, current_user) else []
    return render_template("panel/scoring.html", **_context(
        vacancy, stage=stage, queue=queue, done=listed.submitted, to_score=listed.to_score, progress=progress,
        score_url=reference_urls("panel.score", reference=vacancy.reference, stage=stage),
        stage_open=panel.stage_open(vacancy, stage), page=listed.page, status=status,
        status_items=[{"value": "", "text": "Any", "selected": not status}] + [
            {"value": k, "text": v, "selected": k == status} for k, v in lists.QUEUE_STATUSES.items()],
        pagination=paging.pagination(listed.page, lambda **kw: url_for(
            "panel.scoring", reference=vacancy.reference, **kw), {"stage": stage, "status": status})))


@bp.route("/scoring/<application_reference>", methods=["GET", "POST"])
@vacancy_access("score")
def score(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    stage = _stage()
    application = _application(vacancy, application_reference)
    criteria = panel.stage_criteria(vacancy, stage)
    gaps = panel.gaps_for(vacancy, application) if stage == "shortlisting" else []
    form_class = make_scoring_form(vacancy, criteria, gaps)
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    # A submission goes straight to the service, which checks this one application (the
    # member's declaration, any conflict, the shortlist) and writes nothing if refused:
    # the member's whole queue is read only for the page, so saving costs the same at any
    # campaign size. A refused submission is shown on the page, after the checks below.
    if request.method == "POST" and "mark_gaps" in request.form:
        # the member's missing marks on employment gaps, on a sheet they have submitted
        form = form_class()
        if form.validate_on_submit():
            starts = [g.gap_start or "" for g in gaps]
            try:
                gap_marks.mark_gaps(vacancy, application, current_user, current_user,
                                    {s: (request.form.get(f"gap-{s}"), request.form.get(f"gapnote-{s}", ""))
                                     for s in starts if request.form.get(f"gap-{s}") is not None}
                                    or {s: (None, "") for s in starts})
            except panel.PanelRefused as refused:
                page_errors, field_errors = refused.errors, refused.by_field
                _attach(form, refused)
            else:
                flash("Your employment-gap marks are saved.", "success")
                return redirect(url_for("panel.score", reference=vacancy.reference,
                                        application_reference=application_reference, stage=stage) + "#gaps")
    elif request.method == "POST":
        form = form_class()
        autosave = request.headers.get("X-Autosave") == "1"
        timed_out = "timed_out" in request.form  # the timeout warning ran out: save a draft, then sign out
        if form.validate_on_submit():
            submitting = bool(form.submit.data) and not (autosave or timed_out)
            # read before the service commits (which expires them): the redirect needs no query
            references = {"reference": vacancy.reference, "application_reference": application.reference}
            try:
                panel.save_sheet(vacancy, application, current_user, stage, form.values(), form.notes(),
                                 form.gap_marks(), submit=submitting)
            except panel.PanelRefused as refused:
                if autosave:
                    return jsonify(saved=False, errors=refused.errors), 422
                page_errors, field_errors = refused.errors, refused.by_field
                _attach(form, refused)
            else:
                if autosave:
                    return jsonify(saved=True, at=utcnow().strftime("%H:%M"))
                if timed_out:
                    return _signed_out_after_timeout(url_for("panel.score", **references, stage=stage))
                if submitting:
                    flash(f"Your scores for {references['application_reference']} are submitted.", "success")
                else:
                    flash(f"Your draft scores for {references['application_reference']} are saved.", "success")
                return redirect(url_for("panel.score", **references, stage=stage))
        else:
            if autosave:
                return jsonify(saved=False, errors=[{"text": m[0]} for m in form.errors.values()]), 422
            page_errors = [{"text": msgs[0], "href": f"#{name}"} for name, msgs in form.errors.items()]
    page = panel.score_page(vacancy, application, current_user, stage)
    if page == panel.NOT_IN_QUEUE:
        abort(404)
    if page == panel.DECLARE_FIRST:
        flash("Declare any conflicts of interest before you read the applications.", "info")
        return redirect(url_for("panel.conflicts", reference=vacancy.reference))
    if not isinstance(page, panel.ScorePage):  # CONFLICTED
        abort(403)
    restored = None
    if request.method != "POST" and page.sheet.submitted_at is None and page.stage_open:
        # what they sent after their sign-in lapsed: back on the page, unsaved (form_stash)
        restored = form_stash.take(current_user, request.full_path.rstrip("?"))
    if restored is not None:
        form = form_class(formdata=MultiDict(restored))
        flash("What you typed before you were signed out is back on this page. It is not saved yet: check it, "
              "then save it as a draft or submit it.", "info")
    elif request.method != "POST":
        form = form_class(data=_sheet_data(page))
    return render_template("panel/score.html", **_context(
        vacancy, stage=stage, application=application, criteria=criteria, evidence=page.evidence, gaps=gaps,
        form=form, sheet=page.sheet, others=page.others, page_errors=page_errors, field_errors=field_errors,
        position=page.position + 1, count=len(page.queue), previous=page.previous, next=page.next,
        next_to_score=page.next_to_score, restored=restored is not None, reveal_name=page.reveal_name,
        guaranteed=page.guaranteed, stage_open=page.stage_open, marks=page.marks, gap_labels=GAP_MARK_NAMES))


def _sheet_data(page: panel.ScorePage) -> dict[str, str | None]:
    """The scoring form's fields as the member's sheet and gap marks have them."""
    data = {f"score-{k}": (str(v) if v is not None else None) for k, v in page.sheet.values.items()}
    data.update({f"note-{k}": v for k, v in page.sheet.notes.items()})
    data.update({f"gap-{g}": m for g, (m, _n) in page.marks.items()})
    data.update({f"gapnote-{g}": n for g, (_m, n) in page.marks.items()})
    return data


@bp.route("/gaps/<application_reference>", methods=["GET", "POST"])
@vacancy_access("moderate")
def gap_marks_page(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    """Each shortlister's marks on a candidate's employment gaps; HR records a missing one
    for a member (with the reason), when the member cannot do it themself."""
    application = _application(vacancy, application_reference)
    members = gap_marks.marks_by_member(vacancy, application)
    owed = {m.email: m for m in members if m.owed}
    chosen = request.values.get("member", "")
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        if not is_hr_of(current_user, vacancy):
            abort(403)
        member = owed.get(chosen)
        if FinaliseForm().validate_on_submit() and member is not None:
            try:
                gap_marks.mark_gaps(vacancy, application, current_user, panel.user_by_email(member.email),
                                    {s: (request.form.get(f"gap-{s}"), request.form.get(f"gapnote-{s}", ""))
                                     for s in member.owed}, request.form.get("reason", ""))
            except panel.PanelRefused as refused:
                page_errors, field_errors = refused.errors, refused.by_field
            else:
                flash(f"{member.name}'s employment-gap marks for {application.reference} are recorded.", "success")
                return redirect(url_for("panel.gap_marks_page", reference=vacancy.reference,
                                        application_reference=application.reference))
        elif member is None:
            page_errors = [{"text": "Choose a member who has a gap still to mark", "href": "#main-content"}]
    return render_template("panel/gap_marks.html", **_context(
        vacancy, application=application, gaps=gap_marks.gaps(vacancy, application), members=members,
        recording=owed.get(chosen) if is_hr_of(current_user, vacancy) and vacancy.names_revealed is False else None,
        is_hr=is_hr_of(current_user, vacancy), page_errors=page_errors, field_errors=field_errors, values=request.form,
        gap_labels=GAP_MARK_NAMES, mark_items=lambda start: [
            {"value": k, "text": v, "checked": request.form.get(f"gap-{start}") == k}
            for k, v in GAP_MARK_NAMES.items()], stage_open=panel.stage_open(vacancy, "shortlisting")))


@bp.route("/adjustments/<application_reference>", methods=["GET", "POST"])
@vacancy_access("review_adjustments")
def adjustment_review(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    """HR's review of a disability claim against an essential criterion: an outcome and a
    reason for each, which the recommendation then follows."""
    application = _application(vacancy, application_reference)
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    claims = adjustments.claims(vacancy, application)
    if request.method == "POST" and FinaliseForm().validate_on_submit():
        answers = {c.criterion.key: (request.form.get(f"outcome-{c.criterion.key}"),
                                     request.form.get(f"reason-{c.criterion.key}", "")) for c in claims}
        try:
            adjustments.record_review(vacancy, application, current_user, answers)
        except panel.PanelRefused as refused:
            page_errors, field_errors = refused.errors, refused.by_field
        else:
            flash(f"HR’s review for {application_reference} is recorded; the recommendation follows it.", "success")
            return redirect(url_for("panel.decisions", reference=vacancy.reference))
    posted = request.method == "POST"

    def outcome_items(claim: adjustments.Claim) -> list[dict[str, object]]:
        key = claim.criterion.key
        chosen = request.form.get(f"outcome-{key}") if posted else (claim.review.outcome if claim.review else None)
        return [{"value": k, "text": v, "checked": chosen == k} for k, v in adjustments.OUTCOME_LABELS.items()]

    def reason_value(claim: adjustments.Claim) -> str:
        key = claim.criterion.key
        return request.form.get(f"reason-{key}", "") if posted else (claim.review.reason if claim.review else "")

    return render_template("panel/adjustment_review.html", **_context(
        vacancy, application=application, claims=claims, page_errors=page_errors, field_errors=field_errors,
        outcome_items=outcome_items, reason_value=reason_value, labels=adjustments.OUTCOME_LABELS,
        stage_open=panel.stage_open(vacancy, "shortlisting")))


def _signed_out_after_timeout(page: str) -> Any:
    """The timeout warning ran out on a form page: what was typed is saved as a draft, then
    the person is signed out, as on any idle sign-out, and comes back to the page."""
    sessions.end(session.get(sessions.SESSION_KEY), "idle")
    logout_user()
    session.clear()
    minutes = current_app.config["SESSION_IDLE_MINUTES"]
    flash(f"You were signed out because you had not used the service for {minutes} minutes. What you typed "
          "is saved as a draft. Sign in again to continue.", "info")
    return redirect(url_for("auth.login", next=page))


# --------------------------------------------------------------------------- moderation


def _rows(vacancy: Vacancy, stage: str, pairs: list[tuple[Any, rules.Recommendation]] | None = None,
          seen: Sight | None = None) -> list[dict[str, object]]:
    """The matrix rows: each candidate's member scores and agreed scores, hidden from a
    chair who scores until they submit their own for that candidate (R27), with the
    recommendation's tag (rendered once per outcome, not once per row)."""
    seen = seen or sight(vacancy, current_user, stage)
    tag = current_app.jinja_env.get_template("panel/_macros.html").module.outcome_tag  # type: ignore[attr-defined]
    tags = {outcome.value: tag(OUTCOME_LABELS, outcome.value) for outcome in rules.Outcome}
    rows = []
    for record, rec in (recommend_with_records(vacancy, stage) if pairs is None else pairs):
        hidden = not sees_scores(seen, record.reference)
        rows.append({
            "reference": record.reference, "record": record, "rec": rec, "hidden": hidden,
            "why_hidden": hidden_because(seen, record.reference) if hidden else "",
            # what unhides it for them: their own scores (a chair who scores but has not yet)
            "may_score": hidden and seen.scores and record.reference not in seen.conflicted,
            "tag": tags[rec.outcome.value],
        })
    return rows


_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")  # what quote() leaves as it is


def reference_urls(endpoint: str, **values: object) -> Callable[[str], str]:
    """``url_for(endpoint, application_reference=ref, **values)`` for many references:
    the URL is built once around a placeholder (a whole vacancy's rows need thousands)."""
    placeholder = "ref-placeholder-0"
    head, _, tail = url_for(endpoint, application_reference=placeholder, **values).partition(placeholder)
    return lambda reference: head + (reference if _URL_SAFE.fullmatch(reference) else quote(reference, safe="")) + tail


def moderation_cells(rows: list[dict[str, Any]], criteria: list[Criterion]) -> None:
    """Give each shown row of the matrix its cells' HTML, once, in Python: per criterion,
    the counted scores as shown, the agreed score and whether the scores need one (the
    engine's moderation_required), from the ``panel/_matrix_cell.html`` macro.

    The engine shares one result among the candidates whose scores for a criterion are
    the same, so each distinct (result, agreed score) is rendered once: at 2,000
    candidates x 25 criteria, a few hundred renderings instead of 50,000."""
    cell = current_app.jinja_env.get_template("panel/_matrix_cell.html").module.cell  # type: ignore[attr-defined]
    keys = [c.key for c in criteria]
    needs = rules.codes.MODERATION_REQUIRED
    # id(result) -> the result itself (so the id stays its own) and its HTML by agreed score
    rendered: dict[int, tuple[object, dict[int | None, Markup]]] = {}
    for row in rows:
        if row["hidden"]:
            continue
        results, agreed = row["rec"].criteria, row["record"].agreed
        html = []
        for key in keys:
            result = results.get(key)
            value = agreed.get(key)
            if result is None:  # not in the engine's results: nothing to share
                html.append(cell(key, "–", value, False))
                continue
            entry = rendered.get(id(result))
            if entry is None:
                entry = rendered[id(result)] = (result, {})
            by_agreed = entry[1]
            text = by_agreed.get(value)
            if text is None:
                divergent = any(r.code == needs for r in result.reasons)
                shown = " · ".join(map(str, result.scores)) if result.scores else "–"
                text = by_agreed[value] = cell(key, shown, value, divergent)
            html.append(text)
        row["cells"] = Markup("").join(html)  # each piece is the macro's Markup: joined as it is


@bp.get("/moderation")
@vacancy_access("moderate")
def moderation(vacancy: Vacancy):  # noqa: ANN201
    stage = _stage()
    # one page of candidates (issue 19), filtered and sorted as the URL says
    shown = panel.moderation_page(vacancy, current_user, stage,
                                  lists.MatrixArgs.from_args(request.args, paging.page_number(request.args)))
    args, criteria = shown.args, shown.criteria
    rows = _matrix_rows(shown.rows)
    moderation_cells(rows, criteria)
    return render_template("panel/moderation.html", **_context(
        vacancy, stage=stage, criteria=criteria, members=shown.members, rows=rows,
        moderate_url=reference_urls("panel.moderate", reference=vacancy.reference, stage=stage),
        progress=shown.progress, met=vacancy.scale_met, gap=vacancy.divergence_gap, left=shown.left,
        rule=panel_changes.SUBMITTED_SCORES_RULE, args=args, page=shown.page,
        show_items=[{"value": "", "text": "Every candidate", "selected": not args.show}] + [
            {"value": k, "text": v, "selected": k == args.show} for k, v in lists.MATRIX_FILTERS.items()],
        criterion_items=[{"value": "", "text": "Any criterion", "selected": not args.criterion}] + [
            {"value": c.key, "text": f"{c.key}: {c.text[:60]}", "selected": c.key == args.criterion} for c in criteria],
        outcome_items=args.outcome_items(scheme=shown.sees_scheme), sort_items=args.sort_items(),
        pagination=paging.pagination(shown.page, lambda **kw: url_for(
            "panel.moderation", reference=vacancy.reference, **kw), {**args.as_args(), "stage": stage})))


def _matrix_rows(shown: list[panel.MatrixRow]) -> list[dict[str, object]]:
    """The read-model's rows as the matrix's template takes them, with the recommendation's
    tag (rendered once per outcome, not once per row)."""
    tag = current_app.jinja_env.get_template("panel/_macros.html").module.outcome_tag  # type: ignore[attr-defined]
    tags = {outcome.value: tag(OUTCOME_LABELS, outcome.value) for outcome in rules.Outcome}
    return [{"reference": row.reference, "record": row.record, "rec": row.rec, "hidden": row.hidden,
             "why_hidden": row.why_hidden, "may_score": row.may_score, "tag": tags[row.rec.outcome.value]}
            for row in shown]


@bp.route("/moderation/<application_reference>", methods=["GET", "POST"])
@vacancy_access("moderate")
def moderate(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    """One candidate's moderation: the criteria that need an agreed score first, highlighted,
    with the applicant's evidence beside the members' scores; every agreed score saved in one form."""
    stage = _stage()
    application = _application(vacancy, application_reference)
    criteria = panel.stage_criteria(vacancy, stage)
    agreed = panel.agreed_for(application, stage)
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST" and AgreedScoreForm().validate_on_submit():
        entries = _agreed_entries(criteria, agreed)
        try:
            saved = panel.record_agreed_scores(vacancy, application, current_user, stage, entries)
        except panel.PanelRefused as refused:
            page_errors, field_errors = refused.errors, refused.by_field
        else:
            flash(f"Agreed scores saved for {application_reference}: {', '.join(saved)}.", "success")
            return redirect(url_for("panel.moderate", reference=vacancy.reference,
                                    application_reference=application_reference, stage=stage))
    rec = shown_recommendation(sight(vacancy, current_user, stage),
                               panel.recommendation_for(vacancy, application.reference, stage))
    hidden = rec is None
    needs, done, rest = [], [], []
    for c in criteria:
        result = None if hidden else rec.criteria.get(c.key)
        codes = {r.code for r in result.reasons} if result else set()
        if codes & {rules.codes.MODERATION_REQUIRED, rules.codes.RATIONALE_REQUIRED}:
            needs.append(c)
        elif c.key in agreed:
            done.append(c)
        else:
            rest.append(c)
    posted = request.method == "POST"
    return render_template("panel/moderate.html", **_context(
        vacancy, stage=stage, application=application, criteria=criteria, needs=needs, done=done, rest=rest,
        scores=[] if hidden else panel.submitted_scores(application, stage), hidden=hidden,
        evidence={e.criterion_id: e.text for e in application.evidence},
        agreed=agreed, rec=rec, page_errors=page_errors, field_errors=field_errors,
        chosen=lambda key: (request.form.get(f"agreed-{key}", "") if posted
                            else (str(agreed[key].value) if key in agreed else "")),
        rationale=lambda key: (request.form.get(f"rationale-{key}", "") if posted
                               else (agreed[key].rationale if key in agreed else "")),
        stage_open=panel.stage_open(vacancy, stage)))


def _agreed_entries(criteria: list[Criterion], agreed: dict[str, Any]) -> dict[str, panel.AgreedEntry]:
    """What the one form asks to save: each criterion given a score (or a rationale alone)
    that differs from what is recorded, with the version of it the chair saw."""
    entries: dict[str, panel.AgreedEntry] = {}
    for c in criteria:
        value = (request.form.get(f"agreed-{c.key}") or "").strip()
        text = request.form.get(f"rationale-{c.key}", "")
        version = request.form.get(f"version-{c.key}", "")
        current = agreed.get(c.key)
        if not value and not text.strip():
            continue
        if current is not None and value == str(current.value) and text.strip() == current.rationale:
            continue  # unchanged
        entries[c.key] = (value, text, parse_int(version, f"version-{c.key}") if version.strip() else None)
    return entries


# --------------------------------------------------------------------------- decisions


@bp.get("/decisions")
@vacancy_access("moderate")
def decisions(vacancy: Vacancy):  # noqa: ANN201
    return decisions_page(vacancy)


BLOCKERS_LISTED = 100  # a campaign of thousands lists the first hundred things to do, and says how many more


def decisions_page(vacancy: Vacancy, refused: panel.PanelRefused | None = None,
                   values: dict[str, str] | None = None) -> str:
    seen = sight(vacancy, current_user, "shortlisting")
    rows = _rows(vacancy, "shortlisting", seen=seen)
    recorded = panel.decisions_for(vacancy, "shortlisting")
    labels = panel.DECISION_LABELS["shortlisting"]
    cell = current_app.jinja_env.get_template("panel/_macros.html").module.decision_cell  # type: ignore[attr-defined]
    cells: dict[object, Markup] = {}
    for row in rows:
        d = recorded.get(row["reference"])
        key = None if d is None else (d.outcome, d.decided_by_id, d.decided_at.date())
        if key not in cells:
            cells[key] = cell(d, labels)
        row["decision_cell"] = cells[key]
    blockers, blocker_total = first_blockers(vacancy, BLOCKERS_LISTED, pairs=[(row["record"], row["rec"]) for row in rows],
                                             decisions=recorded)
    # the finalise checks need every candidate; the table shows one page of them (issue 19)
    args = lists.ListArgs.from_args(request.args, paging.page_number(request.args))
    shown = [r for r in rows if (not args.q or str(r["reference"]).upper().startswith(args.q.upper()))
             and (not args.outcome or (not r["hidden"] and r["rec"].outcome.value == args.outcome))]
    if args.sort == "reference_desc":
        shown.reverse()
    page = paging.clamp(args.page, len(shown))
    return render_template("panel/decisions.html", **_context(
        vacancy, rows=shown[page.offset:page.offset + page.size], all_rows=rows, recorded=recorded, args=args,
        page=page, outcome_items=args.outcome_items(scheme=not seen.scores or seen.declared),
        sort_items=args.sort_items(),
        pagination=paging.pagination(page, lambda **kw: url_for("panel.decisions", reference=vacancy.reference, **kw),
                                     args.as_args()),
        decide_url=reference_urls("panel.decide", reference=vacancy.reference), blockers=blockers,
        blocker_total=blocker_total,
        score_url=reference_urls("panel.score", reference=vacancy.reference),
        form=FinaliseForm(formdata=None),
        labels=labels, late_conflicts=panel.late_conflicts(vacancy),
        withdrawal_requests=len(conflict_service.pending(vacancy)),
        actions=panel.positive_actions(vacancy), is_hr=is_hr_of(current_user, vacancy),
        page_errors=refused.errors if refused else [], field_errors=refused.by_field if refused else {},
        values=values or {}, may_set_cap=panel.may_set_cap(vacancy, current_user)))


@bp.route("/decisions/<application_reference>", methods=["GET", "POST"])
@vacancy_access("moderate")
def decide(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    application = _application(vacancy, application_reference)
    rec = panel.recommendation_for(vacancy, application.reference, "shortlisting")
    existing = panel.decisions_for(vacancy, "shortlisting").get(application.reference)
    page_errors: list[dict[str, str]] = []
    if request.method == "POST":
        form = DecisionForm()
        if form.validate_on_submit():
            try:
                panel.decide(vacancy, application, current_user, form.outcome.data, form.reason.data or "",
                             form.override_code.data or None)
            except panel.PanelRefused as refused:
                page_errors = refused.errors
                _attach(form, refused)
            else:
                flash(f"The decision for {application.reference} is recorded.", "success")
                return redirect(url_for("panel.decisions", reference=vacancy.reference))
    else:
        form = DecisionForm(data={
            "outcome": existing.outcome if existing else panel.recommended_decision(rec),
            "reason": existing.reason if existing else panel.suggested_reason(rec),
            "override_code": (existing.override_reason or "") if existing else "",
        })
    seen = sight(vacancy, current_user, "shortlisting")
    shown = shown_recommendation(seen, rec)
    hidden = shown is None
    return render_template("panel/decide.html", **_context(
        vacancy, application=application, rec=shown, existing=existing, form=form, page_errors=page_errors,
        hidden=hidden, may_score=hidden and seen.scores and application.reference not in seen.conflicted, criteria={c.key: c for c in vacancy.criteria}, is_hr=is_hr_of(current_user, vacancy),
        decision_labels=panel.DECISION_LABELS["shortlisting"],
        stage_open=panel.stage_open(vacancy, "shortlisting"), codes=rules.codes))


@bp.post("/finalise")
@vacancy_access("moderate")
def finalise(vacancy: Vacancy):  # noqa: ANN201
    form = FinaliseForm()
    if form.validate_on_submit():
        try:
            panel.finalise_shortlist(vacancy, current_user)
        except panel.PanelRefused as refused:
            # the page lists what is still to do; a shortlist finalised meanwhile (in another
            # tab, or by someone else) lists nothing, so the refusal itself is shown
            flash(" ".join(p.message for p in refused.problems) if vacancy.names_revealed else
                  "The shortlist cannot be finalised yet: what is still to be done, and by whom, is listed "
                  "under “Finalise the shortlist”.", "error")
        else:
            flash("The shortlist is finalised. The panel can now see the shortlisted candidates' names "
                  "and is asked again about conflicts of interest.", "success")
    return redirect(url_for("panel.decisions", reference=vacancy.reference))


# --------------------------------------------------------------------------- cap and positive action


@bp.route("/cap", methods=["GET", "POST"])
@vacancy_access("arrange")
def cap(vacancy: Vacancy):  # noqa: ANN201
    values = {"places": str(vacancy.interview_cap_places or ""), "reason": vacancy.interview_cap_reason or "",
              "approval": ""}
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in values}
        if FinaliseForm().validate_on_submit():
            try:
                panel.set_cap(vacancy, current_user, **values)
            except panel.PanelRefused as refused:
                page_errors, field_errors = refused.errors, refused.by_field
            else:
                flash("The interview cap is saved." if values["places"].strip() else "The interview cap is removed.",
                      "success")
                return redirect(url_for("panel.decisions", reference=vacancy.reference))
    return render_template("panel/cap.html", **_context(
        vacancy, values=values, page_errors=page_errors, field_errors=field_errors,
        started=panel.scoring_started(vacancy), is_hr=is_hr_of(current_user, vacancy)))


@bp.post("/positive-action")
@vacancy_access("moderate")
def positive_action(vacancy: Vacancy):  # noqa: ANN201
    if not is_hr_of(current_user, vacancy):
        abort(403)
    fields = ("preferred", "other", "characteristic", "evidence_reference", "rationale")
    values = {k: request.form.get(k, "") for k in fields}
    if FinaliseForm().validate_on_submit():
        try:
            panel.apply_positive_action(vacancy, current_user, **values)
        except panel.PanelRefused as refused:
            return decisions_page(vacancy, refused, values)
        flash(f"Positive action is recorded: {values['preferred']} is preferred to {values['other']}.", "success")
    return redirect(url_for("panel.decisions", reference=vacancy.reference) + "#positive-action")
