"""Offsets on calibration items, a shadow judge's agreement with the panel, rank
correlations, and the shadow judges' extra teams (pure modules, no app)."""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from hackathon.judging.logic.assign import Judge, TeamSlot
from hackathon.judging.logic.panel import (
    NOTABLE_OFFSET,
    agreement,
    average_ranks,
    calibration_offsets,
    kendall,
    shadow_agreements,
    spearman,
)
from hackathon.judging.logic.shadows import shadow_queues


def test_offset_is_the_mean_gap_from_the_panel_mean_on_each_item():
    # Item 100: panel judges 1, 2, 3 give 60, 70, 80 (mean 70); item 200: 40, 50, 60 (50).
    cells = {
        (1, 100): 60.0,
        (2, 100): 70.0,
        (3, 100): 80.0,
        (1, 200): 40.0,
        (2, 200): 50.0,
        (3, 200): 90.0,
        (9, 100): 95.0,  # a shadow: compared with the panel, not part of its mean
    }
    offsets = calibration_offsets(cells, panel={1, 2, 3})
    assert offsets[1].offset == pytest.approx(((60 - 70) + (40 - 60)) / 2)
    assert offsets[3].offset == pytest.approx(((80 - 70) + (90 - 60)) / 2)
    assert offsets[1].items == offsets[3].items == 2
    assert offsets[9].offset == pytest.approx(95 - 70)
    assert offsets[9].items == 1
    assert offsets[9].flagged
    assert offsets[3].flagged
    assert not offsets[2].flagged  # 0 and -10 → -5


def test_an_item_no_panel_judge_scored_is_not_compared():
    offsets = calibration_offsets({(9, 100): 80.0}, panel={1})
    assert offsets[9].offset is None
    assert offsets[9].items == 0
    assert not offsets[9].flagged


def test_the_flag_starts_at_the_notable_offset():
    cells = {(1, 1): 50.0, (2, 1): 50.0 + 2 * NOTABLE_OFFSET}  # mean 50 + N: each ±N
    offsets = calibration_offsets(cells, panel={1, 2})
    assert offsets[1].offset == pytest.approx(-NOTABLE_OFFSET)
    assert offsets[1].flagged
    assert offsets[2].flagged


def test_a_shadow_who_orders_teams_as_the_panel_does_agrees_fully():
    # Panel judges 1 and 2; shadow 9 is 5 points lower everywhere, in the same order.
    panel_totals = {10: 80.0, 11: 60.0, 12: 40.0, 13: 70.0}
    cells = {(1, t): v + 1 for t, v in panel_totals.items()}
    cells |= {(2, t): v - 1 for t, v in panel_totals.items()}
    cells |= {(9, t): v - 5 for t, v in panel_totals.items() if t != 13}
    found = shadow_agreements(cells, shadows={9})[9]
    assert found.shared == 3
    assert found.mean_difference == pytest.approx(-5)
    assert found.spearman == pytest.approx(1)
    assert found.kendall == pytest.approx(1)


def test_a_reversed_order_disagrees_and_one_shared_team_says_nothing():
    reverse = agreement(9, {1: 10.0, 2: 20.0, 3: 30.0}, {1: 30.0, 2: 20.0, 3: 10.0})
    assert reverse.spearman == pytest.approx(-1)
    assert reverse.kendall == pytest.approx(-1)
    alone = agreement(9, {1: 10.0, 2: 20.0}, {1: 30.0})
    assert (alone.shared, alone.spearman, alone.kendall) == (1, None, None)
    assert alone.mean_difference == pytest.approx(-20)
    nothing = agreement(9, {1: 10.0}, {2: 30.0})
    assert (nothing.shared, nothing.mean_difference) == (0, None)


def test_no_spread_on_one_side_leaves_the_correlation_undefined():
    assert spearman([5.0, 5.0, 5.0], [1.0, 2.0, 3.0]) is None
    assert kendall([5.0, 5.0, 5.0], [1.0, 2.0, 3.0]) is None


def test_ties_share_the_mean_of_their_ranks():
    assert average_ranks([30.0, 10.0, 30.0, 20.0]) == [3.5, 1.0, 3.5, 2.0]


samples = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=2, max_size=12).map(
    lambda pairs: ([float(a) for a, _ in pairs], [float(b) for _, b in pairs])
)


@settings(max_examples=200, deadline=None)
@given(samples)
def test_the_correlations_match_scipy_ties_included(pair):
    xs, ys = pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on constant input (it answers nan)
        rho = scipy_stats.spearmanr(xs, ys).statistic
        tau = scipy_stats.kendalltau(xs, ys).statistic  # tau-b
    for ours, theirs in ((spearman(xs, ys), rho), (kendall(xs, ys), tau)):
        if theirs is None or math.isnan(theirs):
            assert ours is None
        else:
            assert ours == pytest.approx(theirs, abs=1e-9)


def test_shadows_get_the_load_on_the_least_shadowed_teams_without_conflicts():
    teams = [TeamSlot(t, company_id=50 if t == 1 else None) for t in range(1, 7)]
    shadows = [Judge(90, company_id=50), Judge(91)]
    queues = shadow_queues(teams, shadows, load=3, conflicts=[(91, 2)], existing=[], seed=4)
    assert {j: len(q) for j, q in queues.items()} == {90: 3, 91: 3}
    assert 1 not in queues[90]  # the track of their own company
    assert 2 not in queues[91]  # declared
    # Six teams, six places: every team has exactly one shadow.
    assert sorted(queues[90] + queues[91]) == [1, 2, 3, 4, 5, 6]


def test_kept_teams_count_towards_a_shadows_load():
    teams = [TeamSlot(t) for t in range(1, 5)]
    queues = shadow_queues(teams, [Judge(90)], load=3, existing=[(90, 1), (90, 2)], seed=0)
    assert len(queues[90]) == 1
    assert queues[90][0] in {3, 4}
    assert shadow_queues(teams, [Judge(90)], load=2, existing=[(90, 1), (90, 2)]) == {}


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 8),
    st.integers(1, 4),
    st.integers(0, 9),
    st.sets(st.tuples(st.integers(90, 93), st.integers(1, 8))),
    st.integers(0, 1000),
)
def test_shadow_queues_never_break_a_conflict_nor_exceed_the_load(
    n_teams, n_shadows, load, conflicts, seed
):
    teams = [TeamSlot(t) for t in range(1, n_teams + 1)]
    shadows = [Judge(90 + i) for i in range(n_shadows)]
    queues = shadow_queues(teams, shadows, load, conflicts, seed=seed)
    assert set(queues) <= {j.id for j in shadows}
    for judge_id in (j.id for j in shadows):
        queue = queues.get(judge_id, [])
        assert len(queue) == len(set(queue)) <= load
        assert not {(judge_id, t) for t in queue} & conflicts
        allowed = [t for t in range(1, n_teams + 1) if (judge_id, t) not in conflicts]
        assert len(queue) == min(load, len(allowed))
    counts = [sum(t in q for q in queues.values()) for t in range(1, n_teams + 1)]
    if not conflicts:
        assert max(counts, default=0) - min(counts, default=0) <= 1
