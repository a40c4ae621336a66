"""Small builders for rules-engine tests: defaults follow uk-rules.md's scenarios
(scale 0-3, met = 2, the "offer an interview" scheme on, two shortlisters)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from shortlist.rules import (
    Candidate,
    Criterion,
    EmploymentSpell,
    PanelMember,
    Reason,
    Recommendation,
    Vacancy,
    YearMonth,
)

TODAY = date(2026, 6, 1)
A, B, C = "ann@council.example", "bob@council.example", "cat@council.example"
PANEL = (
    PanelMember(A, "Ann Chair", "chair", date(2025, 1, 10)),
    PanelMember(B, "Bob Member", "member", None),
    PanelMember(C, "Cat Adviser", "hr_adviser", None),
)


def crit(key: str, text: str | None = None, *, essential: bool = True,
         methods: tuple[str, ...] = ("AF",), shortlisting: bool | None = None,
         **flags: bool) -> Criterion:
    if shortlisting is None:
        shortlisting = Criterion.default_shortlisting(methods)
    return Criterion(key, "Experience", text or f"Criterion {key}", essential, methods,
                     shortlisting, **flags)


THREE_ESSENTIALS = (crit("K1"), crit("K2"), crit("K3"), crit("D1", essential=False))


def vac(*criteria: Criterion, **kw: Any) -> Vacancy:
    fields: dict[str, Any] = {
        "reference": "LBL-FFT-01", "title": "Family Therapist", "offer_interview": True,
        "criteria": criteria or THREE_ESSENTIALS, "panel": PANEL,
    }
    fields.update(kw)
    return Vacancy(**fields)


def cand(ref: str = "A001", **kw: Any) -> Candidate:
    return Candidate(ref, **kw)


def gis(ref: str = "A001", **kw: Any) -> Candidate:
    """An applicant in the "offer an interview" scheme."""
    return Candidate(ref, disability_declared=True, offer_interview_opt_in=True, **kw)


def same(values: Mapping[str, int], members: Iterable[str] = (A, B)) -> dict[str, dict[str, int]]:
    """Every member gives the same scores."""
    return {m: dict(values) for m in members}


def spell(start: str, end: str | None, employer: str = "Employer") -> EmploymentSpell:
    return EmploymentSpell(YearMonth.parse(start), YearMonth.parse(end) if end else None,
                           employer, "Role")


def pairs(reasons: Iterable[Reason]) -> set[tuple[str, str | None]]:
    return {(r.code, r.criterion) for r in reasons}


def codes_of(reasons: Iterable[Reason]) -> list[str]:
    return [r.code for r in reasons]


def status_of(rec: Recommendation) -> dict[str, str]:
    return {k: v.status.value for k, v in rec.criteria.items()}
