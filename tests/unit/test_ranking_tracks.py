"""Per-track boards: the event's scores, re-ranked within each track by the same tie rule."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from hackathon.leaderboard.logic.ranking import (
    Criterion,
    Score,
    Team,
    compute_leaderboard,
    rerank,
    track_ranks,
    track_rows,
)

TEN = Criterion(id=1, name="Overall", weight=1.0, lo=0, hi=10)


def at(hour: int) -> datetime:
    return datetime(2024, 5, 1, hour, tzinfo=UTC)


# One judge scores six teams on 0..10 in raw mode: the event board is
# A 90 (x), B 80 (y), C 70 (x), D 70 (x, submitted earlier than C), E 50 (y), F unscored (x).
TEAMS = [
    Team(1, "A", "x", at(9)),
    Team(2, "B", "y", at(9)),
    Team(3, "C", "x", at(11)),
    Team(4, "D", "x", at(10)),
    Team(5, "E", "y", at(9)),
    Team(6, "F", "x", None),
]
SCORES = [Score(1, t, 1, v) for t, v in [(1, 9), (2, 8), (3, 7), (4, 7), (5, 5)]]


def board():
    return compute_leaderboard([TEN], TEAMS, SCORES, mode="raw")


def test_event_board_uses_the_submission_time_tie_break():
    assert [(r.team.name, r.rank) for r in board()] == [
        ("A", 1),
        ("B", 2),
        ("D", 3),
        ("C", 4),
        ("E", 5),
        ("F", None),
    ]


def test_track_board_reranks_within_the_track_and_keeps_unscored_last():
    rows = track_rows(board(), "x")
    assert [(r.team.name, r.rank, r.score) for r in rows] == [
        ("A", 1, 90.0),
        ("D", 2, 70.0),
        ("C", 3, 70.0),
        ("F", None, None),
    ]
    assert [(r.team.name, r.rank) for r in track_rows(board(), "y")] == [("B", 1), ("E", 2)]
    assert track_rows(board(), "nothing") == []


def test_track_ranks_map_each_team_to_its_place_in_its_track():
    assert track_ranks(board()) == {1: 1, 4: 2, 3: 3, 6: None, 2: 1, 5: 2}


def test_true_ties_share_a_rank_and_the_next_skips():
    teams = [Team(i, n, "x", at(9)) for i, n in enumerate("PQRS", start=1)]
    scores = [Score(1, t, 1, v) for t, v in [(1, 8), (2, 8), (3, 6), (4, 5)]]
    rows = rerank(compute_leaderboard([TEN], teams, scores, mode="raw")[1:])
    assert [(r.team.name, r.rank) for r in rows] == [("Q", 1), ("R", 2), ("S", 3)]
    everyone = rerank(compute_leaderboard([TEN], teams, scores, mode="raw"))
    assert [(r.team.name, r.rank) for r in everyone] == [("P", 1), ("Q", 1), ("R", 3), ("S", 4)]


@given(st.permutations(list(range(6))))
def test_rerank_ignores_the_order_of_its_input(order):
    rows = board()
    assert rerank([rows[i] for i in order]) == rerank(rows)


@given(st.lists(st.integers(0, 10), min_size=3, max_size=8), st.randoms())
def test_a_track_holding_every_team_gives_the_event_ranks(values, rnd):
    teams = [Team(i, f"t{i}", "only", at(9 + i % 3)) for i in range(len(values))]
    scores = [Score(j, t.id, 1, rnd.choice(values)) for t in teams for j in (1, 2)]
    rows = compute_leaderboard([TEN], teams, scores)
    assert track_rows(rows, "only") == rows
