"""Auto-formation avoiding repeat teammates: never worse than plain autoform, sizes in
bounds, lead skills still spread, and the forced minimum is a true lower bound."""

from __future__ import annotations

from itertools import combinations, permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from hackathon.teams.logic.autoform import Person, autoform
from hackathon.teams.logic.repeats import PastTeam, avoid_repeats, pairs_of, repeat_pairs
from tests.unit.test_autoform import SKILLS, lead_skill, splittable, spread

people_lists = st.lists(
    st.builds(Person, st.integers(1, 60), st.frozensets(st.sampled_from(SKILLS), max_size=3)),
    min_size=1,
    max_size=36,
    unique_by=lambda p: p.id,
)
bounds = st.tuples(st.integers(1, 5), st.integers(0, 3)).map(lambda b: (b[0], b[0] + b[1]))
# Earlier events: each splits some of ids 1..60 into teams (members of one event disjoint).
past_events = st.lists(
    st.permutations(list(range(1, 61))).flatmap(
        lambda order: st.lists(st.integers(2, 6), max_size=8).map(lambda sizes: _cut(order, sizes))
    ),
    max_size=3,
)


def _cut(order: list[int], sizes: list[int]) -> list[frozenset[int]]:
    teams, start = [], 0
    for size in sizes:
        if start + size > len(order):
            break
        teams.append(frozenset(order[start : start + size]))
        start += size
    return teams


def _past(events: list[list[frozenset[int]]]) -> list[PastTeam]:
    return [
        PastTeam(f"event {e} team {t}", members)
        for e, teams in enumerate(events)
        for t, members in enumerate(teams)
    ]


@settings(max_examples=300, deadline=None)
@given(people_lists, bounds, past_events, st.integers(0, 100))
def test_never_more_repeat_pairs_than_plain_autoform_and_sizes_in_bounds(
    people, size_bounds, events, seed
):
    low, high = size_bounds
    if not splittable(len(people), low, high):
        return
    past = _past(events)
    plan = avoid_repeats(people, low, high, past, seed)
    plain = autoform(people, low, high, seed)
    pairs = pairs_of(past)
    assert plan.baseline == repeat_pairs(plain, pairs)
    assert plan.repeats == repeat_pairs(plan.groups, pairs) <= plan.baseline
    assert sorted(i for g in plan.groups for i in g) == sorted(p.id for p in people)
    sizes = sorted(len(g) for g in plan.groups)
    assert sizes == sorted(len(g) for g in plain)
    assert all(low <= size <= high for size in sizes)
    assert plan.forced <= plan.repeats
    by_id = {p.id: p for p in people}
    by_lead = spread(plan.groups, by_id, lambda p: {lead_skill(p, people)} - {None})
    assert all(difference <= 1 for difference in by_lead.values())


def _best_possible(ids: list[int], sizes: list[int], pairs: frozenset) -> int:
    """The fewest repeat pairs of any grouping into teams of these sizes (brute force)."""
    best = None
    for order in permutations(ids):
        groups, start = [], 0
        for size in sizes:
            groups.append(order[start : start + size])
            start += size
        count = repeat_pairs(groups, pairs)
        best = count if best is None else min(best, count)
    return best or 0


@settings(max_examples=60, deadline=None)
@given(
    st.integers(4, 7),
    st.lists(st.frozensets(st.integers(1, 7), min_size=2, max_size=5), max_size=4),
    st.integers(0, 20),
)
def test_the_forced_count_never_exceeds_the_best_possible(n, teams, seed):
    people = [Person(i, frozenset()) for i in range(1, n + 1)]
    past = [PastTeam(str(i), members) for i, members in enumerate(teams)]
    plan = avoid_repeats(people, 2, 3, past, seed)
    sizes = [len(g) for g in plan.groups]
    best = _best_possible([p.id for p in people], sizes, pairs_of(past))
    assert plan.forced <= best <= plan.repeats


def test_a_whole_past_team_in_too_few_teams_explains_the_pairs_left():
    # Ten people who were two teams of five; teams of 4-5 now means two new teams, so each
    # old team of five keeps at least 3 + 1 of its pairs together.
    old = [frozenset(range(1, 6)), frozenset(range(6, 11))]
    people = [Person(i, frozenset()) for i in range(1, 11)]
    plan = avoid_repeats(people, 4, 5, [PastTeam("A", old[0]), PastTeam("B", old[1])])
    assert plan.repeats == plan.forced == 8
    assert {(r.label, r.together, r.teams, r.pairs) for r in plan.reasons} == {
        ("A", 5, 2, 4),
        ("B", 5, 2, 4),
    }


def test_old_teammates_are_spread_when_there_is_room():
    # Four past teams of four, sixteen people in four new teams: nobody need meet again.
    past = [PastTeam(str(t), frozenset(range(4 * t + 1, 4 * t + 5))) for t in range(4)]
    people = [Person(i, frozenset()) for i in range(1, 17)]
    plan = avoid_repeats(people, 4, 4, past, seed=3)
    assert plan.repeats == plan.forced == 0
    for group in plan.groups:
        for a, b in combinations(group, 2):
            assert (a - 1) // 4 != (b - 1) // 4
