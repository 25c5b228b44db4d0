"""Mentor check-ins of a program's people (company-project milestones).

A placeholder with the final signature: the record calls it; the check-ins feature fills
it in."""

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
