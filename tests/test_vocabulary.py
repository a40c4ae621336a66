"""One domain vocabulary (issue 15.1): every list a CHECK constraint allows and every enum the
campaign reader accepts is spelled once, in shortlist/rules/vocabulary.py.

Each check is a function run on the real models and modules, and again on a wrong example
to show it able to fail."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import CheckConstraint, Column, MetaData, String, Table

from shortlist import campaign_format as campaign
from shortlist import intake, models  # noqa: F401  (models: every table on the metadata)
from shortlist.extensions import db
from shortlist.rules import vocabulary as v

ROOT = Path(__file__).resolve().parents[1]

#: table.column -> the vocabulary its CHECK constraint allows (names, not values: the values
#: are spelled only in the vocabulary)
CHECKED_COLUMNS: dict[str, Iterable[str]] = {
    "vacancy.dbs_level": v.DBS_LEVELS,
    "vacancy.status": v.VACANCY_STATUSES,
    "user.role": v.USER_ROLES,
    "organisation_role.role": v.ORGANISATION_ROLES,
    "panel_membership.role": v.PANEL_ROLES,
    "score_sheet.stage": v.STAGES,
    "agreed_score.stage": v.STAGES,
    "decision.stage": v.STAGES,
    "adjustment_review.stage": v.STAGES,
    "adjustment_review.outcome": v.ADJUSTMENT_OUTCOMES,
    "gap_mark.mark": v.GAP_MARKS,
    "pre_employment_check.kind": v.CHECK_KINDS,
    "pre_employment_check.status": v.CHECK_STATUSES,
    "generated_document.kind": v.DOCUMENT_KINDS,
    "generated_document.status": v.DOCUMENT_STATUSES,
    "access_link.purpose": v.ACCESS_LINK_PURPOSES,
    "sift_assignment.purpose": v.SIFT_PURPOSES,
    "legal_hold.kind": v.LEGAL_HOLD_KINDS,
    "outbox_message.status": v.MESSAGE_STATUSES,
    "outbox_message.audience": v.MESSAGE_AUDIENCES,
}

#: the campaign reader's enums, each the vocabulary's own object
CAMPAIGN_ENUMS: dict[str, object] = {
    "METHODS": v.METHODS,
    "DBS_LEVELS": v.DBS_LEVELS,
    "BARRED_LISTS": v.BARRED_LISTS,
    "PANEL_ROLES": v.PANEL_ROLES,
    "STAGES": v.STAGES,
    "STATUSES": v.VACANCY_STATUSES,
    "CLOSED_STATUSES": v.CLOSED_STATUSES,
    "EQUALITY_KEYS": v.EQUALITY_KEYS,
    "GAP_MARKS": v.GAP_MARKS,
}

IN_LIST = re.compile(r"^\s*(\w+)\s+IN\s*\((.*)\)\s*$", re.S | re.I)


def allowed_lists(metadata: MetaData) -> dict[str, tuple[str, ...]]:
    """table.column -> the values of every ``column IN ('a', 'b')`` CHECK constraint."""
    found: dict[str, tuple[str, ...]] = {}
    for table in metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                match = IN_LIST.match(str(constraint.sqltext))
                if match:
                    found[f"{table.name}.{match.group(1)}"] = tuple(re.findall(r"'([^']*)'", match.group(2)))
    return found


def check_mismatches(found: Mapping[str, tuple[str, ...]],
                     expected: Mapping[str, Iterable[str]]) -> list[str]:
    problems = []
    for name, values in sorted(found.items()):
        if name not in expected:
            problems.append(f"{name}: a CHECK list the vocabulary map does not name")
        elif values != tuple(expected[name]):
            problems.append(f"{name}: allows {values}, the vocabulary says {tuple(expected[name])}")
    problems += [f"{name}: no CHECK constraint" for name in sorted(expected.keys() - found.keys())]
    return problems


def spelled_enums(source: str, vocabulary: Iterable[Iterable[str]]) -> list[str]:
    """Literal tuples, lists and sets in ``source`` holding two or more words of one
    vocabulary list: an enum spelled again instead of imported."""
    lists = [frozenset(words) for words in vocabulary]
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if any(len(words & known) >= 2 for known in lists):
                problems.append(f"line {node.lineno}: {sorted(words)}")
    return problems


def respelled_lists(source: str, vocabulary: Iterable[Iterable[str]]) -> list[str]:
    """Literal tuples, lists and sets in ``source`` holding exactly the words of a whole
    vocabulary list (of two or more words)."""
    lists = {frozenset(words) for words in vocabulary if len(frozenset(words)) >= 2}
    return [f"line {node.lineno}: {sorted(words)}"
            for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.Tuple, ast.List, ast.Set))
            for words in [frozenset(e.value for e in node.elts if isinstance(e, ast.Constant))]
            if words in lists]


def enum_mismatches(module: ModuleType, expected: Mapping[str, object]) -> list[str]:
    return [f"{module.__name__}.{name} is not the vocabulary's"
            for name, value in expected.items() if getattr(module, name, None) is not value]


def vocabulary_lists(leave_out: Iterable[str] = ()) -> list[tuple[str, ...]]:
    """Every closed list of words in the vocabulary (a mapping's values are its keys)."""
    return [tuple(value) for name, value in vars(v).items()
            if name.isupper() and name not in leave_out and isinstance(value, (tuple, frozenset, Mapping))
            and all(isinstance(word, str) for word in value)]


def test_every_check_constraint_allows_exactly_the_vocabulary() -> None:
    assert check_mismatches(allowed_lists(db.metadata), CHECKED_COLUMNS) == []


def test_the_campaign_reader_uses_the_vocabulary() -> None:
    assert enum_mismatches(campaign, CAMPAIGN_ENUMS) == []


@pytest.mark.parametrize("path", [
    "shortlist/campaign_format.py", "shortlist/intake.py", "shortlist/specimport/model.py",
    "shortlist/models/vacancy.py", "shortlist/models/scoring.py", "shortlist/models/sealed.py",
    "shortlist/models/user.py", "shortlist/models/panel.py", "shortlist/views/setup.py",
    "shortlist/rules/types.py", "shortlist/rules/decisions.py", "shortlist/services/closing.py",
    *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "shortlist/services/panel").glob("*.py")),
    "shortlist/views/vacancies.py", "shortlist/views/panel.py",
    "shortlist/cli.py",
])
def test_no_enum_is_spelled_again(path: str) -> None:
    assert spelled_enums((ROOT / path).read_text(encoding="utf-8"), vocabulary_lists()) == []


