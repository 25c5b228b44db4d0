"""Peer-review summaries: each person's mean rating and count, and whether it lies far
below their team's (docs/cohort.md, "Peer review").

"Far below": a person is flagged when they have at least `MIN_RATINGS` ratings and their
mean is at least `FAR_BELOW` (one point on the 1..5 scale) under the mean of their rated
teammates' means. Comparing with the teammates' means (not all ratings pooled) keeps one
generous or harsh rater from moving the yardstick more than one teammate's worth; the
minimum count keeps a single rating from flagging anyone (so nobody in a team of two is
flagged: each has one rating, and one cannot tell who is right).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FAR_BELOW = 1.0
MIN_RATINGS = 2
_EPSILON = 1e-9  # means are floats: 3.0 - 1.0 is still "at least one point below"


@dataclass(frozen=True)
class Rating:
    rater: int
    ratee: int
    score: int


@dataclass(frozen=True)
class PersonSummary:
    mean: float | None  # None without ratings
    count: int
    team_mean: float | None  # the mean of the rated teammates' means
    flagged: bool


def mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def summarise(
    ratings: Iterable[Rating], teams: Mapping[int, Iterable[int]]
) -> dict[int, PersonSummary]:
    """Per member of each team (team id -> member ids): mean, count, team mean, flag."""
    received: dict[int, list[int]] = defaultdict(list)
    for rating in ratings:
        received[rating.ratee].append(rating.score)
    result: dict[int, PersonSummary] = {}
    for members in teams.values():
        people = list(members)
        means = {p: mean(received.get(p, [])) for p in people}
        for person in people:
            others = [m for q, m in means.items() if q != person and m is not None]
            team_mean = mean(others)
            own = means[person]
            count = len(received.get(person, []))
            flagged = (
                own is not None
                and team_mean is not None
                and count >= MIN_RATINGS
                and own <= team_mean - FAR_BELOW + _EPSILON
            )
            result[person] = PersonSummary(own, count, team_mean, flagged)
    return result
