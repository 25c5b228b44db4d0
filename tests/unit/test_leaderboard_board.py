"""The board as plain data: rounding for display, per-track views, CSV rows, SVG charts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hackathon.leaderboard.logic import charts
from hackathon.leaderboard.logic.ranking import Criterion, Score, Team, compute_leaderboard
from hackathon.leaderboard.logic.rows import (
    build_board,
    criterion_averages,
    csv_columns,
    csv_records,
    payload,
    round_score,
)

CRITERIA = [Criterion(1, "아이디어", 2.0, 1, 10), Criterion(2, "기술", 1.0, 0, 5)]
TEAMS = [
    Team(1, "A", "금융", datetime(2024, 5, 1, 9, tzinfo=UTC)),
    Team(2, "B", "금융", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    Team(3, "C", "보안", datetime(2024, 5, 1, 11, tzinfo=UTC)),
    Team(4, "D", None, None),
]
SCORES = [
    Score(j, t, c, v)
    for j, rows in {
        1: [(1, 9, 4), (2, 7, 3), (3, 5, 5)],
        2: [(1, 8, 5), (2, 8, 2), (3, 4, 1)],
    }.items()
    for t, a, b in rows
    for c, v in ((1, a), (2, b))
]
LABELS = {"criteria": {"아이디어": "Idea"}, "tracks": [(10, "금융", "Finance"), (11, "보안", None)]}


@pytest.fixture
def board():
    rows = compute_leaderboard(CRITERIA, TEAMS, SCORES)
    return build_board(
        rows, CRITERIA, mode="zscore", computed_at=datetime(2024, 5, 2, tzinfo=UTC), labels=LABELS
    )


def test_board_keeps_full_precision_and_track_ranks(board):
    assert board["computed_at"] == "2024-05-02T00:00:00Z"
    assert [(r["team"]["name"], r["rank"], r["track_rank"]) for r in board["rows"]] == [
        ("A", 1, 1),
        ("B", 2, 2),
        ("C", 3, 1),
        ("D", None, None),
    ]
    assert board["rows"][0]["track_en"] == "Finance"
    assert board["criteria"][0] == {
        "id": 1,
        "name": "아이디어",
        "name_en": "Idea",
        "weight": 2.0,
        "min": 1,
        "max": 10,
    }


def test_payload_rounds_for_display(board):
    data = payload(board, event="hack", state="live", generated_at="now")
    for shown, exact in zip(data["rows"], board["rows"], strict=True):
        assert shown["score"] == (None if exact["score"] is None else round(exact["score"], 3))
        assert shown["raw_score"] == (
            None if exact["raw_score"] is None else round(exact["raw_score"], 2)
        )
    assert round_score(1.23456, "zscore") == 1.235
    assert round_score(71.23456, "raw") == 71.23
    assert round_score(None, "raw") is None


def test_payload_of_one_track_uses_track_ranks_and_awards(board):
    awards = [
        {
            "id": 2,
            "name": "우수상",
            "name_en": None,
            "position": 2,
            "team": {"id": 3, "name": "C"},
            "company": None,
        },
        {
            "id": 1,
            "name": "대상",
            "name_en": "Grand prize",
            "position": 1,
            "team": {"id": 3, "name": "C"},
            "company": None,
        },
    ]
    data = payload(
        board, event="hack", state="published", generated_at="t", awards=awards, track_id=11
    )
    assert data["track"]["name"] == "보안"
    assert [(r["team"]["name"], r["rank"]) for r in data["rows"]] == [("C", 1)]
    assert [a["name"] for a in data["rows"][0]["awards"]] == ["대상", "우수상"]
    assert [a["id"] for a in data["awards"]] == [1, 2]
    with pytest.raises(KeyError):
        payload(board, event="hack", state="live", generated_at="t", track_id=99)


def test_csv_records_follow_the_export_columns(board):
    data = payload(board, event="hack", state="live", generated_at="t")
    assert csv_columns(["아이디어", "기술"]) == (
        "rank",
        "team",
        "track",
        "score",
        "raw_score",
        "judges",
        "아이디어",
        "기술",
    )
    records = csv_records(data)
    assert records[0]["team"] == "A"
    assert records[-1] == {
        "rank": None,
        "team": "D",
        "track": "",
        "score": None,
        "raw_score": None,
        "judges": 0,
        "아이디어": None,
        "기술": None,
    }


def test_criterion_averages_are_means_of_team_means(board):
    averages = criterion_averages(board)
    means = [r["criteria"]["기술"] for r in board["rows"] if r["criteria"]]
    assert averages["기술"] == pytest.approx(sum(means) / len(means))


def test_charts_escape_labels_and_count_into_bins():
    svg = str(charts.bars([("<b>x</b>", 50.0), ("y", None)], title='a "title"'))
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg
    assert "&#34;title&#34;" in svg or "&quot;title&quot;" in svg
    hist = str(charts.histogram([0, 5, 99.9, 100, 100], title="t"))
    assert hist.count('class="chart-bar"') == 10
    assert ">3</text>" in hist  # 99.9, 100, 100 share the last bin
    assert "style=" not in hist  # the CSP forbids inline styles
    assert "100%" in str(charts.progress(3, 3, title="t"))
    assert "0%" in str(charts.progress(0, 0, title="t"))


def test_a_score_that_rounds_to_zero_is_shown_without_a_minus_sign():
    assert str(round_score(-0.0004, "zscore")) == "0.0"
    assert str(round_score(-0.004, "raw")) == "0.0"
    assert round_score(-0.0006, "zscore") == -0.001


def test_teams_that_round_alike_keep_the_ranks_of_their_full_scores():
    # One judge, raw mode, a fine scale: 70.004 and 70.001 both show as 70.0, yet rank 1, 2.
    fine = [Criterion(1, "Overall", 1.0, 0, 100_000)]
    teams = [Team(1, "Low", None, None), Team(2, "High", None, None)]
    scores = [Score(1, 1, 1, 70_001), Score(1, 2, 1, 70_004)]
    rows = compute_leaderboard(fine, teams, scores, mode="raw")
    board = build_board(
        rows, fine, mode="raw", computed_at=datetime(2024, 5, 2, tzinfo=UTC), labels={}
    )
    data = payload(board, event="hack", state="live", generated_at="t")
    assert [(r["team"]["name"], r["rank"], r["score"]) for r in data["rows"]] == [
        ("High", 1, 70.0),
        ("Low", 2, 70.0),
    ]
