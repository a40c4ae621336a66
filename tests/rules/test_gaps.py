"""employment_gaps (R12, R20): probes, never scores."""

from __future__ import annotations

from datetime import date

import pytest

from shortlist.rules import EmploymentSpell, YearMonth, employment_gaps
from tests.rules.helpers import spell

UNTIL = YearMonth(2026, 6)

ROWS: dict[str, tuple[tuple[EmploymentSpell, ...], int, list[tuple[str, str, str]]]] = {
    "no-history": ((), 3, []),
    "current-job-no-gap": ((spell("2015-01", None),), 3, []),
    "back-to-back": ((spell("2015-01", "2019-12"), spell("2020-01", None)), 3, []),
    "gap-of-exactly-threshold": ((spell("2015-01", "2019-12"), spell("2020-04", None)), 3, []),
    "gap-one-over-threshold": (
        (spell("2015-01", "2019-12"), spell("2020-05", None)), 3,
        [("employment_gap", "2020-01", "4 months, from 2020-01 until 2020-05")]),
    "eight-month-gap": (
        (spell("2019-01", "2021-02"), spell("2021-11", None)), 3,
        [("employment_gap", "2021-03", "8 months, from 2021-03 until 2021-11")]),
    "unsorted-input": (
        (spell("2021-11", None), spell("2019-01", "2021-02")), 3,
        [("employment_gap", "2021-03", "8 months")]),
    "overlapping-spells-cover-gap": (
        (spell("2015-01", "2018-06"), spell("2016-01", "2020-12"), spell("2021-01", "2026-05")), 3,
        []),
    "nested-spell-does-not-shorten-cover": (
        (spell("2010-01", "2020-12"), spell("2012-01", "2012-06"), spell("2021-06", None)), 3,
        [("employment_gap", "2021-01", "5 months")]),
    "gap-to-until": (
        (spell("2015-01", "2025-06"),), 3,
        [("employment_gap", "2025-07", "11 months, from 2025-07 until 2026-06")]),
    "recent-end-within-threshold": ((spell("2015-01", "2026-03"),), 3, []),
    "current-job-started-before-other": (
        (spell("2010-01", None), spell("2012-01", "2013-01")), 3, []),
    "two-gaps": (
        (spell("2010-01", "2011-01"), spell("2012-01", "2013-01"), spell("2014-01", None)), 6,
        [("employment_gap", "2011-02", "11 months"), ("employment_gap", "2013-02", "11 months")]),
    "threshold-one": (
        (spell("2010-01", "2011-01"), spell("2011-04", None)), 1,
        [("employment_gap", "2011-02", "2 months")]),
}


@pytest.mark.parametrize(("history", "months", "expected"), ROWS.values(), ids=ROWS.keys())
def test_employment_gaps(history: tuple[EmploymentSpell, ...], months: int,
                         expected: list[tuple[str, str, str]]) -> None:
    probes = employment_gaps(history, months, UNTIL)
    assert [(p.code, p.gap_start) for p in probes] == [(c, s) for c, s, _ in expected]
    for probe, (_, _, text) in zip(probes, expected):
        assert text in probe.message
        assert probe.criterion is None
        assert "never lowers a score" in probe.message


def test_explained_gap_is_still_a_probe() -> None:
    history = (spell("2019-01", "2021-02"), spell("2021-11", None))
    probes = employment_gaps(history, 3, date(2026, 6, 1), {"2021-03": "Caring for a parent"})
    assert [(p.code, p.gap_start) for p in probes] == [("employment_gap_explained", "2021-03")]
    assert "Caring for a parent" in probes[0].message


def test_explanation_for_another_month_does_not_count() -> None:
    history = (spell("2019-01", "2021-02"), spell("2021-11", None))
    probes = employment_gaps(history, 3, UNTIL, {"2021-04": "Travelling"})
    assert [p.code for p in probes] == ["employment_gap"]


def test_year_month() -> None:
    assert str(YearMonth.parse("2021-03")) == "2021-03"
    assert YearMonth(2020, 12) < YearMonth(2021, 1)
    assert YearMonth.from_index(YearMonth(2020, 12).index + 1) == YearMonth(2021, 1)
    with pytest.raises(ValueError):
        YearMonth.parse("2021-3")
    with pytest.raises(ValueError):
        YearMonth(2021, 13)
