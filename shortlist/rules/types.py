"""Inputs and outputs of the rules engine: frozen dataclasses of primitives.

Inputs mirror docs/campaign-format.md (the parts a rule needs; personal details,
equality monitoring and criminal-record declarations are deliberately absent, R10).
Outputs have ``to_dict()`` returning JSON-ready dicts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeAlias

from shortlist.rules.vocabulary import DEFAULT_DESCRIPTORS, EVIDENCE_METHODS

Scores: TypeAlias = Mapping[str, Mapping[str, int]]
"""Submitted scores for one candidate and stage: member e-mail -> criterion key -> score."""
Agreed: TypeAlias = Mapping[str, int]
"""Agreed (moderated) scores for one candidate and stage: criterion key -> score."""
GapMarks: TypeAlias = Mapping[str, Mapping[str, Mapping[str, str]]]
"""candidate reference -> gap start "YYYY-MM" -> shortlister e-mail -> "explained" | "explore"."""


def _frozen(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(mapping))


def to_json(value: Any) -> Any:
    """A JSON-ready copy of an engine value (dataclasses, enums, dates, mappings, tuples)."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, YearMonth):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(to_json(v) for v in value)
    if isinstance(value, (tuple, list)):
        return [to_json(v) for v in value]
    return value


class _ToDict:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        result = to_json(self)
        assert isinstance(result, dict)
        return result


# --------------------------------------------------------------------------- inputs

_YM = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class YearMonth(_ToDict):
    """A calendar month. Written and parsed as "YYYY-MM"; ordered chronologically."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, not {self.month}")

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        match = _YM.match(text.strip())
        if not match:
            raise ValueError(f"expected YYYY-MM, not {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> YearMonth:
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> YearMonth:
        return cls(index // 12, index % 12 + 1)

    @property
    def index(self) -> int:
        """Months since year 0: consecutive months differ by one."""
        return self.year * 12 + self.month - 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Scale(_ToDict):
    """The scoring scale. ``Scale()`` is the campaign format's default 0-3 scale."""

    min: int = 0
    max: int = 3
    met: int = 2
    divergence_gap: int = 2
    descriptors: Mapping[int, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        descriptors = self.descriptors
        if not descriptors and (self.min, self.max) == (0, 3):
            descriptors = DEFAULT_DESCRIPTORS
        object.__setattr__(self, "descriptors", _frozen(descriptors))

    def describe(self, score: float) -> str:
        """'2 (Meets)' for a whole score with a descriptor, else the number."""
        if float(score).is_integer():
            whole = int(score)
            label = self.descriptors.get(whole)
            return f"{whole} ({label})" if label else str(whole)
        return f"{score:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class DBS(_ToDict):
    level: str = "none"
    barred_lists: tuple[str, ...] = ()
    regulated_activity: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "barred_lists", tuple(self.barred_lists))


@dataclass(frozen=True)
class Criterion(_ToDict):
    key: str
    category: str
    text: str
    essential: bool
    methods: tuple[str, ...]
    shortlisting: bool
    non_waivable: bool = False
    pre_employment: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "methods", tuple(self.methods))

    @staticmethod
    def default_shortlisting(methods: tuple[str, ...]) -> bool:
        """The campaign format's default for ``shortlisting``: AF or Q is a method."""
        return bool(EVIDENCE_METHODS.intersection(methods))


@dataclass(frozen=True)
class PanelMember(_ToDict):
    email: str
    name: str
    role: str = "member"
    safer_recruitment_trained_on: dt.date | None = None


@dataclass(frozen=True)
class InterviewCap(_ToDict):
    """A volume cap declared before scoring (R5)."""

    places: int
    reason: str


@dataclass(frozen=True)
class Vacancy(_ToDict):
    reference: str
    title: str
    dbs: DBS = field(default_factory=DBS)
    safeguarding_role: bool = False
    customer_facing: bool = False
    offer_interview: bool = False
    waiver_policy: bool = False
    declaration_triggers_scheme: bool = False
    scale: Scale = field(default_factory=Scale)
    # why a role with regulated activity is nevertheless not a safeguarding role ("": not said)
    safeguarding_exemption: str = ""
    min_scorers: int = 2
    employment_gap_months: int = 3
    criteria: tuple[Criterion, ...] = ()
    panel: tuple[PanelMember, ...] = ()
    interview_cap: InterviewCap | None = None
    # Beyond the rules' core: carried so a vacancy round-trips the campaign format.
    armed_forces_scheme: bool = False
    closing_date: dt.date | None = None
    organisation: str = ""
    department: str = ""
    grade: str = ""
    posts: int = 1
    status: str = "open"
    recruiting_manager: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "criteria", tuple(self.criteria))
        object.__setattr__(self, "panel", tuple(self.panel))


