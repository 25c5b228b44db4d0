"""The event page's leaderboard sections: links for the public, controls for organizers;
the people's choice vote for the program's people and the event's organizers."""

from __future__ import annotations

from typing import Any

from hackathon.accounts.rules import Viewer
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.leaderboard.forms import VotingForm, state_actions
from hackathon.leaderboard.models import BoardState
from hackathon.leaderboard.services import board as services
from hackathon.leaderboard.services import votes
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


def votes_context(event: Event, user: Viewer) -> dict[str, Any] | None:
    """Voters see the vote once it was opened; organizers always (they open it)."""
    organizer = events.is_organizer(user, event)
    voter = votes.may_vote(user, event)
    found = votes.window(event)
    if not organizer and (not voter or found is None):
        return None
    vote = votes.my_vote(event, user) if voter else None
    return {
        "open": bool(found and found.is_open),
        "voter": voter,
        "organizer": organizer,
        "mine": vote.team.name if vote else None,
        "total": sum(votes.counts(event).values()) if organizer else None,
        "form": VotingForm() if organizer else None,
    }
