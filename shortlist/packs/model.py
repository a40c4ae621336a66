"""What an interview pack and a shortlisting record say: frozen dataclasses of primitives.

One model feeds the HTML preview, the PDF (the same template) and, for the record, the
CSV. Nothing sealed is ever in them: no equality monitoring, no criminal-record
declaration. An interview pack holds no disability and no scheme membership either, only
the adjustments to make (shortlist.permissions); the record holds them for HR only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PanelLine:
    name: str
    role: str
    training: str  # safer-recruitment training, as the cover shows it


@dataclass(frozen=True)
class Descriptor:
    score: int
    label: str


@dataclass(frozen=True)
class Question:
    text: str
    safeguarding: bool


@dataclass(frozen=True)
class InterviewCriterion:
    """A criterion assessed at interview (I, P, E or T), with the questions set for it."""

    key: str
    category: str
    text: str
    essential: bool
    methods: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ScheduleLine:
    reference: str
    name: str
    day: str
    time: str
    minutes: str
    place: str
    adjustments: str  # what to do for the candidate (R9), never the condition
    withheld: bool = False  # a member's copy, for a candidate they declared a conflict with


@dataclass(frozen=True)
class ReasonLine:
    code: str
    criterion: str | None
    message: str


@dataclass(frozen=True)
class SummaryLine:
    """One shortlisting criterion's result for a candidate."""

    key: str
    text: str
    essential: bool
    status: str
    score: str
    basis: str


@dataclass(frozen=True)
class Probe:
    code: str
    heading: str
    message: str
    marks: tuple[str, ...]  # what each shortlister marked, with their notes


@dataclass(frozen=True)
class CandidateSection:
    reference: str
    name: str
    slot: str
    adjustments: str  # "" in a member's copy for a candidate they declared a conflict with
    summary: tuple[SummaryLine, ...]
    recommendation: str  # never the scheme's guarantee
    recommendation_reasons: tuple[ReasonLine, ...]  # never the scheme, never a disability
    decision: str
    decided_by: str
    decided_at: str
    probes: tuple[Probe, ...]
    # in a member's copy: they declared a conflict with this candidate and do not assess them
    conflict: bool = False


@dataclass(frozen=True)
class InterviewPack:
    reference: str
    title: str
    organisation: str
    department: str
    grade: str
    posts: int
    variant: str  # panel | candidate | member
    copy_for: str  # the member whose copy this is ("" for the panel's copy)
    candidate_reference: str  # "" unless one candidate's pack
    generated_at: str
    dbs_summary: str
    dbs_process: tuple[str, ...]
    safeguarding: tuple[str, ...]
    panel: tuple[PanelLine, ...]
    interview_dates: str
    schedule: tuple[ScheduleLine, ...]
    descriptors: tuple[Descriptor, ...]
    met: int
    criteria: tuple[InterviewCriterion, ...]
    candidates: tuple[CandidateSection, ...]

    @property
    def heading(self) -> str:
        if self.candidate_reference:
            return f"Interview pack for {self.candidate_reference}"
        return "Interview pack"


@dataclass(frozen=True)
class RecordLine:
    key: str
    text: str
    essential: bool
    scores: tuple[str, ...]  # one per member in ShortlistingRecord.members
    agreed: str
    rationale: str
    agreed_by: str
    status: str


@dataclass(frozen=True)
class RecordCandidate:
    reference: str
    name: str
    lines: tuple[RecordLine, ...]
    recommendation: str
    reasons: tuple[ReasonLine, ...]
    decision: str
    decision_reason: str
    decided_by: str
    decided_at: str
    override: str  # "" unless the decision departed from the recommendation or used an HR override
    conflicts: tuple[str, ...]  # members who declared a conflict (their scores do not count)
    # conflicts declared and later withdrawn by HR or the chair: who, by whom, why
    withdrawn: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShortlistingRecord:
    reference: str
    title: str
    organisation: str
    generated_at: str
    finalised: str
    members: tuple[str, ...]
    criteria: tuple[tuple[str, str, bool], ...]
    candidates: tuple[RecordCandidate, ...]

    @property
    def overrides(self) -> list[RecordCandidate]:
        return [c for c in self.candidates if c.override]


def to_data(value: Any) -> Any:
    """A JSON-ready copy (for fingerprints)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    return value
