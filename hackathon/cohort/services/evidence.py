"""A compact record of one trainee, shown beside the award form as evidence: per event
of the program, their team and track, the team's rank on the published board, and the
team's awards. (The full record, `services/record.py`, can take its place.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.events.models import Event, Program
from hackathon.extensions import db
from hackathon.leaderboard.services import board
from hackathon.leaderboard.services.results import published_board
from hackathon.teams.models import Team, TeamMember


def evidence(program: Program, user: User) -> list[dict[str, Any]]:
    """One entry per event of the program the person took part in (was in a team of):
    `event`, `team` {id, name}, `track` {name, name_en} | None, `rank` (only from published
    results, else None) with `ranked` (how many teams), and the team's published `awards`."""
    event_ids = [e.id for e in program.events]
    if not event_ids:
        return []
    rows = db.session.execute(
        select(Event, Team)
        .join(Team, Team.event_id == Event.id)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == user.id, Event.id.in_(event_ids))
        .order_by(Event.submissions_open_at, Event.id)
    ).all()
    found = []
    for event, team in rows:
        published = published_board(event.id)
        rank = ranked = None
        awards: list[dict[str, Any]] = []
        if published is not None:
            standing = [r for r in published["rows"] if r["rank"] is not None]
            ranked = len(standing)
            rank = next((r["rank"] for r in standing if r["team"]["id"] == team.id), None)
            awards = [
                a for a in board.award_dicts(event.id) if (a["team"] or {}).get("id") == team.id
            ]
        track = team.track
        found.append(
            {
                "event": event,
                "team": {"id": team.id, "name": team.name},
                "track": {"name": track.name, "name_en": track.name_en} if track else None,
                "rank": rank,
                "ranked": ranked,
                "awards": awards,
            }
        )
    return found
