"""Sift allocation (shortlist.rules.allocation): complete, conflict-free, balanced, deterministic,
and stable when the pool, the conflicts or the applications change."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shortlist.rules.allocation import Allocation, Sifter, allocate


def _apps(n: int) -> list[str]:
    return [f"A{i:05d}" for i in range(1, n + 1)]


def _pool(n: int, capacity: int | None = None) -> list[Sifter]:
    return [Sifter(f"s{i:02d}@example.org", capacity) for i in range(1, n + 1)]


def _check_valid(result: Allocation, apps: list[str], pool: list[Sifter], k: int,
                 conflicts: set[tuple[str, str]]) -> None:
    short = {s.application: s.missing for s in result.shortfalls}
    caps = {s.key: s.capacity for s in pool}
    for app in apps:
        sifters = result.assignments[app]
        assert len(sifters) == len(set(sifters)), f"{app} has a sifter twice"
        assert len(sifters) == k - short.get(app, 0), f"{app} is not fully allocated"
        for m in sifters:
            assert (app, m) not in conflicts, f"{app} went to {m}, who declared a conflict"
    load = Counter(m for ms in result.assignments.values() for m in ms)
    for m, n in load.items():
        assert caps[m] is None or n <= caps[m], f"{m} is over capacity"
    assert dict(load) == {m: n for m, n in result.loads.items() if n}


def _spread(result: Allocation, pool: list[Sifter]) -> int:
    loads = [result.loads.get(s.key, 0) for s in pool]
    return max(loads) - min(loads)


def test_two_sifters_an_application_shared_evenly() -> None:
    apps, pool = _apps(101), _pool(4)
    result = allocate(apps, pool, 2, seed=7)
    _check_valid(result, apps, pool, 2, set())
    assert sorted(result.loads.values()) == [50, 50, 51, 51]  # 202 readings among 4
    assert not result.shortfalls
    assert len(result.added) == 202 and not result.removed


def test_a_conflicted_sifter_never_gets_the_application_and_the_load_stays_even() -> None:
    apps, pool = _apps(40), _pool(5)
    conflicts = {(a, "s01@example.org") for a in apps[:10]} | {("A00011", "s02@example.org")}
    result = allocate(apps, pool, 2, seed=1, conflicts=conflicts)
    _check_valid(result, apps, pool, 2, conflicts)
    assert _spread(result, pool) <= 1


def test_when_too_few_can_read_an_application_the_shortfall_is_reported() -> None:
    apps, pool = _apps(3), _pool(3)
    conflicts = {("A00002", "s01@example.org"), ("A00002", "s02@example.org")}
    result = allocate(apps, pool, 2, seed=3, conflicts=conflicts)
    assert [(s.application, s.missing, s.code) for s in result.shortfalls] == [("A00002", 1, "no_eligible_sifter")]
    assert result.assignments["A00002"] == ("s03@example.org",)
    assert "A00002 needs 1 more sifter" in result.shortfalls[0].message


def test_capacity_is_respected_and_others_take_the_rest() -> None:
    apps = _apps(30)
    pool = [Sifter("small@example.org", 5), *_pool(3)]
    result = allocate(apps, pool, 2, seed=11)
    _check_valid(result, apps, pool, 2, set())
    assert result.loads["small@example.org"] == 5
    others = [result.loads[s.key] for s in pool[1:]]
    assert max(others) - min(others) <= 1 and sum(others) == 55


def test_the_same_inputs_and_seed_give_the_same_allocation_in_any_order() -> None:
    apps, pool = _apps(60), _pool(6)
    conflicts = {("A00003", "s02@example.org"), ("A00040", "s05@example.org")}
    first = allocate(apps, pool, 2, seed=42, conflicts=conflicts)
    shuffled_apps, shuffled_pool = apps[:], pool[:]
    random.Random(5).shuffle(shuffled_apps)
    random.Random(6).shuffle(shuffled_pool)
    again = allocate(shuffled_apps, shuffled_pool, 2, seed=42, conflicts=conflicts)
    assert again.assignments == first.assignments
    other_seed = allocate(apps, pool, 2, seed=43, conflicts=conflicts)
    assert other_seed.assignments != first.assignments  # the seed matters (and is recorded)


def test_reallocating_with_nothing_changed_moves_nothing() -> None:
    apps, pool = _apps(50), _pool(5)
    first = allocate(apps, pool, 2, seed=9)
    again = allocate(apps, pool, 2, seed=9, current=first.assignments)
    assert again.assignments == first.assignments
    assert not again.added and not again.removed


def test_a_member_who_leaves_has_only_their_unscored_applications_moved() -> None:
    apps, pool = _apps(80), _pool(5)
    first = allocate(apps, pool, 2, seed=2)
    leaver = "s03@example.org"
    theirs = [a for a, ms in first.assignments.items() if leaver in ms]
    scored = set(theirs[:4])  # they had submitted four sheets: those stay and count
    fixed = {a: [leaver] for a in scored}
    current = {a: [m for m in ms if not (a in scored and m == leaver)] for a, ms in first.assignments.items()}
    remaining = [s for s in pool if s.key != leaver]
    after = allocate(apps, remaining, 2, seed=2, current=current, fixed=fixed)
    assert {m for a, m in after.removed} == {leaver}
    assert {a for a, _ in after.removed} == set(theirs) - scored
    assert {a for a, _ in after.added} == set(theirs) - scored
    for app in scored:
        assert leaver in after.assignments[app]
    for app, ms in first.assignments.items():  # nobody else's work moved
        for m in ms:
            if m != leaver:
                assert m in after.assignments[app]
    loads = [after.loads[s.key] for s in remaining]
    assert max(loads) - min(loads) <= 1


def test_a_conflict_declared_after_allocation_moves_that_one_application() -> None:
    apps, pool = _apps(20), _pool(4)
    first = allocate(apps, pool, 2, seed=4)
    app, member = "A00007", first.assignments["A00007"][0]
    after = allocate(apps, pool, 2, seed=4, current=first.assignments, conflicts={(app, member)})
    assert after.removed == ((app, member),)
    assert len(after.added) == 1 and after.added[0][0] == app
    assert member not in after.assignments[app] and len(after.assignments[app]) == 2


def test_a_submitted_sheet_with_a_conflict_declared_later_needs_another_reader() -> None:
    """Scores from a member who then declares a conflict are kept but never count (R30):
    the application gets another sifter, and the member's earlier work still counts as load."""
    apps, pool = _apps(6), _pool(3)
    first = allocate(apps, pool, 2, seed=5)
    app = "A00001"
    member = first.assignments[app][0]
    fixed = {app: [member]}
    current = {a: [m for m in ms if (a, m) != (app, member)] for a, ms in first.assignments.items()}
    after = allocate(apps, pool, 2, seed=5, current=current, fixed=fixed, conflicts={(app, member)})
    assert member not in after.assignments[app]
    assert len(after.assignments[app]) == 2 or after.shortfalls


