"""The NHS band check for a stored vacancy: warnings, never errors.

When a vacancy's grade is an NHS Agenda for Change band and the post is an arts
therapy post (the library holds the NHS national profiles for arts therapists only),
its essential criteria are compared with that band's profiles (R37). Each warning
is a rules Finding (severity, code, field, message, criterion), so it reaches the
screen and the audit log like the engine's own findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shortlist import rules
from shortlist.library import band_check, load_library, parse_band
from shortlist.models import Vacancy

_ARTS_THERAPY = re.compile(
    r"\b(?:arts?|music|drama|dance(?:\s+movement)?|creative\s+arts?)\s*(?:psycho)?therap\w*"
    r"|\bdramatherap\w*|\barts\s+therapies\b", re.IGNORECASE)


@dataclass(frozen=True)
class BandCheck:
    """What the band check did for a vacancy: `band` is None when the grade is not an NHS band."""

    band: str | None
    ran: bool
    note: str
    findings: list[rules.Finding] = field(default_factory=list)


def _band_label(bands: tuple[str, ...]) -> str:
    if len(bands) == 1:
        return f"band {bands[0]}"
    if len(bands) == 4 and all(b.startswith("8") for b in bands):
        return "band 8"
    return f"band {bands[0]}-{bands[-1]}"


def is_arts_therapy_post(vacancy: Vacancy) -> bool:
    return bool(_ARTS_THERAPY.search(f"{vacancy.title} {vacancy.department}"))


def check(vacancy: Vacancy) -> BandCheck:
    bands = parse_band(vacancy.grade or "")
    if not bands:
        return BandCheck(None, False, "")
    label = _band_label(bands)
    if not is_arts_therapy_post(vacancy):
        # the library holds the arts therapists' profiles only: nothing to say about other posts
        return BandCheck(None, False, "")
    library = load_library()
    profiles_here = library.profiles_for_band(vacancy.grade)
    if not profiles_here:
        return BandCheck(label, False,
                         f"The library has NHS national profiles for arts therapists at bands "
                         f"{', '.join(library.bands())} only, so there is no profile to check {label} against. "
                         "The band check was not run.")
    warnings = band_check(vacancy.grade, [(c.key, c.text, c.essential) for c in vacancy.criteria],
                          library=library)
    findings = [
        rules.Finding("warning", w.code, f"criteria[{w.criterion_key}]" if w.criterion_key else "grade",
                      w.message, w.criterion_key)
        for w in warnings
    ]
    source = next(s for s in library.sources() if s.key == "nhs-profiles")
    profiles = ", ".join(p.short_title for p in profiles_here)
    note = (f"The essential criteria were compared with the NHS national profiles for {label} ({profiles}), "
            f"from {source.citation()}. These are warnings only: the profiles describe jobs, not people, "
            "and nothing here stops you publishing.")
    return BandCheck(label, True, note, findings)


def findings(vacancy: Vacancy) -> list[rules.Finding]:
    return check(vacancy).findings
