"""Position and drift (pure): least-squares slopes with t intervals, per judge and pooled
with judge fixed effects, and the teams whose rank interval crosses the prize cut-off.

The expected numbers are worked out by hand below from the textbook formulas
b = Sxy / Sxx, s² = SSR / dof, SE = √(s² / Sxx), b ± t(0.975; dof) · SE,
with t read from a t table.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hackathon.leaderboard.logic.drift import (
    Cell,
    crossing,
    drift_report,
    fit_line,
    mean_by,
    pooled_fit,
)

# Two-sided 95 % critical values of Student's t (any printed t table).
T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776}


def test_one_judge_slope_and_interval_match_the_hand_computation():
    # x = 1..4, y = 2, 4, 5, 8: x̄ = 2.5, ȳ = 4.75, Sxx = 5, Sxy = 9.5, b = 1.9, a = 0;
    # fitted 1.9, 3.8, 5.7, 7.6; residuals .1, .2, -.7, .4; SSR = .70; s² = .35 (dof 2);
    # SE = √(.35 / 5) = √.07.
    fit = fit_line([(1, 2), (2, 4), (3, 5), (4, 8)])
    half = T_975[2] * math.sqrt(0.07)
    assert fit.n == 4
    assert fit.dof == 2
    assert fit.slope == pytest.approx(1.9)
    assert fit.low == pytest.approx(1.9 - half, abs=1e-3)
    assert fit.high == pytest.approx(1.9 + half, abs=1e-3)
    assert fit.significant  # 0.76 .. 3.04 leaves out 0


def test_pooled_slope_with_judge_intercepts_matches_the_hand_computation():
    # Judge A: x 1, 2, 3; y 10, 20, 30 -> centred x -1, 0, 1; y -10, 0, 10.
    # Judge B: x 1, 2, 3; y 50, 50, 62 -> ȳ = 54, centred y -4, -4, 8.
    # Sxx = 2 + 2 = 4; Sxy = 20 + 12 = 32; b = 8.
    # Residuals (y − 8x, centred): A -2, 0, 2; B 4, -4, 0; SSR = 40.
    # dof = 6 points − 2 intercepts − 1 slope = 3; SE = √(40 / 3 / 4).
    fit = pooled_fit([[(1, 10), (2, 20), (3, 30)], [(1, 50), (2, 50), (3, 62)]])
    half = T_975[3] * math.sqrt(40 / 3 / 4)
    assert fit.slope == pytest.approx(8)
    assert fit.dof == 3
    assert (fit.low, fit.high) == pytest.approx((8 - half, 8 + half), abs=1e-3)
    assert fit.significant


def test_a_judges_own_level_does_not_move_the_pooled_slope():
    # Judge B's totals 40 points higher than A's, each flat: a plain regression over both
    # would see nothing either, but giving B the later places would fake a rise.
    fit = pooled_fit([[(1, 10), (2, 12), (3, 11)], [(4, 52), (5, 50), (6, 51)]])
    assert fit.slope == pytest.approx(0)
    assert not fit.significant


@pytest.mark.parametrize(
    ("points", "slope", "has_interval"),
    [
        ([], None, False),
        ([(3, 50)], None, False),
        ([(2, 40), (2, 60), (2, 50)], None, False),  # x never varies: no slope
        ([(1, 40), (2, 60)], 20.0, False),  # a line through two points leaves no dof
        ([(1, 40), (2, 60), (3, 50)], 5.0, True),
    ],
)
def test_too_little_data_gives_no_slope_or_no_interval(points, slope, has_interval):
    fit = fit_line(points)
    assert fit.slope == (pytest.approx(slope) if slope is not None else None)
    assert (fit.low is not None) == has_interval
    assert not fit.significant


def test_three_steep_points_alone_do_not_make_a_verdict():
    # b = 10 from x 1..3, y 10, 25, 30: SSR = 50/3, dof 1, SE = √(50/3 / 2) ≈ 2.89; with
    # t(0.975; 1) = 12.7 the interval is about -26.7 .. 46.7.
    steep = [(1, 10), (2, 25), (3, 30)]
    fit = fit_line(steep)
    assert fit.slope == pytest.approx(10)
    assert fit.low == pytest.approx(10 - T_975[1] * math.sqrt(50 / 3 / 2), abs=1e-2)
    assert not fit.significant
    # Five flat judges (each y symmetric about their middle place: slope exactly 0).
    flat = [[(x, y) for x, y in zip(range(1, 7), (50, 60, 40, 40, 60, 50), strict=True)]] * 5
    pooled = pooled_fit([steep, *flat])
    assert pooled.slope == pytest.approx(20 / (5 * 17.5 + 2))  # Sxy / Sxx over all
    assert not pooled.significant


def _cells(judge: int, totals: list[float], start_hour: float = 9.0) -> list[Cell]:
    return [
        Cell(judge, 100 * judge + i, total, float(i + 1), start_hour + 0.5 * i)
        for i, total in enumerate(totals)
    ]


def test_a_judge_whose_totals_rise_along_the_queue_is_flagged_and_a_flat_one_is_not():
    rising = _cells(1, [40, 47, 52, 61, 66, 74])
    flat = _cells(2, [55, 62, 48, 50, 63, 52])
    report = drift_report([*flat, *rising])
    by_id = {j.judge_id: j for j in report.judges}
    assert [j.judge_id for j in report.judges] == [1, 2]
    assert by_id[1].by_position.significant
    assert by_id[1].by_position.slope > 0
    assert by_id[1].by_hour.significant  # one team each half hour: the same drift by time
    assert by_id[1].by_hour.slope == pytest.approx(2 * by_id[1].by_position.slope)
    assert not by_id[2].by_position.significant
    assert report.flagged == 1
    assert report.expected_by_chance == pytest.approx(4 * 0.05)
    assert [c.position for c in by_id[1].cells] == [1, 2, 3, 4, 5, 6]


def test_cells_without_a_time_count_by_position_only():
    cells = [Cell(1, 1, 50, 1, None), Cell(1, 2, 60, 2, None), Cell(1, 3, 70, 3, 10.0)]
    judge = drift_report(cells).judges[0]
    assert judge.by_position.n == 3
    assert judge.by_hour.n == 1
    assert judge.by_hour.slope is None


def test_means_by_queue_place_and_by_whole_hour():
    cells = [*_cells(1, [40, 60, 80]), *_cells(2, [60, 70, 90])]
    assert mean_by(cells, "position") == [(1, 50.0, 2), (2, 65.0, 2), (3, 85.0, 2)]
    # hours 9.0, 9.5, 10.0 for both judges
    assert mean_by(cells, "hour") == [(9, 57.5, 4), (10, 85.0, 2)]


@pytest.mark.parametrize(
    ("intervals", "cut_off", "expected"),
    [
        ({1: (1, 1), 2: (2, 4), 3: (3, 5), 4: (4, 6)}, 3, [2, 3]),  # 4 never reaches 3
        ({1: (1, 2), 2: (1, 3), 3: (3, 3)}, 3, []),  # ranks 1..3 all win
        ({1: (1, 2), 2: (1, 3), 3: (3, 4)}, 3, [3]),
        ({7: (2, 3), 5: (1, 3), 6: (3, 4)}, 2, [5, 7]),  # by best rank, then id
        ({1: (1, 4)}, 0, []),
    ],
)
def test_a_team_crosses_the_cut_off_when_its_interval_holds_a_prize_and_no_prize(
    intervals, cut_off, expected
):
    assert crossing(intervals, cut_off) == expected


# Properties ----------------------------------------------------------------------------

xs = st.lists(st.integers(0, 40), min_size=3, max_size=12, unique=True)
totals = st.floats(0, 100, allow_nan=False)


@st.composite
def samples(draw) -> list[tuple[float, float]]:
    x = draw(xs)
    return [(float(v), draw(totals)) for v in x]


@given(samples(), st.floats(-500, 500), st.floats(-500, 500))
def test_slope_and_interval_ignore_a_constant_added_to_x_or_y(points, dx, dy):
    plain = fit_line(points)
    moved = fit_line([(x + dx, y + dy) for x, y in points])
    assert moved.slope == pytest.approx(plain.slope, abs=1e-6)
    assert moved.low == pytest.approx(plain.low, abs=1e-6)
    assert moved.high == pytest.approx(plain.high, abs=1e-6)


@given(st.lists(samples(), min_size=1, max_size=5), st.data())
def test_pooled_slope_ignores_each_judges_own_level(groups, data):
    shifts = [data.draw(st.floats(-300, 300)) for _ in groups]
    plain = pooled_fit(groups)
    moved = pooled_fit([[(x, y + d) for x, y in g] for g, d in zip(groups, shifts, strict=True)])
    assert moved.slope == pytest.approx(plain.slope, abs=1e-6)
    if plain.low is not None:
        assert moved.low == pytest.approx(plain.low, abs=1e-6)


@given(xs, st.lists(st.floats(0.5, 20), min_size=12, max_size=12), st.booleans())
def test_the_slope_takes_the_sign_of_the_drift(positions, steps, rising):
    # Totals that only ever go up (or only down) along the queue, by uneven steps.
    ordered = sorted(positions)
    level = 0.0 if rising else 300.0
    points = []
    for x, step in zip(ordered, steps[: len(ordered)], strict=True):
        level += step if rising else -step
        points.append((float(x), level))
    fit = fit_line(points)
    assert fit.slope is not None
    assert (fit.slope > 0) == rising
    assert (fit.slope < 0) == (not rising)
