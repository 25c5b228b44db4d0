"""Shapes of the leaderboard's vote bodies in the API (the board's own are in `api`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from hackathon.api.bodies import RequestSchema, Whole


class VoteBody(RequestSchema):
    """A vote: the team voted for. Fields other than this (`voter_id`) are ignored."""

    team_id = Whole(
        required=True,
        error_messages=dict.fromkeys(
            ("required", "null", "invalid"), _l("Send the id of the team you vote for.")
        ),
        metadata={"description": "a team of this event, not your own"},
    )


class VoteCountSchema(Schema):
    team_id = fields.Integer(required=True)
    votes = fields.Integer(required=True)


class VoteSchema(Schema):
    """The caller's vote in the event; organizers also get the counts."""

    event = fields.String(required=True)
    open = fields.Boolean(required=True, metadata={"description": "whether voting is open"})
    may_vote = fields.Boolean(
        required=True, metadata={"description": "whether the caller may vote in this event"}
    )
    team_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: no vote yet"}
    )
    voted_at = fields.DateTime(allow_none=True, metadata={"description": "the latest change"})
    counts = fields.List(
        fields.Nested(VoteCountSchema),
        metadata={"description": "organizers only: votes per team (teams with none left out)"},
    )
    total = fields.Integer(metadata={"description": "organizers only: votes counted"})
