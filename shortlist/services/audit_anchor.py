"""An anchor for the audit log outside its database (security review, "decide and document").

The hash chain shows a row altered in place, but whoever can write the database can rewrite
the tail of the chain and its head together. ``shortlist audit anchor`` appends the chain's
head (sequence number, hash, time) as one line to a file the database's user cannot change
(an append-only file, another machine's disk, a log shipped off the host: see
docs/deployment.md), and ``shortlist audit verify --anchors FILE`` checks that the log still
holds every anchored row with the hash it had: a rewritten or truncated tail no longer passes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, AuditHead
from shortlist.models.base import utcnow


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str


def head() -> Anchor | None:
    row = db.session.get(AuditHead, 1)
    if row is None or row.seq == 0:
        return None
    return Anchor(row.seq, row.hash, utcnow().isoformat(timespec="seconds") + "Z")


def append(path: Path) -> Anchor | None:
    """Append the current head to ``path`` (one JSON object a line); None when the log is empty."""
    anchor = head()
    if anchor is None:
        return None
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"seq": anchor.seq, "hash": anchor.hash, "at": anchor.at}) + "\n")
    return anchor


def read(path: Path) -> list[tuple[int, Anchor | None]]:
    """(line number, anchor) for each line; None for a line that is not an anchor."""
    out: list[tuple[int, Anchor | None]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            out.append((number, Anchor(int(data["seq"]), str(data["hash"]), str(data.get("at", "")))))
        except (ValueError, KeyError, TypeError):
            out.append((number, None))
    return out


def check(path: Path) -> list[str]:
    """What the log contradicts in the anchors file (empty: every anchored row is as anchored)."""
    anchors = read(path)
    problems = [f"{path.name} line {n}: not an anchor line" for n, a in anchors if a is None]
    wanted = {a.seq: (n, a) for n, a in anchors if a is not None}
    if not wanted:
        return problems or [f"{path.name}: no anchor in it yet"]
    stored = dict(db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.seq.in_(list(wanted)))).all())
    for seq, (n, anchor) in sorted(wanted.items()):
        if seq not in stored:
            problems.append(f"{path.name} line {n} (anchored {anchor.at}): row {seq} is no longer in the log")
        elif stored[seq] != anchor.hash:
            problems.append(f"{path.name} line {n} (anchored {anchor.at}): row {seq} has been rewritten since")
    return problems
