"""Auto team formation: sizes, skill spread and determinism."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hackathon.teams.logic.autoform import CannotForm, Person, autoform, team_count

SKILLS = ["vision", "nlp", "backend", "frontend", "design", "data"]


def person(id_: int, *skills: str) -> Person:
    return Person(id_, frozenset(skills))


def lead_skill(person: Person, everyone: list[Person]) -> str | None:
    """The documented lead skill: fewest holders among the people, then name."""
    holders = Counter(skill for p in everyone for skill in p.skills)
    return min(person.skills, key=lambda s: (holders[s], s)) if person.skills else None


def spread(groups: list[list[int]], by_id: dict[int, Person], counted) -> dict[str, int]:
    """Per skill, the largest minus the smallest per-team count of people `counted` holds."""
    result = {}
    for skill in {s for p in by_id.values() for s in p.skills}:
        per_team = [sum(1 for i in group if skill in counted(by_id[i])) for group in groups]
        result[skill] = max(per_team) - min(per_team)
    return result


def splittable(n: int, low: int, high: int) -> bool:
    """Whether any split of n people into teams of low..high exists (by counting teams)."""
    return n == 0 or any(g * low <= n <= g * high for g in range(1, n + 1))


people_lists = st.lists(
    st.builds(
        Person,
        st.integers(1, 10_000),
        st.frozensets(st.sampled_from(SKILLS), max_size=3),
    ),
    max_size=40,
    unique_by=lambda p: p.id,
)
bounds = st.tuples(st.integers(1, 6), st.integers(0, 4)).map(lambda b: (b[0], b[0] + b[1]))


@pytest.mark.parametrize(
    ("people", "low", "high", "teams"),
    [(0, 3, 5, 0), (1, 1, 1, 1), (10, 3, 5, 2), (11, 3, 5, 3), (155, 4, 5, 31), (9, 2, 2, 0)],
)
def test_team_count_takes_the_fewest_teams_in_bounds(people, low, high, teams):
    if teams == 0 and people:
        with pytest.raises(CannotForm):
            team_count(people, low, high)
    else:
        assert team_count(people, low, high) == teams


def test_too_few_people_says_why():
    with pytest.raises(CannotForm, match="2 people cannot be formed into teams: fewer than"):
        autoform([person(1), person(2)], 3, 5)


def test_no_split_in_bounds_says_why():
    with pytest.raises(CannotForm, match="no number of teams gives every team 4 to 5 members"):
        autoform([person(i) for i in range(7)], 4, 5)


@pytest.mark.parametrize(("low", "high"), [(0, 3), (3, 2), (-1, 1)])
def test_bad_bounds_are_rejected(low, high):
    with pytest.raises(ValueError, match="1 ≤ min ≤ max"):
        autoform([person(1)], low, high)


def test_duplicate_people_are_rejected():
    with pytest.raises(ValueError, match="person 4 appears twice"):
        autoform([person(4), person(4, "nlp")], 1, 2)


def test_nobody_gives_no_teams():
    assert autoform([], 3, 5) == []


def test_skills_are_dealt_evenly():
    people = [person(i, "vision") for i in range(6)] + [person(i, "nlp") for i in range(6, 12)]
    people.append(person(12, "design"))
    people.append(person(13, "design"))
    people.append(person(14))
    groups = autoform(people, 5, 5, seed=3)
    by_id = {p.id: p for p in people}
    assert sorted(len(g) for g in groups) == [5, 5, 5]
    assert spread(groups, by_id, lambda p: p.skills) == {"vision": 0, "nlp": 0, "design": 1}


@pytest.mark.parametrize("seed", range(20))
def test_polishing_evens_out_skills_beyond_the_lead_skill(seed):
    # Leads: 1, 2 design; 3, 4 vision; 5, 6 backend. Dealing alone can put both
    # backend-holding designers and vision people together; a swap fixes backend.
    people = [
        person(1, "design", "backend"),
        person(2, "design"),
        person(3, "vision", "backend"),
        person(4, "vision"),
        person(5, "backend"),
        person(6, "backend"),
    ]
    groups = autoform(people, 3, 3, seed=seed)
    by_id = {p.id: p for p in people}
    assert spread(groups, by_id, lambda p: p.skills) == {"design": 0, "vision": 0, "backend": 0}


def test_the_seed_changes_the_draw_but_not_the_guarantees():
    people = [person(i, SKILLS[i % 4]) for i in range(24)]
    draws = {tuple(map(tuple, autoform(people, 4, 4, seed=seed))) for seed in range(5)}
    assert len(draws) > 1


@settings(max_examples=400, deadline=None)
@given(people_lists, bounds, st.integers(0, 1000))
def test_every_person_is_placed_once_within_bounds(people, size_bounds, seed):
    low, high = size_bounds
    if not splittable(len(people), low, high):
        with pytest.raises(CannotForm):
            autoform(people, low, high, seed)
        return
    groups = autoform(people, low, high, seed)
    placed = [i for group in groups for i in group]
    assert sorted(placed) == sorted(p.id for p in people)
    sizes = [len(group) for group in groups]
    assert all(low <= size <= high for size in sizes)
    assert not sizes or max(sizes) - min(sizes) <= 1
    assert all(group == sorted(group) for group in groups)


@settings(max_examples=400, deadline=None)
@given(people_lists, bounds, st.integers(0, 1000))
def test_lead_skills_are_spread_within_one(people, size_bounds, seed):
    low, high = size_bounds
    if not people or not splittable(len(people), low, high):
        return
    groups = autoform(people, low, high, seed)
    by_id = {p.id: p for p in people}
    by_lead = spread(groups, by_id, lambda p: {lead_skill(p, people)} - {None})
    assert all(difference <= 1 for difference in by_lead.values())
    holders = Counter(skill for p in people for skill in p.skills)
    rarest = min(holders, key=lambda s: (holders[s], s), default=None)
    if rarest is not None:
        assert spread(groups, by_id, lambda p: p.skills)[rarest] <= 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*SKILLS, None]), max_size=40),
    bounds,
    st.integers(0, 1000),
)
def test_single_skills_are_all_spread_within_one(skills, size_bounds, seed):
    low, high = size_bounds
    people = [Person(i, frozenset({s} - {None})) for i, s in enumerate(skills)]
    if not people or not splittable(len(people), low, high):
        return
    groups = autoform(people, low, high, seed)
    by_id = {p.id: p for p in people}
    assert all(d <= 1 for d in spread(groups, by_id, lambda p: p.skills).values())


@settings(max_examples=300, deadline=None)
@given(people_lists, bounds, st.integers(0, 1000))
def test_nobody_is_alone_unless_the_bounds_force_it(people, size_bounds, seed):
    low, high = size_bounds
    n = len(people)
    if not splittable(n, low, high):
        return
    forced = n == 1 or high == 1 or (high == 2 and n % 2 == 1)
    groups = autoform(people, low, high, seed)
    if not forced:
        assert all(len(group) >= 2 for group in groups)
    if low >= 2:
        assert all(len(group) >= 2 for group in groups)


@settings(max_examples=200, deadline=None)
@given(people_lists, bounds, st.integers(0, 1000), st.randoms(use_true_random=False))
def test_same_people_and_seed_give_the_same_teams_in_any_order(people, size_bounds, seed, rng):
    low, high = size_bounds
    if not splittable(len(people), low, high):
        return
    reordered = list(people)
    rng.shuffle(reordered)
    first = autoform(people, low, high, seed)
    assert autoform(people, low, high, seed) == first
    assert autoform(reordered, low, high, seed) == first


def test_a_cohort_sized_roster_gets_every_skill_within_one():
    # Beyond the guarantee: on a realistic roster the polishing evens out every skill.
    rng = random.Random(5)
    people = [Person(i, frozenset(rng.sample(SKILLS, rng.randint(0, 3)))) for i in range(1, 156)]
    groups = autoform(people, 4, 5, seed=1)
    assert [len(g) for g in groups] == [5] * 31
    by_id = {p.id: p for p in people}
    assert max(spread(groups, by_id, lambda p: p.skills).values()) == 1


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

    import hackathon.teams.logic.autoform as module

    run = [sys.executable, "-c", STANDALONE, module.__file__]
    result = subprocess.run(run, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) & FORBIDDEN == set()
