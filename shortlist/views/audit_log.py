from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role
from shortlist.permissions import role_required

bp = Blueprint("audit_log", __name__, url_prefix="/audit")

PAGE_SIZE = 50


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get("/")
@role_required(Role.HR_ADMIN)
def index():  # noqa: ANN201
    args = request.args
    filters = {
        "vacancy": args.get("vacancy", "").strip()[:40],
        "actor": args.get("actor", "").strip()[:254],
        "action": args.get("action", "").strip()[:60],
        "from": args.get("from", "").strip()[:10],
        "to": args.get("to", "").strip()[:10],
    }
    query = select(AuditEvent)
    if filters["vacancy"]:
        query = query.where(AuditEvent.vacancy_reference == filters["vacancy"])
    if filters["actor"]:
        query = query.where(func.lower(AuditEvent.actor) == filters["actor"].lower())
    if filters["action"]:
        query = query.where(AuditEvent.action == filters["action"])
    start, end = _day(filters["from"]), _day(filters["to"])
    if start:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(start, datetime.min.time()))
    if end:
        query = query.where(AuditEvent.occurred_at < datetime.combine(end + timedelta(days=1), datetime.min.time()))
    page = max(1, args.get("page", 1, type=int) or 1)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = db.session.scalars(
        query.order_by(AuditEvent.seq.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return render_template(
        "audit/index.html", events=events, filters=filters, actions=actions, page=page,
        pages=max(1, -(-total // PAGE_SIZE)), total=total,
        date_errors={k for k in ("from", "to") if filters[k] and _day(filters[k]) is None},
    )
