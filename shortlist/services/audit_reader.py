"""Reading the audit log for HR: filters, pages, and the CSV export (itself audited)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select

from shortlist.extensions import db
from shortlist.services.transactions import transaction
from shortlist.models import AuditEvent, Vacancy
from shortlist.services import audit
from shortlist.csvfile import to_csv

FILTER_LIMITS = {"vacancy": 40, "actor": 254, "action": 60, "from": 10, "to": 10}
EXPORT_HEADER = ("row", "occurred_at_utc", "actor", "action", "vacancy", "subject", "data", "hash", "prev_hash")


def day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Filters:
    values: dict[str, str]
    #: the organisations whose events are shown (their vacancies' and their own), with the
    #: reader's own actions (``reader``: their user id); None: every event
    within: frozenset[int] | None = None
    reader: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str], within: frozenset[int] | None = None,
                  reader: int | None = None) -> Filters:
        return cls({k: (args.get(k) or "").strip()[:limit] for k, limit in FILTER_LIMITS.items()}, within, reader)

    @property
    def date_errors(self) -> set[str]:
        return {k for k in ("from", "to") if self.values[k] and day(self.values[k]) is None}

    @property
    def active(self) -> dict[str, str]:
        return {k: v for k, v in self.values.items() if v}

    def query(self) -> Select[Any]:
        f = self.values
        query = select(AuditEvent)
        if self.within is not None:
            ids = sorted(self.within)
            query = query.where(or_(
                AuditEvent.organisation_id.in_(ids), AuditEvent.actor_id == self.reader,
                AuditEvent.vacancy_reference.in_(select(Vacancy.reference).where(Vacancy.organisation_id.in_(ids)))))
        if f["vacancy"]:
            # as typed, in any case: the vacancy's own spelling (the indexed column, exactly), or
            # any case for a reference no vacancy has now
            known = db.session.scalar(select(Vacancy.reference).where(
                func.upper(Vacancy.reference) == f["vacancy"].upper()))
            query = query.where(AuditEvent.vacancy_reference == known if known is not None
                                else func.upper(AuditEvent.vacancy_reference) == f["vacancy"].upper())
        if f["actor"]:
            query = query.where(func.lower(AuditEvent.actor) == f["actor"].lower())
        if f["action"]:
            query = query.where(AuditEvent.action == f["action"])
        start, end = day(f["from"]), day(f["to"])
        if start:
            query = query.where(AuditEvent.occurred_at >= datetime.combine(start, datetime.min.time()))
        if end:
            query = query.where(AuditEvent.occurred_at < datetime.combine(end + timedelta(days=1),
                                                                          datetime.min.time()))
        return query


def page(filters: Filters, number: int, size: int) -> tuple[list[AuditEvent], int]:
    query = filters.query()
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = db.session.scalars(query.order_by(AuditEvent.seq.desc()).limit(size).offset((number - 1) * size)).all()
    return list(events), total


@dataclass(frozen=True)
class KeysetPage:
    """One page of the log, newest first, found by sequence number (issue 19): ``older`` is
    the ``before`` of the next page, ``newer`` the ``after`` of the previous one (None: no more)."""

    events: list[AuditEvent]
    total: int
    older: int | None
    newer: int | None


def keyset_page(filters: Filters, size: int, *, before: int | None = None, after: int | None = None) -> KeysetPage:
    """A page of the filtered log by sequence (the primary key's order): its cost follows the
    rows shown however long the log, where an OFFSET would walk every row before it."""
    query = filters.query()
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if after is not None:
        rows = list(db.session.scalars(query.where(AuditEvent.seq > after).order_by(AuditEvent.seq)
                                       .limit(size + 1)))
        more_newer = len(rows) > size
        events = list(reversed(rows[:size]))
        more_older = True
    else:
        if before is not None:
            query = query.where(AuditEvent.seq < before)
        rows = list(db.session.scalars(query.order_by(AuditEvent.seq.desc()).limit(size + 1)))
        more_older = len(rows) > size
        events = rows[:size]
        more_newer = before is not None
    if not events:
        return KeysetPage([], total, None, None)
    return KeysetPage(events, total, events[-1].seq if more_older else None,
                      events[0].seq if more_newer else None)


def actions(within: frozenset[int] | None = None, reader: int | None = None) -> list[str]:
    """The actions in the part of the log these organisations read (the filter's choices)."""
    seen = Filters({k: "" for k in FILTER_LIMITS}, within, reader).query().with_only_columns(AuditEvent.action).distinct()
    return list(db.session.scalars(seen.order_by(AuditEvent.action)))


def export_csv(filters: Filters, actor: audit.Actor) -> str:
    """The filtered log, oldest first, as CSV with each row's hashes (so a copy can be checked)."""
    events = db.session.scalars(filters.query().order_by(AuditEvent.seq)).all()
    rows = [
        (e.seq, e.occurred_at.isoformat(timespec="seconds"), e.actor, e.action, e.vacancy_reference or "",
         e.subject, json.dumps(e.data, sort_keys=True, ensure_ascii=False), e.hash, e.prev_hash)
        for e in events
    ]
    text = to_csv(EXPORT_HEADER, rows)
    with transaction():
        audit.record(actor, "audit.exported", vacancy=filters.values["vacancy"] or None, subject="audit log",
                     filters=filters.active, rows=len(rows))
    return text