def test_a_new_batch_goes_to_the_least_loaded_and_moves_nothing_allocated() -> None:
    pool = _pool(4)
    first = allocate(_apps(10), pool, 2, seed=8)
    more = _apps(30)
    after = allocate(more, pool, 2, seed=8, current=first.assignments)
    assert not after.removed
    for app, ms in first.assignments.items():
        assert after.assignments[app] == ms
    assert _spread(after, pool) <= 1


def test_someone_joining_the_pool_gets_work_only_when_asked_to_rebalance() -> None:
    pool = _pool(3)
    first = allocate(_apps(30), pool, 2, seed=1)
    bigger = [*pool, Sifter("new@example.org")]
    kept = allocate(_apps(30), bigger, 2, seed=1, current=first.assignments)
    assert not kept.added and kept.loads["new@example.org"] == 0
    moved = allocate(_apps(30), bigger, 2, seed=1, current=first.assignments, rebalance=True)
    assert _spread(moved, bigger) <= 1 and moved.loads["new@example.org"] == 15
    assert len(moved.removed) == len(moved.added) == 15


def test_pairs_of_sifters_vary_so_a_leavers_work_can_go_to_anyone() -> None:
    apps, pool = _apps(200), _pool(10)
    first = allocate(apps, pool, 2, seed=1)
    pairs = Counter(ms for ms in first.assignments.values())
    assert len(pairs) == 45  # every pair of the ten reads some applications together
    after = allocate(apps, pool[:-1], 2, seed=1, current=first.assignments)
    assert _spread(after, pool[:-1]) <= 1


