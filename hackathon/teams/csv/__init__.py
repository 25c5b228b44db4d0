"""The teams feature's CSV kinds: `tracks`, `preferences`, `teams`, and the roster's
`team` and `track` columns."""

from __future__ import annotations

from hackathon.registry import Registry
from hackathon.teams.csv import preferences, teams, tracks


def register(registry: Registry) -> None:
    tracks.register(registry)
    preferences.register(registry)
    teams.register(registry)
