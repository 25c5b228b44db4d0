"""Peer review across a program (filled in by the peer-review work)."""

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


def coverage(program: Program) -> dict[str, Any] | None:
    """How many of the expected peer reviews are in: `{"done", "total"}`, or None while
    peer review is not available."""
    return None
