"""The static checks run with the suite (so `make test` and CI run them): ruff with the
project's pinned rule set, bandit on the app (clean), mypy --strict on the rules engine.
Their settings are in pyproject.toml."""

from __future__ import annotations

import subprocess  # nosec B404 - runs the project's own tools, with fixed arguments
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    tool = BIN / command[0]
    assert tool.exists(), f"{command[0]} is not installed: pip install -e '.[test]'"
    return subprocess.run([str(tool), *command[1:]], cwd=ROOT, capture_output=True, text=True,  # nosec B603
                          timeout=300, check=False)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "--no-cache", "shortlist", "tests", "bench", "migrations")
    assert result.returncode == 0, result.stdout + result.stderr


def test_bandit_finds_nothing_in_the_app():
    result = run("bandit", "-q", "-c", "pyproject.toml", "-r", "shortlist")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Issue:" not in result.stdout


def test_mypy_strict_on_the_rules_engine():
    result = run("mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout and "shortlist/rules" not in result.stdout


@pytest.mark.parametrize(("tool", "source", "finding"), [
    ("ruff", "import os\n", "F401"),
    ("bandit", "import subprocess\nsubprocess.call('ls ' + input(), shell=True)\n", "B602"),
    ("mypy", "def f(x):\n    return x\n", "no-untyped-def"),
])
def test_each_check_can_fail(tmp_path, tool, source, finding):
    """The checks are not vacuous: each catches a planted finding."""
    planted = tmp_path / "planted.py"
    planted.write_text(source)
    if tool == "ruff":
        result = run("ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(planted))
    elif tool == "bandit":
        result = run("bandit", "-q", "-c", "pyproject.toml", str(planted))
    else:
        result = run("mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", str(planted))
    assert result.returncode != 0 and finding in result.stdout, result.stdout + result.stderr
