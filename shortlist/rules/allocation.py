"""Sift allocation: share a campaign's applications among a pool of sifters.

Each application needs ``scorers_per_application`` independent sifters (the vacancy's
``min_scorers``, R19). Allocation gives it that many pool members:

- never a member with a declared conflict with that applicant (R30), never the same member
  twice, never a member beyond their capacity;
- balanced: the members' loads differ by at most one application where conflicts and
  capacities allow it;
- deterministic: the same inputs and seed give the same allocation, whatever order the
  applications and members arrive in;
- stable: what is already allocated stays where it is unless it has to move (its member
  left the pool or declared a conflict), so reallocating after a change moves only what the
  change affects. Assignments whose scores are submitted are ``fixed``: they never move.

Pure Python: the caller reads the pool, conflicts and current assignments, and writes the
result (with the seed, in the audit log).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

NO_ELIGIBLE_SIFTER = "no_eligible_sifter"


@dataclass(frozen=True)
class Sifter:
    """A pool member: ``key`` identifies them (an e-mail or an id); ``capacity`` is the most
    applications they take in this campaign (None: no limit)."""

    key: str
    capacity: int | None = None


@dataclass(frozen=True)
class Shortfall:
    """An application that could not be given enough sifters: ``missing`` more are needed."""

    application: str
    missing: int
    code: str = NO_ELIGIBLE_SIFTER

    @property
    def message(self) -> str:
        return (f"{self.application} needs {self.missing} more sifter{'s' if self.missing != 1 else ''}: "
                "everyone else in the pool has a conflict with them, is already reading their application, "
                "or is at their capacity.")


@dataclass(frozen=True)
class Allocation:
    """The whole allocation after a run: ``assignments`` maps each application to its sifters
    (fixed ones included), ``added`` and ``removed`` are the (application, sifter) pairs that
    changed against ``current``, ``shortfalls`` what could not be filled."""

    assignments: Mapping[str, tuple[str, ...]]
    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]
    shortfalls: tuple[Shortfall, ...]
    seed: int
    loads: Mapping[str, int] = field(default_factory=dict)


def _order(seed: int, *parts: str) -> bytes:
    """A seeded, order-independent tie-break key."""
    return hashlib.blake2b("\x1f".join((str(seed), *parts)).encode(), digest_size=8).digest()


def tie_break(seed: int, *parts: str) -> bytes:
    """The seeded tie-break the allocation uses, for a caller choosing one more sifter the same way."""
    return _order(seed, *parts)


def _key(seed: int, part: str) -> int:
    return int.from_bytes(_order(seed, part), "big")


_MASK = (1 << 64) - 1


def _mix(a: int, b: int) -> int:
    """A pseudo-random order of sifters that differs per application (cheaper than a hash a pair)."""
    return (((a ^ b) * 0x9E3779B97F4A7C15) & _MASK) ^ (a >> 17)


def allocate(applications: Iterable[str], sifters: Sequence[Sifter], scorers_per_application: int, *,
             seed: int, conflicts: Collection[tuple[str, str]] = (),
             fixed: Mapping[str, Collection[str]] | None = None,
             current: Mapping[str, Collection[str]] | None = None,
             rebalance: bool = False, base_load: Mapping[str, int] | None = None) -> Allocation:
    """Allocate every application in ``applications`` to ``scorers_per_application`` sifters.

    ``conflicts`` holds (application, sifter) pairs. ``fixed`` are assignments that stay and
    count (submitted scores); a fixed sifter need not be in the pool any more. ``current`` are
    the assignments made before and not yet scored: each stays unless its sifter left the pool
    or has a conflict (then it is replaced). With ``rebalance``, current assignments may also
    move from the busiest to the least busy sifters (after someone joins the pool); without
    it only what must move does, and new work goes where the load is least.

    ``base_load``: each sifter's applications that are not among ``applications`` (a
    reallocation of only the applications a change affects): they count toward balance and
    capacity, and stay where they are.
    """
    if scorers_per_application < 1:
        raise ValueError("each application needs at least one sifter")
    keys = [s.key for s in sifters]
    if len(set(keys)) != len(keys):
        raise ValueError("a sifter is in the pool twice")
    for s in sifters:
        if s.capacity is not None and s.capacity < 0:
            raise ValueError(f"capacity of {s.key} is negative")
    fixed = fixed or {}
    current = current or {}
    pool = {s.key: s for s in sifters}
    conflicted = set(conflicts)
    apps = sorted(set(applications))

    load: dict[str, int] = {m: (base_load or {}).get(m, 0) for m in pool}
    chosen: dict[str, list[str]] = {}
    movable: dict[str, set[str]] = {}
    for app in apps:
        stays = [m for m in fixed.get(app, ()) if (app, m) not in conflicted]
        kept = [m for m in sorted(current.get(app, ())) if m in pool and (app, m) not in conflicted
                and m not in stays]
        chosen[app] = stays + kept
        movable[app] = set(kept)
        for m in chosen[app]:
            if m in load:
                load[m] += 1
    # fixed assignments with a conflict still occupy their sifter (the scores are kept, not counted)
    for app in apps:
        for m in fixed.get(app, ()):
            if (app, m) in conflicted and m in load:
                load[m] += 1

    def room(m: str) -> bool:
        cap = pool[m].capacity
        return cap is None or load[m] < cap

    # capacity may already be exceeded by kept assignments (a capacity lowered): drop the newest
    for m, sifter in pool.items():
        if sifter.capacity is not None and load[m] > sifter.capacity:
            extra = load[m] - sifter.capacity
            for app in sorted((a for a in apps if m in movable[a]), key=lambda a: _order(seed, a, m), reverse=True):
                if not extra:
                    break
                chosen[app].remove(m)
                movable[app].discard(m)
                load[m] -= 1
                extra -= 1

    # new work, least-loaded first; ties broken by a seeded key per (application, sifter), so
    # the pairs of sifters vary from one application to the next
    member_key = {m: _key(seed, m) for m in pool}
    shortfalls: list[Shortfall] = []
    for app in sorted((a for a in apps if len(chosen[a]) < scorers_per_application), key=lambda a: _order(seed, a)):
        need = scorers_per_application - len(chosen[app])
        app_key = _key(seed, app)
        eligible = [m for m in pool if m not in chosen[app] and (app, m) not in conflicted and room(m)]
        eligible.sort(key=lambda m: (load[m], _mix(member_key[m], app_key)))
        for m in eligible[:need]:
            chosen[app].append(m)
            movable[app].add(m)
            load[m] += 1
        if need > len(eligible):
            shortfalls.append(Shortfall(app, need - len(eligible)))

    _even_out(apps, pool, chosen, movable, load, conflicted, seed,
              only_new={a: set(movable[a]) - set(current.get(a, ())) for a in apps} if not rebalance else None)

    before = {(a, m) for a, ms in current.items() for m in ms}
    after = {(a, m) for a in apps for m in chosen[a] if m in movable[a]}
    assignments = {a: tuple(sorted(chosen[a])) for a in apps}
    return Allocation(
        assignments=assignments,
        added=tuple(sorted(after - before)),
        removed=tuple(sorted(before - after)),
        shortfalls=tuple(sorted(shortfalls, key=lambda s: s.application)),
        seed=seed,
        loads=dict(sorted(load.items())),
    )


def _even_out(apps: list[str], pool: Mapping[str, Sifter], chosen: dict[str, list[str]],
              movable: dict[str, set[str]], load: dict[str, int], conflicted: set[tuple[str, str]],
              seed: int, only_new: Mapping[str, set[str]] | None) -> None:
    """Move assignments from the busiest sifter to the least busy while they differ by more
    than one and a move is allowed (not fixed, no conflict, not already reading it, capacity).
    ``only_new`` limits the moves to assignments made in this run (stability)."""
    by_member: dict[str, list[str]] = {m: [] for m in pool}
    for app in apps:
        for m in movable[app]:
            if only_new is None or m in only_new[app]:
                by_member[m].append(app)
    for m in by_member:
        by_member[m].sort(key=lambda a: _order(seed, a, m))

    def room(m: str) -> bool:
        cap = pool[m].capacity
        return cap is None or load[m] < cap

    blocked: set[tuple[str, str]] = set()
    while True:
        ranked = sorted(pool, key=lambda m: (load[m], _order(seed, m)))
        receivers = [m for m in ranked if room(m)]
        if not receivers:
            return
        moved = False
        for giver in reversed(ranked):
            for taker in receivers:
                if load[giver] - load[taker] <= 1:
                    break
                if (giver, taker) in blocked:
                    continue
                for app in by_member[giver]:
                    if taker not in chosen[app] and (app, taker) not in conflicted:
                        chosen[app].remove(giver)
                        chosen[app].append(taker)
                        movable[app].discard(giver)
                        movable[app].add(taker)
                        by_member[giver].remove(app)
                        by_member[taker].append(app)
                        if only_new is not None:
                            only_new[app].add(taker)
                        load[giver] -= 1
                        load[taker] += 1
                        moved = True
                        break
                else:
                    blocked.add((giver, taker))
                if moved:
                    break
            if moved:
                break
        if not moved:
            return
