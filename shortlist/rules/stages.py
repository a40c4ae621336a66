"""Which criteria each stage assesses (R3, R14, R24, R25)."""

from __future__ import annotations

from shortlist.rules.types import (
    Criterion,
    Vacancy,
)
from shortlist.rules.vocabulary import (
    INTERVIEW_METHODS,
    STAGES,
)


def check_stage(stage: str) -> None:
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: expected one of {', '.join(STAGES)}")


def assessed_at(criterion: Criterion, stage: str) -> bool:
    """Shortlisting: the S mark. Interview: any of I, P, E, T. Pre-employment checks: never."""
    check_stage(stage)
    if criterion.pre_employment:
        return False
    if stage == "shortlisting":
        return criterion.shortlisting
    return bool(INTERVIEW_METHODS.intersection(criterion.methods))


def stage_criteria(vacancy: Vacancy, stage: str) -> tuple[Criterion, ...]:
    """The criteria scored at ``stage``, in person-specification order."""
    check_stage(stage)
    return tuple(c for c in vacancy.criteria if assessed_at(c, stage))


def gating_criteria(vacancy: Vacancy, stage: str) -> tuple[Criterion, ...]:
    """The criteria that can fail a candidate at ``stage``: the essential ones it assesses."""
    return tuple(c for c in stage_criteria(vacancy, stage) if c.essential)
