"""recommend_all on a large field: 2,000 candidates x 25 criteria x 3 scorers.

Not timed here (timings flake on shared CI); the algorithm is linear in candidates
(plus one sort per pool for the cap). Measured on the development machine: see
the closing note of the rules-engine issue.
"""

from __future__ import annotations

from shortlist.rules import Candidate, InterviewCap, Outcome, recommend_all
from tests.rules.helpers import A, B, C, TODAY, crit, spell, vac

CRITERIA = tuple(crit(f"K{i}") for i in range(20)) + tuple(
    crit(f"D{i}", essential=False) for i in range(5))


def big_field(n: int = 2000) -> list[tuple[Candidate, dict[str, dict[str, int]], dict[str, int]]]:
    field_: list[tuple[Candidate, dict[str, dict[str, int]], dict[str, int]]] = []
    for i in range(n):
        candidate = Candidate(
            f"A{i:05d}", disability_declared=i % 7 == 0, offer_interview_opt_in=i % 7 == 0,
            employment_history=(spell("2015-01", "2019-12"), spell("2020-03" if i % 3 else
                                                                    "2020-09", None)))
        scores = {m: {c.key: 2 + (i + j + k) % 2 for k, c in enumerate(CRITERIA)}
                  for j, m in enumerate((A, B, C))}
        if i % 11 == 0:
            scores[A]["K0"] = 1
            scores[B]["K0"] = 1
            scores[C]["K0"] = 0
        field_.append((candidate, scores, {}))
    return field_


def test_two_thousand_candidates() -> None:
    vacancy = vac(*CRITERIA, interview_cap=InterviewCap(200, "High-volume campaign"))
    recs = recommend_all(vacancy, big_field(), today=TODAY)
    assert len(recs) == 2000
    outcomes = {r.outcome for r in recs}
    assert outcomes == {Outcome.GUARANTEED_INTERVIEW, Outcome.MEETS_ESSENTIALS,
                        Outcome.DOES_NOT_MEET}
    assert sum(r.within_cap for r in recs if r.outcome is not Outcome.DOES_NOT_MEET) >= 200
    assert sum(len(r.probes) for r in recs) > 0
