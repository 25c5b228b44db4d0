"""Position and drift: do a judge's totals move with their queue place or the clock?
And which teams' ranks are too uncertain to call at the prize cut-off? (docs/scoring.md,
"Position and drift" and "Extra judges".)

Pure: plain data in, plain data out. Each judged cell is one judge's total T(j, t) on the
0..100 scale with where it sat in the judge's queue and the hour of day it was scored.

Per judge, the least-squares line y = a + b·x and the t interval of its slope b:
    b = Sxy / Sxx,  s² = Σ residual² / (n − 2),  SE(b) = √(s² / Sxx),
    b ± t(0.975; n − 2) · SE(b).
Across judges, the pooled slope with one intercept per judge (judge fixed effects):
x and y centred on each judge's own means, then the same formulas with n − J − 1 degrees
of freedom (J judges). It weighs each judge by how far their x values spread, so a judge
with three points cannot carry the event's verdict.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scipy import stats

LEVEL = 0.95
# A spread of x below this is no spread (every point at one place, up to rounding).
SPREAD_FLOOR = 1e-12


@dataclass(frozen=True, slots=True)
class Cell:
    """One judge's total for one team, where it sat in their queue and when (local hours)."""

    judge_id: int
    team_id: int
    total: float
    position: float
    hour: float | None = None


@dataclass(frozen=True, slots=True)
class Fit:
    """A least-squares slope and its interval; `None` where the data cannot give one
    (slope: x never varies; interval: no degrees of freedom left)."""

    n: int
    slope: float | None
    low: float | None
    high: float | None
    dof: int

    @property
    def significant(self) -> bool:
        """Whether the interval leaves out 0: the drift is more than chance would give."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


@dataclass(frozen=True, slots=True)
class JudgeDrift:
    judge_id: int
    cells: tuple[Cell, ...]  # in queue order
    by_position: Fit
    by_hour: Fit


@dataclass(frozen=True, slots=True)
class DriftReport:
    judges: tuple[JudgeDrift, ...]  # by judge id
    by_position: Fit  # pooled, judge fixed effects
    by_hour: Fit
    flagged: int  # judges whose own interval (position or hour) leaves out 0
    # Fits with an interval × (1 − level): about how many flags chance alone would raise.
    expected_by_chance: float


def fit_line(points: Iterable[tuple[float, float]], level: float = LEVEL) -> Fit:
    """The least-squares slope of y on x with its `level` t interval."""
    return _pooled([list(points)], level)


def pooled_fit(groups: Iterable[Iterable[tuple[float, float]]], level: float = LEVEL) -> Fit:
    """The common slope of y on x with one intercept per group, and its `level` t interval."""
    return _pooled([list(g) for g in groups], level)


def drift_report(cells: Iterable[Cell], level: float = LEVEL) -> DriftReport:
    """Every judge's fits by queue position and by hour, the pooled fits, and the flags."""
    by_judge: dict[int, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_judge[cell.judge_id].append(cell)
    judges = []
    for judge_id in sorted(by_judge):
        mine = sorted(by_judge[judge_id], key=lambda c: (c.position, c.team_id))
        judges.append(
            JudgeDrift(
                judge_id,
                tuple(mine),
                fit_line(_by_position(mine), level),
                fit_line(_by_hour(mine), level),
            )
        )
    measures = [f for j in judges for f in (j.by_position, j.by_hour) if f.low is not None]
    return DriftReport(
        judges=tuple(judges),
        by_position=pooled_fit((_by_position(j.cells) for j in judges), level),
        by_hour=pooled_fit((_by_hour(j.cells) for j in judges), level),
        flagged=sum(1 for j in judges if j.by_position.significant or j.by_hour.significant),
        expected_by_chance=len(measures) * (1 - level),
    )


def crossing(intervals: Mapping[int, tuple[int, int]], cut_off: int) -> list[int]:
    """Teams whose rank interval holds a rank within the cut-off and one beyond it, by
    their best rank then id: their place among the prizes is not settled by the scores."""
    if cut_off < 1:
        return []
    found = [(lo, t) for t, (lo, hi) in intervals.items() if lo <= cut_off < hi]
    return [t for _lo, t in sorted(found)]


def mean_by(cells: Iterable[Cell], key: str) -> list[tuple[int, float, int]]:
    """(place, mean total, count) for each queue place (`position`) or whole hour (`hour`)."""
    groups: dict[int, list[float]] = defaultdict(list)
    for cell in cells:
        value = cell.position if key == "position" else cell.hour
        if value is not None:
            groups[math.floor(value)].append(cell.total)
    return [(k, math.fsum(v) / len(v), len(v)) for k, v in sorted(groups.items())]


def _by_position(cells: Sequence[Cell]) -> list[tuple[float, float]]:
    return [(c.position, c.total) for c in cells]


def _by_hour(cells: Sequence[Cell]) -> list[tuple[float, float]]:
    return [(c.hour, c.total) for c in cells if c.hour is not None]


def _pooled(groups: list[list[tuple[float, float]]], level: float) -> Fit:
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level}")
    centred: list[tuple[float, float]] = []
    used = 0
    for points in groups:
        if not points:
            continue
        used += 1
        mx = math.fsum(x for x, _ in points) / len(points)
        my = math.fsum(y for _, y in points) / len(points)
        centred.extend((x - mx, y - my) for x, y in points)
    n = len(centred)
    dof = n - used - 1
    sxx = math.fsum(x * x for x, _ in centred)
    if n == 0 or sxx < SPREAD_FLOOR:
        return Fit(n, None, None, None, max(dof, 0))
    slope = math.fsum(x * y for x, y in centred) / sxx
    if dof < 1:
        return Fit(n, slope, None, None, 0)
    residual = math.fsum((y - slope * x) ** 2 for x, y in centred)
    half = float(stats.t.ppf(0.5 + level / 2, dof)) * math.sqrt(residual / dof / sxx)
    return Fit(n, slope, slope - half, slope + half, dof)
