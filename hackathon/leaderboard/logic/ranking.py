"""Leaderboard math (the rule of docs/scoring.md): pure functions over frozen dataclasses.

The service runs one query, converts the rows into `Criterion`, `Team` and `Score`, and
calls a function here; nothing in this module touches Flask or the database. Pass every
submitted score of the event (judge sigma is taken over all of a judge's teams) and every
team that should be listed; a score naming an unknown team or criterion, outside its
scale, or repeated for the same judge, team and criterion raises `ValueError`.

Floating point: every sum goes through `math.fsum`, which is correctly rounded and
therefore independent of the order of the input rows, so identical inputs give identical
floats. Values that are equal mathematically but reached by different arithmetic (weights
0.1 and 0.2 against a 0..3 scale, say) can still differ in the last bits, so ranking treats
two values as equal when they lie within `TIE_TOLERANCE` of each other (neighbours in
sorted order, chained). On a 0..100 or z scale no real difference is that small.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from hackathon.leaderboard.logic import offsets
from hackathon.leaderboard.logic.offsets import Component, OffsetFit

MODES = ("zscore", "raw", "offset")
TIE_TOLERANCE = 1e-9
# A judge whose totals spread less than this is treated as having sigma = 0: dividing
# rounding noise by itself would turn equal totals into z = +/-1.
SIGMA_FLOOR = 1e-9

Cell = tuple[int, int]  # (judge_id, team_id)


@dataclass(frozen=True, slots=True)
class Criterion:
    id: int
    name: str
    weight: float
    lo: int
    hi: int


@dataclass(frozen=True, slots=True)
class Score:
    judge_id: int
    team_id: int
    criterion_id: int
    value: float


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    name: str
    track: str | None = None
    submitted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Row:
    rank: int | None
    team: Team
    score: float | None
    raw_score: float | None
    judges: int
    criteria: dict[str, float]


@dataclass(frozen=True, slots=True)
class _Sheet:
    """Judge totals T(j,t) and per-team summaries shared by every ranking method."""

    teams: dict[int, Team]
    totals: dict[Cell, float]
    judges_of: dict[int, list[int]]  # scored team -> its judges, ascending
    raw: dict[int, float]
    criteria_means: dict[int, dict[str, float]]


def compute_leaderboard(
    criteria: Sequence[Criterion],
    teams: Sequence[Team],
    scores: Iterable[Score],
    mode: str = "zscore",
) -> list[Row]:
    """Rank teams by mean judge z-score, by mean judge total (raw) or by the quality of the
    offset model (offset), docs/scoring.md."""
    _check_mode(mode)
    sheet = _tabulate(criteria, teams, scores)
    return _rank(sheet, _team_means(sheet, _per_judge(sheet, mode)))


def offset_fit(
    criteria: Sequence[Criterion], teams: Sequence[Team], scores: Iterable[Score]
) -> OffsetFit:
    """The offset mode's fit: team qualities, judge offsets and the judge–team groups."""
    return offsets.fit_offsets(_tabulate(criteria, teams, scores).totals)


def judge_groups(
    criteria: Sequence[Criterion], teams: Sequence[Team], scores: Iterable[Score]
) -> tuple[Component, ...]:
    """The connected groups of the judge–team graph of the submitted scores, largest first."""
    return offsets.components(_tabulate(criteria, teams, scores).totals)


def median_ranking(
    criteria: Sequence[Criterion], teams: Sequence[Team], scores: Iterable[Score]
) -> list[Row]:
    """Rank teams by the median over their judges of the judge total T(j,t)."""
    sheet = _tabulate(criteria, teams, scores)
    medians = {
        t: statistics.median(sheet.totals[j, t] for j in judges)
        for t, judges in sheet.judges_of.items()
    }
    return _rank(sheet, medians)


def borda_ranking(
    criteria: Sequence[Criterion], teams: Sequence[Team], scores: Iterable[Score]
) -> list[Row]:
    """Rank teams by mean Borda points: the share of a judge's other teams each one beat."""
    sheet = _tabulate(criteria, teams, scores)
    return _rank(sheet, _team_means(sheet, _borda_points(sheet.totals)))


