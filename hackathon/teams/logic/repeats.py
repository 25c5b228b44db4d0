"""Auto-formation that keeps apart people who were teammates before (`--avoid-repeats`).

A *repeat pair* is two people placed in one new team who were in one team in an earlier
event. The past comes in as plain data: the earlier teams, each a label (for the
explanation) and the ids of its members; which events count as earlier is the caller's
business (docs/cohort.md, "Repeat teammates").

How:

1. Start from `autoform` (same people, bounds and seed): its team count, sizes and skills
   spread. The team count and sizes never change; only who sits where does.
2. Swap two people of different teams while that lowers the number of repeat pairs, or
   keeps it and lowers autoform's skills measure (Σ holders² per team and skill). A swap is
   only allowed when, for every skill, the number of a team's members whose lead skill it
   is still differs across teams by at most one: autoform's guarantee holds afterwards.
3. A few restarts from other seeds; the grouping with the fewest repeat pairs wins, the
   first one on a tie. So the result never has more repeat pairs than autoform's.

The plan also says how many repeat pairs no grouping can avoid (`forced`) and why: a past
team with k of its members among the people, dealt into teams of the fixed sizes, keeps
at least Σ C(x_i, 2) of its pairs together, with x as even as the sizes allow. Past teams
sharing no pair are counted together (their pairs are distinct), so `forced` is a lower
bound; when `repeats == forced` the grouping is the best possible.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from hackathon.teams.logic.autoform import Person, autoform, lead_skills

Pair = tuple[int, int]
_RESTARTS = 4
_MAX_PASSES = 30


@dataclass(frozen=True)
class PastTeam:
    """An earlier team: what to call it (e.g. "푸른 고래 · 핀테크 해커톤") and its members."""

    label: str
    members: frozenset[int]


@dataclass(frozen=True)
class Forced:
    """A past team whose members cannot all be kept apart."""

    label: str
    together: int  # of its members among the people placed now
    teams: int  # the number of new teams they can spread over
    pairs: int  # at least this many of their pairs stay together


@dataclass(frozen=True)
class RepeatPlan:
    groups: list[list[int]]  # sorted person ids, like autoform's
    repeats: int  # repeat pairs in `groups`
    baseline: int  # repeat pairs in plain autoform's grouping
    forced: int  # no grouping of these sizes has fewer
    reasons: list[Forced] = field(default_factory=list)  # the past teams behind `forced`


def pairs_of(past: Iterable[PastTeam]) -> frozenset[Pair]:
    """Every pair of people who were in one team, as (smaller id, larger id)."""
    return frozenset(pair for team in past for pair in combinations(sorted(team.members), 2))


def repeat_pairs(groups: Iterable[Iterable[int]], pairs: frozenset[Pair]) -> int:
    """How many pairs of `pairs` share a group."""
    return sum(1 for g in groups for pair in combinations(sorted(g), 2) if pair in pairs)


def avoid_repeats(
    people: Iterable[Person],
    team_min: int,
    team_max: int,
    past: Iterable[PastTeam],
    seed: int = 0,
) -> RepeatPlan:
    """Autoform's teams with as few repeat pairs as swaps can reach; never more than
    autoform's own. Raises `CannotForm` like autoform."""
    everyone = sorted(people, key=lambda p: p.id)
    past_teams = list(past)
    pairs = pairs_of(past_teams)
    base = autoform(everyone, team_min, team_max, seed)
    baseline = repeat_pairs(base, pairs)
    ids = {p.id for p in everyone}
    neighbours: dict[int, set[int]] = {i: set() for i in ids}
    for a, b in pairs:
        if a in ids and b in ids:
            neighbours[a].add(b)
            neighbours[b].add(a)
    best, best_repeats = base, baseline
    if baseline:
        lead = lead_skills(everyone)
        for attempt in range(_RESTARTS):
            start = base if attempt == 0 else autoform(everyone, team_min, team_max, seed + attempt)
            groups = _improve(everyone, start, neighbours, lead, random.Random(seed + attempt))
            count = repeat_pairs(groups, pairs)
            if count < best_repeats:
                best, best_repeats = groups, count
            if best_repeats == 0:
                break
    sizes = [len(g) for g in base]
    forced, reasons = lower_bound(past_teams, ids, sizes)
    return RepeatPlan(best, best_repeats, baseline, forced, reasons)


