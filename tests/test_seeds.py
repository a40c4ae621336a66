"""The three seed campaigns: faithful to their documents, loadable, and round-trippable."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.models import Application, User, Vacancy
from tests.app_fixtures import SEEDS

SEED_FILES = sorted(SEEDS.glob("*-*.yaml"))
EXPECTED = {
    # reference: (criteria, essential, shortlisting)
    "BCT-AP-01": 30,
    "KCC-ST-01": 31,
    "LBL-FFT-01": 34,
}


def test_there_are_three_seed_campaigns():
    assert {cf.parse(p.read_text()).vacancy.reference for p in SEED_FILES} == set(EXPECTED)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_seed_loads_and_exports_back_the_same(runner, path: Path, tmp_path):
    for entry in yaml.safe_load((SEEDS / "organisations.yaml").read_text()):
        made = runner.invoke(args=["create-organisation", "--name", entry["name"], "--code", entry["code"],
                                   *[a for d in entry["email_domains"] for a in ("--domain", d)]])
        assert made.exit_code == 0, made.output
    result = runner.invoke(args=["load", str(path)])
    assert result.exit_code == 0, result.output
    original = cf.parse(path.read_text())
    assert len(original.criteria) == EXPECTED[original.vacancy.reference]
    assert 12 <= len(original.applications) <= 20
    exported = runner.invoke(args=["export", original.vacancy.reference])
    assert exported.exit_code == 0
    assert cf.parse(exported.output) == original
    # and load(export) == export
    again = tmp_path / "again.yaml"
    again.write_text(exported.output)
    assert runner.invoke(args=["load", "--replace", str(again)]).exit_code == 0
    assert yaml.safe_load(runner.invoke(args=["export", original.vacancy.reference]).output) == yaml.safe_load(exported.output)


def test_demo_loads_users_and_all_seeds(runner):
    result = runner.invoke(args=["demo", "--keep"])
    assert result.exit_code == 0, result.output
    assert set(db.session.scalars(select(Vacancy.reference))) == set(EXPECTED)
    people = yaml.safe_load((SEEDS / "users.yaml").read_text())
    emails = {p["email"] for p in people}
    stored = {u.email: u for u in db.session.scalars(select(User))}
    assert emails <= stored.keys()
    assert all(stored[e].password_hash for e in emails)
    assert db.session.scalar(select(func.count()).select_from(Application)) >= 36
    # running it again does not duplicate anything
    assert runner.invoke(args=["demo", "--keep"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Vacancy)) == 3
