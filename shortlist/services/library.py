"""Adding statements from the criteria library to a vacancy as criteria.

One call adds every chosen statement, in one transaction with one audit record that
names each statement and the document it came from. The manager's choices (category,
wording, essential or desirable, methods, shortlisting) are what is saved; the
statement is where it started.
"""

from __future__ import annotations

from dataclasses import dataclass

from shortlist import rules
from shortlist.library import Statement, load_library
from shortlist.models import METHODS, User, Vacancy
from shortlist.services import vacancies

MAX_PER_ADD = 30


@dataclass(frozen=True)
class LibraryChoice:
    """A library statement as the manager wants it on the vacancy."""

    statement_id: str
    category: str
    text: str
    essential: bool
    methods: tuple[str, ...]
    shortlisting: bool


@dataclass(frozen=True)
class Added:
    keys: list[str]
    warnings: list[rules.Finding]


def statement(statement_id: str) -> Statement | None:
    return load_library().get(statement_id)


def provenance(s: Statement) -> dict[str, str | None]:
    """Where a statement comes from, for the audit record and the page."""
    return {
        "statement": s.id, "kind": s.kind, "ref": s.ref, "level": s.level_name, "pillar": s.pillar,
        "band": s.band, "profile": s.profile_title, "source": s.source.citation(),
    }


def add_from_library(vacancy: Vacancy, actor: User, choices: list[LibraryChoice]) -> Added:
    """Append the chosen statements to the vacancy's criteria.

    Raises SetupRefused (a finding per problem, `criterion` naming the choice by its
    position, 1-based) for an unknown statement or a choice the rules engine refuses,
    and Locked once scoring has started (unless the actor is HR)."""
    problems: list[rules.Finding] = []
    if not choices:
        problems.append(rules.Finding("error", "library_nothing_chosen", "library",
                                      "Choose at least one statement to add."))
    if len(choices) > MAX_PER_ADD:
        problems.append(rules.Finding("error", "library_too_many", "library",
                                      f"Add at most {MAX_PER_ADD} statements at a time."))
    found: list[Statement] = []
    for n, choice in enumerate(choices, start=1):
        s = statement(choice.statement_id)
        if s is None:
            problems.append(rules.Finding("error", "library_unknown_statement", f"library[{n}]",
                                          f"Statement {n} ({choice.statement_id}) is not in the library.", str(n)))
            continue
        unknown = sorted(set(choice.methods) - set(METHODS))
        if unknown:
            problems.append(rules.Finding("error", "unknown_method", f"library[{n}].methods",
                                          f"Statement {n} has unknown assessment method {', '.join(unknown)}.",
                                          str(n)))
        found.append(s)
    if problems:
        raise vacancies.SetupRefused(problems)

    taken = {c.key for c in vacancy.criteria}
    new_items: list[vacancies.CriterionInput] = []
    for c in choices:
        category = " ".join(c.category.split())
        key = vacancies.new_key(category, taken)
        taken.add(key)
        new_items.append(vacancies.CriterionInput(
            category=category, text=" ".join(c.text.split()), essential=c.essential,
            methods=tuple(m for m in METHODS if m in c.methods), shortlisting=c.shortlisting, key=key))
    position = {item.key: n for n, item in enumerate(new_items, start=1)}
    try:
        warnings = vacancies.save_criteria(
            vacancy, actor, vacancies.current_inputs(vacancy) + new_items, action="library_add",
            audit_extra={"library": [{**provenance(s), "key": item.key} for s, item in zip(found, new_items)]},
        )
    except vacancies.SetupRefused as exc:
        # name the choice (1-based) each finding is about, not the key it would have had
        raise vacancies.SetupRefused([
            rules.Finding(f.severity, f.code, f"library[{position[f.criterion]}]", f.message,
                          str(position[f.criterion]))
            if f.criterion in position else f
            for f in exc.findings
        ]) from None
    return Added([item.key or "" for item in new_items], warnings)
