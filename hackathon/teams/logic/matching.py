"""Assign every team one track, capacities respected.

Two modes, chosen by the service:

* `match_min_rank` (teams rank tracks, tracks do not rank teams): an assignment of minimum total
  preference rank. A track the team did not rank counts as rank `len(tracks) + 1`, worse than
  any ranked track. Ties: among assignments of equal total rank, the one with the smallest
  sum of `(n - i) * rank_i`, where `i` is the team's position in id order, so when two
  teams could swap at equal total the lower team id gets the better choice. Whatever still ties
  is settled by the solver on the id-sorted problem.
* `match_stable` (companies rank teams as well): team-proposing deferred acceptance with
  capacities, the stable assignment every team likes best.
* `match_mutual` (both sides rank and only a pair that listed each other may match, as at the
  job fair of docs/cohort.md): the same deferred acceptance, where a side that did not list
  the other refuses it and nobody is placed by default, so some may stay unmatched.

In both modes a team that ends on a track it did not rank is reported in `Matching.unranked`.
Such teams are placed last, in id order, each on the track with the most places left (lower
track id on ties). Results depend only on the input's content, never on the order of its lists.
"""

from __future__ import annotations

import heapq
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

# Float64 sums of integers stay exact below this; the solver works in float64.
_EXACT_LIMIT = 2**53


class InsufficientCapacity(ValueError):
    """The tracks together host fewer teams than there are; no team is silently dropped."""

    def __init__(self, teams: int, capacity: int, tracks: int) -> None:
        self.teams = teams
        self.capacity = capacity
        self.tracks = tracks
        super().__init__(
            f"{teams} teams but only {capacity} places across {tracks} tracks: "
            f"add {teams - capacity} places or fewer teams"
        )


@dataclass(frozen=True)
class TrackSlot:
    """A track and how many teams it can host."""

    id: int
    capacity: int


@dataclass(frozen=True)
class Matching:
    """Team id → track id, teams per choice rank (None = unranked), teams on unranked tracks."""

    assignment: dict[int, int]
    choice_counts: dict[int | None, int]
    unranked: list[int]


@dataclass(frozen=True)
class PartialMatching:
    """Applicant id → slot id for those matched, who stayed unmatched, matches per choice rank."""

    assignment: dict[int, int]
    unmatched: list[int]
    choice_counts: dict[int, int]


@dataclass(frozen=True)
class _Problem:
    """Validated input in canonical (id-sorted) order."""

    teams: tuple[int, ...]
    capacity: dict[int, int]
    preferences: dict[int, tuple[int, ...]]


def match_min_rank(
    team_ids: Iterable[int],
    tracks: Iterable[TrackSlot],
    preferences: Mapping[int, Sequence[int]],
) -> Matching:
    """Assign every team a track so that the total preference rank is as small as possible."""
    problem = _prepare(team_ids, tracks, preferences)
    if not problem.teams:
        return _result({}, problem.preferences)
    track_ids = sorted(problem.capacity)
    rank = _rank_matrix(problem, track_ids)
    slots = _slot_columns(problem, track_ids)
    rows, cols = linear_sum_assignment(_tie_broken_costs(rank)[:, slots])
    assignment = {
        problem.teams[row]: track_ids[slots[col]]
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True)
    }
    unranked = [t for t, track in assignment.items() if track not in problem.preferences[t]]
    # Every team on an unranked track ranked none of the tracks with room left (else the total
    # could drop), so re-placing them by the documented rule keeps the total rank optimal.
    for team in unranked:
        del assignment[team]
    assignment.update(_place_leftovers(unranked, _room(problem.capacity, assignment)))
    return _result(assignment, problem.preferences)


def match_stable(
    team_ids: Iterable[int],
    tracks: Iterable[TrackSlot],
    preferences: Mapping[int, Sequence[int]],
    track_rankings: Mapping[int, Sequence[int]],
) -> Matching:
    """Assign tracks by team-proposing deferred acceptance so that no team and track block it.

    A track ranks the teams missing from its list below all it listed, in team-id order. Teams
    rejected by every track they ranked are then placed in the places left and reported.
    """
    problem = _prepare(team_ids, tracks, preferences)
    priority = _priorities(problem, track_rankings)
    assignment, leftovers = _defer(problem, lambda track, team: _key(priority, track, team))
    assignment.update(_place_leftovers(sorted(leftovers), _room(problem.capacity, assignment)))
    return _result(assignment, problem.preferences)


