"""Time team–track matching on a large event: 2,000 teams onto 200 tracks of capacity 10.

Each team ranks 5–10 random tracks; in the stable mode every track ranks the teams that
ranked it, in random order. The "skewed" run draws tracks by popularity (weight 1/k for the
k-th track), so a few tracks are wanted by far more teams than they can host.

Run from the project root: `python bench/matching.py`.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hackathon.teams.logic.matching import TrackSlot, match_min_rank, match_stable

TARGET_SECONDS = 2.0
TEAMS, TRACKS, CAPACITY = 2000, 200, 10


def make_event(
    seed: int, skewed: bool = False
) -> tuple[list[int], list[TrackSlot], dict[int, list[int]], dict[int, list[int]]]:
    """A seeded random event: team preferences and, per track, a ranking of its applicants."""
    rng = random.Random(seed)
    team_ids = list(range(1, TEAMS + 1))
    track_ids = list(range(1, TRACKS + 1))
    weights = [1 / k for k in track_ids] if skewed else [1.0] * TRACKS
    preferences = {}
    for team in team_ids:
        wanted = rng.randint(5, 10)
        choices: list[int] = []
        while len(choices) < wanted:
            track = rng.choices(track_ids, weights)[0]
            if track not in choices:
                choices.append(track)
        preferences[team] = choices
    applicants: dict[int, list[int]] = {track: [] for track in track_ids}
    for team, choices in preferences.items():
        for track in choices:
            applicants[track].append(team)
    for ranked in applicants.values():
        rng.shuffle(ranked)
    return team_ids, [TrackSlot(t, CAPACITY) for t in track_ids], preferences, applicants


def best_of_three(run: Callable[[], object]) -> float:
    """Best of three wall-clock times, in seconds."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - began)
    return best


if __name__ == "__main__":
    for skewed in (False, True):
        teams, tracks, preferences, rankings = make_event(seed=1, skewed=skewed)
        label = " (skewed popularity)" if skewed else ""
        runs = {
            "match_min_rank": partial(match_min_rank, teams, tracks, preferences),
            "match_stable": partial(match_stable, teams, tracks, preferences, rankings),
        }
        for name, run in runs.items():
            seconds = best_of_three(run)
            print(
                f"{name} {TEAMS} teams onto {TRACKS} tracks{label}: "
                f"{seconds:.2f} s (target < {TARGET_SECONDS:g} s)"
            )
