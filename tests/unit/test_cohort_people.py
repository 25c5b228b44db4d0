"""Sorting and filtering a program's people: every person kept once, missing values last."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hackathon.cohort.logic.people import SORT_KEYS, PersonRow, filter_rows, sort_rows

rows = st.lists(
    st.builds(
        PersonRow,
        id=st.integers(1, 10_000),
        name=st.text(min_size=1, max_size=5),
        events=st.integers(0, 4),
        best_rank=st.none() | st.integers(1, 33),
        awards=st.integers(0, 3),
        peer_mean=st.none() | st.floats(1, 5),
        tracks=st.frozensets(st.sampled_from(["금융", "보안"])),
    ),
    max_size=20,
    unique_by=lambda r: r.id,
)


@given(rows, st.sampled_from(SORT_KEYS), st.booleans())
def test_sorting_keeps_everyone_and_puts_the_missing_last(people, key, descending):
    out = sort_rows(people, key, descending)
    assert sorted(r.id for r in out) == sorted(r.id for r in people)
    attr = {"rank": "best_rank", "peer": "peer_mean"}.get(key)
    if attr:
        present = [getattr(r, attr) is not None for r in out]
        assert present == sorted(present, reverse=True)
        values = [getattr(r, attr) for r in out if getattr(r, attr) is not None]
        assert values == sorted(values, reverse=descending)


def test_filters_combine():
    people = [
        PersonRow(1, "김하나", tracks=frozenset({"금융"}), award_names=frozenset({"대상"})),
        PersonRow(2, "김두울", tracks=frozenset({"보안"}), skills=frozenset({"Python"})),
        PersonRow(3, "이세엣", awards=1),
    ]
    assert [r.id for r in filter_rows(people, query="김")] == [1, 2]
    assert [r.id for r in filter_rows(people, query="김", track="보안")] == [2]
    assert [r.id for r in filter_rows(people, award="*")] == [1, 3]
    assert [r.id for r in filter_rows(people, award="대상")] == [1]
    assert [r.id for r in filter_rows(people, skill="python")] == [2]