@dataclass(frozen=True)
class EmploymentSpell(_ToDict):
    """One job: ``start`` and ``end`` are the first and last months worked (inclusive);
    ``end=None`` is the current job."""

    start: YearMonth
    end: YearMonth | None
    employer: str = ""
    role: str = ""


@dataclass(frozen=True)
class ForcesService(_ToDict):
    """Armed Forces Covenant facts (R7). ``left_on=None``: still serving."""

    left_on: dt.date | None = None
    discharge_due: dt.date | None = None
    last_long_term_employer: bool = True


@dataclass(frozen=True)
class Candidate(_ToDict):
    reference: str
    disability_declared: bool = False
    offer_interview_opt_in: bool = False
    unmet_due_to_disability: frozenset[str] = frozenset()
    employment_history: tuple[EmploymentSpell, ...] = ()
    conflicts: frozenset[str] = frozenset()
    gap_explanations: Mapping[str, str] = field(default_factory=dict, hash=False)
    forces: ForcesService | None = None
    # HR's review of a claim in unmet_due_to_disability (R6): criterion key ->
    # ADJUSTMENT_MET ("met_with_adjustment") or ADJUSTMENT_NOT_MET ("not_met")
    adjustment_reviews: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "adjustment_reviews", _frozen(self.adjustment_reviews))
        object.__setattr__(self, "unmet_due_to_disability", frozenset(self.unmet_due_to_disability))
        object.__setattr__(self, "employment_history", tuple(self.employment_history))
        object.__setattr__(self, "conflicts", frozenset(self.conflicts))
        object.__setattr__(self, "gap_explanations", _frozen(self.gap_explanations))


# --------------------------------------------------------------------------- outputs


class Outcome(StrEnum):
    GUARANTEED_INTERVIEW = "guaranteed_interview"
    MEETS_ESSENTIALS = "meets_essentials"
    DOES_NOT_MEET = "does_not_meet"
    HR_REVIEW = "hr_review"
    INCOMPLETE = "incomplete"


class CriterionStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    INCOMPLETE = "incomplete"
    WAIVED = "waived"
    HR_REVIEW = "hr_review"
    NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True, slots=True)
class Reason(_ToDict):
    """Why: ``code`` for machines, ``message`` in plain English. ``member`` names a panel
    member's e-mail where one is concerned (kept out of the message); ``gap_start`` is
    the "YYYY-MM" key of an employment-gap probe; ``candidate`` the applicant's reference
    where a refusal about a whole vacancy concerns one applicant (``check_finalise``)."""

    code: str
    criterion: str | None
    message: str
    member: str | None = None
    gap_start: str | None = None
    candidate: str | None = None


@dataclass(frozen=True)
class Finding(_ToDict):
    """A problem with a vacancy. ``field`` is a path relative to the campaign file's
    ``vacancy`` mapping ("dbs.barred_lists"), or "criteria[K3].methods", "panel[a@b].…"."""

    severity: str  # "error" | "warning"
    code: str
    field: str
    message: str
    criterion: str | None = None


@dataclass(frozen=True, slots=True)
class CriterionResult(_ToDict):
    """``score`` is the deciding score: the agreed one, else the mean of counted scores.
    ``scores`` are the counted independent scores (conflicted members' left out)."""

    status: CriterionStatus
    score: float | None
    scores: tuple[int, ...]
    reasons: tuple[Reason, ...]
    gating: bool = False


@dataclass(frozen=True)
class Recommendation(_ToDict):
    reference: str
    stage: str
    outcome: Outcome
    reasons: tuple[Reason, ...]
    probes: tuple[Reason, ...]
    criteria: Mapping[str, CriterionResult] = field(hash=False)
    in_scheme: bool
    essential_total: float
    total: float
    within_cap: bool = True
    conflicted_members: tuple[str, ...] = ()
    # the vacancy runs the Armed Forces scheme and the applicant qualifies (R7)
    in_forces_scheme: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "criteria", _frozen(self.criteria))
