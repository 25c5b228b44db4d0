"""Properties of the leaderboard rule (docs/scoring.md) over random small events: the
order of the input never matters, ranks are competition ranks, and z-scores ignore how
lenient or spread out a judge is."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hackathon.leaderboard.logic.ranking import (
    Criterion,
    Score,
    Team,
    borda_ranking,
    compute_leaderboard,
    median_ranking,
)

HUNDRED = Criterion(id=1, name="Overall", weight=1.0, lo=0, hi=100)


def at(hour: int) -> datetime:
    return datetime(2024, 5, 1, hour, tzinfo=UTC)


NAMES = ["Ant", "Bee", "Cat"]
TIMES = [None, at(9), at(10)]


@st.composite
def events(draw) -> tuple[list[Criterion], list[Team], list[Score]]:
    """Small random events: mixed scales and weights, judges scoring any subset."""
    scales = [(0, 10), (1, 5), (0, 3)]
    crits = [
        Criterion(
            c, f"c{c}", draw(st.sampled_from([0.5, 1.0, 2.0])), *draw(st.sampled_from(scales))
        )
        for c in range(1, draw(st.integers(1, 3)) + 1)
    ]
    teams = [
        Team(t, draw(st.sampled_from(NAMES)), submitted_at=draw(st.sampled_from(TIMES)))
        for t in range(1, draw(st.integers(1, 7)) + 1)
    ]
    scores = []
    for judge in range(1, draw(st.integers(1, 4)) + 1):
        for team in teams:
            if not draw(st.booleans()):
                continue
            for c in crits[: draw(st.integers(1, len(crits)))]:
                scores.append(Score(judge, team.id, c.id, draw(st.integers(c.lo, c.hi))))
    return crits, teams, scores


RANKERS = [
    lambda c, t, s: compute_leaderboard(c, t, s, "zscore"),
    lambda c, t, s: compute_leaderboard(c, t, s, "raw"),
    lambda c, t, s: compute_leaderboard(c, t, s, "offset"),
    median_ranking,
    borda_ranking,
]


@given(event=events(), rnd=st.randoms(use_true_random=False))
@pytest.mark.parametrize("rank", RANKERS, ids=["zscore", "raw", "offset", "median", "borda"])
def test_input_order_does_not_matter(rank, event, rnd):
    crits, teams, scores = event
    shuffled = [scores[:], teams[:], crits[:]]
    for part in shuffled:
        rnd.shuffle(part)
    assert rank(shuffled[2], shuffled[1], shuffled[0]) == rank(crits, teams, scores)


@given(event=events())
@pytest.mark.parametrize("rank", RANKERS, ids=["zscore", "raw", "offset", "median", "borda"])
def test_every_team_once_with_competition_ranks(rank, event):
    crits, teams, scores = event
    rows = rank(crits, teams, scores)
    assert sorted(r.team.id for r in rows) == [t.id for t in teams]
    scored = {s.team_id for s in scores}
    ranks = [r.rank for r in rows if r.rank is not None]
    assert len(ranks) == len(scored)
    assert all(r.rank is None for r in rows[len(ranks) :])
    for position, r in enumerate(ranks, start=1):
        # competition ranks: either shared with the row above or equal to the position
        assert r == position or (position > 1 and r == ranks[position - 2])


@given(
    table=st.lists(
        st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(0, 30)),
        min_size=1,
        unique_by=lambda row: row[:2],
    ),
    judge=st.integers(1, 3),
    factor=st.integers(1, 3),
    shift=st.integers(0, 10),
)
def test_zscore_ignores_a_judges_leniency_and_spread(table, judge, factor, shift):
    """Mapping one judge's totals through v -> factor * v + shift keeps every z-score.

    On a 0..100 rubric with lo = 0 the total is the score itself, so this is exactly a
    harsher or more lenient (or more spread out) judge. Team scores and the strict order
    between them are invariant; full ranks are not, since raw_score breaks z-score ties.
    """
    teams = [Team(t, f"T{t}") for t in range(1, 7)]
    before = [Score(j, t, 1, v) for j, t, v in table]
    after = [Score(j, t, 1, factor * v + shift if j == judge else v) for j, t, v in table]
    old = {r.team.id: r.score for r in compute_leaderboard([HUNDRED], teams, before)}
    new = {r.team.id: r.score for r in compute_leaderboard([HUNDRED], teams, after)}
    assert old.keys() == new.keys()
    for t, score in old.items():
        assert (score is None and new[t] is None) or math.isclose(score, new[t], abs_tol=1e-9)
    ranked_old = {t: s for t, s in old.items() if s is not None}
    for a in ranked_old:
        for b in ranked_old:
            if ranked_old[a] > ranked_old[b] + 1e-6:
                assert new[a] > new[b]
