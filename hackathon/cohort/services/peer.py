"""The peer-review summary of a program's people.

A placeholder with the final signature: the record calls it; the peer-review feature
fills it in."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from hackathon.events.models import Program


def peer_by_person(
    program: Program, user_ids: Collection[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Per person who was rated, `{"mean": float, "count": int}` over the program's
    events (everyone's when `user_ids` is None)."""
    return {}
