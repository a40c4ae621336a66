"""The candidate's own interview booking page: public, reached only through the signed link
in their invitation (shortlist.services.interview_booking). It shows their vacancy, their
own time and the times still open, never anything of other candidates or of scores."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from shortlist.downloads import attachment
from shortlist.permissions import public
from shortlist.services import interview_booking as booking
from shortlist.services import notices

bp = Blueprint("booking", __name__, url_prefix="/interview")

STATUS = {"invalid": 404, "expired": 410, "replaced": 410, "closed": 410}


def _problem(problem: booking.LinkProblem):  # noqa: ANN202
    return render_template("booking/link_problem.html", kind=problem.kind), STATUS[problem.kind]


@bp.route("/<booking_token>", methods=["GET", "POST"])
@public
def page(booking_token: str):  # noqa: ANN201
    try:
        opened = booking.open_link(booking_token)
    except booking.LinkProblem as problem:
        return _problem(problem)
    form = FlaskForm()  # the CSRF check; the choice is the service's to check
    page_errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    values = {"time": request.form.get("time", ""), "adjustments": request.form.get("adjustments", "")}
    if request.method == "POST" and form.validate_on_submit():
        try:
            booking.book(booking_token, values["time"], values["adjustments"])
        except booking.LinkProblem as problem:
            return _problem(problem)
        except booking.BookingRefused as refused:
            page_errors, field_errors = [refused.as_error()], {refused.field: refused.message}
        else:
            flash("Your interview time is booked. We have e-mailed you the details and a calendar file.", "success")
            return redirect(url_for("booking.page", booking_token=booking_token))
    vacancy, application = opened.vacancy, opened.application
    slot = booking.candidate_slot(application)
    settings = notices.messaging(vacancy)
    may_change = settings.self_booking and (slot is None or slot.starts_at - booking._cutoff(vacancy) > booking.now_local())
    current_id = slot.interview_time_id if slot else None
    choices = [t for t in booking.times(vacancy) if t.id == current_id or booking.bookable(vacancy, t)]
    return render_template(
        "booking/page.html", form=form, booking_token=booking_token, vacancy=vacancy, slot=slot, choices=choices,
        current_id=current_id, may_change=may_change, self_booking=settings.self_booking,
        contact=booking._contact(vacancy), deadline=booking._deadline_sentence(vacancy), when=booking.when,
        change_until=booking._change_until(vacancy, slot) if slot else "", values=values,
        page_errors=page_errors, field_errors=field_errors,
        name=application.details.name if application.details else "")


@bp.get("/<booking_token>/interview.ics")
@public
def calendar(booking_token: str):  # noqa: ANN201
    try:
        opened = booking.open_link(booking_token)
    except booking.LinkProblem as problem:
        return _problem(problem)
    slot = booking.candidate_slot(opened.application)
    if slot is None:
        return render_template("booking/link_problem.html", kind="no_time"), 404
    body = booking.calendar_for(opened.vacancy, opened.application, opened.invitation, slot, "REQUEST")
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": attachment("interview.ics")})
