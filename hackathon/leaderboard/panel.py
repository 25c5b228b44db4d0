"""The event page's leaderboard section: links for the public, controls for organizers."""

from __future__ import annotations

from typing import Any

from hackathon.accounts.rules import Viewer
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.leaderboard.forms import state_actions
from hackathon.leaderboard.models import BoardState
from hackathon.leaderboard.services import board as services
from hackathon.teams import rules as teams


def panel_context(event: Event, user: Viewer) -> dict[str, Any] | None:
    board = services.get_board(event.id)
    state = BoardState(board.state) if board else BoardState.HIDDEN
    organizer = events.is_organizer(user, event)
    public = state in services.PUBLIC_STATES
    if not (public or organizer):
        return None
    published = state == BoardState.PUBLISHED
    return {
        "state": str(state),
        "public": public,
        "published": published,
        "organizer": organizer,
        "team": teams.team_of(user, event) if published else None,
        "awards": services.award_dicts(event.id) if published else [],
        "actions": state_actions(state) if organizer else [],
    }
