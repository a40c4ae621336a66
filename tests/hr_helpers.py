"""Helpers for the HR tests: decisions recorded directly (the panel's decision service is
another part of the app), applications built from a few facts, query counting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import event, select

from shortlist.extensions import db
from shortlist.models import Application, Decision, User, Vacancy
from tests.factories import CHAIR, MEMBER


def app_spec(reference: str, *, k1: tuple[int, int] = (2, 2), scheme: bool = False, sex: str | None = None,
             name: str | None = None, **extra: Any) -> dict[str, Any]:
    """An application to campaign_dict's vacancy, scored on K1 by the chair and a member."""
    spec: dict[str, Any] = {
        "reference": reference,
        "name": name or f"Candidate {reference}",
        "email": f"{reference.lower()}@example.net",
        "evidence": {"K1": f"Evidence from {reference}."},
        "scores": {"shortlisting": {CHAIR: {"K1": k1[0]}, MEMBER: {"K1": k1[1]}}},
    }
    if scheme:
        spec.update(disability_declared=True, offer_interview_opt_in=True)
    if sex is not None:
        spec["equality_monitoring"] = {"sex": sex}
    spec.update(extra)
    return spec


def decide(vacancy: Vacancy | str, reference: str, stage: str, outcome: str, *, reason: str = "Recorded reason",
           override_reason: str | None = None, by: str = CHAIR, at: datetime | None = None) -> Decision:
    if isinstance(vacancy, str):
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == vacancy))
    application = db.session.scalar(select(Application).where(
        Application.vacancy_id == vacancy.id, Application.reference == reference))
    user = db.session.scalar(select(User).where(User.email == by))
    decision = Decision(application_id=application.id, stage=stage, outcome=outcome, recommendation="meets_essentials",
                        reason=reason, reasons=[], override_reason=override_reason, decided_by_id=user.id,
                        **({"decided_at": at} if at else {}))
    db.session.add(decision)
    db.session.commit()
    return decision


@contextmanager
def count_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
