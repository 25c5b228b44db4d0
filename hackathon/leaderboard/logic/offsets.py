"""The `offset` mode's model (docs/scoring.md, "offset mode"): T(j,t) = q_t + o_j + noise.

A team's quality q_t and a judge's offset o_j are fitted by least squares over the judge
totals T(j,t) (the weighted criteria totals on 0..100 every mode starts from). Only
differences are identified: adding c to every quality and taking c from every offset of a
connected group fits as well. Each connected group of the judge–team graph (judges linked
by a team they both scored) is therefore pinned by its own constraint, Σ_j n_j · o_j = 0
with n_j the number of the group's teams judge j scored: the offsets average zero over
the group's scores, so the group's qualities keep the level (and the 0..100 scale) of its
raw totals. Groups share no judge, so nothing in the data compares their leniency: they
are put side by side on their raw level, and the fit reports them so that the board can
warn.

Solving: the normal equation of q_t gives q_t = mean over t's judges of (T(j,t) − o_j);
putting it into those of the offsets leaves L o = b over the judges alone, where L is the
Laplacian of the judge graph (team t adds I − 11ᵀ / k_t over its k_t judges) and
b_j = Σ_t (T(j,t) − mean_i T(i,t)). L is singular exactly by the constant of each group;
fixing one judge per group (o = 0) leaves a positive definite system, solved directly, and
the constraint is met by a shift afterwards. The result is the exact least-squares fit,
for any group shape, in one small dense solve per group (judges, not scores, set its size).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

Cell = tuple[int, int]  # (judge_id, team_id)


@dataclass(frozen=True, slots=True)
class Component:
    """One connected group of the judge–team graph: its team and judge ids, ascending."""

    teams: tuple[int, ...]
    judges: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class OffsetFit:
    quality: dict[int, float]  # team id -> q_t on the 0..100 scale
    offset: dict[int, float]  # judge id -> o_j, points on the 0..100 scale
    components: tuple[Component, ...]  # largest first (most teams, then smallest team id)

    @property
    def connected(self) -> bool:
        """Whether every score is comparable with every other through shared judges."""
        return len(self.components) <= 1


def components(cells: Iterable[Cell]) -> tuple[Component, ...]:
    """The connected groups of the bipartite judge–team graph, largest first."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for judge, team in cells:
        a, b = root(("j", judge)), root(("t", team))
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for node in list(parent):
        kind, ident = node
        groups[root(node)][0 if kind == "t" else 1].append(ident)
    found = [Component(tuple(sorted(t)), tuple(sorted(j))) for t, j in groups.values()]
    found.sort(key=lambda c: (-len(c.teams), c.teams))
    return tuple(found)


def fit_offsets(totals: Mapping[Cell, float]) -> OffsetFit:
    """Least-squares qualities and offsets of T(j,t) = q_t + o_j, one fit per group."""
    groups = components(totals)
    judges_of: dict[int, list[int]] = defaultdict(list)
    for judge, team in sorted(totals):
        judges_of[team].append(judge)
    quality: dict[int, float] = {}
    offset: dict[int, float] = {}
    for group in groups:
        offset.update(_group_offsets(totals, judges_of, group))
        for t in group.teams:
            judges = judges_of[t]
            quality[t] = math.fsum(totals[j, t] - offset[j] for j in judges) / len(judges)
    return OffsetFit(quality, offset, groups)


def adjusted(totals: Mapping[Cell, float], fit: OffsetFit) -> dict[Cell, float]:
    """Each judge total with its judge's offset taken out: T(j,t) − o_j.

    A team's mean of these over its judges is its quality, so every method that averages
    per-judge values (the ranking, the bootstrap over a team's judges) works unchanged.
    """
    return {(j, t): value - fit.offset[j] for (j, t), value in totals.items()}


def _group_offsets(
    totals: Mapping[Cell, float], judges_of: Mapping[int, list[int]], group: Component
) -> dict[int, float]:
    """o_j for one connected group: the grounded Laplacian solve, then the constraint."""
    index = {j: i for i, j in enumerate(group.judges)}
    size = len(index)
    laplacian = np.zeros((size, size))
    rhs = np.zeros(size)
    counts = np.zeros(size)
    for t in group.teams:
        judges = judges_of[t]
        at = np.array([index[j] for j in judges])
        values = np.array([totals[j, t] for j in judges])
        k = len(judges)
        laplacian[np.ix_(at, at)] += np.eye(k) - 1.0 / k
        rhs[at] += values - math.fsum(values) / k
        counts[at] += 1
    solved = np.zeros(size)
    if size > 1:
        solved[1:] = np.linalg.solve(laplacian[1:, 1:], rhs[1:])
    solved -= float(counts @ solved) / float(counts.sum())
    return {j: float(solved[i]) for j, i in index.items()}
