"""Which scoring mode finds the best teams? Simulated cohorts, the app's own ranking code.

Each trial draws a cohort of this academy's size (33 teams, 12 judges, K = 3 judges a team,
three criteria scored 1..10), lets simulated judges score it, and ranks it with the very
functions the board uses: `compute_leaderboard` in the modes `raw`, `zscore` and `offset`,
and `borda_ranking` (per-judge ranks, the board's robustness view) as the rank-based mode.
Each ranking is compared with the true order of the teams.

Run from the repository root: `.venv/bin/python bench/fairness.py [--trials N] [--seed S]`
(docs/scoring.md shows `--trials 600`).
The method and the table it printed are in docs/scoring.md.

The judge model, on a criterion's 1..10 scale: judge j's score of team t on criterion c is
round(5.5 + 1.5 · a_j · μ_tc + b_j + h_jt + e_jtc + drift · position), kept within 1..10,
where μ_tc = θ_t + 0.4 · η_tc is the team's true level on the criterion (θ_t ~ N(0, 1), the
truth is the weighted mean of μ_tc), b_j ~ N(0, σ_b) the judge's leniency, a_j =
exp(N(0, σ_a)) how widely the judge spreads their marks, h_jt ~ N(0, 0.6) the judge's
overall impression of the team (shared by its criteria), e_jtc ~ N(0, σ_e) the rest, and
`position` the place of the pitch in the judge's queue (centred). Baseline: σ_b = 0.4,
σ_a = 0.15, σ_e = 0.8, no drift. Each scenario changes one thing (or two, for rooms+harsh).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from scipy.stats import kendalltau

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hackathon.leaderboard.logic.offsets import components
from hackathon.leaderboard.logic.ranking import (
    Criterion,
    Row,
    Score,
    Team,
    borda_ranking,
    compute_leaderboard,
)

TARGET_SECONDS = 120.0
CRITERIA = [
    Criterion(1, "Problem and impact", 0.4, 1, 10),
    Criterion(2, "Technical depth", 0.35, 1, 10),
    Criterion(3, "Presentation", 0.25, 1, 10),
]
WEIGHTS = np.array([c.weight for c in CRITERIA])
ROOMS = 3
SHIFTS = 3


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    rooms: bool = False  # teams sorted into rooms by a noisy estimate of their quality
    fixed: bool = False  # one panel per room all day (no rotation: the graph falls apart)
    leniency: float = 0.4  # sigma_b
    spread: float = 0.15  # sigma_a
    noise: float = 0.8  # sigma_e
    noisy_share: float = 0.0  # share of judges with noise 2.5 and a loose impression
    drift: float = 0.0  # points per place in the judge's queue


SCENARIOS = [
    Scenario("random", "random assignment, judges a little unlike each other"),
    Scenario("rooms", "strong, middle and weak rooms; panels rotate per shift", rooms=True),
    Scenario("fixed rooms", "rooms as above, one panel per room all day", rooms=True, fixed=True),
    Scenario("harsh/lenient", "judges' leniency sd 1.5 points", leniency=1.5),
    Scenario("rooms+harsh", "rooms as above and leniency sd 1.5", rooms=True, leniency=1.5),
    Scenario("noisy", "a third of the judges mark almost at random", noisy_share=1 / 3),
    Scenario("drift", "each later pitch +0.15 points", drift=0.15),
    Scenario("spread", "judges differ in how widely they mark (sd of log 0.5)", spread=0.5),
]

Ranker = Callable[[list[Criterion], list[Team], list[Score]], list[Row]]
MODES: dict[str, Ranker] = {
    "raw": lambda c, t, s: compute_leaderboard(c, t, s, "raw"),
    "zscore": lambda c, t, s: compute_leaderboard(c, t, s, "zscore"),
    "offset": lambda c, t, s: compute_leaderboard(c, t, s, "offset"),
    "borda": borda_ranking,
}


def random_panels(teams: int, judges: int, k: int, rng: np.random.Generator) -> list[list[int]]:
    """Each team's k judges, loads as even as they go (as `judges assign` makes them)."""
    load = np.zeros(judges)
    panels = []
    for _ in range(teams):
        order = np.lexsort((rng.random(judges), load))
        panel = sorted(int(j) for j in order[:k])
        load[panel] += 1
        panels.append(panel)
    return panels


