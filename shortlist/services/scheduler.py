"""`shortlist tick`: the scheduled work, for cron or a systemd timer (every few minutes).

One tick: messages left "sending" by a worker that died are settled; applications past
their closing date are closed; scoring reminders fall due; messages due (retries, and any
whose job was lost) are delivered; and once a day the retention purge runs.

Two ticks at once (two servers' timers, or a slow tick and the next) are safe: a tick
takes a lease on the "tick" row of scheduled_task with one conditional UPDATE (``... WHERE
holder IS NULL OR lease_until < now``), which only one transaction can win on SQLite or
PostgreSQL; the other does nothing and says so. A tick that dies leaves the lease to lapse
(15 minutes). Each step runs on its own: one that fails is reported and the rest still run.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from shortlist.extensions import db
from shortlist.models import ScheduledTask
from shortlist.models.base import utcnow
from shortlist.services.transactions import abandon, transaction

log = logging.getLogger(__name__)

LOCK = "tick"
PURGE = "purge"
LEASE = timedelta(minutes=15)


@dataclass
class TickReport:
    ran: bool
    steps: dict[str, Any] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


def _ensure(name: str) -> None:
    table = ScheduledTask.__table__
    dialect = db.session.get_bind().dialect.name
    statement: Any = (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table))
    with transaction():
        db.session.execute(statement.values(name=name, last_outcome="").on_conflict_do_nothing(index_elements=["name"]))


def acquire(name: str, holder: str, now: datetime | None = None, lease: timedelta = LEASE) -> bool:
    """Take the named lease if nobody holds it (or its holder's lease has lapsed)."""
    now = now or utcnow()
    _ensure(name)
    with transaction():
        won = db.session.execute(
            update(ScheduledTask)
            .where(ScheduledTask.name == name,
                   (ScheduledTask.holder.is_(None)) | (ScheduledTask.lease_until < now))
            .values(holder=holder, lease_until=now + lease, last_started_at=now)
            .execution_options(synchronize_session=False)).rowcount
    return won == 1


def release(name: str, holder: str, outcome: str) -> None:
    abandon()  # whatever a failed step left unwritten
    with transaction():
        db.session.execute(
            update(ScheduledTask).where(ScheduledTask.name == name, ScheduledTask.holder == holder)
            .values(holder=None, lease_until=None, last_finished_at=utcnow(), last_outcome=outcome[:2000])
            .execution_options(synchronize_session=False))


def _purge_due(today: date) -> bool:
    row = db.session.get(ScheduledTask, PURGE)
    return row is None or row.last_day is None or row.last_day < today


def _purge(today: date) -> dict[str, int]:
    from shortlist.services import audit, retention

    if not _purge_due(today):
        return {"skipped": 1}
    _ensure(PURGE)
    result = retention.purge(audit.Actor(None, "system"), today)
    with transaction():
        db.session.execute(update(ScheduledTask).where(ScheduledTask.name == PURGE).values(
            last_started_at=utcnow(), last_finished_at=utcnow(), last_day=today,
            last_outcome=f"{result.applications} application(s), {result.declarations} declaration(s)"))
    return {"applications": result.applications, "declarations": result.declarations}


def steps(now: datetime, today: date) -> list[tuple[str, Callable[[], Any]]]:
    from shortlist.services import closing, notices, outbox, webhooks

    return [
        ("settled", lambda: outbox.recover_stale(now)),
        ("closed", lambda: closing.close_due(today)),
        ("reminders", lambda: notices.due_reminders(today)),
        ("sweep", notices.sweep),
        ("delivered", lambda: outbox.deliver_due(now)),
        ("webhooks", lambda: webhooks.deliver_due(now)),
        ("purge", lambda: _purge(today)),
    ]


def tick(now: datetime | None = None, today: date | None = None) -> TickReport:
    now, today = now or utcnow(), today or date.today()
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    if not acquire(LOCK, holder, now):
        return TickReport(ran=False)
    report = TickReport(ran=True)
    try:
        for name, step in steps(now, today):
            try:
                report.steps[name] = step()
            except Exception as exc:  # the others still run; the command's exit status says so
                abandon()
                log.exception("tick: %s failed", name)
                report.failed.append(name)
                report.steps[name] = f"failed ({type(exc).__name__})"
    finally:
        release(LOCK, holder, "; ".join(f"{k}: {v}" for k, v in report.steps.items()))
    return report
