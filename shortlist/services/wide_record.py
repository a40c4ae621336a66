"""The shortlisting record as a wide CSV (issue 19): one row per candidate, a column per
shortlisting criterion (the deciding score: the agreed one, else the mean of the counted
scores), then the recommendation and the decision. Streamed: candidates are read, judged
and written 1,000 at a time, so a campaign of 20,000 never sits in memory as one file.
The long record (a row per candidate and criterion, every member's score) stays.

The same rules as the long record: whose copy it is (the access policy's ``sees_scores``:
a candidate whose scores they may not see yet shows none), names only once revealed to
the panel (the invited and the reserve), and the download is audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import ApplicantDetails, Application, Decision, User, Vacancy
from shortlist.permissions import EVERYTHING, Sight, hidden_because, sees_scores
from shortlist.services import audit, panel
from shortlist.services.recommendations import candidate_from_record, recommend_with_records, vacancy_from_model
from shortlist.csvfile import _cell
from shortlist.services.scoring_data import gather
from shortlist.services.transactions import transaction

CHUNK = 1000


def header(vacancy: Vacancy) -> list[str]:
    keys = [c.key for c in rules.stage_criteria(vacancy_from_model(vacancy), "shortlisting")]
    return ["vacancy", "candidate", "name", *keys, "criteria_met", "essential_criteria_met", "recommendation",
            "decision", "decision_reason", "decided_by", "decided_at", "note"]


def _score(result: rules.CriterionResult | None) -> str:
    if result is None or result.score is None:
        return ""
    return f"{result.score:g}" if result.score != int(result.score) else str(int(result.score))


def rows(vacancy: Vacancy, seen: Sight = EVERYTHING, today: date | None = None) -> Iterator[list[str]]:
    """The header, then each candidate's row, in reference order, a chunk of candidates at a time."""
    facts = vacancy_from_model(vacancy)
    criteria = rules.stage_criteria(facts, "shortlisting")
    keys = [c.key for c in criteria]
    essential = {c.key for c in criteria if c.essential}
    yield header(vacancy)
    capped = facts.interview_cap is not None  # the cap ranks every candidate: judged together
    everyone = {r.reference: rec for r, rec in recommend_with_records(vacancy, "shortlisting", today)} if capped else {}
    ids = list(db.session.scalars(select(Application.id).where(Application.vacancy_id == vacancy.id)
                                  .order_by(Application.reference)))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        records = gather(vacancy, "shortlisting", application_ids=chunk)
        if capped:
            recs = [everyone[r.reference] for r in records]
        else:
            recs = rules.recommend_all(facts, ((candidate_from_record(r), r.scores, r.agreed) for r in records),
                                       stage="shortlisting", today=today)
        decided = {app_id: (outcome, reason, name, at) for app_id, outcome, reason, name, at in db.session.execute(
            select(Decision.application_id, Decision.outcome, Decision.reason, User.name, Decision.decided_at)
            .join(User, User.id == Decision.decided_by_id)
            .where(Decision.application_id.in_(chunk), Decision.stage == "shortlisting"))}
        names = dict(db.session.execute(select(ApplicantDetails.application_id, ApplicantDetails.name)
                                        .where(ApplicantDetails.application_id.in_(chunk))).all()) \
            if vacancy.names_revealed else {}
        for record, rec in zip(records, recs, strict=True):
            outcome, reason, by, at = decided.get(record.application_id, ("", "", "", None))
            name = names.get(record.application_id, "") if outcome in panel.REVEALED_OUTCOMES else ""
            when = at.strftime("%Y-%m-%d %H:%M") if at else ""
            if not sees_scores(seen, record.reference):
                yield [vacancy.reference, record.reference, name, *[""] * len(keys), "", "", "", outcome, "", by,
                       when, hidden_because(seen, record.reference)]
                continue
            results = [rec.criteria.get(k) for k in keys]
            met = [k for k, r in zip(keys, results, strict=True) if r is not None and r.status is rules.CriterionStatus.MET]
            yield [vacancy.reference, record.reference, name, *[_score(r) for r in results], str(len(met)),
                   f"{sum(1 for k in met if k in essential)} of {len(essential)}", rec.outcome.value, outcome,
                   reason, by, when, ""]


def stream(vacancy: Vacancy, seen: Sight, user: User | None) -> Iterator[str]:
    """Audit the download (committed first), then the CSV text, a chunk of lines at a time."""
    from shortlist.services.packs import record_spec

    spec = record_spec(vacancy, user)
    with transaction():
        audit.record(audit.Actor.of(user, "cli"), "document.downloaded", vacancy=vacancy.reference,
                     subject="record all", kind="record", format="csv_wide", candidate=None, member=spec.member_id,
                     document=None)
    vacancy = db.session.get(Vacancy, vacancy.id)  # type: ignore[assignment]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for n, row in enumerate(rows(vacancy, seen), start=1):
        writer.writerow([_cell(v) for v in row])
        if n % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
