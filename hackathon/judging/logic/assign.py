"""Judge assignment: K judges per team, balanced loads, no conflicts, one connected graph.

Pure: plain data in, plain data out. The service layer turns its rows into `Judge` and
`TeamSlot` values, the declared conflicts and the assignments to keep into `(judge_id,
team_id)` pairs (judge ids and mentor ids are the same kind of id), and stores the `Plan`.

Method. Whether K judges per team is possible is decided team by team before anything is
assigned (without load limits each team picks on its own), so an impossible request raises
`Infeasible` with every reason at once and nothing half done. Load bounds are then decided
exactly by max-flow with lower and upper bounds per judge (Dinic, scipy): the ideal is the
water level, floor and ceiling of the average, reached by topping up the least loaded judges
when some already have work; if conflicts rule it out, the least feasible upper bound, then
the greatest feasible lower bound under it, and inside those the most even loads (least sum
of squares). The pairs come from a min-cost flow with random edge costs drawn from the seed,
solved as an LP (HiGHS) whose matrix is totally unimodular, so its optimum is whole; it sees
only each team's and judge's cheapest candidates, widened until max-flow says they suffice.
Last, degree-preserving swaps merge components of the judge–team graph, so that per-judge
z-scores compare judges across the whole event; balanced loads take precedence over this.

Incremental use. Pairs in `existing` are kept and count towards their team's K and their
judge's load. To remove a judge, leave them out of `judges` and leave their unfinished pairs
out of `existing`; their finished pairs may stay and still cover their teams. To add teams,
pass every team with the pairs already made. A judge whose kept load is already above the
upper bound gets nothing new.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from hackathon.judging.logic.flows import (
    choose,
    even_loads,
    judge_bounds,
    tightest_bounds,
    water_levels,
)

Pair = tuple[int, int]
"""A (judge_id, team_id) pair."""


@dataclass(frozen=True)
class Judge:
    """A judge taking part; `company_id` is their employer, if any."""

    id: int
    company_id: int | None = None


@dataclass(frozen=True)
class TeamSlot:
    """A team to judge: the company of its track and the judges who mentor it."""

    id: int
    company_id: int | None = None
    mentor_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Shortfall:
    """A team with fewer judges able to judge it (those already on it included) than K."""

    team_id: int
    eligible: int
    needed: int

    def __str__(self) -> str:
        return f"team {self.team_id}: {self.eligible} eligible judge(s), {self.needed} needed"


@dataclass(frozen=True)
class TooFewJudges:
    """Fewer judges take part than each team needs."""

    judges: int
    needed: int

    def __str__(self) -> str:
        return f"{self.judges} judge(s) for {self.needed} per team"


@dataclass(frozen=True)
class ExistingConflict:
    """A kept pair that breaks a conflict rule; it must be removed first."""

    judge_id: int
    team_id: int

    def __str__(self) -> str:
        return f"judge {self.judge_id} already has team {self.team_id} despite a conflict"


Reason = Shortfall | TooFewJudges | ExistingConflict


class Infeasible(ValueError):
    """The request cannot be met; `reasons` says what is missing."""

    def __init__(self, reasons: Sequence[Reason]) -> None:
        self.reasons = list(reasons)
        super().__init__("; ".join(map(str, self.reasons)))


@dataclass(frozen=True)
class Plan:
    """New pairs, each judge's queue for them, final loads and the load bounds used.

    `loads` counts kept and new pairs. Every judge ends within `bounds` unless their kept load
    was already above it. `balanced` is True when the bounds are the water level (loads within
    one of each other, apart from judges already above it), False when conflicts forced them
    wider. `connected` tells whether the judge–team graph, kept pairs included, is one piece.
    """

    pairs: list[Pair]
    queues: dict[int, list[int]]
    loads: dict[int, int]
    bounds: tuple[int, int]
    balanced: bool
    connected: bool


@dataclass(frozen=True)
class _Instance:
    """Judges and teams by position (sorted by id) with what each team still needs."""

    judge_ids: list[int]
    team_ids: list[int]
    allowed: np.ndarray  # judges × teams: may be given as new work
    need: np.ndarray  # per team: judges still missing
    load: np.ndarray  # per judge: kept pairs
    existing: frozenset[Pair]
    reasons: list[Reason]


def check(
    teams: Iterable[TeamSlot],
    judges: Iterable[Judge],
    k: int,
    conflicts: Iterable[Pair] = (),
    existing: Iterable[Pair] = (),
) -> list[Reason]:
    """Why K judges per team cannot be reached (empty when it can), without assigning."""
    return _prepare(teams, judges, k, conflicts, existing).reasons


def assign(
    teams: Iterable[TeamSlot],
    judges: Iterable[Judge],
    k: int,
    conflicts: Iterable[Pair] = (),
    existing: Iterable[Pair] = (),
    seed: int = 0,
) -> Plan:
    """Add the pairs that bring every team to K judges, or raise `Infeasible`."""
    inst = _prepare(teams, judges, k, conflicts, existing)
    if inst.reasons:
        raise Infeasible(inst.reasons)
    jj, tt = np.nonzero(inst.allowed & (inst.need > 0)[None, :])
    ideal = water_levels(inst.load, int(inst.need.sum()))
    bounds = tightest_bounds(jj, tt, inst, ideal)
    rng = np.random.default_rng(random.Random(f"{seed}:cost").getrandbits(128))
    lo_j, hi_j = judge_bounds(inst.load, bounds)
    target = even_loads(inst, lo_j, hi_j, rng) if bounds != ideal else None
    chosen = None if target is None else choose(jj, tt, rng, inst.need, target, target)
    if chosen is None:
        chosen = choose(jj, tt, rng, inst.need, lo_j, hi_j)
    assert chosen is not None, "the bounds were checked on the full graph"
    new = [
        (inst.judge_ids[j], inst.team_ids[t]) for j, t in zip(jj[chosen], tt[chosen], strict=True)
    ]
    new = _connect(new, inst)
    loads = dict(zip(inst.judge_ids, inst.load.tolist(), strict=True))
    for judge_id, _ in new:
        loads[judge_id] += 1
    return Plan(
        pairs=sorted(new),
        queues=_queues(inst.judge_ids, new, seed),
        loads=loads,
        bounds=bounds,
        balanced=bounds == ideal,
        connected=is_connected([*inst.existing, *new]),
    )


def is_connected(pairs: Iterable[Pair]) -> bool:
    """Whether the judge–team graph of these pairs is one component (True when empty)."""
    graph = _graph(pairs)
    return graph.number_of_nodes() == 0 or nx.is_connected(graph)


def _prepare(
    teams: Iterable[TeamSlot],
    judges: Iterable[Judge],
    k: int,
    conflicts: Iterable[Pair],
    existing: Iterable[Pair],
) -> _Instance:
    """Index the input, mark what each judge may take, and list what makes it infeasible."""
    team_list = sorted(teams, key=lambda t: t.id)
    judge_list = sorted(judges, key=lambda j: j.id)
    if k < 1:
        raise ValueError("k must be at least 1")
    for kind, ids in (("team", [t.id for t in team_list]), ("judge", [j.id for j in judge_list])):
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {kind} ids")
    t_at = {t.id: i for i, t in enumerate(team_list)}
    j_at = {j.id: i for i, j in enumerate(judge_list)}
    company = {j.id: j.company_id for j in judge_list}
    declared = set(conflicts)
    kept = frozenset(existing)

    forbidden = np.zeros((len(judge_list), len(team_list)), dtype=bool)
    by_company: defaultdict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for j in judge_list:
        if j.company_id is not None:
            by_company[j.company_id][0].append(j_at[j.id])
    for t in team_list:
        if t.company_id is not None:
            by_company[t.company_id][1].append(t_at[t.id])
    for js, ts in by_company.values():
        forbidden[np.ix_(js, ts)] = True
    for t in team_list:
        for mentor in t.mentor_ids & company.keys():
            forbidden[j_at[mentor], t_at[t.id]] = True
    for judge_id, team_id in declared:
        if judge_id in j_at and team_id in t_at:
            forbidden[j_at[judge_id], t_at[team_id]] = True

    on_team = np.zeros(len(team_list), dtype=np.int64)
    load = np.zeros(len(judge_list), dtype=np.int64)
    taken = np.zeros_like(forbidden)
    reasons: list[Reason] = []
    for judge_id, team_id in sorted(kept):
        team = team_list[t_at[team_id]] if team_id in t_at else None
        if judge_id in j_at:
            load[j_at[judge_id]] += 1
        if team is None:
            continue
        on_team[t_at[team_id]] += 1
        if judge_id in j_at:
            taken[j_at[judge_id], t_at[team_id]] = True
        same_company = team.company_id is not None and company.get(judge_id) == team.company_id
        if same_company or judge_id in team.mentor_ids or (judge_id, team_id) in declared:
            reasons.append(ExistingConflict(judge_id, team_id))

    allowed = ~forbidden & ~taken
    need = np.maximum(k - on_team, 0)
    eligible = on_team + allowed.sum(axis=0)
    short = [
        Shortfall(t.id, int(eligible[i]), k) for i, t in enumerate(team_list) if eligible[i] < k
    ]
    if short and k > len(judge_list):
        reasons.insert(0, TooFewJudges(len(judge_list), k))
    return _Instance(
        judge_ids=[j.id for j in judge_list],
        team_ids=[t.id for t in team_list],
        allowed=allowed,
        need=need,
        load=load,
        existing=kept,
        reasons=[*reasons, *short],
    )


def _graph(pairs: Iterable[Pair]) -> nx.Graph[tuple[str, int]]:
    """The judge–team graph; judges and teams have separate id spaces."""
    graph: nx.Graph[tuple[str, int]] = nx.Graph()
    graph.add_edges_from((("j", j), ("t", t)) for j, t in pairs)
    return graph


def _connect(new: list[Pair], inst: _Instance) -> list[Pair]:
    """Swap new pairs across components until one remains or no allowed swap merges two."""
    j_at = {j: i for i, j in enumerate(inst.judge_ids)}
    t_at = {t: i for i, t in enumerate(inst.team_ids)}
    new = list(new)
    while new:
        graph = _graph([*inst.existing, *new])
        parts = list(nx.connected_components(graph))
        if len(parts) < 2:
            break
        part_of = {node: i for i, part in enumerate(parts) for node in part}
        bridges = {frozenset(edge) for edge in nx.bridges(graph)}
        js = np.array([j_at[j] for j, _ in new])
        ts = np.array([t_at[t] for _, t in new])
        part = np.array([part_of["j", j] for j, _ in new])
        cyclic = np.array([frozenset((("j", j), ("t", t))) not in bridges for j, t in new])
        swap = _find_swap(js, ts, part, cyclic, inst.allowed)
        if swap is None:
            break
        a, b = swap
        (j1, t1), (j2, t2) = new[a], new[b]
        new[a], new[b] = (j1, t2), (j2, t1)
    return new


def _find_swap(
    js: np.ndarray, ts: np.ndarray, part: np.ndarray, cyclic: np.ndarray, allowed: np.ndarray
) -> tuple[int, int] | None:
    """Two edges in different components whose swap is allowed and merges them.

    Exchanging (j1, t1), (j2, t2) for (j1, t2), (j2, t1) keeps every load and every team's
    count. If one of the two edges lies on a cycle its component stays whole, and the two new
    edges tie it to both halves of the other, so the component count drops by at least one.
    """
    for side in sorted(set(part.tolist()), key=lambda c: int((part == c).sum())):
        inner, outer = np.flatnonzero(part == side), np.flatnonzero(part != side)
        fits = cyclic[inner][:, None] | cyclic[outer][None, :]
        fits &= allowed[js[outer][None, :], ts[inner][:, None]]
        fits &= allowed[js[inner][:, None], ts[outer][None, :]]
        hits = np.argwhere(fits)
        if len(hits):
            return int(inner[hits[0, 0]]), int(outer[hits[0, 1]])
    return None


def _queues(judge_ids: list[int], new: list[Pair], seed: int) -> dict[int, list[int]]:
    """Each judge's new teams in its own random order, no two queues alike where possible."""
    rng = random.Random(f"{seed}:queues")
    teams: defaultdict[int, list[int]] = defaultdict(list)
    for judge_id, team_id in sorted(new):
        teams[judge_id].append(team_id)
    seen: set[tuple[int, ...]] = set()
    queues: dict[int, list[int]] = {}
    for judge_id in judge_ids:
        order = list(teams[judge_id])
        for _ in range(20):
            rng.shuffle(order)
            if len(order) < 2 or tuple(order) not in seen:
                break
        else:  # among len(seen) + 1 orders at least one is unused, if there are that many
            perms = itertools.islice(itertools.permutations(order), len(seen) + 1)
            order = list(next((p for p in perms if p not in seen), order))
        seen.add(tuple(order))
        queues[judge_id] = order
    return queues
