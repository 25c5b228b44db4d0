"""The offset mode of docs/scoring.md, T(j,t) = q_t + o_j, checked against tables worked out
by hand, and its properties over random events."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hackathon.leaderboard.logic.offsets import Component, components, fit_offsets
from hackathon.leaderboard.logic.ranking import (
    Criterion,
    Score,
    Team,
    bootstrap_rank_intervals,
    compute_leaderboard,
    judge_groups,
    offset_fit,
)

# On a 0..100 criterion of weight 1 the judge total T(j,t) is the score itself.
HUNDRED = Criterion(id=1, name="Overall", weight=1.0, lo=0, hi=100)
A, B, C, D = 1, 2, 3, 4
TEAMS = [Team(A, "A"), Team(B, "B"), Team(C, "C"), Team(D, "D")]


def scores(table: dict[tuple[int, int], float]) -> list[Score]:
    return [Score(judge, team, 1, value) for (judge, team), value in table.items()]


# A cycle: every team has two judges, every judge two teams, each pair of judges one team.
#   J1: A=70, C=50    J2: A=90, B=80    J3: B=60, C=40
CYCLE = {(1, A): 70, (1, C): 50, (2, A): 90, (2, B): 80, (3, B): 60, (3, C): 40}


def test_a_cycle_of_three_judges_worked_by_hand():
    """Six totals, five free parameters: a real least-squares fit with residuals.

    The team equations give q_t = mean of (T(j,t) - o_j) over t's two judges. Put into the
    judges' equations: L o = b, with L = [[1, -1/2, -1/2], [-1/2, 1, -1/2], [-1/2, -1/2, 1]]
    (each team adds 1/2 on its judges' diagonal and -1/2 between them) and
    b_j = sum over j's teams of (T(j,t) - the team's mean total):
      b1 = (70 - 80) + (50 - 45) = -5
      b2 = (90 - 80) + (80 - 70) = 20
      b3 = (60 - 70) + (40 - 45) = -15
    Every judge scored two teams, so the constraint sum n_j o_j = 0 is o1 + o2 + o3 = 0,
    and then L o = 3/2 o - 1/2 (o1 + o2 + o3) = 3/2 o, so o = 2/3 b:
      o1 = -10/3, o2 = 40/3, o3 = -10.
    Qualities: q_A = (70 + 10/3 + 90 - 40/3) / 2 = (160 - 10) / 2 = 75
               q_B = (80 - 40/3 + 60 + 10) / 2 = (150 - 40/3) / 2 = 205/3 = 68.333
               q_C = (50 + 10/3 + 40 + 10) / 2 = (100 + 10/3) / 2 = 155/3 = 51.667
    """
    fit = fit_offsets(CYCLE)
    assert fit.offset == pytest.approx({1: -10 / 3, 2: 40 / 3, 3: -10})
    assert fit.quality == pytest.approx({A: 75, B: 205 / 3, C: 155 / 3})
    assert fit.connected
    assert fit.components == (Component(teams=(A, B, C), judges=(1, 2, 3)),)
    # Residual of J1 on A: 70 - 75 - (-10/3) = -5/3: the model does not fit exactly.
    assert 70 - fit.quality[A] - fit.offset[1] == pytest.approx(-5 / 3)
    # The board in offset mode shows the qualities, raw scores beside them:
    # raw A = (70 + 90) / 2 = 80, B = (80 + 60) / 2 = 70, C = (50 + 40) / 2 = 45.
    rows = compute_leaderboard([HUNDRED], TEAMS, scores(CYCLE), "offset")
    assert [(r.team.name, r.rank) for r in rows] == [("A", 1), ("B", 2), ("C", 3), ("D", None)]
    assert [r.score for r in rows[:3]] == pytest.approx([75, 205 / 3, 155 / 3])
    assert [r.raw_score for r in rows[:3]] == pytest.approx([80, 70, 45])


# A room of finalists: J1 scores the strong room (A, B), J2 the weak room (C, D), J3 links
# the rooms (A and C). True qualities A=90, B=80, C=40, D=30; offsets J1 -10 (harsh),
# J2 +5, J3 +5, and every total is exactly q_t + o_j:
#   J1: A = 90 - 10 = 80, B = 80 - 10 = 70    J2: C = 45, D = 35    J3: A = 95, C = 45
ROOMS = {(1, A): 80, (1, B): 70, (2, C): 45, (2, D): 35, (3, A): 95, (3, C): 45}


def test_offsets_are_recovered_exactly_on_noiseless_data():
    # Each judge scored 2 teams and -10 + 5 + 5 = 0: the true offsets already meet the
    # constraint, so the fit must return them and the true qualities to rounding.
    fit = fit_offsets(ROOMS)
    assert fit.offset == pytest.approx({1: -10, 2: 5, 3: 5}, abs=1e-9)
    assert fit.quality == pytest.approx({A: 90, B: 80, C: 40, D: 30}, abs=1e-9)


def test_a_judge_of_the_strong_room_is_not_dragged_down():
    # zscore: each judge's two teams get +1 and -1, so A = (1 + 1) / 2 = 1, B = -1,
    # C = (1 + -1) / 2 = 0, D = -1: the weak room's C passes the strong room's B.
    zscore = compute_leaderboard([HUNDRED], TEAMS, scores(ROOMS), "zscore")
    assert [r.team.name for r in zscore][:2] == ["A", "C"]
    offset = compute_leaderboard([HUNDRED], TEAMS, scores(ROOMS), "offset")
    assert [(r.team.name, r.rank) for r in offset] == [("A", 1), ("B", 2), ("C", 3), ("D", 4)]


def test_adding_a_constant_to_one_judge_keeps_the_ranking_and_the_quality_gaps():
    """J2 of the cycle gives 6 more everywhere (A 96, B 86). The fit moves J2's offset by 6
    and then the constraint (J2 scored 2 of the 6 totals) takes 6 * 2 / 6 = 2 from every
    offset and adds it to every quality: o = (-10/3 - 2, 40/3 + 4, -12), q = q + 2."""
    shifted = {cell: value + 6 if cell[0] == 2 else value for cell, value in CYCLE.items()}
    fit = fit_offsets(shifted)
    assert fit.offset == pytest.approx({1: -10 / 3 - 2, 2: 40 / 3 + 4, 3: -12})
    assert fit.quality == pytest.approx({A: 77, B: 205 / 3 + 2, C: 155 / 3 + 2})
    before = compute_leaderboard([HUNDRED], TEAMS, scores(CYCLE), "offset")
    after = compute_leaderboard([HUNDRED], TEAMS, scores(shifted), "offset")
    assert [(r.team.id, r.rank) for r in after] == [(r.team.id, r.rank) for r in before]


def test_a_disconnected_graph_is_reported_and_each_group_keeps_its_raw_level():
    # J1 scores A=80, B=60; J2 scores C=70, D=50; no judge links the two groups. One judge
    # per group: its offset is 0 by the constraint, so each quality is the raw total.
    table = {(1, A): 80, (1, B): 60, (2, C): 70, (2, D): 50}
    fit = fit_offsets(table)
    assert not fit.connected
    assert fit.components == (
        Component(teams=(A, B), judges=(1,)),
        Component(teams=(C, D), judges=(2,)),
    )
    assert fit.offset == {1: 0.0, 2: 0.0}
    assert fit.quality == {A: 80.0, B: 60.0, C: 70.0, D: 50.0}
    assert judge_groups([HUNDRED], TEAMS, scores(table)) == fit.components
    rows = compute_leaderboard([HUNDRED], TEAMS, scores(table), "offset")
    assert [r.team.name for r in rows] == ["A", "C", "B", "D"]


def test_groups_are_ordered_largest_first():
    # J1 scores only D; J2 and J3 share B, and J3 also scores A and C.
    cells = [(1, D), (2, B), (3, B), (3, A), (3, C)]
    assert components(cells) == (
        Component(teams=(A, B, C), judges=(2, 3)),
        Component(teams=(D,), judges=(1,)),
    )


def test_offsets_come_from_the_weighted_criteria_totals():
    # Impact weight 2 on 1..5 and Design weight 1 on 0..10, as in the other modes:
    # J1 A: Impact 5 -> 100, Design 4 -> 40: T = (200 + 40) / 3 = 80
    # J2 A: Impact 3 -> 50, Design 10 -> 100: T = (100 + 100) / 3 = 66.667
    # J2 B: Impact 1 -> 0, Design 5 -> 50: T = 50 / 3 = 16.667
    # Team A links the judges; B has only J2, so its total cannot tell J2's offset:
    # o1 - o2 = 80 - 66.667 = 13.333 (A's totals), and n1 = 1, n2 = 2 give
    # o1 + 2 o2 = 0: o2 = -13.333 / 3 = -4.444, o1 = 8.889.
    # q_A = (80 - 8.889 + 66.667 + 4.444) / 2 = 71.111; q_B = 16.667 + 4.444 = 21.111.
    impact = Criterion(1, "Impact", 2.0, 1, 5)
    design = Criterion(2, "Design", 1.0, 0, 10)
    rows = [(1, A, 1, 5), (1, A, 2, 4), (2, A, 1, 3), (2, A, 2, 10), (2, B, 1, 1), (2, B, 2, 5)]
    fit = offset_fit([impact, design], TEAMS, [Score(*row) for row in rows])
    assert fit.offset == pytest.approx({1: 80 / 9, 2: -40 / 9})
    assert fit.quality == pytest.approx({A: 640 / 9, B: 190 / 9})


def test_bootstrap_in_offset_mode_keeps_the_offsets_of_the_full_data():
    # Noiseless: every judge's adjusted total T - o_j is the team's quality, so any resample
    # of a team's judges gives the same score, and every interval is the point rank.
    intervals = bootstrap_rank_intervals([HUNDRED], TEAMS, scores(ROOMS), "offset", rounds=50)
    assert intervals == {A: (1, 1), B: (2, 2), C: (3, 3), D: (4, 4)}


# Properties --------------------------------------------------------------------------


@st.composite
def graphs(draw, connected: bool = False) -> dict[tuple[int, int], float]:
    """Random judge totals on 0..100: 1..5 judges, 1..7 teams, each team 1..3 judges."""
    judges = draw(st.integers(1, 5))
    table: dict[tuple[int, int], float] = {}
    for team in range(1, draw(st.integers(1, 7)) + 1):
        panel = draw(st.sets(st.integers(1, judges), min_size=1, max_size=min(3, judges)))
        for judge in panel:
            table[judge, team] = float(draw(st.integers(0, 100)))
    if connected:
        assume(len(components(table)) == 1)
    return table


@given(table=graphs())
def test_the_fit_solves_the_normal_equations_under_the_constraint(table):
    """Least squares: residuals sum to zero over each team and over each judge; and in each
    group the offsets, counted once per total, sum to zero."""
    fit = fit_offsets(table)
    residual = {(j, t): v - fit.quality[t] - fit.offset[j] for (j, t), v in table.items()}
    for group in fit.components:
        for t in group.teams:
            assert math.fsum(r for (_, u), r in residual.items() if u == t) == pytest.approx(
                0, abs=1e-7
            )
        for j in group.judges:
            assert math.fsum(r for (i, _), r in residual.items() if i == j) == pytest.approx(
                0, abs=1e-7
            )
        pinned = math.fsum(fit.offset[j] for (j, t) in table if j in group.judges)
        assert pinned == pytest.approx(0, abs=1e-7)


@given(
    table=graphs(connected=True),
    quality=st.lists(st.integers(20, 80), min_size=7, max_size=7),
    offset=st.lists(st.integers(-15, 15), min_size=5, max_size=5),
)
def test_noiseless_totals_give_back_the_true_gaps(table, quality, offset):
    """T = q_t + o_j exactly: the fit returns every difference between qualities and
    between offsets (the level is the constraint's: sum n_j o_j = 0)."""
    exact = {(j, t): float(quality[t - 1] + offset[j - 1]) for j, t in table}
    fit = fit_offsets(exact)
    first_team, first_judge = min(fit.quality), min(fit.offset)
    for t, q in fit.quality.items():
        expected = quality[t - 1] - quality[first_team - 1]
        assert q - fit.quality[first_team] == pytest.approx(expected, abs=1e-7)
    for j, o in fit.offset.items():
        expected = offset[j - 1] - offset[first_judge - 1]
        assert o - fit.offset[first_judge] == pytest.approx(expected, abs=1e-7)


@given(table=graphs(), shift=st.integers(-50, 50), data=st.data())
def test_a_constant_on_one_judge_moves_every_quality_of_its_group_alike(table, shift, data):
    judge = data.draw(st.sampled_from(sorted({j for j, _ in table})))
    before = fit_offsets(table)
    after = fit_offsets({(j, t): v + shift if j == judge else v for (j, t), v in table.items()})
    group = next(g for g in before.components if judge in g.judges)
    cells = sum(1 for j, t in table if j in group.judges)
    mine = sum(1 for j, _ in table if j == judge)
    for t, q in before.quality.items():
        moved = shift * mine / cells if t in group.teams else 0.0
        assert after.quality[t] - q == pytest.approx(moved, abs=1e-7)


@given(
    values=st.lists(st.lists(st.integers(0, 100), min_size=4, max_size=4), min_size=1, max_size=4)
)
def test_when_every_judge_scores_every_team_the_qualities_are_the_raw_means(values):
    """A complete table: each judge's offset shifts every team alike, so the fit can only
    re-centre; with the constraint the qualities are exactly the raw means."""
    table = {(j, t): float(v) for j, row in enumerate(values, 1) for t, v in enumerate(row, 1)}
    rows = compute_leaderboard([HUNDRED], TEAMS, scores(table), "offset")
    for r in rows:
        assert r.score == pytest.approx(r.raw_score, abs=1e-7)
