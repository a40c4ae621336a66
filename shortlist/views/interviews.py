"""Interview pages: the schedule (with .ics files), interview outcomes, pre-employment checks.
Interview scoring and moderation are the panel's pages with ?stage=interview."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from shortlist.forms import dates
from shortlist.forms.panel import FinaliseForm
from shortlist.models import CHECK_KINDS, CHECK_STATUSES, Application, User, Vacancy
from shortlist.permissions import shown_recommendation, vacancy_access
from shortlist.services.sight import sight
from shortlist.services import interview_booking, interviews, notices, panel
from shortlist.views.panel import OUTCOME_LABELS, _application, _context, _rows
from shortlist.downloads import attachment

bp = Blueprint("interviews", __name__, url_prefix="/vacancies/<reference>")


def _open(vacancy: Vacancy) -> None:
    """The interview pages exist once the shortlist is finalised."""
    if not vacancy.names_revealed:
        abort(404)


@bp.get("/interviews")
@vacancy_access("view")
def schedule(vacancy: Vacancy):  # noqa: ANN201
    _open(vacancy)
    return render_template("interviews/schedule.html", **_context(
        vacancy, rows=interviews.schedule(vacancy, current_user),
        may_arrange=interviews.may_arrange(vacancy, current_user)))


@bp.route("/interviews/<application_reference>", methods=["GET", "POST"])
@vacancy_access("arrange")
def arrange(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    _open(vacancy)
    application = _application(vacancy, application_reference)
    slot = interviews.slot_for(application)
    day = dates.from_iso("day", slot.starts_at.date() if slot else None)
    values = {"time": slot.starts_at.strftime("%H:%M") if slot else "",
              "duration": str(slot.duration_minutes) if slot else "60",
              "location": slot.location if slot else ""}
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        form = FinaliseForm()  # the CSRF check; the fields are the service's to validate
        values = {k: request.form.get(k, "") for k in values}
        day = dates.read(request.form, "day", "Interview date")
        if form.validate_on_submit():
            try:
                interviews.arrange(vacancy, application, current_user,
                                   day=day.value.isoformat() if day.value else "", **values)
            except panel.PanelRefused as refused:
                # the date input's own message replaces the service's "no date"
                problems = [p for p in refused.problems if not (day.error and p.field == "day")]
                page_errors = ([{"text": day.error, "href": f"#{day.error_id}"}] if day.error else []) + [
                    p.as_error() for p in problems]
                field_errors = {p.field: p.message for p in problems if p.field}
            else:
                flash(f"The interview for {application.reference} is arranged.", "success")
                return redirect(url_for("interviews.schedule", reference=vacancy.reference))
    row = next((r for r in interviews.schedule(vacancy, current_user) if r.reference == application.reference), None)
    if row is None:
        abort(404)
    return render_template("interviews/arrange.html", **_context(
        vacancy, application=application, row=row, values=values, day=day, page_errors=page_errors,
        field_errors=field_errors))


@bp.get("/interviews/<application_reference>.ics")
@vacancy_access("view")
def calendar(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    _open(vacancy)
    application = _application(vacancy, application_reference)
    if application.id in panel.conflict_state(vacancy, current_user).conflicted:
        abort(403)  # a member who declared a conflict does not interview them
    slot = interviews.slot_for(application)
    if slot is None:
        abort(404)
    body = interviews.calendar_file(vacancy, application, slot, request.host.split(":")[0])
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": attachment(f"interview-{vacancy.reference}-{application.reference}.ics")})


@bp.get("/outcomes")
@vacancy_access("moderate")
def outcomes(vacancy: Vacancy):  # noqa: ANN201
    _open(vacancy)
    invited = {r.reference for r in interviews.schedule(vacancy, current_user)}
    rows = [r for r in _rows(vacancy, "interview") if r["reference"] in invited]
    return render_template("interviews/outcomes.html", **_context(
        vacancy, rows=rows, recorded=panel.decisions_for(vacancy, "interview"), labels=interviews.OUTCOME_LABELS))


@bp.route("/outcomes/<application_reference>", methods=["GET", "POST"])
@vacancy_access("moderate")
def outcome(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    _open(vacancy)
    application = _application(vacancy, application_reference)
    if application.reference not in {r.reference for r in interviews.schedule(vacancy, current_user)}:
        abort(404)
    existing = panel.decisions_for(vacancy, "interview").get(application.reference)
    rec = panel.recommendation_for(vacancy, application.reference, "interview")
    values = {"outcome": existing.outcome if existing else "",
              "reason": existing.reason if existing else ""}
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        form = FinaliseForm()
        if form.validate_on_submit():
            action = request.form.get("action", "outcome")
            try:
                if action == "check":
                    kind = request.form.get("kind", "")
                    interviews.record_check(vacancy, application, current_user, kind,
                                            request.form.get(f"status-{kind}", ""),
                                            request.form.get(f"checked-{kind}", ""),
                                            request.form.get(f"note-{kind}", ""))
                    message = f"The {CHECK_KINDS.get(kind, kind).lower()} check is recorded."
                else:
                    values = {"outcome": request.form.get("outcome", ""), "reason": request.form.get("reason", "")}
                    interviews.decide_outcome(vacancy, application, current_user, **values)
                    message = f"The outcome for {application.reference} is recorded."
            except panel.PanelRefused as refused:
                page_errors, field_errors = refused.errors, refused.by_field
            else:
                flash(message, "success")
                return redirect(url_for("interviews.outcome", reference=vacancy.reference,
                                        application_reference=application.reference))
    shown = shown_recommendation(sight(vacancy, current_user, "interview"), rec)
    hidden = shown is None
    return render_template("interviews/outcome.html", **_context(
        vacancy, application=application, rec=shown, existing=existing, values=values, hidden=hidden,
        page_errors=page_errors, field_errors=field_errors, labels=interviews.OUTCOME_LABELS,
        checks=interviews.checks_for(application), check_kinds=CHECK_KINDS, check_statuses=CHECK_STATUSES,
        outcome_labels=OUTCOME_LABELS))


# --------------------------------------------------------------------------- self-booking


@bp.route("/interviews/times", methods=["GET", "POST"])
@vacancy_access("arrange")
def times(vacancy: Vacancy):  # noqa: ANN201
    """The times the chair publishes for invited candidates to choose from, and who took them."""
    _open(vacancy)
    day = dates.from_iso("day", None)
    values = {"time": "", "duration": "60", "location": "", "capacity": "1"}
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        form = FinaliseForm()
        values = {k: request.form.get(k, "") for k in values}
        day = dates.read(request.form, "day", "Interview date")
        if form.validate_on_submit():
            try:
                interview_booking.publish_time(vacancy, current_user, day=day, **values)
            except panel.PanelRefused as refused:
                page_errors = refused.errors
                field_errors = refused.by_field
            except interview_booking.BookingRefused as refused:
                page_errors, field_errors = [refused.as_error()], {}
            else:
                flash("The interview time is published.", "success")
                return redirect(url_for("interviews.times", reference=vacancy.reference))
    rows = interviews.schedule(vacancy, current_user)
    by_time: dict[int, list[str]] = {}
    for row in rows:
        if row.slot is not None and row.slot.interview_time_id is not None:
            by_time.setdefault(row.slot.interview_time_id, []).append(row.reference)
    return render_template("interviews/times.html", **_context(
        vacancy, times=interview_booking.times(vacancy), by_time=by_time, day=day, values=values,
        page_errors=page_errors, field_errors=field_errors, when=interview_booking.when,
        date_error=next((m for f, m in field_errors.items() if f.startswith("day")), ""),
        self_booking=notices.messaging(vacancy).self_booking))


@bp.post("/interviews/times/<int:time_id>/remove")
@vacancy_access("arrange")
def remove_time(vacancy: Vacancy, time_id: int):  # noqa: ANN201
    _open(vacancy)
    if interview_booking.time_of(vacancy, time_id) is None:
        abort(404)
    if FinaliseForm().validate_on_submit():
        try:
            interview_booking.remove_time(vacancy, current_user, time_id)
        except interview_booking.BookingRefused as refused:
            flash(refused.message, "error")
        else:
            flash("The interview time is removed.", "success")
    return redirect(url_for("interviews.times", reference=vacancy.reference))


@bp.route("/interviews/<application_reference>/book", methods=["GET", "POST"])
@vacancy_access("arrange")
def book_for(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    """Book a published time on a candidate's behalf."""
    _open(vacancy)
    application = _application(vacancy, application_reference)
    row = next((r for r in interviews.schedule(vacancy, current_user) if r.reference == application.reference), None)
    if row is None:
        abort(404)
    page_errors: list[dict[str, str]] = []
    chosen = request.form.get("time", "")
    if request.method == "POST" and FinaliseForm().validate_on_submit():
        try:
            interview_booking.book_for(vacancy, application, current_user, chosen)
        except interview_booking.BookingRefused as refused:
            page_errors = [refused.as_error()]
        else:
            flash(f"{application.reference} is booked. They have been e-mailed the time and a calendar file.",
                  "success")
            return redirect(url_for("interviews.schedule", reference=vacancy.reference))
    current_id = row.slot.interview_time_id if row.slot else None
    choices = [t for t in interview_booking.times(vacancy) if t.places_left > 0 or t.id == current_id]
    return render_template("interviews/book_for.html", **_context(
        vacancy, application=application, row=row, choices=choices, chosen=chosen or str(current_id or ""),
        page_errors=page_errors, when=interview_booking.when))


@bp.post("/interviews/<application_reference>/cancel")
@vacancy_access("arrange")
def cancel(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    return _on_schedule(vacancy, application_reference, interview_booking.cancel,
                        "The interview for {ref} is cancelled. They have been told.")


@bp.post("/interviews/<application_reference>/new-link")
@vacancy_access("arrange")
def new_link(vacancy: Vacancy, application_reference: str):  # noqa: ANN201
    return _on_schedule(vacancy, application_reference, interview_booking.new_link,
                        "{ref} has been sent a new booking link; the old one no longer works.")


def _on_schedule(vacancy: Vacancy, application_reference: str,
                 use_case: Callable[[Vacancy, Application, User], object], done: str) -> Response:
    """A schedule button for one candidate: the service's use case, then back to the
    schedule saying what happened (``done``, with {ref}) or why it was refused."""
    _open(vacancy)
    application = _application(vacancy, application_reference)
    if FinaliseForm().validate_on_submit():
        try:
            use_case(vacancy, application, current_user)
        except interview_booking.BookingRefused as refused:
            flash(refused.message, "error")
        else:
            flash(done.format(ref=application.reference), "success")
    return redirect(url_for("interviews.schedule", reference=vacancy.reference))
