"""Company-project check-ins across a program (filled in by the check-ins work)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from hackathon.events.models import Program


def checkins_by_person(
    program: Program, user_ids: Collection[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Per person, the check-ins of their teams in the program's events (everyone's when
    `user_ids` is None)."""
    return {}


def completion(program: Program) -> dict[str, Any] | None:
    """How many (team, milestone) check-ins are posted: `{"done", "total"}`, or None while
    check-ins are not available."""
    return None
