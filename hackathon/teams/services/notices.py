"""Who hears about what happens to a team: the notifications the team services send, each
called right where its action happens (in the same transaction)."""

from __future__ import annotations

from hackathon.accounts.models import User
from hackathon.notifications.services import link_to, notify
from hackathon.teams.models import JoinRequest, Team


def _team_page(team: Team) -> str:
    return link_to("teams.team", slug=team.event.slug, team_id=team.id)


def request_made(request: JoinRequest) -> None:
    """The captain hears of a new request to join."""
    team = request.team
    if team.captain is None:
        return
    notify(
        team.captain,
        "team_request",
        event=team.event,
        link=_team_page(team),
        key=f"join-request:{request.id}",
        team=team.name,
        person=request.user.name,
        message=request.message,
    )


def request_decided(request: JoinRequest, accepted: bool) -> None:
    """The person who asked hears the captain's answer."""
    team = request.team
    notify(
        request.user,
        "request_accepted" if accepted else "request_declined",
        event=team.event,
        link=_team_page(team) if accepted else link_to("teams.my_team", slug=team.event.slug),
        key=f"join-request-decided:{request.id}",
        team=team.name,
    )


def captain_named(team: Team, captain: User) -> None:
    """The new captain hears that the team is theirs to lead now."""
    notify(captain, "captaincy", event=team.event, link=_team_page(team), team=team.name)
