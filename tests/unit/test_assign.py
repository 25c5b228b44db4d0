"""Judge assignment: hand-made cases and properties checked against brute force."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hackathon.judging.logic.assign import (
    ExistingConflict,
    Infeasible,
    Judge,
    Plan,
    Shortfall,
    TeamSlot,
    TooFewJudges,
    _connect,
    _prepare,
    assign,
    check,
    is_connected,
)

Pair = tuple[int, int]


def forbidden(
    teams: Iterable[TeamSlot], judges: Iterable[Judge], conflicts: Iterable[Pair] = ()
) -> set[Pair]:
    """The conflict rules, written out plainly: same company, mentor, declared."""
    declared = set(conflicts)
    return {
        (j.id, t.id)
        for j in judges
        for t in teams
        if (j.company_id is not None and j.company_id == t.company_id)
        or j.id in t.mentor_ids
        or (j.id, t.id) in declared
    }


def assert_valid(
    plan: Plan,
    teams: list[TeamSlot],
    judges: list[Judge],
    k: int,
    conflicts: Iterable[Pair] = (),
    existing: Iterable[Pair] = (),
) -> None:
    """Every team at K (or above, if kept pairs already were), no conflict, no repeat."""
    kept = set(existing)
    new = set(plan.pairs)
    assert len(new) == len(plan.pairs)
    assert not new & kept
    assert not new & forbidden(teams, judges, conflicts)
    assert {j for j, _ in new} <= {j.id for j in judges}
    per_team = Counter(t for _, t in kept | new)
    kept_per_team = Counter(t for _, t in kept)
    for team in teams:
        assert per_team[team.id] == max(k, kept_per_team[team.id])
    for judge in judges:
        mine = sorted(t for j, t in new if j == judge.id)
        assert sorted(plan.queues[judge.id]) == mine
        assert plan.loads[judge.id] == len(mine) + sum(1 for j, _ in kept if j == judge.id)


# Hand-made cases.


def test_company_judge_never_gets_own_company_team() -> None:
    teams = [TeamSlot(t, company_id=t % 3) for t in range(9)]
    judges = [Judge(0, company_id=0), Judge(1, company_id=1), Judge(2), Judge(3), Judge(4)]
    plan = assign(teams, judges, 3, seed=4)
    assert_valid(plan, teams, judges, 3)
    assert not [t for j, t in plan.pairs if j == 0 and t % 3 == 0]
    assert not [t for j, t in plan.pairs if j == 1 and t % 3 == 1]


def test_mentor_never_gets_their_team() -> None:
    teams = [TeamSlot(t, mentor_ids=frozenset({t % 4})) for t in range(8)]
    judges = [Judge(j) for j in range(4)]
    plan = assign(teams, judges, 3)
    assert_valid(plan, teams, judges, 3)
    assert all(j != t % 4 for j, t in plan.pairs)


def test_declared_conflict_respected() -> None:
    teams = [TeamSlot(t) for t in range(6)]
    judges = [Judge(j) for j in range(3)]
    conflicts = [(0, 0), (1, 1), (2, 2)]
    plan = assign(teams, judges, 2, conflicts=conflicts)
    assert_valid(plan, teams, judges, 2, conflicts)
    assert {(1, 0), (2, 0)} <= set(plan.pairs)


def test_more_judges_per_team_than_judges_is_infeasible() -> None:
    teams = [TeamSlot(1), TeamSlot(2)]
    with pytest.raises(Infeasible) as raised:
        assign(teams, [Judge(10), Judge(11)], 3)
    assert isinstance(raised.value, ValueError)
    assert raised.value.reasons == [
        TooFewJudges(judges=2, needed=3),
        Shortfall(team_id=1, eligible=2, needed=3),
        Shortfall(team_id=2, eligible=2, needed=3),
    ]
    assert "2 judge(s) for 3 per team" in str(raised.value)


def test_team_short_of_eligible_judges_is_named() -> None:
    teams = [TeamSlot(1), TeamSlot(7, company_id=5), TeamSlot(9)]
    judges = [Judge(10, company_id=5), Judge(11), Judge(12), Judge(13, company_id=5)]
    with pytest.raises(Infeasible) as raised:
        assign(teams, judges, 3, conflicts=[(12, 7)])
    assert raised.value.reasons == [Shortfall(team_id=7, eligible=1, needed=3)]
    assert str(raised.value) == "team 7: 1 eligible judge(s), 3 needed"


def test_check_reports_without_assigning() -> None:
    teams = [TeamSlot(1), TeamSlot(2, mentor_ids=frozenset({10}))]
    judges = [Judge(10), Judge(11)]
    assert check(teams, judges, 2) == [Shortfall(team_id=2, eligible=1, needed=2)]
    assert check(teams, judges, 1) == []


def test_kept_pair_that_breaks_a_rule_is_refused() -> None:
    teams = [TeamSlot(1, company_id=5), TeamSlot(2)]
    judges = [Judge(10, company_id=5), Judge(11), Judge(12)]
    with pytest.raises(Infeasible) as raised:
        assign(teams, judges, 1, existing=[(10, 1)])
    assert raised.value.reasons == [ExistingConflict(judge_id=10, team_id=1)]


@pytest.mark.parametrize(("k", "bad"), [(0, "k must be"), (1, "duplicate")])
def test_bad_input_is_a_value_error(k: int, bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        assign([TeamSlot(1)], [Judge(2), Judge(2)], k)


def test_kept_pairs_stay_and_teams_are_topped_up() -> None:
    teams = [TeamSlot(t) for t in range(4)]
    judges = [Judge(j) for j in range(4)]
    existing = [(0, 0), (1, 0), (2, 1)]
    plan = assign(teams, judges, 2, existing=existing, seed=1)
    assert_valid(plan, teams, judges, 2, existing=existing)
    assert not [p for p in plan.pairs if p[1] == 0]
    assert len([p for p in plan.pairs if p[1] == 1]) == 1
    assert plan.bounds == (2, 2)
    assert set(plan.loads.values()) == {2}


def test_removed_judge_work_goes_to_others() -> None:
    teams = [TeamSlot(t, company_id=t % 3) for t in range(12)]
    judges = [Judge(j, company_id=j if j < 3 else None) for j in range(6)]
    first = assign(teams, judges, 2, seed=3)
    gone = 4
    orphaned = {t for j, t in first.pairs if j == gone}
    existing = [p for p in first.pairs if p[0] != gone]
    rest = [j for j in judges if j.id != gone]
    second = assign(teams, rest, 2, existing=existing, seed=3)
    assert_valid(second, teams, rest, 2, existing=existing)
    assert sorted(t for _, t in second.pairs) == sorted(orphaned)
    assert max(second.loads.values()) - min(second.loads.values()) <= 1


def test_removed_judge_finished_work_still_counts() -> None:
    teams = [TeamSlot(t) for t in range(3)]
    judges = [Judge(j) for j in range(3)]
    finished, unfinished = (9, 0), (9, 1)
    existing = [finished, (0, 0), (1, 1)]
    plan = assign(teams, judges, 2, existing=existing)
    assert unfinished not in existing
    assert_valid(plan, teams, judges, 2, existing=existing)
    assert not [p for p in plan.pairs if p[1] == 0]
    assert len([p for p in plan.pairs if p[1] == 1]) == 1


def test_teams_added_later_go_to_the_lightest_judges() -> None:
    judges = [Judge(j) for j in range(4)]
    existing = [(0, 100), (0, 101), (0, 102), (1, 100), (1, 101), (2, 103)]
    teams = [TeamSlot(t) for t in (100, 101, 102, 103, 1, 2, 3)]
    plan = assign(teams, judges, 1, existing=existing)
    assert_valid(plan, teams, judges, 1, existing=existing)
    assert plan.loads == {0: 3, 1: 2, 2: 2, 3: 2}
    assert plan.bounds == (2, 2)
    assert plan.balanced


def test_judge_above_the_level_gets_nothing_new() -> None:
    judges = [Judge(j) for j in range(3)]
    existing = [(0, t) for t in range(10, 16)]
    teams = [TeamSlot(t) for t in range(10, 16)] + [TeamSlot(t) for t in range(4)]
    plan = assign(teams, judges, 1, existing=existing)
    assert plan.loads == {0: 6, 1: 2, 2: 2}
    assert plan.balanced


def test_bounds_widen_when_conflicts_force_it() -> None:
    teams = [TeamSlot(t) for t in range(8)]
    judges = [Judge(j) for j in range(4)]
    conflicts = [(0, t) for t in range(1, 8)]
    plan = assign(teams, judges, 1, conflicts=conflicts, seed=5)
    assert_valid(plan, teams, judges, 1, conflicts)
    assert plan.bounds == (1, 3)
    assert not plan.balanced
    assert sorted(plan.loads.values()) == [1, 2, 2, 3]


def test_cohort_sized_event() -> None:
    companies = range(11)
    teams = [
        TeamSlot(t, company_id=t % 11, mentor_ids=frozenset({100 + t % 11})) for t in range(33)
    ]
    judges = [Judge(j, company_id=companies[j] if j < 5 else None) for j in range(12)]
    plan = assign(teams, judges, 3, conflicts=[(7, 3), (8, 4)], seed=2026)
    assert_valid(plan, teams, judges, 3, [(7, 3), (8, 4)])
    assert plan.bounds == (8, 9)
    assert plan.balanced
    assert plan.connected
    assert len({tuple(q) for q in plan.queues.values()}) == 12


def test_input_order_does_not_change_the_plan() -> None:
    teams = [TeamSlot(t, company_id=t % 4) for t in range(20)]
    judges = [Judge(j, company_id=j % 6) for j in range(9)]
    plan = assign(teams, judges, 3, seed=8)
    assert assign(teams[::-1], judges[::-1], 3, seed=8) == plan
    assert assign(teams, judges, 3, seed=9) != plan


def test_swaps_merge_two_components() -> None:
    teams = [TeamSlot(t) for t in range(4)]
    judges = [Judge(j) for j in range(4)]
    inst = _prepare(teams, judges, 2, [], [])
    apart = [(0, 0), (1, 0), (0, 1), (1, 1), (2, 2), (3, 2), (2, 3), (3, 3)]
    assert not is_connected(apart)
    merged = _connect(apart, inst)
    assert is_connected(merged)
    assert Counter(j for j, _ in merged) == Counter(j for j, _ in apart)
    assert Counter(t for _, t in merged) == Counter(t for _, t in apart)
    assert len(set(merged)) == len(merged)


def test_is_connected() -> None:
    assert is_connected([])
    assert is_connected([(1, 1), (2, 1), (2, 2)])
    assert not is_connected([(1, 1), (2, 2)])
    assert is_connected([(1, 1), (1, 2), (2, 2), (2, 1)])


# Properties over random instances.


@st.composite
def instances(draw: st.DrawFn, max_judges: int = 8, max_teams: int = 12, rules: bool = True):
    """Teams, judges, K and declared conflicts; `rules=False` gives no conflicts at all."""
    n_judges = draw(st.integers(1, max_judges))
    n_teams = draw(st.integers(0, max_teams))
    k = draw(st.integers(1, min(n_judges + 1, 4)) if rules else st.integers(1, n_judges))
    company = st.sampled_from([None, None, 0, 1, 2]) if rules else st.none()
    judge_ids = list(range(100, 100 + n_judges))
    mentors = (
        st.frozensets(st.sampled_from(judge_ids), max_size=1) if rules else st.just(frozenset())
    )
    judges = [Judge(j, draw(company)) for j in judge_ids]
    teams = [TeamSlot(t, draw(company), draw(mentors)) for t in range(n_teams)]
    pairs = st.tuples(st.sampled_from(judge_ids), st.integers(0, max(n_teams - 1, 0)))
    conflicts = draw(st.lists(pairs, max_size=6)) if rules and n_teams else []
    return teams, judges, k, conflicts


def expected_shortfalls(teams, judges, k, conflicts) -> set[int]:
    """Teams with fewer than K judges free of conflict, counted directly."""
    banned = forbidden(teams, judges, conflicts)
    return {t.id for t in teams if sum((j.id, t.id) not in banned for j in judges) < k}


def best_bounds_and_spread(teams, judges, k, conflicts) -> tuple[tuple[int, int], int]:
    """By brute force: the least max load, the greatest min load under it, and the least
    sum of squared loads within those bounds."""
    banned = forbidden(teams, judges, conflicts)
    options = [
        [
            c
            for c in itertools.combinations([j.id for j in judges], k)
            if not {(j, t.id) for j in c} & banned
        ]
        for t in teams
    ]
    seen = []
    for choice in itertools.product(*options):
        load = Counter(j for c in choice for j in c)
        loads = [load[j.id] for j in judges]
        seen.append((min(loads), max(loads), sum(x * x for x in loads)))
    hi = min(s[1] for s in seen)
    lo = max(s[0] for s in seen if s[1] == hi)
    return (lo, hi), min(s[2] for s in seen if s[0] >= lo and s[1] <= hi)


@settings(max_examples=150, deadline=None)
@given(instances(rules=False), st.integers(0, 2**32))
def test_without_conflicts_loads_are_within_one(instance, seed: int) -> None:
    teams, judges, k, _ = instance
    plan = assign(teams, judges, k, seed=seed)
    assert_valid(plan, teams, judges, k)
    total = len(teams) * k
    assert plan.bounds == (total // len(judges), -(-total // len(judges)))
    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1
    assert plan.balanced
    active = min(len(judges), total)
    if k >= 2 and total >= len(teams) + active - 1:
        assert plan.connected
        assert is_connected(plan.pairs)


@settings(max_examples=150, deadline=None)
@given(instances(), st.integers(0, 2**32))
def test_with_conflicts_plan_is_valid_or_refused(instance, seed: int) -> None:
    teams, judges, k, conflicts = instance
    short = expected_shortfalls(teams, judges, k, conflicts)
    if short:
        with pytest.raises(Infeasible) as raised:
            assign(teams, judges, k, conflicts=conflicts, seed=seed)
        reasons = raised.value.reasons
        assert {r.team_id for r in reasons if isinstance(r, Shortfall)} == short
        assert (TooFewJudges(len(judges), k) in reasons) == (k > len(judges))
        assert check(teams, judges, k, conflicts) == reasons
        return
    plan = assign(teams, judges, k, conflicts=conflicts, seed=seed)
    assert_valid(plan, teams, judges, k, conflicts)
    lo, hi = plan.bounds
    assert all(lo <= load <= hi for load in plan.loads.values())
    if plan.balanced:
        assert hi - lo <= 1


@settings(max_examples=60, deadline=None)
@given(instances(max_judges=5, max_teams=4), st.integers(0, 2**32))
def test_bounds_and_spread_are_the_best_possible(instance, seed: int) -> None:
    teams, judges, k, conflicts = instance
    if not teams or expected_shortfalls(teams, judges, k, conflicts):
        return
    plan = assign(teams, judges, k, conflicts=conflicts, seed=seed)
    bounds, spread = best_bounds_and_spread(teams, judges, k, conflicts)
    assert plan.bounds == bounds
    assert sum(x * x for x in plan.loads.values()) == spread


@settings(max_examples=80, deadline=None)
@given(instances(), st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_removing_a_judge_reassigns_only_their_work(instance, seed: int, rnd) -> None:
    teams, judges, k, conflicts = instance
    if expected_shortfalls(teams, judges, k, conflicts):
        return
    first = assign(teams, judges, k, conflicts=conflicts, seed=seed)
    gone = rnd.choice(judges).id
    existing = [p for p in first.pairs if p[0] != gone]
    rest = [j for j in judges if j.id != gone]
    if expected_shortfalls(teams, rest, k, conflicts):
        with pytest.raises(Infeasible):
            assign(teams, rest, k, conflicts=conflicts, existing=existing, seed=seed)
        return
    second = assign(teams, rest, k, conflicts=conflicts, existing=existing, seed=seed)
    assert_valid(second, teams, rest, k, conflicts, existing)
    assert Counter(t for _, t in second.pairs) == Counter(t for j, t in first.pairs if j == gone)
    lo, hi = second.bounds
    before = Counter(j for j, _ in existing)
    for judge in rest:
        got = second.loads[judge.id]
        assert lo <= got <= hi or (before[judge.id] > hi and got == before[judge.id])


@settings(max_examples=60, deadline=None)
@given(instances(), st.integers(0, 2**32))
def test_same_seed_same_plan(instance, seed: int) -> None:
    teams, judges, k, conflicts = instance
    if expected_shortfalls(teams, judges, k, conflicts):
        return
    plan = assign(teams, judges, k, conflicts=conflicts, seed=seed)
    shuffled = random.Random(seed)
    teams, judges = teams[:], judges[:]
    shuffled.shuffle(teams)
    shuffled.shuffle(judges)
    assert assign(teams, judges, k, conflicts=conflicts[::-1], seed=seed) == plan


@settings(max_examples=100, deadline=None)
@given(instances(), st.integers(0, 2**32))
def test_judges_get_different_orders(instance, seed: int) -> None:
    teams, judges, k, conflicts = instance
    if expected_shortfalls(teams, judges, k, conflicts):
        return
    plan = assign(teams, judges, k, conflicts=conflicts, seed=seed)
    by_set = defaultdict(list)
    for queue in plan.queues.values():
        if len(queue) >= 3:
            by_set[frozenset(queue)].append(tuple(queue))
    for same_teams, orders in by_set.items():
        assert len(set(orders)) == min(len(orders), math.factorial(len(same_teams)))


@settings(max_examples=100, deadline=None)
@given(
    instances(rules=False), st.one_of(instances(rules=False), instances()), st.integers(0, 2**32)
)
def test_swaps_merge_separate_plans(left, right, seed: int) -> None:
    """Two plans made apart, on disjoint judges and teams, are joined by swaps alone."""
    teams_a, judges_a, k, _ = left
    teams_b = [TeamSlot(t.id + 1000, t.company_id, t.mentor_ids) for t in right[0]]
    judges_b = [Judge(j.id + 1000, j.company_id) for j in right[1]]
    conflicts_b = [(j + 1000, t + 1000) for j, t in right[3]]
    if expected_shortfalls(teams_b, judges_b, k, conflicts_b):
        return
    apart = [
        *assign(teams_a, judges_a, k, seed=seed).pairs,
        *assign(teams_b, judges_b, k, conflicts=conflicts_b, seed=seed).pairs,
    ]
    teams, judges = teams_a + teams_b, judges_a + judges_b
    merged = _connect(apart, _prepare(teams, judges, k, conflicts_b, []))
    assert len(set(merged)) == len(merged)
    assert not set(merged) & forbidden(teams, judges, conflicts_b)
    assert Counter(j for j, _ in merged) == Counter(j for j, _ in apart)
    assert Counter(t for _, t in merged) == Counter(t for _, t in apart)
    nodes = len(teams) + len({j for j, _ in apart})
    if k >= 2 and not forbidden(teams, judges, conflicts_b) and len(apart) >= nodes - 1:
        assert is_connected(merged)
