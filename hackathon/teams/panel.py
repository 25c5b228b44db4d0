"""The teams section of the event page: what each person can do with teams there."""

from __future__ import annotations

from typing import Any

from hackathon.accounts import rules as accounts_rules
from hackathon.accounts.rules import Viewer
from hackathon.events.models import Event, Phase
from hackathon.events.services import is_organizer
from hackathon.teams import rules
from hackathon.teams import rules as access
from hackathon.teams.services.formation import my_requests, team_sizes


def panel_context(event: Event, user: Viewer) -> dict[str, Any] | None:
    """My team, or how to create or join one; the finder; organizers' and companies' links."""
    if event.phase == Phase.DRAFT and not is_organizer(user, event):
        return None
    sizes = team_sizes(event)
    signed_in = getattr(user, "is_authenticated", False)
    team = rules.team_of(user, event) if signed_in else None
    return {
        "event": event,
        "team_count": len(sizes),
        "track_count": len(rules.tracks_of(event)),
        "team": team,
        "team_size": sizes.get(team.id, 0) if team else 0,
        "participant": signed_in and rules.is_participant(user, event),
        "organizer": is_organizer(user, event),
        "company": bool(access.company_ids_of(user, event)),
        "formation_open": rules.formation_open(event),
        "pending": len(my_requests(event, user))
        if accounts_rules.signed_in(user) and team is None
        else 0,
    }
