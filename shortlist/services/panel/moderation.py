"""Moderation: the chair's agreed scores where the members' scores differ, with the
rationale (R27), never silently overwriting another chair's."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shortlist.extensions import db
from shortlist.models import AgreedScore, Application, ConflictDeclaration, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.permissions import (  # the access policy: the services ask it, never write it again
    is_scorer,
    may_moderate,
)
from shortlist.services import audit
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.transactions import retrying, transaction
from shortlist.numbers import as_int
from shortlist.services.panel.base import actor, stage_criteria, stage_open, stage_refusal
from shortlist.services.panel.scoring import submitted_scores, may_see_others


def agreed_for(application: Application, stage: str) -> dict[str, AgreedScore]:
    return {
        a.criterion.key: a
        for a in db.session.scalars(
            select(AgreedScore).options(selectinload(AgreedScore.criterion), selectinload(AgreedScore.recorded_by))
            .where(AgreedScore.application_id == application.id, AgreedScore.stage == stage))
    }


def record_agreed(
    vacancy: Vacancy,
    application: Application,
    user: User,
    stage: str,
    key: str,
    value: str | None,
    rationale: str,
    seen_version: int | None,
) -> None:
    """The chair's agreed score for one criterion: ``record_agreed_scores`` for one."""
    record_agreed_scores(vacancy, application, user, stage, {key: (value, rationale, seen_version)})


AgreedEntry = tuple[str | None, str, int | None]  # (score, rationale, the version the chair saw)


def record_agreed_scores(vacancy: Vacancy, application: Application, user: User, stage: str,
                         entries: Mapping[str, AgreedEntry]) -> list[str]:
    """The chair's agreed scores for one candidate, criterion key -> (score, rationale,
    seen version), all or none, with the rationale where the members' scores differ (R27).
    Returns the keys saved. ``seen_version`` is the version the chair saw (None: none then):
    if another chair changed it meanwhile, they are told, never silently overwritten.

    Two chairs saving at the same moment: the unique constraint (the first agreed score)
    or the version check (a later one) stops the second, which is then checked again
    against what the first saved, and told it changed."""
    return retrying(lambda: _record_agreed_scores(vacancy, application, user, stage, entries))


def _record_agreed_scores(vacancy: Vacancy, application: Application, user: User, stage: str,
                          entries: Mapping[str, AgreedEntry]) -> list[str]:
    with transaction():
        if not may_moderate(vacancy, user):
            raise PanelRefused.one("not_the_chair", "Only the panel's chair or HR records agreed scores.")
        if not stage_open(vacancy, stage):
            raise stage_refusal(vacancy, stage)
        if is_scorer(vacancy, user) and not may_see_others(vacancy, application, user, stage):
            raise PanelRefused.one("submit_first",
                          f"Submit your own scores for {application.reference} before you moderate them.")
        criteria = {c.key: c for c in stage_criteria(vacancy, stage)}
        unknown = sorted(set(entries) - criteria.keys())
        if unknown:
            raise PanelRefused.one("unknown_criterion", f"{', '.join(unknown)} is not scored at this stage.")
        if not entries:
            raise PanelRefused.one("nothing_to_save", "Select an agreed score for at least one criterion")
        excluded = {e for e, in db.session.execute(
            select(User.email).join(ConflictDeclaration, ConflictDeclaration.user_id == User.id)
            .where(ConflictDeclaration.application_id == application.id, ConflictDeclaration.conflict.is_(True)))}
        sheets = [m for m in submitted_scores(application, stage) if m.email not in excluded]
        rows = {r.criterion_id: r for r in db.session.scalars(
            select(AgreedScore).where(AgreedScore.application_id == application.id, AgreedScore.stage == stage,
                                      AgreedScore.criterion_id.in_([criteria[k].id for k in entries]))
            .with_for_update())}
        points = set(vacancy.scale_points)
        problems: list[Problem] = []
        parsed: dict[str, tuple[int, str, list[int]]] = {}
        for key in (c for c in criteria if c in entries):  # in the person specification's order
            value, rationale, seen_version = entries[key]
            field_id = f"agreed-{key}"
            agreed_value = as_int((value or "").strip())
            if agreed_value is None or agreed_value not in points:
                # a message, not SQL (it starts "Select")
                message = f"Select an agreed score from {vacancy.scale_min} to {vacancy.scale_max} for {key}"  # nosec B608
                problems.append(Problem("score_out_of_scale", message, field_id, key))
                continue
            given = [v for v in (m.values.get(key) for m in sheets) if v is not None]
            if any(v != agreed_value for v in given) and not rationale.strip():
                problems.append(Problem(
                    "rationale_required", f"Give the rationale for the agreed score for {key}: the members' scores "
                    f"({', '.join(map(str, given))}) differ from it", f"rationale-{key}", key))
                continue
            if len(rationale) > 5000:
                problems.append(Problem("too_long", f"The rationale for {key} must be 5000 characters or fewer",
                                        f"rationale-{key}", key))
                continue
            row = rows.get(criteria[key].id)
            if (row.version if row else None) != seen_version:
                who = row.recorded_by.name if row is not None and row.recorded_by else "someone else"
                problems.append(Problem(
                    "changed_meanwhile",
                    f"{who} changed the agreed score for {key} while you were looking at it: it is now "
                    f"{row.value if row else 'not recorded'}. Check it and enter yours again if you still disagree.",
                    field_id, key))
                continue
            parsed[key] = (agreed_value, rationale.strip(), given)
        if problems:
            raise PanelRefused(problems)
        for key, (agreed_value, rationale, given) in parsed.items():
            criterion = criteria[key]
            row = rows.get(criterion.id)
            before = None if row is None else {"score": row.value, "rationale": row.rationale}
            if row is None:
                row = AgreedScore(application_id=application.id, criterion_id=criterion.id, stage=stage,
                                  value=agreed_value)
                db.session.add(row)
            row.value = agreed_value
            row.rationale = rationale
            row.recorded_by_id = user.id
            row.recorded_at = utcnow()
            audit.record(actor(user), "agreed.recorded", vacancy=vacancy.reference, subject=application.reference,
                         stage=stage, criterion=key, before=before,
                         after={"score": agreed_value, "rationale": rationale}, member_scores=given)
    return list(parsed)
