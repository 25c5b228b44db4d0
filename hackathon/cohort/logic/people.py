"""Filtering and sorting a program's people (the organizers' list and the talent view):
plain rows in, plain rows out; no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SORT_KEYS = ("name", "events", "rank", "awards", "peer")


@dataclass(frozen=True)
class PersonRow:
    """One person as the lists need them: what they are sorted and filtered by."""

    id: int
    name: str
    events: int = 0
    best_rank: int | None = None
    awards: int = 0
    peer_mean: float | None = None
    tracks: frozenset[str] = frozenset()
    award_names: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()


def matches(
    row: PersonRow,
    *,
    query: str = "",
    track: str = "",
    award: str = "",
    skill: str = "",
) -> bool:
    """Whether the row passes every filter given: a name containing `query` (any case),
    a track or an award named exactly, a skill tag (any case). `award="*"` is any award."""
    if query and query.casefold() not in row.name.casefold():
        return False
    if track and track not in row.tracks:
        return False
    if award == "*" and not (row.awards or row.award_names):
        return False
    if award and award != "*" and award not in row.award_names:
        return False
    return not skill or skill.casefold() in {s.casefold() for s in row.skills}


def filter_rows(rows: Iterable[PersonRow], **filters: str) -> list[PersonRow]:
    return [r for r in rows if matches(r, **filters)]


def sort_rows(
    rows: Sequence[PersonRow], key: str = "name", descending: bool = False
) -> list[PersonRow]:
    """Sorted by one of SORT_KEYS (an unknown key sorts by name). People without a value
    (no rank, no peer review) come last whichever the direction; names break ties."""
    if key not in SORT_KEYS:
        key = "name"
    by_name = sorted(rows, key=lambda r: (r.name.casefold(), r.id))
    if key == "name":
        return list(reversed(by_name)) if descending else by_name

    def value(row: PersonRow) -> float | None:
        if key == "events":
            return row.events
        if key == "awards":
            return row.awards
        if key == "rank":
            return row.best_rank
        return row.peer_mean

    present = [r for r in by_name if value(r) is not None]
    missing = [r for r in by_name if value(r) is None]
    present.sort(key=lambda r: value(r) or 0.0, reverse=descending)  # stable: names stay in order
    return present + missing


def facets(rows: Iterable[PersonRow]) -> tuple[list[str], list[str], list[str]]:
    """The tracks, awards and skills found among the rows, each sorted: the filters' choices."""
    tracks: set[str] = set()
    awards: set[str] = set()
    skills: set[str] = set()
    for row in rows:
        tracks |= row.tracks
        awards |= row.award_names
        skills |= row.skills
    return sorted(tracks), sorted(awards), sorted(skills, key=str.casefold)
