"""Flow computations behind judge assignment: load bounds and the cheapest pairs.

Pure (numpy and scipy only). `assign.py` documents the method; these are its steps: the
water level of loads, per-judge bounds, the tightest feasible bounds, max-flow with lower
and upper bounds, the min-cost choice of pairs, and the evening-out of loads.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import maximum_flow


class Instance(Protocol):
    """What the flow computations read of an assignment problem: per judge and team, who
    may take whom (`allowed`, judges × teams), what each team still needs and each judge
    already carries."""

    @property
    def allowed(self) -> np.ndarray: ...
    @property
    def need(self) -> np.ndarray: ...
    @property
    def load(self) -> np.ndarray: ...


def water_levels(load: np.ndarray, total: int) -> tuple[int, int]:
    """Floor and ceiling of the level that `total` new pairs fill the lowest judges up to."""
    if total == 0 or len(load) == 0:
        return (int(load.min()), int(load.min())) if len(load) else (0, 0)

    def poured(level: int) -> int:
        return int(np.maximum(level - load, 0).sum())

    low, high = 0, int(load.max()) + total
    while low < high:  # largest level whose filling fits in `total`
        mid = (low + high + 1) // 2
        low, high = (mid, high) if poured(mid) <= total else (low, mid - 1)
    return low, low if poured(low) == total else low + 1


def judge_bounds(load: np.ndarray, bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Per-judge bounds on new pairs so that final loads land in `bounds`."""
    lo, hi = bounds
    return np.maximum(lo - load, 0), np.maximum(hi - load, 0)


def tightest_bounds(
    jj: np.ndarray, tt: np.ndarray, inst: Instance, ideal: tuple[int, int]
) -> tuple[int, int]:
    """The water level if the conflicts allow it, else the least upper then greatest lower."""

    def ok(lo: int, hi: int) -> bool:
        return max_flow(jj, tt, inst.need, *judge_bounds(inst.load, (lo, hi))) is not None

    if ok(*ideal):
        return ideal
    low, step = ideal[1], 1
    while not ok(0, low + step):  # gallop: the bound is usually near the level
        low, step = low + step + 1, step * 2
    high = low + step
    while low < high:
        mid = (low + high) // 2
        low, high = (low, mid) if ok(0, mid) else (mid + 1, high)
    hi = low
    low, high = 0, min(ideal[0], hi)
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if ok(mid, hi) else (low, mid - 1)
    return low, hi


def max_flow(
    jj: np.ndarray, tt: np.ndarray, need: np.ndarray, lo_j: np.ndarray, hi_j: np.ndarray
) -> np.ndarray | None:
    """Which edges a flow meeting every team's need within the judge bounds uses, or None."""
    n_teams, n_judges = len(need), len(lo_j)
    total, spare = int(need.sum()), int(need.sum() - lo_j.sum())
    if spare < 0:
        return None
    if total == 0:
        return np.zeros(len(tt), dtype=bool)
    # Lower bounds: each judge sends lo_j straight to the target, the rest through the sink,
    # whose edge to the target carries exactly what the lower bounds leave over.
    source, sink, target = 0, n_teams + n_judges + 1, n_teams + n_judges + 2
    team, judge = 1 + np.arange(n_teams), 1 + n_teams + np.arange(n_judges)
    rows = np.concatenate([np.zeros(n_teams, int), 1 + tt, judge, judge, [sink]])
    cols = np.concatenate([team, judge[jj], np.full(n_judges, sink), np.full(n_judges, target)])
    cols = np.concatenate([cols, [target]])
    caps = np.concatenate([need, np.ones(len(tt), int), hi_j - lo_j, lo_j, [spare]])
    keep = caps > 0
    graph = sparse.csr_array(
        (caps[keep].astype(np.int32), (rows[keep], cols[keep])), shape=(target + 1,) * 2
    )
    result = maximum_flow(graph, source, target, method="dinic")
    if result.flow_value < total:
        return None
    return np.asarray(result.flow[1 + tt, judge[jj]]).ravel() > 0


def choose(
    jj: np.ndarray,
    tt: np.ndarray,
    rng: np.random.Generator,
    need: np.ndarray,
    lo_j: np.ndarray,
    hi_j: np.ndarray,
) -> np.ndarray | None:
    """Random-cost cheapest edges meeting needs and bounds, or None if there are none.

    The LP only sees each team's and each judge's cheapest candidates, widened until max-flow
    says they suffice, which keeps it small on large events.
    """
    cost = rng.random(len(tt))
    by_team, by_judge = cost_rank(tt, cost), cost_rank(jj, cost)
    extra = max(2 * int(need.max(initial=0)), 8)
    while True:
        cand = (by_team < need[tt] + extra) | (by_judge < lo_j[jj] + extra)
        flow = max_flow(jj[cand], tt[cand], need, lo_j, hi_j)
        if flow is not None:
            break
        if cand.all():
            return None
        extra *= 2
    picked = min_cost(jj[cand], tt[cand], cost[cand], need, lo_j, hi_j)
    chosen = np.zeros(len(tt), dtype=bool)
    chosen[np.flatnonzero(cand)[picked if picked is not None else flow]] = True
    return chosen


