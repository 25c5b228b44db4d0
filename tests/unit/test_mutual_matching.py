"""The job fair's matching: both sides rank, a pair forms only where each listed the other.

The properties are checked against an independent definition of a blocking pair and, on
small instances, against every matching there is."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hackathon.teams.logic.matching import PartialMatching, TrackSlot, match_mutual

A, B, C = 201, 202, 203


@st.composite
def fairs(draw, max_trainees: int = 8, max_companies: int = 4):
    """Trainees, companies with capacities (possibly too few places), and both rankings,
    each a random subset in random order."""
    trainees = list(range(1, draw(st.integers(0, max_trainees)) + 1))
    company_ids = list(range(201, 201 + draw(st.integers(1, max_companies))))
    slots = [TrackSlot(c, draw(st.integers(0, 3))) for c in company_ids]
    preferences = {
        t: draw(st.permutations(company_ids)).copy()[: draw(st.integers(0, len(company_ids)))]
        for t in trainees
    }
    rankings = {}
    for c in company_ids:
        if trainees and draw(st.booleans()):
            order = draw(st.permutations(trainees))
            rankings[c] = list(order[: draw(st.integers(0, len(trainees)))])
    return trainees, slots, preferences, rankings


def acceptable(trainee, company, preferences, rankings) -> bool:
    return company in preferences.get(trainee, []) and trainee in rankings.get(company, [])


def blocking(assignment, slots, preferences, rankings) -> list[tuple[int, int]]:
    """(trainee, company) pairs who listed each other, where the trainee is unmatched or
    prefers the company, and the company has room or holds someone it ranked lower."""
    capacity = {s.id: s.capacity for s in slots}
    held = {c: [t for t, got in assignment.items() if got == c] for c in capacity}
    pairs = []
    for trainee, choices in preferences.items():
        current = assignment.get(trainee)
        better = choices[: choices.index(current)] if current in choices else choices
        for company in better:
            if not acceptable(trainee, company, preferences, rankings):
                continue
            order = rankings[company]
            room = len(held[company]) < capacity[company]
            if room or any(order.index(o) > order.index(trainee) for o in held[company]):
                pairs.append((trainee, company))
    return pairs


def every_matching(trainees, slots, preferences, rankings):
    """Each assignment of trainees to an acceptable company or to nobody, within capacity."""
    capacity = {s.id: s.capacity for s in slots}
    options = [
        [None, *(c for c in capacity if acceptable(t, c, preferences, rankings))] for t in trainees
    ]
    for choice in itertools.product(*options):
        load = Counter(c for c in choice if c is not None)
        if all(load[c] <= capacity[c] for c in load):
            yield {t: c for t, c in zip(trainees, choice, strict=True) if c is not None}


def rank(trainee, company, preferences) -> int:
    """Smaller is better; unmatched is worse than any company."""
    choices = preferences.get(trainee, [])
    return choices.index(company) if company in choices else len(choices) + 1


def check(result: PartialMatching, trainees, slots, preferences, rankings) -> None:
    capacity = {s.id: s.capacity for s in slots}
    load = Counter(result.assignment.values())
    assert all(load[c] <= capacity[c] for c in load)
    for trainee, company in result.assignment.items():
        assert acceptable(trainee, company, preferences, rankings)
    assert sorted([*result.assignment, *result.unmatched]) == sorted(trainees)
    assert not set(result.assignment) & set(result.unmatched)
    assert sum(result.choice_counts.values()) == len(result.assignment)


@settings(max_examples=400, deadline=None)
@given(fairs())
def test_matching_is_stable_and_within_capacity(fair):
    trainees, slots, preferences, rankings = fair
    result = match_mutual(trainees, slots, preferences, rankings)
    check(result, trainees, slots, preferences, rankings)
    assert blocking(result.assignment, slots, preferences, rankings) == []


@settings(max_examples=400, deadline=None)
@given(fairs())
def test_someone_is_unmatched_only_when_capacity_or_rankings_force_it(fair):
    trainees, slots, preferences, rankings = fair
    result = match_mutual(trainees, slots, preferences, rankings)
    capacity = {s.id: s.capacity for s in slots}
    load = Counter(result.assignment.values())
    for trainee in result.unmatched:
        for company in preferences.get(trainee, []):
            if not acceptable(trainee, company, preferences, rankings):
                continue  # the rankings force it: the company did not list them
            # the capacity forces it: full, and with trainees the company ranked higher
            assert load[company] == capacity[company]
            order = rankings[company]
            held = [t for t, c in result.assignment.items() if c == company]
            assert all(order.index(t) < order.index(trainee) for t in held)


@settings(max_examples=200, deadline=None)
@given(fairs(max_trainees=5, max_companies=3))
def test_every_trainee_gets_their_best_stable_company(fair):
    trainees, slots, preferences, rankings = fair
    result = match_mutual(trainees, slots, preferences, rankings)
    for other in every_matching(trainees, slots, preferences, rankings):
        if not blocking(other, slots, preferences, rankings):
            for trainee in trainees:
                mine = rank(trainee, result.assignment.get(trainee), preferences)
                assert mine <= rank(trainee, other.get(trainee), preferences)


@settings(max_examples=200, deadline=None)
@given(fairs(), st.integers(0, 2**32))
def test_the_result_ignores_the_order_of_the_input(fair, seed):
    trainees, slots, preferences, rankings = fair
    first = match_mutual(trainees, slots, preferences, rankings)
    rng = random.Random(seed)
    shuffled_trainees = trainees[:]
    rng.shuffle(shuffled_trainees)
    shuffled_slots = slots[:]
    rng.shuffle(shuffled_slots)
    prefs = dict(rng.sample(list(preferences.items()), len(preferences)))
    ranks = dict(rng.sample(list(rankings.items()), len(rankings)))
    assert match_mutual(shuffled_trainees, shuffled_slots, prefs, ranks) == first


def test_a_company_takes_its_favourites_up_to_its_capacity():
    prefs = {1: [A, B], 2: [A, B], 3: [A]}
    result = match_mutual([1, 2, 3], [TrackSlot(A, 2), TrackSlot(B, 1)], prefs, {A: [3, 2, 1]})
    # B ranked nobody: it takes nobody, and trainee 1 stays unmatched though B had room.
    assert result == PartialMatching({2: A, 3: A}, [1], {1: 2})


def test_more_trainees_than_places_is_no_error():
    prefs = {1: [A], 2: [A], 3: [A]}
    result = match_mutual([1, 2, 3], [TrackSlot(A, 1)], prefs, {A: [2, 3, 1]})
    assert result.assignment == {2: A}
    assert result.unmatched == [1, 3]


def test_second_choices_are_counted():
    prefs = {1: [A, B], 2: [A, B]}
    result = match_mutual([1, 2], [TrackSlot(A, 1), TrackSlot(B, 1)], prefs, {A: [1], B: [2, 1]})
    assert result.assignment == {1: A, 2: B}
    assert result.choice_counts == {1: 1, 2: 1}


@pytest.mark.parametrize(
    ("prefs", "rankings", "message"),
    [
        ({9: [A]}, {}, "team 9, which is not being matched"),
        ({1: [C]}, {}, f"track {C}, which is not offered"),
        ({1: [A]}, {C: [1]}, f"track {C}, which is not offered"),
        ({1: [A]}, {A: [9]}, "ranks team 9"),
    ],
)
def test_bad_input_is_rejected(prefs, rankings, message):
    with pytest.raises(ValueError, match=message):
        match_mutual([1], [TrackSlot(A, 1)], prefs, rankings)