def match_mutual(
    applicant_ids: Iterable[int],
    slots: Iterable[TrackSlot],
    preferences: Mapping[int, Sequence[int]],
    rankings: Mapping[int, Sequence[int]],
) -> PartialMatching:
    """Applicant-proposing deferred acceptance where a slot takes only applicants it ranked.

    The result is stable (no applicant and slot that listed each other would both rather be
    together, the slot having room or holding someone it ranked lower), respects every
    capacity, and is the stable matching every applicant likes best. An applicant stays
    unmatched only when each slot they ranked either did not rank them or is full of
    applicants it ranked higher. Capacities may total fewer places than applicants.
    """
    problem = _prepare(applicant_ids, slots, preferences, require_room=False)
    priority = _priorities(problem, rankings)

    def key(slot: int, applicant: int) -> tuple[int, int] | None:
        position = priority.get(slot, {}).get(applicant)
        return None if position is None else (0, position)

    assignment, unmatched = _defer(problem, key)
    ordered = dict(sorted(assignment.items()))
    ranks = Counter(problem.preferences[a].index(s) + 1 for a, s in ordered.items())
    return PartialMatching(ordered, sorted(unmatched), {r: ranks[r] for r in sorted(ranks)})


def _defer(
    problem: _Problem, key: Callable[[int, int], tuple[int, int] | None]
) -> tuple[dict[int, int], list[int]]:
    """Deferred acceptance: each free team proposes to its next choice, which holds the best
    `capacity` proposals so far by `key` (smaller first; None = refused outright). Returns
    who is held where, and the teams that ran out of choices."""
    held: dict[int, list[tuple[int, int, int]]] = {track: [] for track in problem.capacity}
    next_choice = dict.fromkeys(problem.teams, 0)
    free = deque(problem.teams)
    leftovers = []
    while free:
        team = free.popleft()
        choices = problem.preferences[team]
        if next_choice[team] == len(choices):
            leftovers.append(team)
            continue
        track = choices[next_choice[team]]
        next_choice[team] += 1
        order = key(track, team)
        if order is None:
            free.append(team)
            continue
        rejected = _propose(held[track], problem.capacity[track], order, team)
        if rejected is not None:
            free.append(rejected)
    assignment = {team: track for track, heap in held.items() for *_, team in heap}
    return assignment, leftovers


def blocking_pairs(
    matching: Matching,
    preferences: Mapping[int, Sequence[int]],
    track_rankings: Mapping[int, Sequence[int]],
    capacities: Mapping[int, int],
) -> list[tuple[int, int]]:
    """(team, track) pairs where the team prefers the track and the track has room or wants it."""
    priority = {track: {t: pos for pos, t in enumerate(ts)} for track, ts in track_rankings.items()}
    load = Counter(matching.assignment.values())
    worst: dict[int, tuple[int, int]] = {}
    for team, track in matching.assignment.items():
        key = _key(priority, track, team)
        worst[track] = max(worst.get(track, key), key)
    pairs = []
    for team, track in sorted(matching.assignment.items()):
        choices = list(preferences.get(team, ()))
        better = choices[: choices.index(track)] if track in choices else choices
        for other in better:
            if load[other] < capacities.get(other, 0) or (
                other in worst and _key(priority, other, team) < worst[other]
            ):
                pairs.append((team, other))
    return pairs


def _prepare(
    team_ids: Iterable[int],
    tracks: Iterable[TrackSlot],
    preferences: Mapping[int, Sequence[int]],
    *,
    require_room: bool = True,
) -> _Problem:
    """Check the input and put it in id order; capacity (when every team must be placed) is
    checked before anything else."""
    teams = sorted(team_ids)
    track_list = sorted(tracks, key=lambda t: t.id)
    _require_unique(teams, "team")
    _require_unique([t.id for t in track_list], "track")
    for track in track_list:
        if track.capacity < 0:
            raise ValueError(f"track {track.id} has a negative capacity ({track.capacity})")
    capacity = {t.id: t.capacity for t in track_list}
    total = sum(capacity.values())
    if require_room and total < len(teams):
        raise InsufficientCapacity(len(teams), total, len(track_list))
    known = set(teams)
    prefs: dict[int, tuple[int, ...]] = dict.fromkeys(teams, ())
    for team, choices in preferences.items():
        if team not in known:
            raise ValueError(f"preferences given for team {team}, which is not being matched")
        for track_id in choices:
            if track_id not in capacity:
                raise ValueError(f"team {team} ranks track {track_id}, which is not offered")
        _require_unique(choices, f"track in the preferences of team {team}")
        prefs[team] = tuple(choices)
    return _Problem(tuple(teams), capacity, prefs)


def _require_unique(values: Sequence[int], what: str) -> None:
    """Raise on the first value that appears twice."""
    seen: set[int] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value} appears twice")
        seen.add(value)


