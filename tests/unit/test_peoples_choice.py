"""The people's choice result from vote counts: the most votes win, a tie shares."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hackathon.leaderboard.logic.votes import peoples_choice


@pytest.mark.parametrize(
    ("counts", "winners"),
    [
        ({}, []),
        ({1: 0, 2: 0}, []),
        ({1: 3, 2: 5, 3: 1}, [2]),
        ({7: 4, 2: 4, 3: 1}, [2, 7]),
        ({9: 1}, [9]),
    ],
)
def test_winners(counts, winners):
    assert peoples_choice(counts) == winners


@given(st.dictionaries(st.integers(1, 50), st.integers(0, 30)))
def test_every_winner_has_the_most_votes_and_nobody_with_as_many_is_left_out(counts):
    winners = peoples_choice(counts)
    top = max(counts.values(), default=0)
    if top == 0:
        assert winners == []
    else:
        assert winners == sorted(t for t, n in counts.items() if n == top)
