"""Time judge assignment on the cohort's size and on a large event.

Run from the repository root: `.venv/bin/python bench/assign.py`.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def instance(n_teams: int, n_judges: int, n_companies: int, seed: int) -> tuple:
    """Teams on company tracks with a mentor each, judges partly employed by the companies."""
    from hackathon.judging.logic.assign import Judge, TeamSlot

    rng = random.Random(seed)
    judges = [Judge(j, company_id=j % n_companies if j % 3 == 0 else None) for j in range(n_judges)]
    teams = [
        TeamSlot(t, company_id=t % n_companies, mentor_ids=frozenset({rng.randrange(n_judges)}))
        for t in range(n_teams)
    ]
    conflicts = {(rng.randrange(n_judges), rng.randrange(n_teams)) for _ in range(n_teams // 10)}
    return teams, judges, conflicts


def lopsided() -> tuple:
    """A quarter of the judges work for the sponsor of 90% of the teams: bounds must widen."""
    from hackathon.judging.logic.assign import Judge, TeamSlot

    judges = [Judge(j, company_id=1 if j < 50 else None) for j in range(200)]
    teams = [TeamSlot(t, company_id=1 if t < 1800 else 2) for t in range(2000)]
    return teams, judges, set()


def main() -> None:
    """Print the time of one assignment for each size."""
    from hackathon.judging.logic.assign import assign

    cases = [
        ("33 teams × 12 judges × K=3", instance(33, 12, 11, seed=1), 3),
        ("2000 teams × 200 judges × K=5", instance(2000, 200, 40, seed=1), 5),
        ("2000 × 200 × 5, lopsided conflicts", lopsided(), 5),
    ]
    for name, (teams, judges, conflicts), k in cases:
        start = time.perf_counter()
        plan = assign(teams, judges, k, conflicts=conflicts, seed=1)
        took = time.perf_counter() - start
        loads = plan.loads.values()
        print(
            f"{name}: {took:.3f} s, loads {min(loads)}..{max(loads)}, "
            f"bounds {plan.bounds}, connected {plan.connected}"
        )


if __name__ == "__main__":
    main()
