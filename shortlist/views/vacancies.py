from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from shortlist import rules
from shortlist.forms.applications import CloseApplicationsForm
from shortlist.models import STAGES, Vacancy
from shortlist import paging
from shortlist.services import lists
from shortlist.permissions import Sight, can, sees_scores, hidden_because, may_open, shown_recommendation, states_disability, vacancy_access
from shortlist.services import closing, overview
from shortlist.services.sight import record_disability_view, sight
from shortlist.services.recommendations import check_model, refresh_years

bp = Blueprint("vacancies", __name__, url_prefix="/vacancies")

# The vacancy's sections, in the order of its work: (text, endpoint, query, when, active on)
# "when": always, or only once applications have closed ("closed") or the names are revealed.
SECTIONS: tuple[tuple[str, str, dict[str, str], str, tuple[str, ...]], ...] = (
    ("Overview", "vacancies.show", {}, "always", ()),
    ("Set-up", "setup.tasks", {}, "always", ("setup.",)),
    ("Applications", "applications.index", {}, "always", ("applications.", "vacancies.close_applications")),
    ("Candidates", "vacancies.candidates", {}, "always", ()),
    ("Conflicts", "panel.conflicts", {}, "closed", ()),
    ("Scoring", "panel.scoring", {}, "shortlisting", ("panel.score",)),
    ("Moderation", "panel.moderation", {}, "shortlisting", ("panel.moderate",)),
    ("Decisions", "panel.decisions", {}, "shortlisting", ("panel.decide", "panel.cap", "panel.gap_marks_page")),
    ("Interviews", "interviews.schedule", {}, "revealed", ("interviews.arrange",)),
    ("Interview scoring", "panel.scoring", {"stage": "interview"}, "revealed", ()),
    ("Interview moderation", "panel.moderation", {"stage": "interview"}, "revealed", ()),
    ("Outcomes", "interviews.outcomes", {}, "revealed", ("interviews.outcome",)),
    ("Interview pack", "packs.pack", {}, "revealed", ()),
    ("Shortlisting record", "packs.record", {}, "always", ()),
    ("HR", "hr.vacancy", {}, "always", ("hr.",)),
)


@bp.app_template_global()
def vacancy_sections(vacancy: Vacancy) -> list[dict[str, object]]:
    """The sections of a vacancy this person may open at its stage, for the vacancy's own
    navigation (GOV.UK service navigation), the one they are on marked current."""
    closed = closing.applications_closed(vacancy)
    shown = {"always": True, "closed": closed, "shortlisting": closed and not vacancy.names_revealed,
             "revealed": vacancy.names_revealed}
    stage = request.args.get("stage", "shortlisting")
    out: list[dict[str, object]] = []
    for text, endpoint, query, when, also in SECTIONS:
        if not shown[when] or not may_open(current_user, vacancy, endpoint):
            continue
        if endpoint == "panel.conflicts" and may_open(current_user, vacancy, "panel.scoring"):
            continue  # a scorer reaches the declarations from their scoring queue
        here = request.endpoint == endpoint or (request.endpoint or "").startswith(also) if also else \
            request.endpoint == endpoint
        if endpoint.startswith("panel.") and here:
            here = query.get("stage", "shortlisting") == stage
        out.append({"text": text, "href": url_for(endpoint, reference=vacancy.reference, **query),
                    "current": bool(here) and request.endpoint == endpoint, "active": bool(here)})
    return out


@bp.get("/<reference>")
@vacancy_access("view")
def show(vacancy: Vacancy):  # noqa: ANN201
    today = date.today()
    return render_template(
        "vacancies/show.html",
        vacancy=vacancy,
        overview=overview.overview(vacancy, current_user, today),
        refresh_years=refresh_years(),
        can_see_recommendations=can(current_user, "view_recommendations", vacancy),
        can_manage=can(current_user, "manage", vacancy),
        findings=check_model(vacancy, today) if can(current_user, "manage", vacancy) else [],
    )


