"""The shortlisting record as CSV: one row per candidate and criterion. A leaf module: the
record's model in, text out."""

from __future__ import annotations

from typing import Any

from shortlist.csvfile import to_csv
from shortlist.packs.model import ShortlistingRecord

RECORD_HEADER = ("vacancy", "candidate", "name", "criterion", "essential", "criterion_text")


def record_rows(record: ShortlistingRecord) -> tuple[list[str], list[list[Any]]]:
    """One row per candidate and criterion: every member's score, the agreed score and its
    rationale, the result, then the candidate's recommendation, decision and any override."""
    header = [*RECORD_HEADER, *(f"score: {m}" for m in record.members), "agreed", "rationale", "agreed_by",
              "result", "recommendation", "decision", "decision_reason", "decided_by", "decided_at", "override",
              "conflicts_declared"]
    rows: list[list[Any]] = []
    for c in record.candidates:
        for line in c.lines:
            rows.append([record.reference, c.reference, c.name, line.key, "yes" if line.essential else "no", line.text,
                         *line.scores, line.agreed, line.rationale, line.agreed_by, line.status, c.recommendation,
                         c.decision, c.decision_reason, c.decided_by, c.decided_at, c.override,
                         "; ".join(c.conflicts)])
    return header, rows


def record_csv(record: ShortlistingRecord) -> str:
    header, rows = record_rows(record)
    return to_csv(header, rows)
