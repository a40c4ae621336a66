"""The suite's root: what every test shares. The database fixtures (app, client,
client_request, login, demo_data, ...) are a plugin, tests/app_fixtures.py, used by every
test outside the pure folders (tests/rules, tests/specimport, tests/library), which build no app."""

from __future__ import annotations

import os
import tempfile

import pytest

# This run's PDF reading slots are its own: another run on the machine (another checkout's suite)
# reading PDFs at the same moment must not make an import test here "busy".
os.environ["SHORTLIST_PDF_SLOT_DIR"] = tempfile.mkdtemp(prefix="shortlist-pdf-slots-")

pytest_plugins = ["tests.app_fixtures", "tests.oidc.fixtures"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped test is a failure: every test must run."""
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        names = ", ".join(report.nodeid for report in skipped[:10])
        print(f"\nCI does not allow skipped tests; skipped: {names}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
