"""`shortlist load`: all or nothing, with messages that name the field and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Score, Vacancy
from tests.factories import CHAIR, MEMBER, OTHER, campaign_dict, load, to_yaml


def snapshot() -> dict[str, int]:
    """Row counts of every table: what "the database is unchanged" means here."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def write(tmp_path: Path, text: str, name: str = "campaign.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_writes_the_whole_campaign(runner, tmp_path):
    result = runner.invoke(args=["load", str(write(tmp_path, to_yaml(campaign_dict())))])
    assert result.exit_code == 0, result.output
    assert "Loaded TST-01" in result.output
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "TST-01"))
    assert [c.key for c in vacancy.criteria] == ["K1", "C1", "D1"]
    assert vacancy.criteria[1].shortlisting is False  # interview only: not a shortlisting criterion
    assert vacancy.criteria[0].shortlisting is True  # AF: shortlisting by default
    assert vacancy.dbs_barred_lists == ["children"]
    app = vacancy.applications[0]
    assert app.details.name == "Applicant One"
    assert app.equality_monitoring.answers == {"ethnicity": "Prefer not to say"}
    assert {(s.user.email, len(s.scores)) for s in app.score_sheets} == {(CHAIR, 2), (MEMBER, 2)}
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "campaign.loaded")).all()
    assert len(events) == 1 and events[0].data["applications"] == 1
    # the panel's accounts did not exist: each creation is in the audit log, by whoever loaded
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.created")
                                 .order_by(AuditEvent.seq)).all()
    assert [(e.data["email"], e.data["role"]) for e in created] == [
        (CHAIR, "recruiting_manager"), (MEMBER, "panel_member"), (OTHER, "panel_member")]
    assert {e.actor for e in created} == {events[0].actor}


def _broken(mutate) -> str:  # noqa: ANN001
    data = campaign_dict()
    mutate(data)
    return to_yaml(data)


def _set_score(value):  # noqa: ANN001, ANN202
    def mutate(d):  # noqa: ANN001, ANN202
        d["applications"][0]["scores"]["shortlisting"][CHAIR]["K1"] = value
    return mutate


BROKEN = [
    pytest.param("vacancy:\n  reference: [unclosed\n", "not valid YAML", id="bad-yaml"),
    pytest.param(
        _broken(lambda d: d["applications"][0]["scores"]["shortlisting"][CHAIR].update({"K9": 2})),
        f"applications[0].scores.shortlisting.{CHAIR}.K9: unknown criterion 'K9'", id="unknown-criterion-in-scores"),
    pytest.param(_broken(_set_score(7)),
                 f"applications[0].scores.shortlisting.{CHAIR}.K1: score 7 is outside the scale (0 to 3)",
                 id="score-outside-scale"),
    pytest.param(
        _broken(lambda d: d["applications"][0]["scores"]["shortlisting"].update({"stranger@example.org": {"K1": 2}})),
        "stranger@example.org is not on the panel, so cannot score", id="scorer-not-on-panel"),
    pytest.param(
        _broken(lambda d: d["applications"].append(dict(d["applications"][0]))),
        "applications[1].reference: 'A001' is used by another application", id="duplicate-application-reference"),
    pytest.param(
        _broken(lambda d: d["vacancy"].update({"dbs": {"level": "none", "barred_lists": ["children"]}})),
        "vacancy.dbs.barred_lists", id="barred-list-with-level-none"),
    pytest.param(
        _broken(lambda d: d["criteria"].append(dict(d["criteria"][0]))),
        "criteria[3].key: 'K1' is used by another criterion", id="duplicate-criterion-key"),
    pytest.param(
        _broken(lambda d: d["vacancy"].update({"closng_date": "2026-12-01"})),
        "vacancy.closng_date: unknown key", id="typo-key"),
    pytest.param(
        _broken(lambda d: d["vacancy"]["scale"] if False else d["vacancy"].update({"scale": {"min": 0, "max": 3, "met": 5}})),
        "vacancy.scale.met: must lie on the scale (0 to 3)", id="met-outside-scale"),
    pytest.param(
        _broken(lambda d: d["applications"][0]["employment_history"].append({"from": "2019-13", "employer": "X"})),
        "applications[0].employment_history[1].from: must be a month written YYYY-MM", id="bad-month"),
    pytest.param("", "the file is empty", id="empty-file"),
    pytest.param("- just\n- a list\n", "must be a mapping", id="not-a-mapping"),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_broken_file_exits_2_names_the_problem_and_changes_nothing(runner, tmp_path, text, message):
    load(campaign_dict(reference="KEEP-01"))  # something already stored must survive
    before = snapshot()
    result = runner.invoke(args=["load", str(write(tmp_path, text))])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "nothing was changed" in result.output
    assert snapshot() == before


def test_problem_names_its_yaml_line(runner, tmp_path):
    text = _broken(_set_score(9))
    result = runner.invoke(args=["load", str(write(tmp_path, text))])
    line_no = next(i for i, line in enumerate(text.splitlines(), start=1) if "K1: 9" in line)
    assert f"(line {line_no})" in result.output


def test_every_problem_is_reported_at_once(runner, tmp_path):
    data = campaign_dict()
    data["applications"][0]["scores"]["shortlisting"][CHAIR]["K1"] = 9
    data["applications"][0]["scores"]["shortlisting"][MEMBER]["K7"] = 1
    result = runner.invoke(args=["load", str(write(tmp_path, to_yaml(data)))])
    assert result.exit_code == 2
    assert "score 9 is outside the scale" in result.output
    assert "unknown criterion 'K7'" in result.output


def test_existing_reference_is_refused_without_replace(runner, tmp_path):
    load(campaign_dict())
    before = snapshot()
    path = write(tmp_path, to_yaml(campaign_dict()))
    result = runner.invoke(args=["load", str(path)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert snapshot() == before


def test_replace_swaps_the_campaign_in_one_go(runner, tmp_path):
    load(campaign_dict())
    data = campaign_dict(title="Senior Family Therapist")
    data["applications"][0]["scores"]["shortlisting"][OTHER] = {"K1": 1}
    result = runner.invoke(args=["load", "--replace", str(write(tmp_path, to_yaml(data)))])
    assert result.exit_code == 0, result.output
    vacancies = db.session.scalars(select(Vacancy)).all()
    assert [v.title for v in vacancies] == ["Senior Family Therapist"]
    assert db.session.scalar(select(func.count()).select_from(Score)) == 5


def test_duplicate_yaml_keys_are_an_error(runner, tmp_path):
    text = to_yaml(campaign_dict()).replace("  title: Family Therapist\n",
                                             "  title: Family Therapist\n  title: Other\n", 1)
    result = runner.invoke(args=["load", str(write(tmp_path, text))])
    assert result.exit_code == 2
    assert "vacancy.title: duplicate key" in result.output


def test_a_conflicted_members_scores_load_but_never_count(runner, tmp_path):
    """A conflict declared after scoring (scenario 21): the file keeps the scores, the
    engine leaves them out and says so."""
    import json

    data = campaign_dict()
    data["applications"][0]["conflicts"] = [MEMBER]
    result = runner.invoke(args=["load", str(write(tmp_path, to_yaml(data)))])
    assert result.exit_code == 0, result.output
    out = json.loads(runner.invoke(args=["recommend", "TST-01", "--json"]).output)
    (candidate,) = out["candidates"]
    codes = {(r["code"], r["criterion"]) for r in candidate["reasons"]}
    assert "conflict_excluded" in {code for code, _ in codes} and ("insufficient_scorers", "K1") in codes
    assert candidate["outcome"] == "incomplete"
