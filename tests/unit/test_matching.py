"""Team–track matching: hand-made cases and properties checked against brute force."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hackathon.teams.logic.matching import (
    InsufficientCapacity,
    Matching,
    TrackSlot,
    _tie_broken_costs,
    blocking_pairs,
    match_min_rank,
    match_stable,
)

A, B, C, D = 101, 102, 103, 104


def tracks(**capacities: int) -> list[TrackSlot]:
    """TrackSlots from names A..D, e.g. tracks(A=1, B=2)."""
    ids = {"A": A, "B": B, "C": C, "D": D}
    return [TrackSlot(ids[name], capacity) for name, capacity in capacities.items()]


def rank_of(team: int, track: int, preferences: dict[int, list[int]], track_count: int) -> int:
    """The rank the objective charges: position in the list, len(tracks) + 1 if unranked."""
    choices = preferences.get(team, [])
    return choices.index(track) + 1 if track in choices else track_count + 1


def total_rank(assignment: dict[int, int], preferences: dict[int, list[int]], m: int) -> int:
    return sum(rank_of(team, track, preferences, m) for team, track in assignment.items())


def all_assignments(team_ids: list[int], slots: list[TrackSlot]):
    """Every assignment of each team to one track that respects capacities."""
    capacity = {t.id: t.capacity for t in slots}
    for choice in itertools.product([t.id for t in slots], repeat=len(team_ids)):
        load = Counter(choice)
        if all(load[track] <= capacity[track] for track in load):
            yield dict(zip(team_ids, choice, strict=True))


def check_complete(matching: Matching, team_ids: list[int], slots: list[TrackSlot]) -> None:
    """Every team placed once, no capacity exceeded, the report consistent."""
    assert sorted(matching.assignment) == sorted(team_ids)
    load = Counter(matching.assignment.values())
    for track in slots:
        assert load[track.id] <= track.capacity
    assert sum(matching.choice_counts.values()) == len(team_ids)
    assert matching.choice_counts.get(None, 0) == len(matching.unranked)


@st.composite
def instances(draw, max_teams: int = 6, max_tracks: int = 4, enough: bool = True):
    """(team ids, tracks, team preferences, track rankings); capacity suffices if `enough`."""
    n = draw(st.integers(0, max_teams))
    m = draw(st.integers(1, max_tracks))
    team_ids = draw(st.lists(st.integers(1, 60), min_size=n, max_size=n, unique=True))
    track_ids = draw(st.lists(st.integers(1, 60), min_size=m, max_size=m, unique=True))
    capacities = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    if enough and sum(capacities) < n:
        capacities[draw(st.integers(0, m - 1))] += n - sum(capacities)
    slots = [TrackSlot(t, c) for t, c in zip(track_ids, capacities, strict=True)]
    preferences = {}
    for team in team_ids:
        if draw(st.booleans()) or draw(st.booleans()):
            preferences[team] = draw(st.lists(st.sampled_from(track_ids), unique=True))
    rankings = {}
    for track in track_ids:
        if team_ids and draw(st.booleans()):
            rankings[track] = draw(st.lists(st.sampled_from(team_ids), unique=True))
    return team_ids, slots, preferences, rankings


def shuffled_copy(instance, seed: int):
    """The same instance with every list and mapping in another order."""
    team_ids, slots, preferences, rankings = instance
    rng = random.Random(seed)
    team_ids, slots = list(team_ids), list(slots)
    rng.shuffle(team_ids)
    rng.shuffle(slots)
    pref_items, rank_items = list(preferences.items()), list(rankings.items())
    rng.shuffle(pref_items)
    rng.shuffle(rank_items)
    return team_ids, slots, dict(pref_items), dict(rank_items)


# --- minimum total rank ---------------------------------------------------------------------


def test_everyone_gets_first_choice_when_possible():
    prefs = {1: [A, B], 2: [B, A], 3: [C]}
    matching = match_min_rank([1, 2, 3], tracks(A=1, B=1, C=1), prefs)
    assert matching.assignment == {1: A, 2: B, 3: C}
    assert matching.choice_counts == {1: 3}
    assert matching.unranked == []


def test_total_rank_beats_first_come_first_served():
    # Giving team 1 its first choice would leave team 2 on a track it did not rank.
    prefs = {1: [A, B], 2: [A]}
    matching = match_min_rank([1, 2], tracks(A=1, B=1), prefs)
    assert matching.assignment == {1: B, 2: A}
    assert matching.choice_counts == {1: 1, 2: 1}


def test_equal_total_favours_lower_team_id():
    prefs = {7: [A, B], 3: [A, B]}
    matching = match_min_rank([7, 3], tracks(A=1, B=1), prefs)
    assert matching.assignment == {3: A, 7: B}


def test_unranked_teams_fill_the_roomiest_track_first_in_id_order():
    prefs = {1: [A]}
    matching = match_min_rank([1, 2, 3, 4], tracks(A=1, B=1, C=2), prefs)
    assert matching.assignment == {1: A, 2: C, 3: B, 4: C}
    assert matching.unranked == [2, 3, 4]
    assert matching.choice_counts == {1: 1, None: 3}


def test_choice_counts_are_ordered_with_unranked_last():
    # Team 4 on A instead ties the total (11) but hands the lower ids worse choices.
    prefs = {1: [A, B], 2: [A, B], 3: [A, B, C], 4: [A]}
    matching = match_min_rank([1, 2, 3, 4], tracks(A=1, B=1, C=1, D=1), prefs)
    assert matching.assignment == {1: A, 2: B, 3: C, 4: D}
    assert list(matching.choice_counts) == [1, 2, 3, None]


def test_track_with_no_capacity_is_never_used():
    matching = match_min_rank([1, 2], tracks(A=0, B=2), {1: [A], 2: [A, B]})
    assert matching.assignment == {1: B, 2: B}
    assert matching.unranked == [1]


def test_no_teams_gives_an_empty_matching():
    assert match_min_rank([], tracks(A=1), {}) == Matching({}, {}, [])
    assert match_stable([], [], {}, {}) == Matching({}, {}, [])


@pytest.mark.parametrize("match", [match_min_rank, match_stable])
def test_insufficient_capacity_raises_with_the_numbers(match):
    args = ([1, 2, 3], tracks(A=1, B=1), {1: [A]})
    with pytest.raises(InsufficientCapacity, match="3 teams but only 2 places across 2") as err:
        match(*args) if match is match_min_rank else match(*args, {})
    assert (err.value.teams, err.value.capacity, err.value.tracks) == (3, 2, 2)
    assert isinstance(err.value, ValueError)


def test_insufficient_capacity_is_checked_before_the_preferences():
    with pytest.raises(InsufficientCapacity):
        match_min_rank([1, 2], tracks(A=1), {9: [999]})


@pytest.mark.parametrize(
    ("team_ids", "slots", "prefs", "message"),
    [
        ([1, 1], tracks(A=2), {}, "team 1 appears twice"),
        ([1], [TrackSlot(A, 1), TrackSlot(A, 1)], {}, f"track {A} appears twice"),
        ([1], tracks(A=1, B=-1), {}, "negative capacity"),
        ([1], tracks(A=1), {2: [A]}, "team 2, which is not being matched"),
        ([1], tracks(A=1), {1: [B]}, f"track {B}, which is not offered"),
        ([1], tracks(A=1), {1: [A, A]}, "appears twice"),
    ],
)
def test_bad_input_is_rejected(team_ids, slots, prefs, message):
    with pytest.raises(ValueError, match=message):
        match_min_rank(team_ids, slots, prefs)


def test_tie_break_is_dropped_before_costs_leave_exact_float_range():
    # rank · (S + n − i) with S = (2 − 1) · 2 · 3 / 2 + 1 = 4
    small = np.array([[1, 2], [2, 1]], dtype=np.int64)
    assert _tie_broken_costs(small).tolist() == [[6, 12], [10, 5]]
    huge = np.full((3000, 1), 1001, dtype=np.int64)
    assert _tie_broken_costs(huge) is huge


@settings(max_examples=300, deadline=None)
@given(instances())
def test_min_rank_equals_brute_force(instance):
    team_ids, slots, preferences, _ = instance
    matching = match_min_rank(team_ids, slots, preferences)
    check_complete(matching, team_ids, slots)
    m = len(slots)
    best = min(total_rank(a, preferences, m) for a in all_assignments(team_ids, slots))
    assert total_rank(matching.assignment, preferences, m) == best


@settings(max_examples=300, deadline=None)
@given(instances())
def test_min_rank_swaps_at_equal_total_never_help_a_lower_id(instance):
    team_ids, slots, preferences, _ = instance
    assignment = match_min_rank(team_ids, slots, preferences).assignment
    m = len(slots)
    for low, high in itertools.combinations(sorted(assignment), 2):
        mine, theirs = assignment[low], assignment[high]
        before = rank_of(low, mine, preferences, m), rank_of(high, theirs, preferences, m)
        after = rank_of(low, theirs, preferences, m), rank_of(high, mine, preferences, m)
        if sum(after) == sum(before):
            assert before[0] <= after[0]


@settings(max_examples=200, deadline=None)
@given(instances(max_teams=12, max_tracks=6), st.integers(0, 2**32))
def test_min_rank_ignores_input_order(instance, seed):
    team_ids, slots, preferences, _ = instance
    first = match_min_rank(team_ids, slots, preferences)
    again = match_min_rank(team_ids, slots, preferences)
    reordered = match_min_rank(*shuffled_copy(instance, seed)[:3])
    assert first == again == reordered


@settings(max_examples=100, deadline=None)
@given(instances(enough=False))
def test_every_team_is_placed_or_the_shortfall_is_raised(instance):
    team_ids, slots, preferences, rankings = instance
    if sum(t.capacity for t in slots) >= len(team_ids):
        check_complete(match_min_rank(team_ids, slots, preferences), team_ids, slots)
        check_complete(match_stable(team_ids, slots, preferences, rankings), team_ids, slots)
    else:
        with pytest.raises(InsufficientCapacity):
            match_min_rank(team_ids, slots, preferences)
        with pytest.raises(InsufficientCapacity):
            match_stable(team_ids, slots, preferences, rankings)


# --- stable (companies rank teams too) -----------------------------------------------------


def test_stable_lets_the_track_choose_between_rivals():
    prefs = {1: [A, B], 2: [A, B]}
    matching = match_stable([1, 2], tracks(A=1, B=1), prefs, {A: [2, 1]})
    assert matching.assignment == {1: B, 2: A}
    assert matching.choice_counts == {1: 1, 2: 1}


def test_stable_ranks_unlisted_teams_last_by_id():
    prefs = {1: [A], 2: [A], 3: [A]}
    matching = match_stable([1, 2, 3], tracks(A=2, B=1), prefs, {A: [3]})
    assert matching.assignment == {1: A, 2: B, 3: A}
    assert matching.unranked == [2]


def test_stable_with_capacity_keeps_the_best_ranked_teams():
    prefs = {1: [A, B], 2: [A, B], 3: [A, B], 4: [B]}
    rankings = {A: [3, 1, 2], B: [4, 2, 1, 3]}
    matching = match_stable([1, 2, 3, 4], tracks(A=2, B=2), prefs, rankings)
    assert matching.assignment == {1: A, 2: B, 3: A, 4: B}
    assert blocking_pairs(matching, prefs, rankings, {A: 2, B: 2}) == []


def test_teams_rejected_everywhere_are_placed_and_reported():
    prefs = {1: [A], 2: [A]}
    matching = match_stable([1, 2, 3], tracks(A=1, B=1, C=1), prefs, {A: [2]})
    assert matching.assignment == {1: B, 2: A, 3: C}
    assert matching.unranked == [1, 3]
    assert matching.choice_counts == {1: 1, None: 2}


def test_stable_rejects_rankings_of_unknown_tracks_or_teams():
    with pytest.raises(ValueError, match="not offered"):
        match_stable([1], tracks(A=1), {}, {B: [1]})
    with pytest.raises(ValueError, match="team 9, which is not being matched"):
        match_stable([1], tracks(A=1), {}, {A: [9]})
    with pytest.raises(ValueError, match="appears twice"):
        match_stable([1], tracks(A=1), {}, {A: [1, 1]})


def test_blocking_pairs_finds_an_unstable_pair():
    prefs = {1: [A, B], 2: [B, A]}
    swapped = Matching({1: B, 2: A}, {2: 2}, [])
    assert blocking_pairs(swapped, prefs, {}, {A: 1, B: 1}) == [(1, A)]
    assert blocking_pairs(swapped, prefs, {B: [2]}, {A: 1, B: 1}) == [(1, A), (2, B)]
    assert blocking_pairs(swapped, {1: [C, B]}, {}, {A: 1, B: 1, C: 1}) == [(1, C)]


@settings(max_examples=300, deadline=None)
@given(instances())
def test_stable_has_no_blocking_pair(instance):
    team_ids, slots, preferences, rankings = instance
    matching = match_stable(team_ids, slots, preferences, rankings)
    check_complete(matching, team_ids, slots)
    capacities = {t.id: t.capacity for t in slots}
    assert blocking_pairs(matching, preferences, rankings, capacities) == []


@settings(max_examples=200, deadline=None)
@given(instances(max_teams=5, max_tracks=3))
def test_stable_is_the_best_stable_assignment_for_every_team(instance):
    team_ids, slots, preferences, rankings = instance
    matching = match_stable(team_ids, slots, preferences, rankings)
    capacities = {t.id: t.capacity for t in slots}
    m = len(slots)
    for other in all_assignments(team_ids, slots):
        candidate = Matching(other, {}, [])
        if not blocking_pairs(candidate, preferences, rankings, capacities):
            for team in team_ids:
                got = rank_of(team, matching.assignment[team], preferences, m)
                assert got <= rank_of(team, other[team], preferences, m)


@settings(max_examples=200, deadline=None)
@given(instances(max_teams=12, max_tracks=6), st.integers(0, 2**32))
def test_stable_ignores_input_order(instance, seed):
    first = match_stable(*instance)
    assert match_stable(*instance) == first
    assert match_stable(*shuffled_copy(instance, seed)) == first


FORBIDDEN = {"flask", "flask_sqlalchemy", "sqlalchemy", "werkzeug", "hackathon"}
STANDALONE = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("pure", sys.argv[1])
pure = importlib.util.module_from_spec(spec)
sys.modules["pure"] = pure
spec.loader.exec_module(pure)
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_the_module_stands_alone_without_flask_or_the_database():
    """Loaded by itself, the module pulls in neither Flask, SQLAlchemy nor the app."""
    import subprocess
    import sys

    import hackathon.teams.logic.matching as module

    run = [sys.executable, "-c", STANDALONE, module.__file__]
    result = subprocess.run(run, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) & FORBIDDEN == set()
