"""`GET /api/v1/teams/<id>` and the team id in `GET /api/v1/me`."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import Schema, fields
from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.api import bp
from hackathon.api.openapi import doc
from hackathon.errors import NotFound
from hackathon.extensions import db
from hackathon.teams import rules
from hackathon.teams import rules as access
from hackathon.teams.models import Team, TeamMember


class TeamPersonSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class TeamMemberSchema(TeamPersonSchema):
    is_captain = fields.Boolean(required=True)
    joined_at = fields.DateTime(required=True)


class TeamTrackSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    name_en = fields.String(allow_none=True)
    company = fields.String(allow_none=True)


class TeamDetailSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    event = fields.String(required=True, metadata={"description": "The event's slug"})
    description = fields.String()
    captain = fields.Nested(TeamPersonSchema, allow_none=True)
    track = fields.Nested(TeamTrackSchema, allow_none=True)
    members = fields.List(fields.Nested(TeamMemberSchema), required=True)
    mentors = fields.List(fields.Nested(TeamPersonSchema), required=True)
    size = fields.Integer(required=True)
    under_size = fields.Boolean(
        required=True, metadata={"description": "Fewer members than the event's minimum"}
    )
    locked = fields.Boolean(required=True)
    open_places = fields.Integer()
    wanted_skills = fields.List(fields.String())


def dump_team(team: Team) -> dict[str, Any]:
    track = team.track
    return TeamDetailSchema().dump(
        {
            "id": team.id,
            "name": team.name,
            "event": team.event.slug,
            "description": team.description,
            "captain": team.captain,
            "track": None
            if track is None
            else {
                "id": track.id,
                "name": track.name,
                "name_en": track.name_en,
                "company": track.company.name if track.company else None,
            },
            "members": [
                {
                    "id": m.user.id,
                    "name": m.user.name,
                    "is_captain": m.user_id == team.captain_id,
                    "joined_at": m.joined_at,
                }
                for m in team.members
            ],
            "mentors": rules.mentors_of(team),
            "size": len(team.members),
            "under_size": rules.under_size(team, len(team.members)),
            "locked": rules.is_locked(team),
            "open_places": team.open_places,
            "wanted_skills": [s for s in team.wanted_skills.split(";") if s],
        }
    )


@bp.get("/teams/<int:team_id>")
@doc(
    "One team: members, captain, track and mentors",
    response=TeamDetailSchema,
    errors=(404,),
    tags=("teams",),
)
def get_team(team_id: int) -> ResponseReturnValue:
    """Visible to its members and mentors, the mentors and representatives of its track's
    company, the judges assigned to it, and the organizers; 404 to everyone else."""
    team = db.session.get(Team, team_id)
    if team is None or not access.can_view_team(current_user, team):
        raise NotFound()
    return jsonify(dump_team(team))


def add_team_ids(user: User, per_event: dict[int, dict[str, Any]]) -> None:
    """Fill `team_id` in GET /me for every event where the user is in a team."""
    if not per_event:
        return
    rows = db.session.execute(
        select(TeamMember.event_id, TeamMember.team_id).where(
            TeamMember.user_id == user.id, TeamMember.event_id.in_(list(per_event))
        )
    )
    for event_id, team_id in rows:
        per_event[event_id]["team_id"] = team_id
