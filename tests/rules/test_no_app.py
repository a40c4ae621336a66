"""The pure tests (tests/rules, tests/specimport, tests/library) run outside any app and
database (tests/app_fixtures.py: PURE)."""

from __future__ import annotations

import sys

import pytest


def test_a_pure_test_runs_outside_any_app(request: pytest.FixtureRequest) -> None:
    flask = sys.modules.get("flask")
    assert flask is None or not flask.has_app_context()
    assert "app" not in request.fixturenames
