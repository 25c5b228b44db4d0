"""Who may see a team: its members and mentors, the mentors and representatives of its
track's company, the judges assigned to it, and the organizers. Everyone else gets 404."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hackathon.errors import NotFound
from hackathon.events.models import Event, EventRole, Role
from hackathon.events.services import can_view, is_organizer
from hackathon.extensions import db
from hackathon.teams.models import Team, TeamMentor
from hackathon.teams.services import get_team, is_member


def company_ids_of(user: Any, event: Event) -> set[int]:
    """Companies the user works for as a mentor or company rep in this event."""
    if not getattr(user, "is_authenticated", False):
        return set()
    rows = db.session.scalars(
        select(EventRole.company_id).where(
            EventRole.event_id == event.id,
            EventRole.user_id == user.id,
            EventRole.role.in_([Role.MENTOR, Role.COMPANY_REP]),
            EventRole.company_id.is_not(None),
        )
    )
    return set(rows)


def can_view_team(user: Any, team: Team) -> bool:
    """Members, its mentors, its track company's mentors and reps, its assigned judges and
    the organizers; nobody else learns that the team's details exist. A draft event's teams
    are its organizers' alone, like the event itself."""
    if not getattr(user, "is_authenticated", False):
        return False
    event = team.event
    if is_organizer(user, event):
        return True
    if not can_view(user, event):
        return False
    if is_member(user, team):
        return True
    if db.session.scalar(
        select(TeamMentor.id).where(TeamMentor.team_id == team.id, TeamMentor.user_id == user.id)
    ):
        return True
    if team.track is not None and team.track.company_id in company_ids_of(user, event):
        return True
    return _is_assigned_judge(user, team)


def _is_assigned_judge(user: Any, team: Team) -> bool:
    """Assigned to judge the team, and still a judge of the event: a judge taken off the
    event no longer sees the teams they were given."""
    from hackathon.judging.models import Assignment
    from hackathon.judging.services import judges_now

    assigned = db.session.scalar(
        select(Assignment.id).where(Assignment.team_id == team.id, Assignment.judge_id == user.id)
    )
    return bool(assigned) and judges_now(user, team.event)


def visible_team(user: Any, event: Event, team_id: int) -> Team:
    """The team if the user may see it; NotFound otherwise (no hint that it exists)."""
    team = get_team(event, team_id)
    if not can_view_team(user, team):
        raise NotFound()
    return team
