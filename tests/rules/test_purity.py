"""shortlist/rules is pure Python: the standard library and its own modules only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "shortlist" / "rules"
OWN = "shortlist.rules"
MODULES = sorted(RULES.rglob("*.py"))


def foreign_imports(source: str, filename: str = "<string>") -> list[str]:
    """Imports in ``source`` outside the standard library and shortlist.rules,
    including dynamic ones (``__import__``, ``importlib.import_module``)."""
    bad: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if not isinstance(node, (ast.Import, ast.ImportFrom, ast.Call)):
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside the package
                continue
            names = [node.module or ""]
        elif isinstance(node, ast.Call):
            func = node.func
            called = (func.id if isinstance(func, ast.Name)
                      else func.attr if isinstance(func, ast.Attribute) else "")
            if called in {"__import__", "import_module"}:
                bad.append(f"line {node.lineno}: dynamic import")
            continue
        for name in names:
            top = name.split(".")[0]
            if name == OWN or name.startswith(OWN + "."):
                continue
            if top not in sys.stdlib_module_names:
                bad.append(f"line {node.lineno}: {name}")
    return bad


def test_modules_found() -> None:
    names = {p.name for p in MODULES}
    assert {"__init__.py", "types.py", "recommend.py", "checks.py", "decisions.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_module_imports_only_stdlib_and_itself(path: Path) -> None:
    assert foreign_imports(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("import flask", ["line 1: flask"], id="flask"),
        pytest.param("from sqlalchemy.orm import Session", ["line 1: sqlalchemy.orm"],
                     id="sqlalchemy"),
        pytest.param("import yaml", ["line 1: yaml"], id="yaml"),
        pytest.param("from shortlist.models import Vacancy", ["line 1: shortlist.models"],
                     id="other-shortlist-package"),
        pytest.param("from shortlist import campaign", ["line 1: shortlist"], id="shortlist-root"),
        pytest.param("import importlib\nimportlib.import_module('flask')",
                     ["line 2: dynamic import"], id="dynamic"),
        pytest.param("import datetime, re\nfrom shortlist.rules.types import Reason\n"
                     "from . import codes", [], id="allowed"),
    ],
)
def test_checker_catches_foreign_imports(source: str, expected: list[str]) -> None:
    assert foreign_imports(source) == expected