@pytest.mark.parametrize("bad", [0, -1])
def test_at_least_one_sifter_an_application(bad: int) -> None:
    with pytest.raises(ValueError, match="at least one"):
        allocate(_apps(2), _pool(2), bad, seed=1)


def test_a_sifter_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        allocate(_apps(2), [Sifter("a@example.org"), Sifter("a@example.org")], 1, seed=1)


# --------------------------------------------------------------------- properties

@st.composite
def campaigns(draw: st.DrawFn) -> tuple[list[str], list[Sifter], int, set[tuple[str, str]], int]:
    n_apps = draw(st.integers(1, 60))
    n_pool = draw(st.integers(1, 9))
    k = draw(st.integers(1, min(3, n_pool)))
    apps, pool = _apps(n_apps), _pool(n_pool)
    if draw(st.booleans()):
        pool = [Sifter(s.key, draw(st.none() | st.integers(0, n_apps))) for s in pool]
    pairs = [(a, s.key) for a in apps for s in pool]
    conflicts = set(draw(st.lists(st.sampled_from(pairs), max_size=max(1, len(pairs) // 8))))
    return apps, pool, k, conflicts, draw(st.integers(0, 2**31))


@settings(max_examples=150, deadline=None)
@given(campaigns())
def test_property_complete_conflict_free_within_capacity(campaign: tuple) -> None:
    apps, pool, k, conflicts, seed = campaign
    result = allocate(apps, pool, k, seed=seed, conflicts=conflicts)
    _check_valid(result, apps, pool, k, conflicts)
    # a shortfall is real: nobody else could have taken it
    caps = {s.key: s.capacity for s in pool}
    for short in result.shortfalls:
        for s in pool:
            if s.key in result.assignments[short.application]:
                continue
            full = caps[s.key] is not None and result.loads.get(s.key, 0) >= caps[s.key]
            assert (short.application, s.key) in conflicts or full


@settings(max_examples=150, deadline=None)
@given(campaigns())
def test_property_balanced_within_one_where_conflicts_and_capacity_allow(campaign: tuple) -> None:
    """No move would even the load out: for any two sifters more than one apart, every
    application of the busier one is conflicted for, or already read by, the other, or the
    other is at capacity. Without conflicts or capacities, that means within one."""
    apps, pool, k, conflicts, seed = campaign
    result = allocate(apps, pool, k, seed=seed, conflicts=conflicts)
    caps = {s.key: s.capacity for s in pool}
    loads = {s.key: result.loads.get(s.key, 0) for s in pool}
    for giver in pool:
        for taker in pool:
            if loads[giver.key] - loads[taker.key] <= 1:
                continue
            if caps[taker.key] is not None and loads[taker.key] >= caps[taker.key]:
                continue
            for app, ms in result.assignments.items():
                if giver.key in ms:
                    assert taker.key in ms or (app, taker.key) in conflicts, (
                        f"{app} could move from {giver.key} ({loads[giver.key]}) to {taker.key} ({loads[taker.key]})")
    if not conflicts and all(c is None for c in caps.values()):
        assert max(loads.values()) - min(loads.values()) <= 1


@settings(max_examples=100, deadline=None)
@given(campaigns(), st.data())
def test_property_stable_under_reallocation(campaign: tuple, data: st.DataObject) -> None:
    apps, pool, k, conflicts, seed = campaign
    first = allocate(apps, pool, k, seed=seed, conflicts=conflicts)
    same = allocate(apps, pool, k, seed=seed, conflicts=conflicts, current=first.assignments)
    assert same.assignments == first.assignments and not same.added and not same.removed
    # one member leaves: only their pairs go
    leaver = data.draw(st.sampled_from(pool)).key
    remaining = [s for s in pool if s.key != leaver]
    if not remaining:
        return
    after = allocate(apps, remaining, k, seed=seed, conflicts=conflicts, current=first.assignments)
    assert all(m == leaver for _, m in after.removed)
    kept = {(a, m) for a, ms in first.assignments.items() for m in ms if m != leaver}
    assert kept <= {(a, m) for a, ms in after.assignments.items() for m in ms}
    _check_valid(after, apps, remaining, k, conflicts)
    caps = [s.capacity for s in pool]
    if not conflicts and all(c is None for c in caps) and len(remaining) >= k:
        assert _spread(after, remaining) <= 1