@bp.route("/<reference>/close-applications", methods=["GET", "POST"])
@vacancy_access("close_applications")
def close_applications(vacancy: Vacancy):  # noqa: ANN201
    form = CloseApplicationsForm()
    early = not closing.closing_date_passed(vacancy)
    if not early:
        form.reason.label.text = "Reason (optional)"
    page_errors: list[dict[str, str]] = []
    if form.validate_on_submit():
        try:
            closing.close_applications(vacancy, current_user, form.reason.data or "")
        except closing.CloseRefused as refused:
            if refused.field:
                form.reason.errors = [*form.reason.errors, str(refused)]
            else:
                page_errors = [{"text": str(refused), "href": "#main-content"}]
        else:
            flash("Applications are closed. The panel can declare conflicts and score.", "success")
            return redirect(url_for("vacancies.show", reference=vacancy.reference))
    return render_template("vacancies/close_applications.html", vacancy=vacancy, form=form,
                           page_errors=page_errors, early=early,
                           closed=closing.applications_closed(vacancy))


@bp.get("/<reference>/candidates")
@vacancy_access("view_recommendations")
def candidates(vacancy: Vacancy):  # noqa: ANN201
    stage = request.args.get("stage", "shortlisting")
    if stage not in STAGES:
        stage = "shortlisting"
    seen = sight(vacancy, current_user, stage)
    args = lists.ListArgs.from_args(request.args, paging.page_number(request.args))
    listed = lists.candidates_page(vacancy, stage, args, visible=lambda ref: sees_scores(seen, ref))
    # what the access policy lets this person see of each candidate (None: hidden, R27)
    shown = [(r.reference, shown_recommendation(seen, r)) for r in listed.recommendations]
    record_disability_view(vacancy.reference, current_user, seen, "candidates",
                           (ref for ref, r in shown if r is not None and states_disability(x.code for x in r.reasons)))
    return render_template(
        "vacancies/candidates.html", vacancy=vacancy, stage=stage, recommendations=shown,
        cells=_candidate_cells(seen, shown), can_see_recommendations=True,
        can_manage=can(current_user, "manage", vacancy), args=args, page=listed.page,
        outcome_items=args.outcome_items(scheme=not seen.scores or seen.declared), sort_items=args.sort_items(),
        lists_outcome_labels=lists.OUTCOMES,
        whole_vacancy=listed.whole_vacancy,
        pagination=paging.pagination(listed.page, lambda **kw: url_for(
            "vacancies.candidates", reference=vacancy.reference, **kw), {**args.as_args(), "stage": stage}),
    )


def _candidate_cells(seen: Sight, shown: list[tuple[str, rules.Recommendation | None]]) -> list[Markup]:
    """Each candidate's outcome, reasons and probes cells, each distinct one rendered once
    (``vacancies/_candidate_cells.html``): candidates who meet the essentials share one
    list of reasons, and so do many who miss the same criterion on the same scores."""
    macros = current_app.jinja_env.get_template("vacancies/_candidate_cells.html").module
    outcomes: dict[tuple[str, bool], Markup] = {}
    reasons: dict[tuple[rules.Reason, ...], Markup] = {}
    probes: dict[tuple[rules.Reason, ...], Markup] = {}
    cells = []
    hidden: dict[str, Markup] = {}
    for reference, r in shown:
        if r is None:
            why = hidden_because(seen, reference)
            if why not in hidden:
                hidden[why] = macros.hidden_cells(why)  # type: ignore[attr-defined]
            cells.append(hidden[why])
            continue
        outcome = outcomes.get((r.outcome.value, r.within_cap))
        if outcome is None:
            outcome = outcomes[r.outcome.value, r.within_cap] = macros.outcome_cell(  # type: ignore[attr-defined]
                r.outcome.value, r.within_cap)
        why = reasons.get(r.reasons)
        if why is None:
            why = reasons[r.reasons] = macros.reasons_cell(r.reasons)  # type: ignore[attr-defined]
        ask = probes.get(r.probes)
        if ask is None:
            ask = probes[r.probes] = macros.probes_cell(r.probes)  # type: ignore[attr-defined]
        cells.append(outcome + why + ask)
    return cells
