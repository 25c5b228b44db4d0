"""Per-judge mean, spread and bias (pure)."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hackathon.judging.logic.stats import Scale, judge_stats, team_means, totals

IDEA, EXECUTION = Scale(1, 2.0, 1, 10), Scale(2, 1.0, 1, 5)


@pytest.mark.parametrize(
    ("idea", "execution", "expected"),
    [
        (10, 5, 100.0),
        (1, 1, 0.0),
        (10, 1, 200 / 3),  # (2 · 100 + 1 · 0) / 3
        (1, 5, 100 / 3),
        (5.5, 3, (2 * 50 + 1 * 50) / 3),
    ],
)
def test_a_judge_total_is_the_weighted_mean_of_scaled_scores(idea, execution, expected):
    cells = totals([IDEA, EXECUTION], [(7, 1, 1, idea), (7, 1, 2, execution)])
    assert cells[7, 1] == pytest.approx(expected)


def test_only_the_criteria_a_judge_scored_count():
    cells = totals([IDEA, EXECUTION], [(7, 1, 1, 10)])
    assert cells == {(7, 1): 100.0}


def test_harsh_and_lenient_judges_show_up_as_bias():
    rows = []
    for team, base in enumerate((3, 5, 7, 9), start=1):
        rows += [(1, team, 1, base), (2, team, 1, base - 2), (3, team, 1, min(base + 1, 10))]
    stats = judge_stats(totals([IDEA], rows))
    per_point = 100 / 9
    fair, harsh, lenient = stats[1], stats[2], stats[3]
    # On every team the harsh judge is 2 points below the fair judge and 3 below the
    # lenient one: 2.5 points below the others' mean.
    assert harsh.bias == pytest.approx(-2.5 * per_point)
    assert harsh.leaning == "harsh"
    assert lenient.leaning == "lenient"
    assert fair.leaning == ""
    assert harsh.compared == 4
    values = [100 * (b - 1) / 9 for b in (3, 5, 7, 9)]
    assert fair.mean == pytest.approx(statistics.fmean(values))
    assert fair.spread == pytest.approx(statistics.pstdev(values))


def test_a_judge_alone_on_their_teams_has_no_bias():
    stats = judge_stats(totals([IDEA], [(1, 1, 1, 4), (2, 2, 1, 9)]))
    assert stats[1].bias is None
    assert stats[1].compared == 0
    assert stats[1].leaning == ""


totals_strategy = st.lists(st.floats(0, 100), min_size=1, max_size=12)


@given(totals_strategy, st.data())
def test_two_judges_on_the_same_teams_have_opposite_biases(a, data):
    b = data.draw(st.lists(st.floats(0, 100), min_size=len(a), max_size=len(a)))
    cells = {(1, t): x for t, x in enumerate(a)} | {(2, t): y for t, y in enumerate(b)}
    stats = judge_stats(cells)
    assert stats[1].bias == pytest.approx(-stats[2].bias, abs=1e-9)
    assert stats[1].bias == pytest.approx(stats[1].mean - stats[2].mean, abs=1e-9)


@given(totals_strategy, st.floats(-50, 50))
def test_shifting_every_total_moves_means_but_not_spread_or_bias(a, shift):
    cells = {(1, t): x for t, x in enumerate(a)} | {(2, t): 50.0 for t in range(len(a))}
    moved = {cell: value + shift for cell, value in cells.items()}
    before, after = judge_stats(cells), judge_stats(moved)
    for judge in (1, 2):
        assert after[judge].mean == pytest.approx(before[judge].mean + shift, abs=1e-9)
        assert after[judge].spread == pytest.approx(before[judge].spread, abs=1e-9)
        assert after[judge].bias == pytest.approx(before[judge].bias, abs=1e-9)


def test_team_means_average_the_judges():
    means = team_means({(1, 1): 40.0, (2, 1): 60.0, (1, 2): 10.0})
    assert means == {1: 50.0, 2: 10.0}
    assert all(math.isfinite(v) for v in means.values())
