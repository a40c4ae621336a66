"""The sift pool page (issue 19): who is in the pool, their capacity, the allocation, and
a third reader for moderation. Thin: each POST calls one service function."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shortlist.models import Vacancy
from shortlist.permissions import vacancy_access
from shortlist.services import panel, sift

bp = Blueprint("sift", __name__, url_prefix="/vacancies/<reference>")


def _page(vacancy: Vacancy, refused: panel.PanelRefused | None = None, status: int = 200):  # noqa: ANN202
    rows = sift.pool_rows(vacancy)
    chosen = {r.user_id for r in rows if r.in_pool}
    capacities = {r.user_id: "" if r.capacity is None else str(r.capacity) for r in rows}
    use_pool = vacancy.sift is not None
    if refused is not None:  # what they sent, back on the page
        chosen = {int(v) for v in request.form.getlist("members") if v.isdigit()}
        capacities = {r.user_id: request.form.get(f"capacity-{r.user_id}", "") for r in rows}
        use_pool = request.form.get("use_pool") == "yes"
    return render_template(
        "sift/pool.html", vacancy=vacancy, rows=rows, chosen=chosen, capacities=capacities, use_pool=use_pool,
        page_errors=refused.errors if refused else [], field_errors=refused.by_field if refused else {},
        reasons=sift.REASONS), status


@bp.route("/sift-pool", methods=["GET", "POST"])
@vacancy_access("manage")
def pool(vacancy: Vacancy):  # noqa: ANN201
    if request.method == "POST":
        use_pool = request.form.get("use_pool") == "yes"
        members = {int(v): request.form.get(f"capacity-{v}", "")
                   for v in request.form.getlist("members") if v.isdigit() and len(v) < 12} if use_pool else {}
        if request.form.get("use_pool") not in ("yes", "no"):
            refused = panel.PanelRefused([panel.Problem(
                "use_pool_unanswered", "Select how this vacancy's applications are scored", "use_pool")])
            return _page(vacancy, refused)
        try:
            sift.set_pool(vacancy, current_user, use_pool, members)
        except panel.PanelRefused as refused:
            return _page(vacancy, refused)
        flash("The sift pool is saved." if use_pool else "Every scorer on the panel scores every application.",
              "success")
        return redirect(url_for("sift.pool", reference=vacancy.reference))
    return _page(vacancy)


@bp.post("/sift-pool/allocate")
@vacancy_access("manage")
def allocate(vacancy: Vacancy):  # noqa: ANN201
    try:
        outcome = sift.allocate(vacancy, current_user)
    except panel.PanelRefused as refused:
        return _page(vacancy, refused)
    message = f"{outcome.applications} applications are allocated to the sift pool."
    if outcome.shortfalls:
        message += f" {len(outcome.shortfalls)} still need a sifter: " + ", ".join(
            s.application for s in outcome.shortfalls[:10])
    flash(message, "success" if not outcome.shortfalls else "warning")
    return redirect(url_for("sift.pool", reference=vacancy.reference))


@bp.post("/moderation/<application_reference>/third-reader")
@vacancy_access("moderate")
def third_reader(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    application = panel.application_by_reference(vacancy, application_reference)
    if application is None:
        abort(404)
    try:
        reader = sift.add_third_reader(vacancy, application, current_user)
    except panel.PanelRefused as refused:
        flash(refused.errors[0]["text"], "warning")
    else:
        flash(f"{reader.name} will read {application_reference} as a third reader.", "success")
    return redirect(url_for("panel.moderate", reference=vacancy.reference,
                            application_reference=application_reference))
