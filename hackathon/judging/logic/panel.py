"""How one judge compares with the panel: offsets on calibration items, and a shadow
judge's agreement with the counting judges (pure: no Flask, no database).

Totals are the judge totals T(j, t) of docs/scoring.md (0..100, weighted), as
`stats.totals` makes them. The panel is the set of counting judges (not shadows).

- **Calibration offset** of a judge: over the calibration items they scored, the mean of
  (their total − the panel's mean total on the same item). The panel's mean includes the
  judge when they are on the panel; an item no panel judge has scored yet is skipped.
- **Agreement** of a shadow judge: over the teams they share with the panel, the mean of
  (their total − the panel's mean total), and how alike the two orders are: Spearman's rho
  (Pearson's correlation of the average ranks) and Kendall's tau-b (ties accounted for).
  Either is None with fewer than two shared teams or when one side has no spread.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

Cell = tuple[int, int]  # (judge_id, team_id)
NOTABLE_OFFSET = 10.0  # points on the 0..100 scale
TIE = 1e-9  # totals closer than this count as equal


@dataclass(frozen=True)
class Offset:
    judge_id: int
    offset: float | None
    items: int  # calibration items scored and compared with the panel

    @property
    def flagged(self) -> bool:
        """Far from the panel: at least `NOTABLE_OFFSET` points either way."""
        return self.offset is not None and abs(self.offset) >= NOTABLE_OFFSET


@dataclass(frozen=True)
class Agreement:
    judge_id: int
    shared: int  # teams scored by the judge and by at least one panel judge
    mean_difference: float | None
    spearman: float | None
    kendall: float | None


def panel_means(cells: Mapping[Cell, float], panel: Set[int]) -> dict[int, float]:
    """Per team, the mean total of the panel judges who scored it."""
    by_team: dict[int, list[float]] = defaultdict(list)
    for (judge_id, team_id), total in cells.items():
        if judge_id in panel:
            by_team[team_id].append(total)
    return {team: math.fsum(values) / len(values) for team, values in by_team.items()}


def calibration_offsets(cells: Mapping[Cell, float], panel: Set[int]) -> dict[int, Offset]:
    """Each judge's mean offset from the panel on the calibration items (`cells` holds the
    totals on those items only), with how many items it rests on."""
    means = panel_means(cells, panel)
    gaps: dict[int, list[float]] = defaultdict(list)
    for (judge_id, team_id), total in sorted(cells.items()):
        gaps.setdefault(judge_id, [])
        if team_id in means:
            gaps[judge_id].append(total - means[team_id])
    return {
        judge_id: Offset(judge_id, math.fsum(found) / len(found) if found else None, len(found))
        for judge_id, found in gaps.items()
    }


def agreement(judge_id: int, mine: Mapping[int, float], panel: Mapping[int, float]) -> Agreement:
    """How one judge's totals per team (`mine`) agree with the panel's mean per team."""
    shared = sorted(mine.keys() & panel.keys())
    xs = [mine[t] for t in shared]
    ys = [panel[t] for t in shared]
    gaps = [x - y for x, y in zip(xs, ys, strict=True)]
    return Agreement(
        judge_id=judge_id,
        shared=len(shared),
        mean_difference=math.fsum(gaps) / len(gaps) if gaps else None,
        spearman=spearman(xs, ys),
        kendall=kendall(xs, ys),
    )


def shadow_agreements(cells: Mapping[Cell, float], shadows: Set[int]) -> dict[int, Agreement]:
    """Every shadow judge's agreement with the counting judges (all judges not in
    `shadows`) over the teams they share; `cells` holds the totals of both."""
    panel = {j for j, _t in cells} - set(shadows)
    means = panel_means(cells, panel)
    theirs: dict[int, dict[int, float]] = {j: {} for j in shadows}
    for (judge_id, team_id), total in cells.items():
        if judge_id in theirs:
            theirs[judge_id][team_id] = total
    return {j: agreement(j, theirs[j], means) for j in sorted(theirs)}


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ascending; tied values share the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] - values[order[start]] <= TIE:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    if sxx <= TIE or syy <= TIE:
        return None
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rho of two paired samples (None when undefined)."""
    if len(xs) != len(ys):
        raise ValueError("paired samples differ in length")
    return _pearson(average_ranks(xs), average_ranks(ys))


def kendall(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Kendall's tau-b of two paired samples (None when undefined)."""
    if len(xs) != len(ys):
        raise ValueError("paired samples differ in length")
    concordant = discordant = ties_x = ties_y = 0
    for i, j in _pairs(len(xs)):
        dx, dy = _sign(xs[i] - xs[j]), _sign(ys[i] - ys[j])
        if dx == 0 and dy == 0:
            continue
        if dx == 0:
            ties_x += 1
        elif dy == 0:
            ties_y += 1
        elif dx == dy:
            concordant += 1
        else:
            discordant += 1
    untied_x = concordant + discordant + ties_y  # pairs not tied in x
    untied_y = concordant + discordant + ties_x
    if untied_x == 0 or untied_y == 0:
        return None
    return (concordant - discordant) / math.sqrt(untied_x * untied_y)


def _pairs(n: int) -> Iterable[tuple[int, int]]:
    return ((i, j) for i in range(n) for j in range(i + 1, n))


def _sign(value: float) -> int:
    if abs(value) <= TIE:
        return 0
    return 1 if value > 0 else -1
