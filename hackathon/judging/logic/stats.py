"""How each judge scores, compared with the others (pure: no Flask, no database).

A judge's total for a team follows docs/scoring.md: every score scaled to 0..100, then the
weighted mean over the criteria the judge scored. Per judge: the mean and the population
spread of their totals, and their bias, the mean of (their total − the other judges' mean
total) over the teams they share with other judges. A clearly negative bias is a harsh
judge, a clearly positive one a lenient judge.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

Cell = tuple[int, int]  # (judge_id, team_id)
NOTABLE_BIAS = 10.0  # points on the 0..100 scale
NOTABLE_AFTER = 2  # teams shared with other judges before a leaning is called out


@dataclass(frozen=True)
class Scale:
    id: int
    weight: float
    lo: int
    hi: int


@dataclass(frozen=True)
class JudgeStats:
    judge_id: int
    teams: int
    mean: float | None
    spread: float | None
    bias: float | None
    compared: int  # teams shared with at least one other judge

    @property
    def leaning(self) -> str:
        """`harsh`, `lenient`, or empty when the bias is small, unknown or rests on one team."""
        if self.bias is None or self.compared < NOTABLE_AFTER:
            return ""
        if abs(self.bias) < NOTABLE_BIAS:
            return ""
        return "harsh" if self.bias < 0 else "lenient"


def totals(
    scales: Iterable[Scale], scores: Iterable[tuple[int, int, int, float]]
) -> dict[Cell, float]:
    """T(j, t) from (judge_id, team_id, criterion_id, value) rows."""
    by_id = {s.id: s for s in scales}
    weighted: dict[Cell, list[float]] = defaultdict(list)
    weights: dict[Cell, list[float]] = defaultdict(list)
    for judge_id, team_id, criterion_id, value in scores:
        scale = by_id.get(criterion_id)
        if scale is None or scale.hi <= scale.lo:
            continue
        scaled = 100.0 * (value - scale.lo) / (scale.hi - scale.lo)
        weighted[judge_id, team_id].append(scale.weight * scaled)
        weights[judge_id, team_id].append(scale.weight)
    return {cell: math.fsum(weighted[cell]) / math.fsum(weights[cell]) for cell in weighted}


def judge_stats(cells: dict[Cell, float]) -> dict[int, JudgeStats]:
    """Mean, spread and bias for every judge with at least one total."""
    by_team: dict[int, dict[int, float]] = defaultdict(dict)
    by_judge: dict[int, dict[int, float]] = defaultdict(dict)
    for (judge_id, team_id), total in cells.items():
        by_team[team_id][judge_id] = total
        by_judge[judge_id][team_id] = total
    found = {}
    for judge_id, mine in sorted(by_judge.items()):
        gaps = []
        for team_id, total in mine.items():
            others = [v for j, v in by_team[team_id].items() if j != judge_id]
            if others:
                gaps.append(total - math.fsum(others) / len(others))
        values = list(mine.values())
        found[judge_id] = JudgeStats(
            judge_id=judge_id,
            teams=len(values),
            mean=math.fsum(values) / len(values),
            spread=statistics.pstdev(values) if len(values) > 1 else 0.0,
            bias=math.fsum(gaps) / len(gaps) if gaps else None,
            compared=len(gaps),
        )
    return found


def team_means(cells: dict[Cell, float]) -> dict[int, float]:
    by_team: dict[int, list[float]] = defaultdict(list)
    for (_judge, team_id), total in cells.items():
        by_team[team_id].append(total)
    return {t: math.fsum(v) / len(v) for t, v in by_team.items()}
