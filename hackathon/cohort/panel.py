"""The job fair's section of the event page, for the program's trainees, the reps of the
fair's companies and its organizers."""

from __future__ import annotations

from typing import Any

from hackathon.accounts.rules import Viewer, signed_in
from hackathon.cohort import rules
from hackathon.cohort.models import FairState
from hackathon.cohort.rules import is_program_organizer, is_trainee
from hackathon.cohort.services import checkins, jobfair, peer
from hackathon.events.models import Event
from hackathon.events.services import is_organizer
from hackathon.teams import rules as teams


def fair_panel(event: Event, user: Viewer) -> dict[str, Any] | None:
    program = event.program
    if program is None or not signed_in(user):
        return None
    fair = jobfair.get_fair(program)
    organizer = is_program_organizer(user, program)
    if fair is None:
        return None
    if not organizer and (
        fair.state == FairState.DRAFT
        or not (is_trainee(user, program) or jobfair.represented(fair, program, user))
    ):
        return None
    return {"program": program, "fair": fair, "organizer": organizer}


def panel_context(event: Event, user: Viewer) -> dict[str, Any] | None:
    """Nothing for the public; a member sees peer review once it opens and their team's
    check-ins when the event has milestones; mentors their teams'; organizers both."""
    if not signed_in(user):
        return None
    organizer = is_organizer(user, event)
    state = rules.peer_state(event)
    team = teams.team_of(user, event)
    has_milestones = bool(checkins.milestones_of(event))
    context: dict[str, Any] = {
        "organizer": organizer,
        "peer_state": state,
        "team": team,
        "to_rate": 0,
        "rated": 0,
        "milestones": has_milestones,
        "mentor": has_milestones and bool(checkins.mentored_team_ids(event, user)),
    }
    if team is not None and state != rules.PEER_NOT_OPEN:
        _team, mates = peer.teammates(event, user)
        context["to_rate"] = len(mates)
        context["rated"] = len(peer.given_by(event, user))
    shows_peer = context["to_rate"] > 0 or (organizer and state != rules.PEER_NOT_OPEN)
    shows_checkins = has_milestones and (team is not None or organizer or context["mentor"])
    if not (shows_peer or shows_checkins or (organizer and event.kind == "company_project")):
        return None
    context["shows_peer"], context["shows_checkins"] = shows_peer, shows_checkins
    return context
