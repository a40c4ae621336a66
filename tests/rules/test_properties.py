"""Property tests: monotonic in scores; desirable and conflicted scores never decide;
on 0-3, 1-5 and Civil Service 1-7 scales; the cap keeps its promises."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shortlist.rules import (
    Candidate,
    CriterionStatus,
    InterviewCap,
    Outcome,
    Scale,
    Vacancy,
    recommend,
    recommend_all,
)
from tests.rules.helpers import A, B, C, TODAY, crit, vac

SCALES = [
    Scale(0, 3, 2, 2),
    Scale(1, 5, 3, 2, {1: "No evidence", 2: "Weak", 3: "Moderate", 4: "Strong", 5: "Outstanding"}),
    Scale(1, 7, 4, 3, {1: "Not demonstrated", 2: "Minimal", 3: "Moderate", 4: "Acceptable",
                       5: "Good", 6: "Strong", 7: "Outstanding"}),
]
ESSENTIAL = ("K1", "K2", "K3")
DESIRABLE = ("D1", "D2")
CRITERIA = (crit("K1"), crit("K2"), crit("K3", "Current HCPC registration", methods=("Q",),
                                            non_waivable=True),
            crit("D1", essential=False), crit("D2", essential=False),
            crit("K9", "Communication", methods=("I",)))
MEMBERS = (A, B, C)
GOOD = (Outcome.MEETS_ESSENTIALS, Outcome.GUARANTEED_INTERVIEW)


@dataclass(frozen=True)
class World:
    vacancy: Vacancy
    candidate: Candidate
    scores: dict[str, dict[str, int]]
    agreed: dict[str, int]


def sheet(draw: Any, scale: Scale, keys: tuple[str, ...]) -> dict[str, int]:
    values = {}
    for key in keys:
        value = draw(st.one_of(st.none(), st.integers(scale.min, scale.max)))
        if value is not None:
            values[key] = value
    return values


@st.composite
def worlds(draw: Any, conflicts: bool = True, scale: Scale | None = None) -> World:
    scale = scale or draw(st.sampled_from(SCALES))
    vacancy = vac(*CRITERIA, scale=scale, offer_interview=draw(st.booleans()),
                  waiver_policy=draw(st.booleans()),
                  declaration_triggers_scheme=draw(st.booleans()),
                  min_scorers=draw(st.sampled_from([1, 2, 2, 3])))
    candidate = Candidate(
        "A001",
        disability_declared=draw(st.booleans()),
        offer_interview_opt_in=draw(st.booleans()),
        unmet_due_to_disability=frozenset(draw(st.sets(st.sampled_from(ESSENTIAL)))),
        conflicts=frozenset(draw(st.sets(st.sampled_from(MEMBERS), max_size=1))) if conflicts
        else frozenset(),
    )
    scores = {m: sheet(draw, scale, ESSENTIAL + DESIRABLE)
              for m in draw(st.sets(st.sampled_from(MEMBERS), min_size=1))}
    agreed = sheet(draw, scale, ESSENTIAL) if draw(st.booleans()) else {}
    return World(vacancy, candidate, scores, agreed)


def run(world: World, scores: dict[str, dict[str, int]] | None = None,
        agreed: dict[str, int] | None = None) -> Any:
    return recommend(world.vacancy, world.candidate,
                     world.scores if scores is None else scores,
                     world.agreed if agreed is None else agreed, today=TODAY)


@settings(max_examples=300, deadline=None)
@given(world=worlds(), data=st.data())
def test_raising_a_score_never_turns_met_into_not_met(world: World, data: Any) -> None:
    scale = world.vacancy.scale
    slots = [("score", m, k) for m, s in world.scores.items() for k in s]
    slots += [("agreed", "", k) for k in world.agreed]
    if not slots:
        return
    kind, member, key = data.draw(st.sampled_from(slots))
    scores = {m: dict(s) for m, s in world.scores.items()}
    agreed = dict(world.agreed)
    if kind == "score":
        scores[member][key] = data.draw(st.integers(scores[member][key], scale.max))
    else:
        agreed[key] = data.draw(st.integers(agreed[key], scale.max))
    before, after = run(world), run(world, scores, agreed)
    for k, result in before.criteria.items():
        if result.status is CriterionStatus.MET:
            assert after.criteria[k].status is not CriterionStatus.NOT_MET, k
    if before.outcome in GOOD:
        assert after.outcome is not Outcome.DOES_NOT_MEET


@settings(max_examples=300, deadline=None)
@given(world=worlds(), data=st.data())
def test_desirable_scores_never_change_the_outcome(world: World, data: Any) -> None:
    scale = world.vacancy.scale
    scores = {m: {**{k: v for k, v in s.items() if k not in DESIRABLE},
                  **sheet(data.draw, scale, DESIRABLE)}
              for m, s in world.scores.items()}
    before, after = run(world), run(world, scores)
    assert after.outcome is before.outcome
    # only the note that a conflicted member had scored may differ
    assert ({r.code for r in after.reasons} ^ {r.code for r in before.reasons}
            <= {"conflict_excluded"})
    for key in ESSENTIAL:
        assert after.criteria[key].status is before.criteria[key].status


@settings(max_examples=300, deadline=None)
@given(world=worlds(conflicts=False), data=st.data())
def test_conflicted_members_scores_never_change_the_outcome(world: World, data: Any) -> None:
    scale = world.vacancy.scale
    conflicted = World(world.vacancy, Candidate(
        world.candidate.reference, world.candidate.disability_declared,
        world.candidate.offer_interview_opt_in, world.candidate.unmet_due_to_disability,
        conflicts=frozenset({"conflicted@council.example"})), world.scores, world.agreed)
    with_scores = {**world.scores,
                   "conflicted@council.example": sheet(data.draw, scale, ESSENTIAL + DESIRABLE)}
    without, with_ = run(conflicted), run(conflicted, with_scores)
    assert with_.outcome is without.outcome
    assert {k: v.status for k, v in with_.criteria.items()} == {
        k: v.status for k, v in without.criteria.items()}
    assert (with_.essential_total, with_.total) == (without.essential_total, without.total)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), scale=st.sampled_from(SCALES), places=st.integers(1, 10))
def test_cap_keeps_its_promises(data: Any, scale: Scale, places: int) -> None:
    field_ = data.draw(st.lists(worlds(scale=scale), min_size=1, max_size=25))
    vacancy = vac(*CRITERIA, scale=scale, offer_interview=True,
                  waiver_policy=True, interview_cap=InterviewCap(places, "volume"))
    entries = []
    for i, world in enumerate(field_):
        candidate = Candidate(f"A{i:03d}", world.candidate.disability_declared,
                              world.candidate.offer_interview_opt_in,
                              world.candidate.unmet_due_to_disability)
        entries.append((candidate, world.scores, world.agreed))
    capped = recommend_all(vacancy, entries, today=TODAY)
    uncapped = recommend_all(vac(*CRITERIA, scale=vacancy.scale, offer_interview=True,
                                 waiver_policy=True), entries, today=TODAY)
    assert [r.outcome for r in capped] == [r.outcome for r in uncapped]
    qualified = [r for r in capped if r.outcome in GOOD]
    inside = [r for r in qualified if r.within_cap]
    assert len(inside) >= min(places, len(qualified))
    for r in capped:
        assert r.within_cap or (r.outcome in GOOD and "volume_cap" in {x.code for x in r.reasons})
    g = [r for r in qualified if r.outcome is Outcome.GUARANTEED_INTERVIEW]
    g_in = [r.essential_total for r in g if r.within_cap]
    g_out = [r.essential_total for r in g if not r.within_cap]
    if g_in and g_out:
        assert min(g_in) > max(g_out)
    if g and len(qualified) > places:
        assert len(g_in) >= min(len(g), -(-places * len(g) // len(qualified)))


@settings(max_examples=200, deadline=None)
@given(worlds_=st.lists(worlds(scale=SCALES[0]), min_size=2, max_size=6), data=st.data())
def test_a_field_gives_each_candidate_what_it_gives_them_alone(worlds_: list[World], data: Any) -> None:
    """recommend_all shares each criterion's result among candidates with the same scores;
    nothing of one candidate may leak into another's recommendation."""
    vacancy = worlds_[0].vacancy
    field_ = []
    for i, w in enumerate(worlds_):
        scores = w.scores
        if data.draw(st.booleans()):  # complete sheets: the engine's bulk path
            scores = {m: {k: s[k] if k in s else data.draw(st.integers(0, 3)) for k in ESSENTIAL + DESIRABLE}
                      for m, s in scores.items()}
        field_.append((replace(w.candidate, reference=f"A{i:03d}"), scores, w.agreed))
    together = recommend_all(vacancy, field_, today=TODAY)
    alone = [recommend(vacancy, c, s, a, today=TODAY) for c, s, a in field_]
    assert [r.to_dict() for r in together] == [r.to_dict() for r in alone]


@settings(max_examples=300, deadline=None)
@given(world=worlds(conflicts=False))
def test_scoring_every_criterion_at_once_matches_one_at_a_time(world: World) -> None:
    """The engine's bulk path (complete sheets, no conflict) and its general path agree."""
    engine = importlib.import_module("shortlist.rules.recommend")  # the module, not the function

    ctx = engine._context(world.vacancy, "shortlisting", TODAY)
    sheets = [{k: s.get(k, 2) for k in ctx.assessed_keys} for s in world.scores.values()]
    bulk = engine._parts_in_bulk(ctx, sheets, world.agreed)
    each = engine._parts_each(ctx, sheets, [], world.agreed, None)
    assert list(bulk) == list(each) == [c.key for c in world.vacancy.criteria]
    assert bulk == each
