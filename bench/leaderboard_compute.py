"""Time `compute_leaderboard` on a large event: 2,000 teams, 200 judges, 8 criteria.

Run from the project root: `python bench/leaderboard_compute.py`.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hackathon.leaderboard.logic.ranking import Criterion, Score, Team, compute_leaderboard

TARGET_SECONDS = 1.0


def make_event(
    teams: int, judges: int, criteria: int, per_team: int, seed: int
) -> tuple[list[Criterion], list[Team], list[Score]]:
    """A seeded random event: mixed scales and weights, `per_team` distinct judges per team."""
    rng = random.Random(seed)
    start = datetime(2024, 5, 1, tzinfo=UTC)
    crits = [
        Criterion(
            id=c + 1, name=f"criterion {c + 1}", weight=rng.choice([1, 1, 2, 0.5]), lo=lo, hi=hi
        )
        for c, (lo, hi) in enumerate(rng.choice([(0, 10), (1, 5), (1, 7)]) for _ in range(criteria))
    ]
    team_list = [
        Team(
            id=t + 1,
            name=f"team {t + 1}",
            submitted_at=start + timedelta(minutes=rng.randrange(600)),
        )
        for t in range(teams)
    ]
    leniency = {j + 1: rng.uniform(-0.2, 0.2) for j in range(judges)}
    scores = []
    for team in team_list:
        quality = rng.random()
        for judge in rng.sample(range(1, judges + 1), per_team):
            for c in crits:
                level = min(1.0, max(0.0, quality + leniency[judge] + rng.gauss(0, 0.15)))
                scores.append(Score(judge, team.id, c.id, round(c.lo + level * (c.hi - c.lo))))
    return crits, team_list, scores


def compute_benchmark(
    teams: int = 2000, judges: int = 200, criteria: int = 8, per_team: int = 5, seed: int = 1
) -> float:
    """Best of three wall-clock times, in seconds, of one full zscore leaderboard."""
    crits, team_list, scores = make_event(teams, judges, criteria, per_team, seed)
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        compute_leaderboard(crits, team_list, scores)
        best = min(best, time.perf_counter() - began)
    return best


if __name__ == "__main__":
    seconds = compute_benchmark()
    print(
        f"compute 2000 teams x 200 judges x 8 criteria, 5 judges/team: "
        f"{seconds:.3f} s (target < {TARGET_SECONDS:g} s)"
    )
