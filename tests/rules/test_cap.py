"""The interview cap allocation (R5, scenario 6): see docs/reason-codes.md."""

from __future__ import annotations

from typing import Any

from shortlist.rules import Candidate, InterviewCap, Outcome, recommend_all
from tests.rules.helpers import TODAY, cand, codes_of, gis, same, vac

Entry = tuple[Candidate, Any, Any]


def scored(candidate: Candidate, k1: int, d1: int = 0) -> Entry:
    return (candidate, same({"K1": k1, "K2": 2, "K3": 2, "D1": d1}), {})


def within(recs: list[Any]) -> dict[str, bool]:
    return {r.reference: r.within_cap for r in recs}


def test_no_cap_effect_when_field_fits() -> None:
    field_ = [scored(gis("G1"), 2), scored(cand("M1"), 3), scored(cand("N1"), 1)]
    recs = recommend_all(vac(interview_cap=InterviewCap(2, "volume")), field_, today=TODAY)
    assert all(r.within_cap for r in recs)
    assert not any("volume_cap" in codes_of(r.reasons) for r in recs)


def test_places_split_in_proportion_rounding_for_scheme() -> None:
    # 3 guaranteed + 5 others for 4 places: ceil(4 * 3/8) = 2 scheme places, 2 others.
    field_ = [scored(gis("G1"), 3), scored(gis("G2"), 2, d1=3), scored(gis("G3"), 3, d1=0),
              scored(cand("M1"), 3, 3), scored(cand("M2"), 3, 2), scored(cand("M3"), 2, 1),
              scored(cand("M4"), 2, 0), scored(cand("M5"), 3, 0)]
    recs = recommend_all(vac(interview_cap=InterviewCap(4, "volume")), field_, today=TODAY)
    assert within(recs) == {"G1": True, "G2": False, "G3": True, "M1": True, "M2": True,
                            "M3": False, "M4": False, "M5": False}
    g2 = recs[1]
    assert g2.outcome is Outcome.GUARANTEED_INTERVIEW  # outcome unchanged
    assert g2.total > recs[2].total  # ranked on essentials only: its desirable score is ignored
    (cap_reason,) = [r for r in g2.reasons if r.code == "volume_cap"]
    assert "2 places go to guaranteed applicants" in cap_reason.message
    assert "essential-criteria score of 6 is below the cut-off of 7" in cap_reason.message


def test_scheme_candidate_never_displaced_by_higher_total() -> None:
    field_ = [scored(gis("G1"), 2)] + [scored(cand(f"M{i}"), 3, i) for i in range(4)]
    recs = recommend_all(vac(interview_cap=InterviewCap(2, "volume")), field_, today=TODAY)
    assert recs[0].within_cap
    assert sum(r.within_cap for r in recs) == 2


def test_ties_at_the_cut_off_all_stay_within_the_cap() -> None:
    field_ = [scored(cand("M1"), 3, 3), scored(cand("M2"), 3, 1), scored(cand("M3"), 3, 1),
              scored(cand("M4"), 2, 0)]
    recs = recommend_all(vac(interview_cap=InterviewCap(2, "volume")), field_, today=TODAY)
    assert within(recs) == {"M1": True, "M2": True, "M3": True, "M4": False}
    assert [("cap_tie" in codes_of(r.reasons)) for r in recs] == [False, True, True, False]


def test_candidates_not_recommended_take_no_place() -> None:
    field_: list[Entry] = [scored(cand("N1"), 1), scored(cand("I1"), 2), scored(cand("M1"), 3),
              scored(cand("M2"), 2)]
    field_[1] = (cand("I1"), same({"K1": 2}), {})  # incomplete
    recs = recommend_all(vac(interview_cap=InterviewCap(1, "volume")), field_, today=TODAY)
    assert [r.outcome for r in recs[:2]] == [Outcome.DOES_NOT_MEET, Outcome.INCOMPLETE]
    assert within(recs) == {"N1": True, "I1": True, "M1": True, "M2": False}


def test_cap_applies_only_at_shortlisting() -> None:
    field_: list[Entry] = [(cand(f"M{i}"), same({}), {}) for i in range(3)]
    recs = recommend_all(vac(interview_cap=InterviewCap(1, "volume")), field_, stage="interview",
                         today=TODAY)
    assert [r.outcome for r in recs] == [Outcome.MEETS_ESSENTIALS] * 3
    assert all(r.within_cap for r in recs)


def test_recommend_all_keeps_input_order() -> None:
    field_ = [scored(cand(f"A{i:03d}"), i % 4) for i in range(20)]
    recs = recommend_all(vac(), field_, today=TODAY)
    assert [r.reference for r in recs] == [f"A{i:03d}" for i in range(20)]