#: method lists a suggestion may equal by chance (qualifications: "AF, Q"), not the evidence rule
SUGGESTIONS = {"EVIDENCE_METHODS", "INTERVIEW_METHODS"}


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "shortlist").rglob("*.py")
                                        if p.name != "vocabulary.py"))
def test_no_vocabulary_list_is_written_out_again(path: str) -> None:
    source = (ROOT / path).read_text(encoding="utf-8")
    assert respelled_lists(source, vocabulary_lists(leave_out=SUGGESTIONS)) == []


def test_user_roles_are_the_vocabulary() -> None:
    assert tuple(models.Role) == v.USER_ROLES


# ----------------------------------------------------------------- the checks can fail

def test_a_check_constraint_that_differs_is_reported() -> None:
    metadata = MetaData()
    Table("panel_membership", metadata, Column("role", String),
          CheckConstraint("role IN ('chair', 'member')", name="role"))
    Table("thing", metadata, Column("kind", String), CheckConstraint("kind IN ('a', 'b')", name="kind"))
    found = allowed_lists(metadata)
    assert check_mismatches(found, {"panel_membership.role": v.PANEL_ROLES, "user.role": v.USER_ROLES}) == [
        "panel_membership.role: allows ('chair', 'member'), the vocabulary says ('chair', 'member', 'hr_adviser')",
        "thing.kind: a CHECK list the vocabulary map does not name",
        "user.role: no CHECK constraint",
    ]


def test_an_enum_spelled_again_is_reported() -> None:
    source = 'GAP_MARKS = ("explained", "explore")\nif x in ["draft", "open"]:\n    pass\nOK = ("a", "b")\n'
    assert spelled_enums(source, vocabulary_lists()) == [
        "line 1: ['explained', 'explore']", "line 2: ['draft', 'open']"]


def test_a_list_written_out_again_is_reported() -> None:
    source = 'ok = {"AF", "Q", "I"}\nroles = frozenset({"member", "chair"})\n'
    assert respelled_lists(source, [v.PANEL_ROLES, v.SCORING_ROLES]) == ["line 2: ['chair', 'member']"]


def test_a_campaign_enum_of_its_own_is_reported() -> None:
    own = ModuleType("fake_campaign")
    own.METHODS = ("AF", "Q", "I", "P", "E", "T", "R")  # equal, but a second spelling
    assert enum_mismatches(own, {"METHODS": v.METHODS}) == ["fake_campaign.METHODS is not the vocabulary's"]
