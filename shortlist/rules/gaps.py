"""Employment gaps (R12, R20): probes for the interview, never a score."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from shortlist.rules import codes
from shortlist.rules._text import plural
from shortlist.rules.types import EmploymentSpell, Reason, YearMonth


def employment_gaps(
    history: Iterable[EmploymentSpell],
    months: int,
    until: YearMonth | date,
    explanations: Mapping[str, str] | None = None,
) -> list[Reason]:
    """Probes for every gap in ``history`` longer than ``months``.

    A spell covers its ``start`` and ``end`` months inclusive; a gap runs from the
    first month with no job to the month before the next job starts (or before
    ``until``, when no job is current). Overlapping spells are fine. The time before
    the first job is not a gap. An explained gap (``explanations`` keyed by the gap's
    first month, "YYYY-MM") is still a probe, coded ``employment_gap_explained``.
    """
    end_month = until if isinstance(until, YearMonth) else YearMonth.of(until)
    spells = sorted(history, key=lambda s: s.start)
    notes = explanations or {}
    probes: list[Reason] = []
    covered_to: int | None = None  # index of the last month worked so far
    for spell in spells:
        if covered_to is not None:
            _gap(covered_to + 1, spell.start.index, months, notes, probes)
        if spell.end is None:
            return probes  # a current job covers everything to date
        last = max(spell.end.index, spell.start.index)
        covered_to = last if covered_to is None else max(covered_to, last)
    if covered_to is not None:
        _gap(covered_to + 1, end_month.index, months, notes, probes)
    return probes


def _gap(first: int, stop: int, months: int, notes: Mapping[str, str], out: list[Reason]) -> None:
    length = stop - first
    if length <= months:
        return
    start, resumed = YearMonth.from_index(first), YearMonth.from_index(stop)
    key = str(start)
    text = f"No employment history for {plural(length, 'month')}, from {start} until {resumed}."
    explanation = notes.get(key, "").strip()
    if explanation:
        out.append(Reason(codes.EMPLOYMENT_GAP_EXPLAINED, None,
                          f"{text} The applicant explains: \"{explanation}\". Explore at interview; "
                          "a gap never lowers a score.", gap_start=key))
    else:
        out.append(Reason(codes.EMPLOYMENT_GAP, None,
                          f"{text} No explanation given: explore at interview; "
                          "a gap never lowers a score.", gap_start=key))
