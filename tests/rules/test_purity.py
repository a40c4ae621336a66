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


# --------------------------------------------------------------------------- layers (issue 15.3)
# The rules above are the innermost floor. Around them: readers turn files into typed values
# (no Flask, no database); services own every write, its transaction and its audit record;
# views and the command line are thin (no commit, no audit record, no SQL).

SHORTLIST = RULES.parent
READERS = ("specimport", "library", "campaign_format.py", "intake.py", "exports.py")
READER_MAY_IMPORT = ("shortlist.rules", "shortlist.dates", "shortlist.campaign_format", "shortlist.specimport",
                     "shortlist.library", "shortlist.intake", "shortlist.exports")
WEB_OR_DATABASE = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "sqlalchemy",
                   "werkzeug", "shortlist.extensions", "shortlist.models")
THIN = ("views", "api", "cli.py")
#: a file let through some of these faults, with the reason; none is now (views/auth.py's
#: sign-in writes moved to services/auth.py, issue 17)
THIN_ALLOWED: dict[str, set[str]] = {}


def _sources(*names: str) -> list[Path]:
    found: list[Path] = []
    for name in names:
        path = SHORTLIST / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            module = node.module or ""
            names += [(node.lineno, f"{module}.{alias.name}" if module == "shortlist" else module)
                      for alias in node.names]
    return names


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def reader_faults(source: str) -> list[str]:
    """A reader imports no web framework, no database, and of Shortlist only other readers
    and the pure rules."""
    return [f"line {line}: {name}" for line, name in _imported(ast.parse(source))
            if _within(name, WEB_OR_DATABASE)
            or (_within(name, ("shortlist",)) and not _within(name, READER_MAY_IMPORT))]


def thin_faults(source: str) -> list[str]:
    """A view or a command commits nothing, records no audit event and runs no SQL: it calls a
    service. (The error handler's rollback is a service's too: services.transactions.abandon.)"""
    faults: list[str] = []
    tree = ast.parse(source)
    for line, name in _imported(tree):
        if _within(name, ("sqlalchemy",)):
            faults.append(f"line {line}: imports {name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            text = ast.unparse(node)
            if node.attr == "commit":
                faults.append(f"line {node.lineno}: commit")
            elif text == "audit.record":
                faults.append(f"line {node.lineno}: audit.record")
            elif text in ("db.session", "db.select"):
                faults.append(f"line {node.lineno}: {text}")
        elif isinstance(node, ast.Name) and node.id in ("select", "text") and isinstance(node.ctx, ast.Load):
            if any(_within(n, ("sqlalchemy",)) for _l, n in _imported(tree)):
                faults.append(f"line {node.lineno}: {node.id}()")
    return sorted(set(faults), key=lambda f: (int(f.split(":")[0].split()[1]), f))


def service_faults(source: str) -> list[str]:
    """A service never reaches up into the views or the app factory."""
    return [f"line {line}: {name}" for line, name in _imported(ast.parse(source))
            if _within(name, ("shortlist.views", "shortlist.app", "shortlist.create_app"))]


#: the one place a service commits or rolls back: `with transaction():`, retrying(), abandon()
TRANSACTIONS = "services/transactions.py"


def transaction_faults(source: str) -> list[str]:
    """A service commits or rolls back only through services/transactions.py (``with
    transaction():``, one transaction per use case): a plain commit could store half a use
    case, a plain rollback is a transaction written by hand."""
    return sorted((f"line {node.lineno}: {node.attr}" for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.Attribute) and node.attr in ("commit", "rollback")),
                  key=lambda f: int(f.split(":")[0].split()[1]))


def _relative(path: Path) -> str:
    return path.relative_to(SHORTLIST).as_posix()


@pytest.mark.parametrize("path", _sources(*READERS), ids=_relative)
def test_readers_import_no_web_framework_or_database(path: Path) -> None:
    assert reader_faults(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", _sources(*THIN), ids=_relative)
def test_views_and_the_command_line_leave_writing_and_sql_to_services(path: Path) -> None:
    allowed = THIN_ALLOWED.get(_relative(path), set())
    faults = [f for f in thin_faults(path.read_text(encoding="utf-8")) if f.split(": ", 1)[1] not in allowed]
    assert faults == []


@pytest.mark.parametrize("path", _sources("services"), ids=_relative)
def test_services_do_not_import_views_or_the_app_factory(path: Path) -> None:
    assert service_faults(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", [p for p in _sources("services") if _relative(p) != TRANSACTIONS],
                         ids=_relative)
def test_services_write_through_one_transaction_per_use_case(path: Path) -> None:
    assert transaction_faults(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("check", "source", "expected"),
    [
        pytest.param(reader_faults, "import flask", ["line 1: flask"], id="reader-flask"),
        pytest.param(reader_faults, "from sqlalchemy import select", ["line 1: sqlalchemy"], id="reader-sqlalchemy"),
        pytest.param(reader_faults, "from shortlist import models", ["line 1: shortlist.models"], id="reader-models"),
        pytest.param(reader_faults, "from shortlist.services import audit", ["line 1: shortlist.services"],
                     id="reader-service"),
        pytest.param(reader_faults, "import yaml\nfrom shortlist.rules import vocabulary\nfrom .lines import Line",
                     [], id="reader-allowed"),
        pytest.param(thin_faults, "db.session.commit()", ["line 1: commit", "line 1: db.session"], id="view-commit"),
        pytest.param(thin_faults, "audit.record(actor, 'x')", ["line 1: audit.record"], id="view-audit"),
        pytest.param(thin_faults, "from sqlalchemy import select\nrows = select(User)",
                     ["line 1: imports sqlalchemy", "line 2: select()"], id="view-sql"),
        pytest.param(thin_faults, "x = db.session.get(User, 1)", ["line 1: db.session"], id="view-session"),
        pytest.param(thin_faults, "service.save(form.data)\nreturn render_template('a.html')", [],
                     id="view-allowed"),
        pytest.param(service_faults, "from shortlist.views import panel", ["line 1: shortlist.views"],
                     id="service-view"),
        pytest.param(service_faults, "from shortlist import create_app", ["line 1: shortlist.create_app"],
                     id="service-factory"),
        pytest.param(service_faults, "from shortlist.app import create_app", ["line 1: shortlist.app"],
                     id="service-app-module"),
        pytest.param(transaction_faults, "row.x = 1\ndb.session.commit()", ["line 2: commit"], id="service-commit"),
        pytest.param(transaction_faults, "try:\n    save()\nexcept Clash:\n    db.session.rollback()",
                     ["line 4: rollback"], id="service-rollback"),
        pytest.param(transaction_faults, "with transaction():\n    row.x = 1", [], id="service-transaction"),
    ],
)
def test_layer_checks_catch_their_faults(check, source: str, expected: list[str]) -> None:  # noqa: ANN001
    assert check(source) == expected