def top_differs(*rankings: Sequence[Row], n: int = 3) -> bool:
    """Tell whether the rankings disagree on which teams hold ranks 1..n, or in what order."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    tops = {
        tuple(sorted((r.rank, r.team.id) for r in rows if r.rank is not None and r.rank <= n))
        for rows in rankings
    }
    return len(tops) > 1


def bootstrap_rank_intervals(
    criteria: Sequence[Criterion],
    teams: Sequence[Team],
    scores: Iterable[Score],
    mode: str = "zscore",
    rounds: int = 200,
    seed: int = 0,
    level: float = 0.9,
) -> dict[int, tuple[int, int]]:
    """Give each ranked team the central `level` interval of its rank over judge resamples."""
    _check_mode(mode)
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level}")
    sheet = _tabulate(criteria, teams, scores)
    if not sheet.judges_of:
        return {}
    ids, score, raw = _resample(sheet, _per_judge(sheet, mode), rounds, np.random.default_rng(seed))
    when = _submission_order([sheet.teams[t] for t in ids])
    ranks = np.stack([_competition_ranks(score[r], raw[r], when) for r in range(rounds)])
    tail = (1 - level) / 2
    lows = np.quantile(ranks, tail, axis=0, method="lower")
    highs = np.quantile(ranks, 1 - tail, axis=0, method="higher")
    return {t: (int(lo), int(hi)) for t, lo, hi in zip(ids, lows, highs, strict=True)}


def rerank(rows: Sequence[Row]) -> list[Row]:
    """Rank a subset of a leaderboard's rows again among themselves, by the same rule.

    Scores are compared as computed over the whole event (judge sigma included); only the
    ranks change: scored rows by rank (tied ones by name, id), then unscored rows by name, id.
    """
    scored = [r for r in rows if r.score is not None]
    score = np.array([r.score for r in scored], dtype=float)
    raw = np.array([r.raw_score for r in scored], dtype=float)
    ranks = _competition_ranks(score, raw, _submission_order([r.team for r in scored]))
    ranked = [replace(r, rank=int(k)) for r, k in zip(scored, ranks, strict=True)]
    ranked.sort(key=lambda r: (r.rank, r.team.name, r.team.id))
    unscored = sorted(
        (replace(r, rank=None) for r in rows if r.score is None),
        key=lambda r: (r.team.name, r.team.id),
    )
    return ranked + unscored


def track_rows(rows: Sequence[Row], track: str | None) -> list[Row]:
    """One track's board: its teams' rows of the event board, ranked within the track."""
    return rerank([r for r in rows if r.team.track == track])


def track_ranks(rows: Sequence[Row]) -> dict[int, int | None]:
    """Each team's rank within its own track (teams without a track form one group)."""
    groups: dict[str | None, list[Row]] = defaultdict(list)
    for r in rows:
        groups[r.team.track].append(r)
    return {r.team.id: r.rank for group in groups.values() for r in rerank(group)}


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")


def _tabulate(
    criteria: Sequence[Criterion], teams: Sequence[Team], scores: Iterable[Score]
) -> _Sheet:
    """Reduce the scaled scores to judge totals T(j,t) and per-team summaries (step 2)."""
    by_crit = _index_criteria(criteria)
    by_team = {t.id: t for t in teams}
    if len(by_team) != len(teams):
        raise ValueError("duplicate team id")
    cells = _scale(by_crit, by_team, scores)
    totals: dict[Cell, float] = {}
    judges_of: dict[int, list[int]] = defaultdict(list)
    scaled: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (judge, team), cell in cells.items():
        weights = [by_crit[c].weight for c in cell]
        totals[judge, team] = math.fsum(
            w * n for w, n in zip(weights, cell.values(), strict=True)
        ) / math.fsum(weights)
        judges_of[team].append(judge)
        for c, n in cell.items():
            scaled[team][c].append(n)
    for judges in judges_of.values():
        judges.sort()
    raw = {t: _mean([totals[j, t] for j in judges]) for t, judges in judges_of.items()}
    means = {
        t: {c.name: _mean(per_crit[c.id]) for c in criteria if c.id in per_crit}
        for t, per_crit in scaled.items()
    }
    return _Sheet(by_team, totals, dict(judges_of), raw, means)


