"""The outbox page (HR only): every e-mail the app has written, its delivery and any error;
each message as its recipient sees it (in development and the demo, where MAIL_BACKEND is
``outbox``, this is where mail "arrives"); sending a failed message again, cancelling one,
or marking one sent after checking it arrived."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from shortlist.messages import catalogue, render
from shortlist.models import MESSAGE_STATUSES, OutboxMessage, Role
from shortlist.permissions import organisations_for, role_required
from shortlist.services import organisations, outbox

bp = Blueprint("outbox", __name__, url_prefix="/hr/outbox")

HR = Role.HR_ADMIN


def _mine() -> set[str]:
    """The organisations (by name, as messages keep it) whose messages this HR administrator sees."""
    return {o.name for o in organisations.by_ids(organisations_for(current_user, "administer"))}


def _message(message_id: int) -> OutboxMessage:
    message = outbox.message(message_id)
    if message is None or message.organisation not in _mine():
        abort(404)
    return message


@bp.get("/")
@role_required(HR)
def index():  # noqa: ANN201
    status = request.args.get("status", "")
    kind = request.args.get("kind", "")
    status = status if status in MESSAGE_STATUSES else ""
    kind = kind if kind in catalogue.KINDS else ""
    return render_template(
        "outbox/index.html", rows=outbox.messages(status or None, kind or None, organisations=_mine()),
        statuses=MESSAGE_STATUSES, kinds=catalogue.KINDS, counts=outbox.counts_by_status(_mine()), filters={"status": status, "kind": kind},
        backend=current_app.config["MAIL_BACKEND"])


@bp.get("/<int:message_id>")
@role_required(HR)
def show(message_id: int):  # noqa: ANN201
    message = _message(message_id)
    return render_template(
        "outbox/show.html", message=message, kind=catalogue.KINDS.get(message.kind),
        html=render.html_fragment(message.body), text=render.plain_text(message.body), form=FlaskForm(),
        has_calendar=outbox.has_calendar(message))


@bp.get("/<int:message_id>/calendar.ics")
@role_required(HR)
def calendar(message_id: int):  # noqa: ANN201
    message = _message(message_id)
    if not outbox.has_calendar(message) or message.calendar is None:
        abort(404)
    return Response(message.calendar, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="message-{message.id}.ics"'})


def _act(message_id: int, action: str, done: str):  # noqa: ANN202
    message = _message(message_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        {"resend": outbox.resend, "cancel": outbox.cancel, "mark_sent": outbox.mark_sent}[action](
            message, current_user)
    except outbox.OutboxRefused as refused:
        flash(str(refused), "info")
    else:
        flash(done, "success")
    return redirect(url_for("outbox.show", message_id=message_id))


@bp.post("/<int:message_id>/resend")
@role_required(HR)
def resend(message_id: int):  # noqa: ANN201
    return _act(message_id, "resend", "The message is queued to be sent again.")


@bp.post("/<int:message_id>/cancel")
@role_required(HR)
def cancel(message_id: int):  # noqa: ANN201
    return _act(message_id, "cancel", "The message is cancelled: it will not be sent.")


@bp.post("/<int:message_id>/mark-sent")
@role_required(HR)
def mark_sent(message_id: int):  # noqa: ANN201
    return _act(message_id, "mark_sent", "The message is marked sent.")