def room_panels(
    quality: np.ndarray, judges: int, k: int, fixed: bool, rng: np.random.Generator
) -> tuple[list[list[int]], np.ndarray]:
    """Rooms of teams sorted by a noisy pre-estimate (a preliminary round), each room's
    pitches in random order; returns every team's panel and its slot.

    Rotating (as the schedule does): per shift each room gets k judges, a judge in one room
    at a time, those who have sat least first; a schedule whose judge–team graph is not
    connected is drawn again, as the scheduler refuses one. Fixed: one panel per room.
    """
    teams = len(quality)
    seeded = np.argsort(-(quality + rng.normal(0, 0.5, teams)))
    rooms = np.array_split(seeded, ROOMS)
    while True:
        panels, slot = _shifts(rooms, judges, k, 1 if fixed else SHIFTS, rng)
        cells = {(j, t) for t, panel in enumerate(panels) for j in panel}
        if fixed or len(components(cells)) == 1:
            return panels, slot


def _shifts(
    rooms: list[np.ndarray], judges: int, k: int, shifts: int, rng: np.random.Generator
) -> tuple[list[list[int]], np.ndarray]:
    teams = sum(len(r) for r in rooms)
    sat = np.zeros(judges)
    panels: list[list[int]] = [[] for _ in range(teams)]
    slot = np.zeros(teams)
    per_room = [rng.permutation(room) for room in rooms]
    longest = max(len(r) for r in per_room)
    bounds = np.array_split(np.arange(longest), shifts)
    for shift in bounds:
        free = [int(j) for j in np.lexsort((rng.random(judges), sat))]
        for room in per_room:
            panel = sorted(free[:k])
            free = free[k:]
            sat[panel] += 1
            for place in shift:
                if place < len(room):
                    panels[room[place]] = panel
                    slot[room[place]] = place
    return panels, slot


def simulate(
    scenario: Scenario, teams: int, judges: int, k: int, rng: np.random.Generator
) -> tuple[list[Team], list[Score], np.ndarray]:
    """One cohort: its teams, every judge's scores, and the teams' true quality."""
    theta = rng.normal(0, 1, teams)
    level = theta[:, None] + 0.4 * rng.normal(0, 1, (teams, len(CRITERIA)))
    truth = level @ WEIGHTS / WEIGHTS.sum()
    if scenario.rooms:
        panels, slot = room_panels(truth, judges, k, scenario.fixed, rng)
    else:
        panels, slot = random_panels(teams, judges, k, rng), rng.random(teams)
    lenient = rng.normal(0, scenario.leniency, judges)
    widths = np.exp(rng.normal(0, scenario.spread, judges))
    noisy = rng.random(judges) < scenario.noisy_share
    noise = np.where(noisy, 2.5, scenario.noise)
    halo = np.where(noisy, 1.5, 0.6)
    queue: dict[int, list[int]] = {j: [] for j in range(judges)}
    for t in np.argsort(slot, kind="stable"):
        for j in panels[t]:
            queue[j].append(int(t))
    start = datetime(2024, 5, 1, 9, tzinfo=UTC)
    team_list = [
        Team(t + 1, f"team {t + 1}", submitted_at=start + timedelta(minutes=int(m)))
        for t, m in enumerate(rng.permutation(teams))
    ]
    scores = []
    for j, order in queue.items():
        centre = (len(order) - 1) / 2
        for place, t in enumerate(order):
            impression = rng.normal(0, halo[j])
            for c, crit in enumerate(CRITERIA):
                mark = (
                    5.5
                    + 1.5 * widths[j] * level[t, c]
                    + lenient[j]
                    + impression
                    + rng.normal(0, noise[j])
                    + scenario.drift * (place - centre)
                )
                value = float(min(crit.hi, max(crit.lo, round(mark))))
                scores.append(Score(j + 1, t + 1, crit.id, value))
    return team_list, scores, truth


@dataclass
class Tally:
    tau: list[float]
    best_in_top3: list[bool]
    top3_overlap: list[float]


