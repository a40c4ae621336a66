from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from shortlist.permissions import audit_readers, organisations_for
from shortlist.services import audit
from shortlist.services import audit_reader as service
from shortlist.downloads import attachment
from shortlist.numbers import parse_int

bp = Blueprint("audit_log", __name__, url_prefix="/audit")

PAGE_SIZE = 50


def _within() -> frozenset[int] | None:
    """The organisations whose log this person reads: those they are HR of (administrator or
    adviser); a system administrator reads the whole log."""
    return None if current_user.system_admin else organisations_for(current_user, "audit")


@bp.get("/")
@audit_readers
def index():  # noqa: ANN201
    filters = service.Filters.from_args(request.args, _within(), current_user.id)
    parse_int(request.args.get("page") or "1", "page", minimum=1)  # an old link's page: a number, or a 400
    # keyset paging on the sequence (issue 19): ?before=SEQ for older rows, ?after=SEQ for newer
    before = request.args.get("before")
    after = request.args.get("after")
    found = service.keyset_page(
        filters, PAGE_SIZE, before=parse_int(before, "before", minimum=1) if before else None,
        after=parse_int(after, "after", minimum=0) if after and not before else None)
    return render_template(
        "audit/index.html", events=found.events, filters=filters.values, actions=service.actions(filters.within, filters.reader),
        older=found.older, newer=found.newer, total=found.total, date_errors=filters.date_errors,
        export_args=filters.active,
    )


@bp.get("/export.csv")
@audit_readers
def export():  # noqa: ANN201
    """The filtered log as CSV; the export is itself recorded in the log."""
    filters = service.Filters.from_args(request.args, _within(), current_user.id)
    text = service.export_csv(filters, audit.Actor.of(current_user))
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": attachment(f"audit-log-{stamp}.csv")})
