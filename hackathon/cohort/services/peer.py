"""Peer review across a program (to be filled by the peer-review work)."""

from __future__ import annotations

from typing import Any

from hackathon.events.models import Program


def coverage(program: Program) -> dict[str, Any] | None:
    """How many of the expected peer reviews are in: `{"done", "total"}`, or None while
    peer review is not available."""
    return None