def cost_rank(group: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Each edge's place by cost among the edges of the same team (or judge)."""
    order = np.lexsort((cost, group))
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - np.searchsorted(group[order], group[order])
    return rank


def even_loads(
    inst: Instance, lo_j: np.ndarray, hi_j: np.ndarray, rng: np.random.Generator
) -> np.ndarray | None:
    """New pairs per judge within the bounds minimizing the sum of squared final loads.

    Teams alike (same need, same eligible judges) are pooled, so the LP stays small: a pool
    of n teams needing d each can give a judge up to n teams, and any such split is
    realizable because one side's degrees are all equal (Gale–Ryser). Each judge's load above
    its lower bound is bought one unit at a time at the square's marginal cost, so the least
    loaded fill first; a jitter, too small in total to outweigh one unit, picks at random
    among the equally even splits.
    """
    active = np.flatnonzero(inst.need > 0)
    pools: dict[tuple[bytes, int], int] = defaultdict(int)
    for t in active:
        pools[inst.allowed[:, t].tobytes(), int(inst.need[t])] += 1
    size = np.array(list(pools.values()))
    demand = np.array([d for _, d in pools]) * size
    eligible = np.array([np.frombuffer(key, dtype=bool) for key, _ in pools]).reshape(
        len(pools), len(lo_j)
    )
    pp, jj = np.nonzero(eligible)
    reach = np.bincount(jj, weights=size[pp], minlength=len(lo_j)).astype(np.int64)
    steps = np.maximum(np.minimum(hi_j, reach) - lo_j, 0)
    step_judge = np.repeat(np.arange(len(lo_j)), steps)
    step_rank = np.arange(len(step_judge)) - np.repeat(np.cumsum(steps) - steps, steps) + 1
    level = inst.load[step_judge] + lo_j[step_judge] + step_rank
    jitter = rng.random(len(lo_j)) / (2 * len(step_judge) + 2)
    cost = np.concatenate([np.zeros(len(pp)), 2 * level - 1 + jitter[step_judge]])
    n_x, n_vars = len(pp), len(pp) + len(step_judge)
    x_cols, y_cols = np.arange(n_x), n_x + np.arange(len(step_judge))
    by_pool = sparse.csr_matrix((np.ones(n_x), (pp, x_cols)), shape=(len(pools), n_vars))
    vals = np.concatenate([np.ones(n_x), -np.ones(len(step_judge))])
    rows, cols = np.concatenate([jj, step_judge]), np.concatenate([x_cols, y_cols])
    by_judge = sparse.csr_matrix((vals, (rows, cols)), shape=(len(lo_j), n_vars))
    # scipy-stubs types the constraints as dense arrays and `bounds` as tuples; HiGHS takes
    # sparse matrices and an (n, 2) array as well.
    result = linprog(  # type: ignore[call-overload]
        cost,
        A_eq=sparse.vstack([by_pool, by_judge], format="csr"),
        b_eq=np.concatenate([demand, lo_j]),
        bounds=np.column_stack(
            [np.zeros(n_vars), np.concatenate([size[pp], np.ones(len(y_cols))])]
        ),
        method="highs-ds",
    )
    if result.status != 0 or np.abs(result.x - np.rint(result.x)).max(initial=0) > 1e-6:
        return None
    return np.bincount(jj, weights=np.rint(result.x[:n_x]), minlength=len(lo_j)).astype(np.int64)


def min_cost(
    jj: np.ndarray,
    tt: np.ndarray,
    cost: np.ndarray,
    need: np.ndarray,
    lo_j: np.ndarray,
    hi_j: np.ndarray,
) -> np.ndarray | None:
    """The min-cost edge set as an LP; None if the solver's answer is not exactly whole."""
    if len(tt) == 0:
        return np.zeros(0, dtype=bool) if not need.any() and not lo_j.any() else None
    cols = np.arange(len(tt))
    ones = np.ones(len(tt))
    by_team = sparse.csr_matrix((ones, (tt, cols)), shape=(len(need), len(tt)))
    by_judge = sparse.csr_matrix((ones, (jj, cols)), shape=(len(lo_j), len(tt)))
    # scipy-stubs types the constraints as dense arrays; HiGHS takes sparse matrices as well.
    result = linprog(  # type: ignore[call-overload]
        cost,
        A_ub=sparse.vstack([by_judge, -by_judge], format="csr"),
        b_ub=np.concatenate([hi_j, -lo_j]),
        A_eq=by_team,
        b_eq=need,
        bounds=(0, 1),
        method="highs-ds",
    )
    if result.status != 0 or np.abs(result.x - np.rint(result.x)).max(initial=0) > 1e-6:
        return None
    picked = np.rint(result.x) > 0
    got_team = np.bincount(tt[picked], minlength=len(need))
    got_judge = np.bincount(jj[picked], minlength=len(lo_j))
    fits = (got_team == need).all() and (lo_j <= got_judge).all() and (got_judge <= hi_j).all()
    return picked if fits else None
