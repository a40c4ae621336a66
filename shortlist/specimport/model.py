"""Value types returned by the person-specification importer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shortlist.rules import vocabulary

#: Canonical order of method-of-assessment codes.
METHOD_ORDER: tuple[str, ...] = vocabulary.METHODS

#: as the importer's messages name them, mid-sentence
METHOD_NAMES: dict[str, str] = {code: name.lower() for code, name in vocabulary.METHOD_NAMES.items()}

#: the vocabulary's levels, and "unknown" where a document asks for a check without saying which
DBS_LEVELS: tuple[str, ...] = (*vocabulary.DBS_LEVELS, "unknown")


def order_methods(codes: set[str] | frozenset[str] | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Return the codes in canonical order, dropping anything unknown."""
    present = set(codes)
    return tuple(code for code in METHOD_ORDER if code in present)


class SpecImportError(Exception):
    """The document cannot be read. ``message`` is safe to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: Doubts about how the document was read (not a policy default such as methods proposed where
#: the document gives none): these make a whole document "read with low confidence", and the
#: review lists the criteria that have them first.
READING_DOUBTS = frozenset({
    "run_together", "split_run_together", "flattened", "side_by_side", "long_text", "several_sentences",
    "fragment",
})


@dataclass(frozen=True)
class Doubt:
    """Why a proposed criterion may be wrong: ``code`` for machines, ``message`` for people."""

    code: str
    message: str
    #: how much it lowers the criterion's confidence
    weight: float = 0.2

    @property
    def reading(self) -> bool:
        return self.code in READING_DOUBTS

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


#: below this a criterion is shown as doubtful
DOUBTFUL_BELOW = 0.75


@dataclass(frozen=True)
class ProposedCriterion:
    category: str
    text: str
    essential: bool
    methods: tuple[str, ...]
    shortlisting: bool
    source_line: int | None = None
    doubts: tuple[Doubt, ...] = ()
    #: the document's line the criterion was read from, as it stands there
    source: str = ""

    @property
    def confidence(self) -> float:
        return round(max(0.0, 1.0 - sum(d.weight for d in self.doubts)), 2)

    @property
    def doubtful(self) -> bool:
        return self.confidence < DOUBTFUL_BELOW

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "text": self.text,
            "essential": self.essential,
            "methods": list(self.methods),
            "shortlisting": self.shortlisting,
            "source_line": self.source_line,
            "confidence": self.confidence,
            "doubts": [d.to_json() for d in self.doubts],
            "source": self.source,
        }


@dataclass(frozen=True)
class Proposal:
    criteria: tuple[ProposedCriterion, ...] = ()
    dbs_level: str = "unknown"
    barred_lists: tuple[str, ...] = ()
    disability_confident: bool | None = None
    waiver_policy: bool | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    #: the document as a whole was read with low confidence (see api.LOW_CONFIDENCE)
    low_confidence: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "low_confidence": self.low_confidence,
            "criteria": [c.to_json() for c in self.criteria],
            "dbs": {"level": self.dbs_level, "barred_lists": list(self.barred_lists)},
            "disability_confident": self.disability_confident,
            "waiver_policy": self.waiver_policy,
            "warnings": list(self.warnings),
        }
