"""Concurrent panels: requests at the same moment, each thread with its own client and
database session (as gunicorn's workers would be), against the suite's database.

On PostgreSQL (CI's second run) the writers really overlap, and row locks, the unique
constraints on score_sheet(application, user, stage) and score(sheet, criterion), and
the agreed score's version decide. On SQLite the file lock serialises the writers, and
the same tests show the same outcome: no lost or duplicated score, no 500, and a chair
told when another changed an agreed score.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AgreedScore, AuditEvent, Role, Score, ScoreSheet, User, Vacancy
from shortlist.services import audit, panel
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, campaign_dict, load, make_user

MEMBERS = [f"member{i:02d}@example.org" for i in range(10)]
REFERENCES = [f"A{i:03d}" for i in range(1, 6)]


def _campaign() -> dict[str, Any]:
    data = campaign_dict("RACE-1")
    data["panel"] = [{"email": CHAIR, "name": "Chair Person", "role": "chair",
                      "safer_recruitment_trained_on": "2025-03-01"}] + [
        {"email": email, "name": f"Member {i}", "role": "member", "safer_recruitment_trained_on": None}
        for i, email in enumerate(MEMBERS)]
    data["applications"] = [
        {"reference": ref, "name": f"Applicant {ref}", "email": f"{ref.lower()}@example.net",
         "evidence": {"K1": "Systemic work.", "D1": "Supervision."},
         "employment_history": [{"from": "2018-01", "to": None, "employer": "A Trust", "role": "Therapist"}]}
        for ref in REFERENCES]
    return data


@pytest.fixture
def race(app: Flask):
    load(_campaign())
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "RACE-1"))
    for email in [CHAIR, *MEMBERS]:
        user = db.session.scalar(select(User).where(User.email == email))
        panel.declare_conflicts(vacancy, user, {a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy, user)})
    db.session.remove()


def _client(app: Flask, email: str) -> FlaskClient:
    client = FlaskClient(app, app.response_class, use_cookies=True)
    login(client, email)
    return client


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, released together; their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _submit(client: FlaskClient, ref: str, k1: int, d1: int) -> Callable[[], tuple[int, str]]:
    def call() -> tuple[int, str]:
        response = client.post(f"/vacancies/RACE-1/scoring/{ref}",
                               data={"score-K1": str(k1), "score-D1": str(d1), "submit": "y"})
        return response.status_code, response.get_data(as_text=True)
    return call


def _assert_outcomes(results: list[Any]) -> None:
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    codes = [r[0] for r in results]
    assert all(code in (200, 302) for code in codes), codes
    for code, body in results:
        if code == 200:  # a clean refusal, said on the page
            assert "You submitted your scores for" in body, body[:500]


def _score_values() -> dict[tuple[str, str, str], int | None]:
    db.session.remove()
    from shortlist.models import Application, Criterion

    rows = db.session.execute(
        select(User.email, Application.reference, Criterion.key, Score.value)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id).join(User, User.id == ScoreSheet.user_id)
        .join(Application, Application.id == ScoreSheet.application_id)
        .join(Criterion, Criterion.id == Score.criterion_id)).all()
    found: dict[tuple[str, str, str], int | None] = {}
    for email, ref, key, value in rows:
        assert (email, ref, key) not in found, f"duplicated score {email} {ref} {key}"
        found[(email, ref, key)] = value
    return found


def test_two_members_submitting_the_same_application_at_the_same_moment(app, race):
    a, b = _client(app, MEMBERS[0]), _client(app, MEMBERS[1])
    results = at_once([_submit(a, "A001", 3, 1), _submit(b, "A001", 1, 2)])
    assert [r[0] for r in results] == [302, 302], [r[0] for r in results]
    scores = _score_values()
    assert scores == {(MEMBERS[0], "A001", "K1"): 3, (MEMBERS[0], "A001", "D1"): 1,
                      (MEMBERS[1], "A001", "K1"): 1, (MEMBERS[1], "A001", "D1"): 2}


def test_one_member_submitting_twice_at_the_same_moment_gets_one_sheet(app, race):
    """Two tabs, or a double click: one sheet, one set of scores, the other told it is already in."""
    first, second = _client(app, MEMBERS[0]), _client(app, MEMBERS[0])
    results = at_once([_submit(first, "A002", 3, 1), _submit(second, "A002", 2, 0)])
    _assert_outcomes(results)
    assert sorted(r[0] for r in results) == [200, 302]
    scores = _score_values()
    assert len(scores) == 2
    assert (scores[(MEMBERS[0], "A002", "K1")], scores[(MEMBERS[0], "A002", "D1")]) in ((3, 1), (2, 0))
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 1
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "scores.submitted")) == 1


def test_fifty_parallel_submissions_lose_and_duplicate_nothing(app, race):
    """Ten members, five applications: 50 submissions at once, each sent twice."""
    calls, expected = [], {}
    for i, email in enumerate(MEMBERS):
        for j, ref in enumerate(REFERENCES):
            k1, d1 = (i + j) % 4, (i * j) % 4
            expected[(email, ref, "K1")], expected[(email, ref, "D1")] = k1, d1
            for _copy in range(2):
                calls.append(_submit(_client(app, email), ref, k1, d1))
    results = at_once(calls)
    _assert_outcomes(results)
    assert sum(1 for r in results if r[0] == 302) == 50  # each submission went in once
    assert _score_values() == expected
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 50
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "scores.submitted")) == 50
    assert audit.verify() is None  # the audit chain stayed whole under the race


def _agreed(client: FlaskClient, value: int, version: str) -> Callable[[], tuple[int, str]]:
    def call() -> tuple[int, str]:
        response = client.post("/vacancies/RACE-1/moderation/A003", data={
            "agreed-K1": str(value), "rationale-K1": f"Agreed at {value} after discussion",
            "version-K1": version})
        return response.status_code, response.get_data(as_text=True)
    return call


@pytest.fixture
def scored(app, race):
    """A003 submitted by the chair and two members, so the chair may moderate it."""
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "RACE-1"))
    application = panel.application_by_reference(vacancy, "A003")
    for email, k1 in ((CHAIR, 3), (MEMBERS[0], 1), (MEMBERS[1], 2)):
        user = db.session.scalar(select(User).where(User.email == email))
        panel.save_sheet(vacancy, application, user, "shortlisting", {"K1": str(k1), "D1": "1"}, {}, {}, submit=True)
    db.session.remove()


@pytest.mark.parametrize("existing", [False, True])
def test_two_chairs_recording_one_agreed_score_at_once(app, scored, existing):
    """The chair and HR (both may moderate) record an agreed score for the same criterion
    from the same version: one is saved, the other is told it changed, never overwritten."""
    version = ""
    if existing:
        chair = _client(app, CHAIR)
        assert _agreed(chair, 2, "")()[0] == 302
        db.session.remove()
        version = str(db.session.scalar(select(AgreedScore.version)))
    chair, hr = _client(app, CHAIR), _client(app, HR)
    results = at_once([_agreed(chair, 3, version), _agreed(hr, 1, version)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sorted(r[0] for r in results) == [200, 302], [r[0] for r in results]
    refused = next(body for code, body in results if code == 200)
    assert "changed the agreed score for K1 while you were looking at it" in refused
    saved_value = 3 if results[0][0] == 302 else 1
    db.session.remove()
    rows = db.session.scalars(select(AgreedScore)).all()
    assert len(rows) == 1 and rows[0].value == saved_value
    assert rows[0].version == (2 if existing else 1)
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "agreed.recorded")) == \
        (2 if existing else 1)