def _scale(
    by_crit: Mapping[int, Criterion], by_team: Mapping[int, Team], scores: Iterable[Score]
) -> dict[Cell, dict[int, float]]:
    """Each (judge, team) cell's scores scaled to 0..100, by criterion id (step 1)."""
    cells: dict[Cell, dict[int, float]] = defaultdict(dict)
    for s in scores:
        crit = by_crit.get(s.criterion_id)
        if crit is None or s.team_id not in by_team:
            raise ValueError(f"score refers to an unknown criterion or team: {s}")
        if not crit.lo <= s.value <= crit.hi:
            raise ValueError(f"score outside its scale {crit.lo}..{crit.hi}: {s}")
        cell = cells[s.judge_id, s.team_id]
        if s.criterion_id in cell:
            raise ValueError(f"duplicate score: {s}")
        cell[s.criterion_id] = 100.0 * (s.value - crit.lo) / (crit.hi - crit.lo)
    return cells


def _index_criteria(criteria: Sequence[Criterion]) -> dict[int, Criterion]:
    by_id = {c.id: c for c in criteria}
    if len(by_id) != len(criteria) or len({c.name for c in criteria}) != len(criteria):
        raise ValueError("criterion ids and names must be unique")
    for c in criteria:
        if not c.hi > c.lo:
            raise ValueError(f"criterion {c.name!r} needs hi > lo")
        if not (math.isfinite(c.weight) and c.weight > 0):
            raise ValueError(f"criterion {c.name!r} needs a positive weight")
    return by_id


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _by_judge(totals: Mapping[Cell, float]) -> dict[int, list[Cell]]:
    cells: dict[int, list[Cell]] = defaultdict(list)
    for cell in totals:
        cells[cell[0]].append(cell)
    return cells


def _per_judge(sheet: _Sheet, mode: str) -> Mapping[Cell, float]:
    """The per-judge values a team's score is the mean of, in each mode."""
    if mode == "zscore":
        return _zscores(sheet.totals)
    if mode == "offset":
        return offsets.adjusted(sheet.totals, offsets.fit_offsets(sheet.totals))
    return sheet.totals


def _zscores(totals: Mapping[Cell, float]) -> dict[Cell, float]:
    """z(j,t) against judge j's own mean and population sigma; 0 if undefined (step 4)."""
    z: dict[Cell, float] = {}
    for cells in _by_judge(totals).values():
        values = [totals[c] for c in cells]
        mu = _mean(values)
        sigma = math.sqrt(_mean([(v - mu) ** 2 for v in values]))
        if len(values) < 2 or sigma < SIGMA_FLOOR:
            z.update(dict.fromkeys(cells, 0.0))
        else:
            z.update({c: (v - mu) / sigma for c, v in zip(cells, values, strict=True)})
    return z


def _borda_points(totals: Mapping[Cell, float]) -> dict[Cell, float]:
    """Points in 0..1: (teams beaten + half the teams tied) / (other teams the judge saw).

    Dividing by the judge's queue size makes every judge's points span the same range;
    a judge with one team gives the neutral 0.5, as z-scores give such a judge 0.
    """
    points: dict[Cell, float] = {}
    for cells in _by_judge(totals).values():
        m = len(cells)
        if m == 1:
            points[cells[0]] = 0.5
            continue
        values = np.array([totals[c] for c in cells])
        tier = _tiers(values)
        for c, k in zip(cells, tier, strict=True):
            beaten = int(np.count_nonzero(tier > k))
            tied = int(np.count_nonzero(tier == k)) - 1
            points[c] = (beaten + 0.5 * tied) / (m - 1)
    return points


def _team_means(sheet: _Sheet, per_judge: Mapping[Cell, float]) -> dict[int, float]:
    return {t: _mean([per_judge[j, t] for j in judges]) for t, judges in sheet.judges_of.items()}


