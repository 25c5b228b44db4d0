"""Teams for shadow judges (pure: no Flask, no database).

A shadow (trainee) judge scores like the others but never counts, so they are planned
apart from the counting judges: after every team has its K counting judges, each shadow
gets teams up to a load (the counting judges' load, typically), never one they may not
judge (the same rules as `assign`: their company's track, a team they mentor, a declared
conflict), teams with the fewest shadows first so that each is compared with the panel on
as many different teams as possible, ties broken at random from the seed. Nothing here
changes any counting judge's work or any team's K.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence

from hackathon.judging.logic.assign import Judge, Pair, TeamSlot


def may_judge(judge: Judge, team: TeamSlot, declared: set[Pair]) -> bool:
    """No conflict of interest between the judge and the team."""
    if judge.company_id is not None and judge.company_id == team.company_id:
        return False
    return judge.id not in team.mentor_ids and (judge.id, team.id) not in declared


def shadow_queues(
    teams: Sequence[TeamSlot],
    shadows: Sequence[Judge],
    load: int,
    conflicts: Iterable[Pair] = (),
    existing: Iterable[Pair] = (),
    seed: int = 0,
) -> dict[int, list[int]]:
    """New teams for each shadow judge, in a random order of their own, until they hold
    `load` teams (those in `existing` count) or no team they may judge is left."""
    rng = random.Random(f"{seed}:shadows")
    declared = set(conflicts)
    held: dict[int, set[int]] = {j.id: set() for j in shadows}
    on_team: Counter[int] = Counter()
    for judge_id, team_id in existing:
        if judge_id in held:
            held[judge_id].add(team_id)
            on_team[team_id] += 1
    tiebreak = {t.id: rng.random() for t in sorted(teams, key=lambda t: t.id)}
    queues: dict[int, list[int]] = {}
    for judge in sorted(shadows, key=lambda j: j.id):
        mine = held[judge.id]
        new: list[int] = []
        candidates = [t for t in teams if t.id not in mine and may_judge(judge, t, declared)]
        candidates.sort(key=lambda t: (on_team[t.id], tiebreak[t.id], t.id))
        for team in candidates[: max(0, load - len(mine))]:
            new.append(team.id)
            on_team[team.id] += 1
        rng.shuffle(new)
        if new:
            queues[judge.id] = new
    return queues
