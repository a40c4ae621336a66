"""SQL statements per hot page and command do not grow with the campaign (issue 9).

Campaigns come from the benchmark's generator (bench/generate.py) through the real
campaign loader; the pages are requested through the test client as a signed-in user,
exactly as ``python -m bench`` does, and every statement the database receives is
counted (a ``before_cursor_execute`` listener). Not timed: the benchmark measures time.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bench import harness
from shortlist.extensions import db
from shortlist.models import AuditEvent, GapMark, Score, ScoreSheet, User


def _counts(app: Flask, client: FlaskClient, scenario: harness.Scenario) -> dict[str, int]:
    counts = {"load": scenario.load_statements}
    for action in harness.actions_for(app):
        with harness.counting() as counted:
            action.run(app, client, scenario)
        counts[action.key] = counted.statements
    return counts


def test_statements_per_page_and_command_do_not_grow_with_the_campaign(app: Flask, client: FlaskClient) -> None:
    # The panel's users exist already (a first campaign creates them: a statement or two more).
    harness.prepare(1, criteria=1, panel=5, reference="QC-USERS")
    # The campaigns share the database, as a council's vacancies do.
    small = harness.prepare(10, criteria=5, panel=3, open_sheets=4, reference="QC-10")
    large = harness.prepare(200, criteria=5, panel=3, open_sheets=4, reference="QC-200")
    # Nor with the criteria or the panel: no query per criterion or per member either.
    wider = harness.prepare(10, criteria=9, panel=5, open_sheets=4, reference="QC-10-WIDE")

    at_10 = _counts(app, client, small)
    at_200 = _counts(app, client, large)
    wider_10 = _counts(app, client, wider)

    expected = {a.key for a in harness.actions_for(app)} | {"load"}
    assert set(at_10) == expected
    assert at_200 == at_10
    assert wider_10 == at_10


def test_every_lookup_the_hot_paths_make_goes_through_an_index(app: Flask, client: FlaskClient) -> None:
    harness.prepare(12, criteria=5, panel=3, open_sheets=4, reference="QC-OTHER")  # more than one vacancy
    s = harness.prepare(12, criteria=5, panel=3, open_sheets=4, reference="QC-INDEX")
    scans: dict[str, list[str]] = {}
    for action in harness.actions_for(app):
        with harness.capturing_selects() as selects:
            action.run(app, client, s)
        for statement, parameters in selects:
            found = harness.full_scans(statement, parameters)
            if found:
                scans[f"{action.key}: {' '.join(statement.split())[:200]}"] = found
    assert scans == {}


@pytest.fixture
def save_sheet_calls() -> Iterator[list[harness.Counter]]:
    """The statements of each call of the submit use case (the service), inside the real request."""
    from shortlist.services import panel

    with harness.counting_use_case(panel, "save_sheet") as calls:
        yield calls


def test_submitting_one_candidates_scores_is_one_transaction_of_at_most_8_statements(
        app: Flask, client: FlaskClient, save_sheet_calls: list[harness.Counter]) -> None:
    s = harness.prepare(10, criteria=25, panel=3, open_sheets=3, reference="QC-SUBMIT")
    calls = save_sheet_calls
    reference = s.next_open(with_gap=True)  # a gap to mark: the most a first submission writes
    harness.sign_in(client, *s.login(s.member))
    with harness.counting(keep=True) as request:
        response = client.post(f"/vacancies/{s.reference}/scoring/{reference}", data=harness.submit_form(s, reference))
    assert response.status_code == 302

    (use_case,) = calls
    assert use_case.statements <= 8, "\n".join(use_case.log)
    assert use_case.commits == 1 and use_case.log[-1] == "COMMIT"
    # the whole request is that one transaction: one commit, nothing read after it
    assert request.commits == 1
    assert request.after_last_commit() == []

    # and it wrote what a submission writes: 25 scores, the gap mark, the audit event
    member = db.session.scalar(select(User).where(User.email == s.member))
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.user_id == member.id,
                                                       ScoreSheet.application.has(reference=reference)))
    assert sheet is not None and sheet.submitted_at is not None
    assert sorted(x.value for x in db.session.scalars(select(Score).where(Score.sheet_id == sheet.id))) == [2] * 25
    assert db.session.scalar(select(GapMark.mark).where(GapMark.application_id == sheet.application_id,
                                                        GapMark.user_id == member.id)) == "explore"
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.subject, event.data["gap_marks"]) == ("scores.submitted", reference,
                                                                      {"2022-01": "explore"})


def test_submitting_a_saved_draft_is_one_transaction_of_at_most_8_statements(
        app: Flask, client: FlaskClient, save_sheet_calls: list[harness.Counter]) -> None:
    s = harness.prepare(10, criteria=25, panel=3, open_sheets=3, reference="QC-DRAFT")
    reference = s.next_open(with_gap=True)
    harness.sign_in(client, *s.login(s.member))
    draft = harness.submit_form(s, reference)
    del draft["submit"]
    draft.update({"save": "Save as draft", "score-C01": "1", "note-C01": "First thoughts."})
    assert client.post(f"/vacancies/{s.reference}/scoring/{reference}", data=draft).status_code == 302

    calls = save_sheet_calls
    calls.clear()  # the draft's save is not the one counted
    form = harness.submit_form(s, reference)  # changes C01 back to 2, clears its note, re-marks the gap
    form["gap-2022-01"] = "explained"
    with harness.counting(keep=True) as request:
        response = client.post(f"/vacancies/{s.reference}/scoring/{reference}", data=form)
    assert response.status_code == 302

    (use_case,) = calls
    assert use_case.statements <= 8, "\n".join(use_case.log)
    assert use_case.commits == 1 and request.commits == 1
    assert request.after_last_commit() == []
    member_id = s.user_ids[s.member]
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.user_id == member_id,
                                                       ScoreSheet.application.has(reference=reference)))
    assert sheet.submitted_at is not None
    assert {(x.value, x.note) for x in db.session.scalars(select(Score).where(Score.sheet_id == sheet.id))} == {(2, "")}
    assert db.session.scalar(select(GapMark.mark).where(GapMark.application_id == sheet.application_id,
                                                        GapMark.user_id == member_id)) == "explained"


def test_a_big_load_refreshes_the_planners_statistics_on_postgresql(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import text

    from shortlist.services import campaigns

    monkeypatch.setattr(campaigns, "BIG_LOAD", 10)  # the real threshold is 500 applications
    engine = db.engine
    with harness.counting(keep=True) as counted:
        harness.prepare(10, criteria=3, panel=3, open_sheets=2, reference="QC-STATS")
    analyzed = [s for s in counted.log if s.startswith("ANALYZE")]
    if engine.dialect.name == "postgresql":
        assert analyzed == ['ANALYZE "' + '", "'.join(campaigns.LOADED_TABLES) + '"']
        with engine.connect() as conn:
            last = conn.execute(text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'score'")).scalar()
        assert last is not None
    else:  # SQLite plans well from its indexes alone: nothing to refresh
        assert analyzed == []
