"""Value types returned by the person-specification importer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Canonical order of method-of-assessment codes.
METHOD_ORDER: tuple[str, ...] = ("AF", "Q", "I", "P", "E", "T", "R")

METHOD_NAMES: dict[str, str] = {
    "AF": "application form",
    "Q": "qualifications",
    "I": "interview",
    "P": "presentation",
    "E": "exercise",
    "T": "test",
    "R": "references",
}

DBS_LEVELS: tuple[str, ...] = ("none", "basic", "standard", "enhanced", "unknown")


def order_methods(codes: set[str] | frozenset[str] | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Return the codes in canonical order, dropping anything unknown."""
    present = set(codes)
    return tuple(code for code in METHOD_ORDER if code in present)


class SpecImportError(Exception):
    """The document cannot be read. ``message`` is safe to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProposedCriterion:
    category: str
    text: str
    essential: bool
    methods: tuple[str, ...]
    shortlisting: bool
    source_line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "text": self.text,
            "essential": self.essential,
            "methods": list(self.methods),
            "shortlisting": self.shortlisting,
            "source_line": self.source_line,
        }


@dataclass(frozen=True)
class Proposal:
    criteria: tuple[ProposedCriterion, ...] = ()
    dbs_level: str = "unknown"
    barred_lists: tuple[str, ...] = ()
    disability_confident: bool | None = None
    waiver_policy: bool | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "criteria": [c.to_json() for c in self.criteria],
            "dbs": {"level": self.dbs_level, "barred_lists": list(self.barred_lists)},
            "disability_confident": self.disability_confident,
            "waiver_policy": self.waiver_policy,
            "warnings": list(self.warnings),
        }
