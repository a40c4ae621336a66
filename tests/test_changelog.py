"""The version the package carries is the newest one in CHANGELOG.md."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_version_is_the_changelogs_newest() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    entries = re.findall(r"^## (\d+\.\d+\.\d+)\b", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert entries and entries[0] == declared
    assert entries == sorted(entries, key=lambda v: tuple(map(int, v.split("."))), reverse=True)


def test_the_installed_package_reports_that_version() -> None:
    import shortlist

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert shortlist.__version__ == declared == version("shortlist")
