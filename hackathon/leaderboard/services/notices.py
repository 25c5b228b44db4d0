"""Who hears that results are out: when the board is published, everyone with a role in
the event, and the members of each team the judges wrote feedback for. Once per
publication (the snapshot's version is in the key)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hackathon.accounts.models import User
from hackathon.events.models import Event, EventRole
from hackathon.extensions import db
from hackathon.judging.models import Assignment
from hackathon.judging.rules import counting
from hackathon.leaderboard.models import Snapshot
from hackathon.notifications.services import link_to, notify
from hackathon.teams.models import Team, TeamMember


def published(event: Event, snapshot: Snapshot) -> None:
    with_role = select(EventRole.user_id).where(EventRole.event_id == event.id)
    in_team = select(TeamMember.user_id).where(TeamMember.event_id == event.id)
    people = db.session.scalars(
        select(User).where(User.id.in_(with_role.union(in_team))).order_by(User.id)
    )
    board = link_to("leaderboard.board", slug=event.slug)
    for user in people:
        notify(
            user,
            "results_published",
            event=event,
            link=board,
            key=f"results:{event.id}:{snapshot.version}",
        )
    with_feedback = select(Assignment.team_id).where(
        counting(event.id),
        func.length(func.trim(Assignment.feedback)) > 0,
    )
    teams = db.session.scalars(
        select(Team)
        .where(Team.id.in_(with_feedback))
        .options(selectinload(Team.members).selectinload(TeamMember.user))
        .order_by(Team.id)
    )
    results = link_to("leaderboard.team_results", slug=event.slug)
    for team in teams:
        for member in team.members:
            notify(
                member.user,
                "feedback_available",
                event=event,
                link=results,
                key=f"feedback:{event.id}:{snapshot.version}",
                team=team.name,
            )