def _rank(sheet: _Sheet, team_score: Mapping[int, float]) -> list[Row]:
    """Scored teams by rank (tied ones by name, id), then unscored teams by name, id (step 5)."""
    ids = sorted(team_score)
    score = np.array([team_score[t] for t in ids], dtype=float)
    raw = np.array([sheet.raw[t] for t in ids], dtype=float)
    ranks = _competition_ranks(score, raw, _submission_order([sheet.teams[t] for t in ids]))
    rows = [
        Row(
            rank=int(rank),
            team=sheet.teams[t],
            score=team_score[t],
            raw_score=sheet.raw[t],
            judges=len(sheet.judges_of[t]),
            criteria=sheet.criteria_means[t],
        )
        for t, rank in zip(ids, ranks, strict=True)
    ]
    rows.sort(key=lambda r: (r.rank, r.team.name, r.team.id))
    unscored = sorted(
        (t for t in sheet.teams.values() if t.id not in team_score), key=lambda t: (t.name, t.id)
    )
    return rows + [Row(None, t, None, None, 0, {}) for t in unscored]


def _submission_order(teams: Sequence[Team]) -> np.ndarray:
    """0 for the earliest final submission, and so on; teams that never submitted go last."""
    times = sorted({t.submitted_at for t in teams if t.submitted_at is not None})
    # Keyed by `datetime | None` so that a team that never submitted looks up its default.
    order: dict[datetime | None, int] = {when: i for i, when in enumerate(times)}
    return np.array([order.get(t.submitted_at, len(times)) for t in teams], dtype=np.int64)


def _tiers(values: np.ndarray) -> np.ndarray:
    """0 for the highest value, 1 for the next distinct one...; values within tolerance tie."""
    order = np.argsort(-values, kind="stable")
    step = np.diff(values[order]) < -TIE_TOLERANCE
    tier = np.empty(len(values), dtype=np.int64)
    tier[order] = np.concatenate(([0], np.cumsum(step)))
    return tier


def _competition_ranks(score: np.ndarray, raw: np.ndarray, when: np.ndarray) -> np.ndarray:
    """1-based ranks by score, raw score, then submission order; ties share, next skips."""
    if len(score) == 0:
        return np.empty(0, dtype=np.int64)
    keys = np.stack([_tiers(score), _tiers(raw), when])
    order = np.lexsort(keys[::-1])
    ordered = keys[:, order]
    starts = np.ones(len(score), dtype=bool)
    starts[1:] = np.any(ordered[:, 1:] != ordered[:, :-1], axis=0)
    position = np.maximum.accumulate(np.where(starts, np.arange(len(score)), 0))
    ranks = np.empty(len(score), dtype=np.int64)
    ranks[order] = position + 1
    return ranks


def _resample(
    sheet: _Sheet, per_judge: Mapping[Cell, float], rounds: int, rng: np.random.Generator
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Team scores and raw scores over `rounds` draws of each team's judges with replacement.

    Judge normalisation (mu_j and sigma_j, or the offsets o_j) stays at its full-data value:
    the question asked is how much a team's place depends on which of its judges happened
    to score it.
    """
    by_size: dict[int, list[int]] = defaultdict(list)
    for t in sorted(sheet.judges_of):
        by_size[len(sheet.judges_of[t])].append(t)
    ids: list[int] = []
    score_parts: list[np.ndarray] = []
    raw_parts: list[np.ndarray] = []
    for k, group in sorted(by_size.items()):
        z = np.array([[per_judge[j, t] for j in sheet.judges_of[t]] for t in group])
        total = np.array([[sheet.totals[j, t] for j in sheet.judges_of[t]] for t in group])
        pick = rng.integers(0, k, size=(rounds, len(group), k))
        score_parts.append(np.take_along_axis(z[None], pick, axis=2).mean(axis=2))
        raw_parts.append(np.take_along_axis(total[None], pick, axis=2).mean(axis=2))
        ids.extend(group)
    return ids, np.concatenate(score_parts, axis=1), np.concatenate(raw_parts, axis=1)
