"""The leaderboard rule of docs/scoring.md, checked against numbers worked out by hand."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime

import pytest

from hackathon.leaderboard.logic.ranking import (
    Criterion,
    Row,
    Score,
    Team,
    bootstrap_rank_intervals,
    borda_ranking,
    compute_leaderboard,
    median_ranking,
    top_differs,
)

TEN = Criterion(id=1, name="Overall", weight=1.0, lo=0, hi=10)
HUNDRED = Criterion(id=1, name="Overall", weight=1.0, lo=0, hi=100)


def at(hour: int) -> datetime:
    return datetime(2024, 5, 1, hour, tzinfo=UTC)


def teams_named(*names: str, submitted: dict[str, datetime] | None = None) -> list[Team]:
    submitted = submitted or {}
    return [Team(i, n, submitted_at=submitted.get(n)) for i, n in enumerate(names, start=1)]


def sheet(teams: list[Team], table: list[tuple[int, str, float]], crit_id: int = 1) -> list[Score]:
    """Scores on one criterion from (judge, team name, value) rows."""
    ids = {t.name: t.id for t in teams}
    return [Score(judge, ids[name], crit_id, value) for judge, name, value in table]


def assert_rows(rows: list[Row], expected: list[tuple]) -> None:
    assert [(r.team.name, r.rank) for r in rows] == [(n, rank) for n, rank, *_ in expected]
    for row, (_, _, score, raw) in zip(rows, expected, strict=True):
        assert row.score == pytest.approx(score, abs=1e-6)
        assert row.raw_score == pytest.approx(raw, abs=1e-6)


# One judge, one 0..10 criterion: A=8, B=6, C=6, D=4, scaled 80, 60, 60, 40.
# zscore: mu = 60, sigma = sqrt((400 + 0 + 0 + 400) / 4) = sqrt(200) = 14.1421,
# z = 20 / 14.1421 = 1.414214 (= sqrt 2), 0, 0, -1.414214.
@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (
            "zscore",
            [("A", 1, 1.414214, 80), ("B", 2, 0, 60), ("C", 2, 0, 60), ("D", 4, -1.414214, 40)],
        ),
        ("raw", [("A", 1, 80, 80), ("B", 2, 60, 60), ("C", 2, 60, 60), ("D", 4, 40, 40)]),
    ],
)
def test_equal_teams_share_a_rank_and_the_next_rank_skips(mode, expected):
    teams = teams_named("D", "C", "B", "A")
    scores = sheet(teams, [(1, "A", 8), (1, "B", 6), (1, "C", 6), (1, "D", 4)])
    assert_rows(compute_leaderboard([TEN], teams, scores, mode), expected)


# Judge 1 scores A=10, B=0: mu 50, sigma 50, z = +1, -1. Judge 2 scores only C: z = 0.
# zscore: A 1, C 0, B -1. raw: A 100 and C 100 tie (both unsubmitted), B 0.
@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("zscore", [("A", 1, 1, 100), ("C", 2, 0, 100), ("B", 3, -1, 0)]),
        ("raw", [("A", 1, 100, 100), ("C", 1, 100, 100), ("B", 3, 0, 0)]),
    ],
)
def test_a_judge_with_one_team_gives_z_zero(mode, expected):
    teams = teams_named("A", "B", "C")
    scores = sheet(teams, [(1, "A", 10), (1, "B", 0), (2, "C", 10)])
    assert_rows(compute_leaderboard([TEN], teams, scores, mode), expected)


def test_a_judge_with_equal_totals_has_sigma_zero_and_gives_z_zero():
    # Judge 1: A=5, B=5 -> sigma 0 -> z 0, 0. Judge 2: A=9 (90), C=1 (10): mu 50, sigma 40,
    # z +1, -1. A = (0 + 1) / 2 = 0.5, raw (50 + 90) / 2 = 70; B = 0, raw 50; C = -1, raw 10.
    teams = teams_named("A", "B", "C")
    scores = sheet(teams, [(1, "A", 5), (1, "B", 5), (2, "A", 9), (2, "C", 1)])
    expected = [("A", 1, 0.5, 70), ("B", 2, 0, 50), ("C", 3, -1, 10)]
    assert_rows(compute_leaderboard([TEN], teams, scores), expected)


@pytest.mark.parametrize("mode", ["zscore", "raw", "offset"])
def test_teams_without_scores_come_last_unranked_by_name_then_id(mode):
    teams = [Team(1, "Zephyr"), Team(2, "Beta"), Team(5, "Alpha"), Team(3, "Alpha"), Team(4, "Mid")]
    scores = [Score(1, 1, 1, 7), Score(1, 4, 1, 3)]
    rows = compute_leaderboard([TEN], teams, scores, mode)
    assert [(r.team.id, r.rank) for r in rows] == [(1, 1), (4, 2), (3, None), (5, None), (2, None)]
    assert all(r.score is None and r.raw_score is None for r in rows[2:])
    assert all(r.judges == 0 and r.criteria == {} for r in rows[2:])


def test_weights_and_scales_differ_per_criterion():
    # Impact weight 2 on 1..5, Design weight 1 on 0..10.
    # J1 A: Impact 5 -> 100, Design 4 -> 40: T = (2*100 + 40) / 3 = 80
    # J1 B: Impact 2 -> 25, Design 10 -> 100: T = (2*25 + 100) / 3 = 50
    # J1 C: Impact 4 -> 75 only: T = 75 (weighted mean over the criteria scored)
    # J2 A: Impact 3 -> 50, Design 10 -> 100: T = (2*50 + 100) / 3 = 66.6667
    # raw: A (80 + 66.6667) / 2 = 73.3333, C 75, B 50 -> C, A, B.
    impact = Criterion(1, "Impact", 2.0, 1, 5)
    design = Criterion(2, "Design", 1.0, 0, 10)
    teams = teams_named("A", "B", "C")
    scores = sheet(teams, [(1, "A", 5), (1, "B", 2), (1, "C", 4), (2, "A", 3)], crit_id=1)
    scores += sheet(teams, [(1, "A", 4), (1, "B", 10), (2, "A", 10)], crit_id=2)
    rows = compute_leaderboard([impact, design], teams, scores, "raw")
    assert_rows(rows, [("C", 1, 75, 75), ("A", 2, 73.333333, 73.333333), ("B", 3, 50, 50)])
    assert [r.judges for r in rows] == [1, 2, 1]
    # A's Impact: (100 + 50) / 2 = 75; Design: (40 + 100) / 2 = 70.
    assert [r.criteria for r in rows] == [
        {"Impact": 75},
        {"Impact": 75, "Design": 70},
        {"Impact": 25, "Design": 100},
    ]
    # zscore, J1's totals 80, 50, 75: mu 68.3333, deviations 11.6667, -18.3333, 6.6667,
    # variance (136.111 + 336.111 + 44.444) / 3 = 172.222, sigma 13.1233,
    # z: A 0.8890, B -1.3970, C 0.5080. J2 has only A: z 0. A = (0.8890 + 0) / 2 = 0.4445.
    zrows = compute_leaderboard([impact, design], teams, scores)
    assert [(r.team.name, r.rank) for r in zrows] == [("C", 1), ("A", 2), ("B", 3)]
    assert [r.score for r in zrows] == pytest.approx([0.5080, 0.4445, -1.3970], abs=1e-4)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # Harsh H: A=4 (40), B=2 (20): mu 30, sigma 10, z +1, -1.
        # Lenient L: C=9 (90), D=7 (70): mu 80, sigma 10, z +1, -1.
        # A and C tie on z = 1; C's raw 90 beats A's 40 although C submitted later.
        ("zscore", [("C", 1, 1, 90), ("A", 2, 1, 40), ("D", 3, -1, 70), ("B", 4, -1, 20)]),
        ("raw", [("C", 1, 90, 90), ("D", 2, 70, 70), ("A", 3, 40, 40), ("B", 4, 20, 20)]),
    ],
)
def test_raw_and_zscore_order_a_harsh_and_a_lenient_judge_differently(mode, expected):
    teams = teams_named("A", "B", "C", "D", submitted={"A": at(9), "C": at(10)})
    scores = sheet(teams, [(1, "A", 4), (1, "B", 2), (2, "C", 9), (2, "D", 7)])
    assert_rows(compute_leaderboard([TEN], teams, scores, mode), expected)


def test_equal_score_and_raw_fall_back_to_the_earlier_submission():
    # Three judges each score one team 10 and one 0: z = +1 for A, C, E and -1 for B, D, F,
    # raw 100 and 0. Submitted: C 11:00 before A = E 12:00; D = F 10:00, B never.
    times = {"A": at(12), "C": at(11), "E": at(12), "D": at(10), "F": at(10)}
    teams = teams_named("A", "B", "C", "D", "E", "F", submitted=times)
    table = [(1, "A", 10), (1, "B", 0), (2, "C", 10), (2, "D", 0), (3, "E", 10), (3, "F", 0)]
    rows = compute_leaderboard([TEN], teams, sheet(teams, table))
    assert [(r.team.name, r.rank) for r in rows] == [
        ("C", 1),
        ("A", 2),
        ("E", 2),
        ("D", 4),
        ("F", 4),
        ("B", 6),
    ]


@pytest.mark.parametrize("mode", ["zscore", "raw"])
def test_totals_equal_in_exact_arithmetic_tie_despite_rounding(mode):
    # A: weights 0.1 and 0.2, scores 100 and 0: T = 10 / 0.3 = 33.3333 (100/3).
    # B: one criterion on 0..3, score 1: T = 100 / 3 = 33.3333. In binary floating point
    # the two routes differ in the last bit; they must still share rank 1.
    crits = [
        Criterion(1, "Idea", 0.1, 0, 10),
        Criterion(2, "Craft", 0.2, 0, 10),
        Criterion(3, "Demo", 1.0, 0, 3),
    ]
    teams = teams_named("A", "B")
    scores = [Score(1, 1, 1, 10), Score(1, 1, 2, 0), Score(2, 2, 3, 1)]
    rows = compute_leaderboard(crits, teams, scores, mode)
    assert [(r.team.name, r.rank) for r in rows] == [("A", 1), ("B", 1)]
    assert rows[0].raw_score != rows[1].raw_score  # the tolerance is what makes them tie


@pytest.mark.parametrize(
    ("score", "message"),
    [
        (Score(1, 99, 1, 5), "unknown criterion or team"),
        (Score(1, 1, 99, 5), "unknown criterion or team"),
        (Score(1, 1, 1, 11), "outside its scale"),
        (Score(1, 1, 1, -1), "outside its scale"),
        (Score(1, 1, 1, math.nan), "outside its scale"),
        (Score(1, 2, 1, 3), "duplicate score"),  # same judge, team and criterion again
    ],
)
def test_inconsistent_scores_are_refused(score, message):
    teams = teams_named("A", "B")
    with pytest.raises(ValueError, match=message):
        compute_leaderboard([TEN], teams, [Score(1, 2, 1, 4), score])


@pytest.mark.parametrize(
    ("criteria", "teams", "message"),
    [
        ([TEN, Criterion(1, "Other", 1.0, 0, 10)], [], "unique"),
        ([TEN, Criterion(2, "Overall", 1.0, 0, 10)], [], "unique"),
        ([Criterion(1, "Flat", 1.0, 5, 5)], [], "hi > lo"),
        ([Criterion(1, "Free", 0.0, 0, 10)], [], "positive weight"),
        ([TEN], [Team(1, "A"), Team(1, "B")], "duplicate team"),
    ],
)
def test_inconsistent_criteria_and_teams_are_refused(criteria, teams, message):
    with pytest.raises(ValueError, match=message):
        compute_leaderboard(criteria, teams, [])


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown mode"):
        compute_leaderboard([TEN], [], [], mode="elo")


def test_median_ranks_by_the_middle_judge():
    # Totals on a 0..100 scale: A 10, 20, 90 (median 20, mean 40); B 30, 30 (30, 30);
    # C 0, 50 (median 25, mean 25); D 25, 25 (25, 25) -> C and D tie on median and raw.
    teams = teams_named("A", "B", "C", "D")
    table = [(1, "A", 10), (2, "A", 20), (3, "A", 90), (1, "B", 30), (2, "B", 30)]
    table += [(1, "C", 0), (3, "C", 50), (2, "D", 25), (3, "D", 25)]
    scores = sheet(teams, table)
    expected = [("B", 1, 30, 30), ("C", 2, 25, 25), ("D", 2, 25, 25), ("A", 4, 20, 40)]
    assert_rows(median_ranking([HUNDRED], teams, scores), expected)
    raw = compute_leaderboard([HUNDRED], teams, scores, "raw")
    assert [r.team.name for r in raw] == ["A", "B", "C", "D"]


def test_borda_gives_each_judge_the_same_range_of_points():
    # J1: A 10 > B 5 > C 0 -> 1, 0.5, 0.   J2: D 8 > A 2 -> 1, 0.   J3 sees only E -> 0.5.
    # A (1 + 0) / 2 = 0.5 raw 60; B 0.5 raw 50; C 0 raw 0; D 1 raw 80; E 0.5 raw 70.
    teams = teams_named("A", "B", "C", "D", "E")
    table = [(1, "A", 10), (1, "B", 5), (1, "C", 0), (2, "D", 8), (2, "A", 2), (3, "E", 7)]
    expected = [("D", 1, 1, 80), ("E", 2, 0.5, 70), ("A", 3, 0.5, 60)]
    expected += [("B", 4, 0.5, 50), ("C", 5, 0, 0)]
    assert_rows(borda_ranking([TEN], teams, sheet(teams, table)), expected)


def test_borda_splits_points_between_teams_a_judge_tied():
    # J1 (3 teams): F 5 = G 5 > H 0 -> F, G (1 beaten + 0.5 tied) / 2 = 0.75; H 0.
    # J2 (5 teams): P 10 > Q 8 > R 6 > S 4 > T 2 -> 1, 0.75, 0.5, 0.25, 0.
    # Ties at 0.75 go to raw: Q 80 before F = G 50; at 0: T raw 20 before H raw 0.
    teams = teams_named("F", "G", "H", "P", "Q", "R", "S", "T")
    table = [(1, "F", 5), (1, "G", 5), (1, "H", 0)]
    table += [(2, "P", 10), (2, "Q", 8), (2, "R", 6), (2, "S", 4), (2, "T", 2)]
    expected = [("P", 1, 1, 100), ("Q", 2, 0.75, 80), ("F", 3, 0.75, 50), ("G", 3, 0.75, 50)]
    expected += [("R", 5, 0.5, 60), ("S", 6, 0.25, 40), ("T", 7, 0, 20), ("H", 8, 0, 0)]
    assert_rows(borda_ranking([TEN], teams, sheet(teams, table)), expected)


def ranked(*pairs: tuple[int, int | None]) -> list[Row]:
    return [Row(rank, Team(tid, f"T{tid}"), None, None, 0, {}) for tid, rank in pairs]


@pytest.mark.parametrize(
    ("rankings", "n", "differs"),
    [
        ([ranked((1, 1), (2, 2), (3, 3), (4, 4))] * 2, 3, False),
        ([ranked((1, 1), (2, 2), (3, 3)), ranked((2, 1), (1, 2), (3, 3))], 3, True),
        ([ranked((1, 1), (2, 2), (3, 3)), ranked((1, 1), (2, 2), (4, 3))], 3, True),
        (
            [ranked((1, 1), (2, 2), (3, 3), (4, 4)), ranked((1, 1), (2, 2), (3, 3), (5, 4))],
            3,
            False,
        ),
        ([ranked((1, 1), (2, 2), (3, 2)), ranked((1, 1), (3, 2), (2, 2))], 3, False),
        ([ranked((1, 1), (2, 2), (3, 2)), ranked((1, 1), (2, 2), (3, 3))], 3, True),
        ([ranked((1, 1), (2, 2)), ranked((1, 1), (3, 2))], 1, False),
        ([ranked((1, 1), (2, None)), ranked((1, 1), (3, None))], 3, False),
        ([ranked((1, 1), (2, 2))], 3, False),
    ],
)
def test_top_differs_compares_who_holds_each_top_rank(rankings, n, differs):
    assert top_differs(*rankings, n=n) is differs


def test_top_differs_needs_a_positive_n():
    with pytest.raises(ValueError, match="n must"):
        top_differs(ranked((1, 1)), n=0)


def unanimous_event() -> tuple[list[Team], list[Score]]:
    # Three judges give every team the same score: 9, 7, 5, 3, 1 for A..E.
    teams = teams_named("A", "B", "C", "D", "E")
    values = {"A": 9, "B": 7, "C": 5, "D": 3, "E": 1}
    return teams, sheet(teams, [(j, n, v) for j in (1, 2, 3) for n, v in values.items()])


@pytest.mark.parametrize("mode", ["zscore", "raw", "offset"])
def test_bootstrap_of_a_unanimous_panel_has_zero_width(mode):
    teams, scores = unanimous_event()
    intervals = bootstrap_rank_intervals([TEN], teams, scores, mode, rounds=50)
    assert intervals == {1: (1, 1), 2: (2, 2), 3: (3, 3), 4: (4, 4), 5: (5, 5)}


def test_bootstrap_contains_the_point_rank_and_widens_with_disagreement():
    # Four judges agree on A > B > C > D by clear margins; E splits them (10 from one, 0
    # from another) so its place depends on which judges a resample draws.
    teams = teams_named("A", "B", "C", "D", "E", "F")
    values = {"A": [10, 10, 9, 10], "B": [8, 7, 8, 8], "C": [5, 5, 6, 5], "D": [2, 1, 2, 2]}
    table = [(j, n, v) for n, vs in values.items() for j, v in enumerate(vs, start=1)]
    table += [(1, "E", 10), (2, "E", 0)]
    scores = sheet(teams, table)
    intervals = bootstrap_rank_intervals([TEN], teams, scores, rounds=300, seed=7)
    rows = compute_leaderboard([TEN], teams, scores)
    assert set(intervals) == {1, 2, 3, 4, 5}  # F has no score: not ranked, no interval
    for row in rows[:5]:
        lo, hi = intervals[row.team.id]
        assert lo <= row.rank <= hi
    e_lo, e_hi = intervals[5]
    assert e_hi - e_lo >= 2


def test_bootstrap_is_deterministic_for_a_seed_whatever_the_input_order():
    teams = teams_named("A", "B", "C", "D", "E")
    table = [(1, "A", 9), (1, "B", 6), (1, "C", 7), (2, "A", 5), (2, "D", 8), (2, "E", 3)]
    table += [(3, "B", 9), (3, "C", 2), (3, "E", 6), (4, "D", 4), (4, "E", 8), (4, "A", 7)]
    scores = sheet(teams, table)
    first = bootstrap_rank_intervals([TEN], teams, scores, seed=3)
    shuffled = scores[:]
    random.Random(5).shuffle(shuffled)
    assert bootstrap_rank_intervals([TEN], teams[::-1], shuffled, seed=3) == first


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "elo"}, "unknown mode"),
        ({"rounds": 0}, "rounds"),
        ({"level": 0}, "level"),
        ({"level": 1}, "level"),
    ],
)
def test_bootstrap_refuses_bad_parameters(kwargs, message):
    teams, scores = unanimous_event()
    with pytest.raises(ValueError, match=message):
        bootstrap_rank_intervals([TEN], teams, scores, **kwargs)


def test_bootstrap_without_scores_is_empty():
    assert bootstrap_rank_intervals([TEN], teams_named("A"), []) == {}
