"""The people's choice result from the vote counts (docs/peoples-choice.md)."""

from __future__ import annotations

from collections.abc import Mapping


def peoples_choice(counts: Mapping[int, int]) -> list[int]:
    """The teams with the most votes, in id order: a tie at the top shares the award;
    no vote at all gives no winner."""
    best = max((n for n in counts.values() if n > 0), default=0)
    if best == 0:
        return []
    return sorted(team for team, n in counts.items() if n == best)
