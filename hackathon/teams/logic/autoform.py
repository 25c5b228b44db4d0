"""Group participants without a team into new teams, sizes in bounds and skills spread out.

Rules, in order:

1. Team count: the fewest teams whose sizes, as equal as possible, lie in
   [team_min, team_max]; i.e. g = ceil(n / team_max), sizes floor(n/g) or ceil(n/g). Fewer,
   fuller teams give each team slack for dropouts over a long cohort and fewer entries to
   judge. Such a g exists exactly when any split within the bounds exists; otherwise
   `CannotForm`. Nobody ends alone unless the bounds force it (team_max = 1, or team_max = 2
   with an odd number of people, or one person in all).
2. Dealing: each person's *lead skill* is the rarest skill they hold (fewest holders overall,
   then name); people are ordered by lead skill, rarest first, people without skills last,
   in a seeded shuffle within each lead skill, and dealt round-robin. Any run of that order
   is therefore spread within one across teams.
3. Polishing: two people with the same lead skill in different teams swap while that lowers
   Σ over teams and skills of (holders in the team)², which evens out their other skills.

Guaranteed: every person is in exactly one team; sizes differ by at most one; for every skill,
the number of a team's members whose lead skill it is differs across teams by at most one.
So the rarest skill, and every skill when nobody holds two, is spread within one.
The result depends only on the people (not their order) and the seed.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

# Bounds the polishing on very large inputs; each pass only ever improves the spread.
_MAX_PASSES = 20


class CannotForm(ValueError):
    """The people cannot be split into teams whose sizes all lie within the bounds."""


@dataclass(frozen=True)
class Person:
    """A participant without a team, with their skill tags (e.g. "vision", "backend")."""

    id: int
    skills: frozenset[str]


def autoform(
    people: Iterable[Person], team_min: int, team_max: int, seed: int = 0
) -> list[list[int]]:
    """Split people into teams of team_min..team_max with skills spread; sorted person ids."""
    everyone = sorted(people, key=lambda p: p.id)
    ids = [p.id for p in everyone]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i, c in Counter(ids).items() if c > 1)
        raise ValueError(f"person {duplicate} appears twice")
    count = team_count(len(everyone), team_min, team_max)
    if count == 0:
        return []
    lead = lead_skills(everyone)
    order = _deal_order(everyone, lead, seed)
    where = {person.id: position % count for position, person in enumerate(order)}
    _polish(order, lead, where, count)
    groups: list[list[int]] = [[] for _ in range(count)]
    for person_id in ids:
        groups[where[person_id]].append(person_id)
    return sorted(groups)


def team_count(people: int, team_min: int, team_max: int) -> int:
    """The fewest teams whose as-equal-as-possible sizes lie within the bounds (0 for nobody)."""
    if team_min < 1 or team_max < team_min:
        raise ValueError(f"team size bounds must satisfy 1 ≤ min ≤ max, got {team_min}..{team_max}")
    if people == 0:
        return 0
    fewest = -(-people // team_max)
    if fewest > people // team_min:
        if people < team_min:
            reason = f"fewer than the minimum team size of {team_min}"
        else:
            reason = f"no number of teams gives every team {team_min} to {team_max} members"
        raise CannotForm(f"{people} people cannot be formed into teams: {reason}")
    return fewest


def lead_skills(people: list[Person]) -> dict[int, str | None]:
    """Person id → their rarest skill (fewest holders, then name), None without skills."""
    holders = Counter(skill for p in people for skill in p.skills)
    return {
        p.id: min(p.skills, key=lambda s: (holders[s], s)) if p.skills else None for p in people
    }


def _deal_order(people: list[Person], lead: dict[int, str | None], seed: int) -> list[Person]:
    """Rarest lead skill first, people without skills last, seeded shuffle within each."""
    holders = Counter(skill for p in people for skill in p.skills)
    shuffled = list(people)
    random.Random(seed).shuffle(shuffled)

    def rarity(person: Person) -> tuple[int, int, str]:
        skill = lead[person.id]
        return (1, 0, "") if skill is None else (0, holders[skill], skill)

    return sorted(shuffled, key=rarity)  # stable: the shuffle orders people within a skill


def _polish(
    order: list[Person], lead: dict[int, str | None], where: dict[int, int], count: int
) -> None:
    """Swap same-lead people across teams while Σ (holders per team and skill)² drops."""
    counts: list[Counter[str]] = [Counter() for _ in range(count)]
    by_lead: dict[str | None, list[Person]] = {}
    for person in order:
        counts[where[person.id]].update(person.skills)
        by_lead.setdefault(lead[person.id], []).append(person)
    for _ in range(_MAX_PASSES):
        improved = False
        for members in by_lead.values():
            for p, q in combinations(members, 2):
                a, b = where[p.id], where[q.id]
                if a == b or p.skills == q.skills:
                    continue
                if _swap_gain(counts[a], counts[b], p, q) > 0:
                    where[p.id], where[q.id] = b, a
                    counts[a].subtract(p.skills)
                    counts[a].update(q.skills)
                    counts[b].subtract(q.skills)
                    counts[b].update(p.skills)
                    improved = True
        if not improved:
            return


def _swap_gain(into_a: Counter[str], into_b: Counter[str], p: Person, q: Person) -> int:
    """How much Σ count² falls if p (now in a) and q (now in b) trade places."""
    gain = 0
    for skill in p.skills - q.skills:  # a loses one holder, b gains one
        gain += (2 * into_a[skill] - 1) - (2 * into_b[skill] + 1)
    for skill in q.skills - p.skills:  # b loses one holder, a gains one
        gain += (2 * into_b[skill] - 1) - (2 * into_a[skill] + 1)
    return gain
