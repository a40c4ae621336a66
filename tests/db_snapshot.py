"""A copy of every table's rows, to put a database back as it was, or to prove a request
changed nothing. Used by the access matrix (each endpoint starts from the same data) and
the hostile-input tests (a refused request leaves the database as it was)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from shortlist.extensions import db

Snapshot = dict[str, list[dict[str, Any]]]


def take() -> Snapshot:
    """Every row of every table, in primary-key order."""
    db.session.remove()
    out: Snapshot = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            query = table.select().order_by(*table.primary_key.columns)
            out[table.name] = [dict(row) for row in conn.execute(query).mappings()]
    return out


def counts(snapshot: Snapshot) -> dict[str, int]:
    return {name: len(rows) for name, rows in snapshot.items() if rows}


def restore(snapshot: Snapshot) -> None:
    """Empty every table and put the snapshot's rows back (sequences follow on PostgreSQL).

    One transaction of DELETEs and INSERTs: on PostgreSQL a TRUNCATE of every table costs
    ten times as long."""
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in db.metadata.sorted_tables:
            rows = snapshot.get(table.name) or []
            if rows:
                conn.execute(table.insert(), rows)
        if conn.dialect.name == "postgresql":
            for table in db.metadata.sorted_tables:
                if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement in (True, "auto"):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))
    db.session.remove()


def differences(before: Snapshot, after: Snapshot, ignore: tuple[str, ...] = ("user_session",)) -> list[str]:
    """Each table whose rows changed, with what changed (for an assertion message).

    Signed-in sessions are ignored by default: a test signing someone in adds one."""
    problems = []
    for name in (before.keys() | after.keys()) - set(ignore):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            added = [r for r in new if r not in old]
            removed = [r for r in old if r not in new]
            problems.append(f"{name}: {len(removed)} rows changed or removed, {len(added)} added "
                            f"(first: {(added or removed)[0]!r:.300})")
    return sorted(problems)