def judge(rows: list[Row], truth: np.ndarray) -> tuple[float, bool, float]:
    """Kendall tau of the board's ranks to the truth, the true best's place, top-3 overlap."""
    rank = np.empty(len(truth))
    for r in rows:
        rank[r.team.id - 1] = r.rank if r.rank is not None else len(truth)
    tau = float(kendalltau(-rank, truth).statistic)
    best = int(np.argmax(truth))
    true_top = set(np.argsort(-truth)[:3].tolist())
    board_top = {r.team.id - 1 for r in rows if r.rank is not None and r.rank <= 3}
    return tau, bool(rank[best] <= 3), len(true_top & board_top) / 3


def run(
    scenario: Scenario, trials: int, teams: int, judges: int, k: int, seed: int
) -> tuple[dict[str, Tally], int]:
    """Every mode on the same `trials` cohorts; also how many cohorts were disconnected."""
    rng = np.random.default_rng([seed, SCENARIOS.index(scenario)])
    tallies = {m: Tally([], [], []) for m in MODES}
    split = 0
    for _ in range(trials):
        team_list, scores, truth = simulate(scenario, teams, judges, k, rng)
        split += len(components({(s.judge_id, s.team_id) for s in scores})) > 1
        for mode, rank in MODES.items():
            tau, top, overlap = judge(rank(CRITERIA, team_list, scores), truth)
            tallies[mode].tau.append(tau)
            tallies[mode].best_in_top3.append(top)
            tallies[mode].top3_overlap.append(overlap)
    return tallies, split


def wilson(hits: int, n: int) -> tuple[float, float]:
    """95 % Wilson interval of a proportion."""
    z = 1.959964
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def report(name: str, tallies: dict[str, Tally], split: int, trials: int) -> list[str]:
    """The scenario's lines: per mode tau (mean, sd), the paired difference to zscore with
    its 95 % interval, P(true best in top 3) with its 95 % interval, top-3 overlap."""
    lines = []
    base = np.array(tallies["zscore"].tau)
    for mode, tally in tallies.items():
        tau = np.array(tally.tau)
        diff = tau - base
        half = 1.959964 * diff.std(ddof=1) / math.sqrt(trials) if trials > 1 else 0.0
        hits = sum(tally.best_in_top3)
        lo, hi = wilson(hits, trials)
        delta = "—" if mode == "zscore" else f"{diff.mean():+.3f} ± {half:.3f}"
        lines.append(
            f"| {name} | {mode} | {tau.mean():.3f} | {tau.std(ddof=1):.3f} | {delta} "
            f"| {hits / trials:.2f} [{lo:.2f}, {hi:.2f}] | {np.mean(tally.top3_overlap):.2f} |"
        )
    if split:
        lines.append(f"| {name} | (graph not connected in {split} of {trials} cohorts) |||||")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=400, help="cohorts per scenario")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--teams", type=int, default=33)
    parser.add_argument("--judges", type=int, default=12)
    parser.add_argument("--k", type=int, default=3, help="judges per team")
    parser.add_argument("--only", help="run one scenario by name")
    args = parser.parse_args()
    began = time.perf_counter()
    chosen = [s for s in SCENARIOS if args.only in (None, s.name)]
    print(
        f"{args.trials} cohorts per scenario: {args.teams} teams, {args.judges} judges, "
        f"K={args.k}, criteria 1..10, seed {args.seed}\n"
    )
    for s in chosen:
        print(f"- {s.name}: {s.what}")
    print(
        "\n| scenario | mode | Kendall τ | sd | Δτ vs zscore (95 % CI) "
        "| P(true best in top 3) [95 % CI] | top-3 overlap |"
    )
    print("|---|---|---|---|---|---|---|")
    for s in chosen:
        tallies, split = run(s, args.trials, args.teams, args.judges, args.k, args.seed)
        print("\n".join(report(s.name, tallies, split, args.trials)), flush=True)
    took = time.perf_counter() - began
    print(f"\nelapsed {took:.1f} s (target < {TARGET_SECONDS:g} s)")


if __name__ == "__main__":
    main()