def lower_bound(past: list[PastTeam], ids: set[int], sizes: list[int]) -> tuple[int, list[Forced]]:
    """Repeat pairs no grouping into teams of `sizes` avoids, and the past teams behind it."""
    candidates = []
    for team in past:
        present = frozenset(team.members & ids)
        least = _least_pairs(len(present), sizes)
        if least:
            candidates.append((least, team.label, present))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    chosen: list[frozenset[int]] = []
    reasons = []
    for least, label, present in candidates:
        # Count a past team only if it shares no pair with one counted already.
        if all(len(present & other) <= 1 for other in chosen):
            chosen.append(present)
            reasons.append(Forced(label, len(present), len(sizes), least))
    return sum(r.pairs for r in reasons), reasons


def _least_pairs(k: int, sizes: list[int]) -> int:
    """min Σ C(x_i, 2) over Σ x_i = k, 0 ≤ x_i ≤ size_i: fill the emptiest team first."""
    placed = [0] * len(sizes)
    for _ in range(k):
        open_teams = [i for i in range(len(sizes)) if placed[i] < sizes[i]]
        if not open_teams:
            break
        i = min(open_teams, key=lambda t: placed[t])
        placed[i] += 1
    return sum(x * (x - 1) // 2 for x in placed)


def _improve(
    people: list[Person],
    groups: list[list[int]],
    neighbours: dict[int, set[int]],
    lead: dict[int, str | None],
    rng: random.Random,
) -> list[list[int]]:
    """Swap across teams while (repeat pairs, skills measure) falls, lead skills in balance."""
    skills = {p.id: p.skills for p in people}
    count = len(groups)
    where = {i: t for t, g in enumerate(groups) for i in g}
    members: list[set[int]] = [set(g) for g in groups]
    held: list[Counter[str]] = [Counter() for _ in range(count)]
    leads: dict[str | None, list[int]] = {}
    for person in people:
        held[where[person.id]].update(person.skills)
        leads.setdefault(lead[person.id], [0] * count)[where[person.id]] += 1
    order = [p.id for p in people]
    for _ in range(_MAX_PASSES):
        rng.shuffle(order)
        improved = False
        for p in order:
            a = where[p]
            if not neighbours[p] & members[a]:
                continue
            for q in order:
                b = where[q]
                if a == b or not _balanced_after(leads, lead[p], lead[q], a, b):
                    continue
                gain = _repeat_gain(p, q, members[a], members[b], neighbours)
                if gain < 0:
                    continue
                if gain == 0 and _skill_gain(held[a], held[b], skills[p], skills[q]) <= 0:
                    continue
                members[a].remove(p)
                members[b].remove(q)
                members[a].add(q)
                members[b].add(p)
                where[p], where[q] = b, a
                held[a].subtract(skills[p])
                held[a].update(skills[q])
                held[b].subtract(skills[q])
                held[b].update(skills[p])
                leads[lead[p]][a] -= 1
                leads[lead[p]][b] += 1
                leads[lead[q]][b] -= 1
                leads[lead[q]][a] += 1
                improved = True
                break
        if not improved:
            break
    return sorted(sorted(m) for m in members)


def _repeat_gain(
    p: int, q: int, in_a: set[int], in_b: set[int], neighbours: dict[int, set[int]]
) -> int:
    """How many repeat pairs disappear if p (in a) and q (in b) trade places."""
    before = len(neighbours[p] & in_a) + len(neighbours[q] & in_b)
    after = len(neighbours[p] & (in_b - {q})) + len(neighbours[q] & (in_a - {p}))
    return before - after


def _skill_gain(
    into_a: Counter[str], into_b: Counter[str], p: frozenset[str], q: frozenset[str]
) -> int:
    """How much Σ holders² falls if p (in a) and q (in b) trade places."""
    gain = 0
    for skill in p - q:
        gain += (2 * into_a[skill] - 1) - (2 * into_b[skill] + 1)
    for skill in q - p:
        gain += (2 * into_b[skill] - 1) - (2 * into_a[skill] + 1)
    return gain


def _balanced_after(
    leads: dict[str | None, list[int]], lp: str | None, lq: str | None, a: int, b: int
) -> bool:
    """Whether each lead skill's count per team still differs by at most one after p (lead
    `lp`, in a) and q (lead `lq`, in b) trade places."""
    if lp == lq:
        return True
    for skill, leaving, joining in ((lp, a, b), (lq, b, a)):
        if skill is None:  # people without skills: no skill to keep in balance
            continue
        counts = list(leads[skill])
        counts[leaving] -= 1
        counts[joining] += 1
        if max(counts) - min(counts) > 1:
            return False
    return True
