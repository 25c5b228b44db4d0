"""Individual awards of a program's people (a prize given to a person, with a citation).

A placeholder with the final signature: the record and the portfolio call it; the
individual-awards feature fills it in."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from hackathon.events.models import Program


def awards_by_person(
    program: Program, user_ids: Collection[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Per person, their individual awards of the program, each `{"id", "name",
    "name_en", "citation", "created_at"}` (everyone's when `user_ids` is None)."""
    return {}