def _rank_matrix(problem: _Problem, track_ids: list[int]) -> np.ndarray:
    """teams × tracks: the rank each team gave each track, `len(tracks) + 1` where unranked."""
    column = {track: j for j, track in enumerate(track_ids)}
    rank = np.full((len(problem.teams), len(track_ids)), len(track_ids) + 1, dtype=np.int64)
    for i, team in enumerate(problem.teams):
        for position, track in enumerate(problem.preferences[team]):
            rank[i, column[track]] = position + 1
    return rank


def _slot_columns(problem: _Problem, track_ids: list[int]) -> np.ndarray:
    """One column per place, enough for any optimum: ranked demand plus room for every team.

    A track never holds more of its rankers than min(capacity, rankers); the teams on unranked
    tracks need at most `len(teams)` further places anywhere, so a track's other places are
    only kept until that many exist in total.
    """
    rankers = Counter(track for choices in problem.preferences.values() for track in choices)
    spare_needed = len(problem.teams)
    columns = []
    for j, track in enumerate(track_ids):
        capacity = problem.capacity[track]
        ranked = min(capacity, rankers[track])
        spare = min(capacity - ranked, spare_needed)
        spare_needed -= spare
        columns.extend([j] * (ranked + spare))
    return np.asarray(columns, dtype=np.intp)


def _tie_broken_costs(rank: np.ndarray) -> np.ndarray:
    """rank · (S + n − i): the total rank first, then better choices for lower team ids.

    S exceeds any possible difference of Σ (n − i)·rank_i, so the tie term never changes the
    total rank. When the sums would leave exact float64 range the plain rank is used.
    """
    n = rank.shape[0]
    worst = int(rank.max())
    scale = (worst - 1) * n * (n + 1) // 2 + 1
    if n * worst * (scale + n) >= _EXACT_LIMIT:
        return rank
    weights = scale + n - np.arange(n, dtype=np.int64)
    costs: np.ndarray = rank * weights[:, None]
    return costs


def _room(capacity: Mapping[int, int], assignment: Mapping[int, int]) -> dict[int, int]:
    """Places left on each track."""
    load = Counter(assignment.values())
    return {track: capacity[track] - load[track] for track in capacity}


def _place_leftovers(teams: Sequence[int], room: Mapping[int, int]) -> dict[int, int]:
    """Teams in the given order, each onto the track with the most room, lower id on ties."""
    heap = [(-free, track) for track, free in room.items() if free > 0]
    heapq.heapify(heap)
    placed = {}
    for team in teams:
        free, track = heapq.heappop(heap)
        placed[team] = track
        if free < -1:
            heapq.heappush(heap, (free + 1, track))
    return placed


def _priorities(
    problem: _Problem, track_rankings: Mapping[int, Sequence[int]]
) -> dict[int, dict[int, int]]:
    """Track id → {team id: position in the track's ranking}, checked against the problem."""
    known = set(problem.teams)
    priority: dict[int, dict[int, int]] = {}
    for track, ranked in track_rankings.items():
        if track not in problem.capacity:
            raise ValueError(f"a ranking is given for track {track}, which is not offered")
        _require_unique(ranked, f"team in the ranking of track {track}")
        unknown = [team for team in ranked if team not in known]
        if unknown:
            raise ValueError(f"track {track} ranks team {unknown[0]}, which is not being matched")
        priority[track] = {team: position for position, team in enumerate(ranked)}
    return priority


def _key(priority: Mapping[int, Mapping[int, int]], track: int, team: int) -> tuple[int, int]:
    """How a track orders teams, smaller first: its ranking, then unlisted teams by id."""
    position = priority.get(track, {}).get(team)
    return (0, position) if position is not None else (1, team)


def _propose(
    heap: list[tuple[int, int, int]], capacity: int, key: tuple[int, int], team: int
) -> int | None:
    """The track holds `team` if it has room or prefers it; returns whoever is turned away."""
    entry = (-key[0], -key[1], team)  # negated: heap[0] is the worst team held
    if len(heap) < capacity:
        heapq.heappush(heap, entry)
        return None
    if capacity == 0 or entry <= heap[0]:
        return team
    return heapq.heapreplace(heap, entry)[2]


def _result(assignment: dict[int, int], preferences: Mapping[int, Sequence[int]]) -> Matching:
    """Package an assignment with its choice counts, in team-id order."""
    ordered = dict(sorted(assignment.items()))
    ranks = Counter(
        preferences[team].index(track) + 1 if track in preferences[team] else None
        for team, track in ordered.items()
    )
    counts: dict[int | None, int] = {r: ranks[r] for r in sorted(r for r in ranks if r is not None)}
    if None in ranks:
        counts[None] = ranks[None]
    unranked = [team for team, track in ordered.items() if track not in preferences[team]]
    return Matching(ordered, counts, unranked)
