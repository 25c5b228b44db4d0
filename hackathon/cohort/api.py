"""Peer review in the JSON API: the caller's own ratings (never who rated them) and
setting one. See docs/cohort.md, "Peer review"."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import Schema, fields, validate

from hackathon.api import bp
from hackathon.api.bodies import RequestSchema, Text, Whole, request_body
from hackathon.api.openapi import doc
from hackathon.cohort import rules
from hackathon.cohort.services import peer
from hackathon.errors import NotFound
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.web import writing

# ---------------------------------------------------------------- peer review


class PeerPersonSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class PeerRatingSchema(Schema):
    ratee = fields.Nested(PeerPersonSchema, required=True)
    score = fields.Integer(allow_none=True, metadata={"description": "1..5; null: not rated"})
    comment = fields.String(allow_none=True)


class MyPeerReviewSchema(Schema):
    event = fields.String(required=True)
    state = fields.String(
        required=True,
        validate=validate.OneOf([rules.PEER_NOT_OPEN, rules.PEER_OPEN, rules.PEER_CLOSED]),
        metadata={"description": "not_open until submissions close, closed once published"},
    )
    team = fields.Nested(PeerPersonSchema, allow_none=True)
    ratings = fields.List(
        fields.Nested(PeerRatingSchema),
        required=True,
        metadata={"description": "The caller's ratings of each teammate (given, not received)"},
    )


class PeerRatingBody(RequestSchema):
    score = Whole(required=True, metadata={"minimum": 1, "maximum": 5})
    comment = Text(load_default="")


def _event(slug: str) -> Event:
    if not current_user.is_authenticated:
        abort(401)
    event = events.get_event(slug)
    if not events.can_view(current_user, event):
        raise NotFound()
    return event


def _mine(event: Event) -> dict[str, Any]:
    team, mates = peer.teammates(event, current_user)
    given = peer.given_by(event, current_user)
    return MyPeerReviewSchema().dump(
        {
            "event": event.slug,
            "state": rules.peer_state(event),
            "team": {"id": team.id, "name": team.name} if team else None,
            "ratings": [
                {
                    "ratee": {"id": m.id, "name": m.name},
                    "score": given[m.id].score if m.id in given else None,
                    "comment": given[m.id].comment if m.id in given else None,
                }
                for m in mates
            ],
        }
    )


@bp.get("/events/<slug>/peer-reviews/mine")
@doc(
    "The caller's peer review: teammates and the ratings the caller gave them",
    response=MyPeerReviewSchema,
    errors=(401, 404),
    tags=("cohort",),
)
def my_peer_review(slug: str) -> ResponseReturnValue:
    """Only ratings the caller gave: nobody learns who rated them."""
    return jsonify(_mine(_event(slug)))


@bp.put("/events/<slug>/peer-reviews/<int:ratee_id>")
@doc(
    "Rate one teammate's contribution (1..5, optional comment)",
    body=PeerRatingBody,
    response=MyPeerReviewSchema,
    errors=(401, 403, 404, 409, 422),
    tags=("cohort",),
)
def put_peer_review(slug: str, ratee_id: int) -> ResponseReturnValue:
    """Set, never added: a retry changes nothing. 422 for oneself or someone outside the
    caller's team, or a score outside 1..5; 409 before submissions close and once the
    results are published."""
    event = _event(slug)
    body = request_body()
    with writing():
        peer.rate(event, current_user, ratee_id, body["score"], body["comment"])
    return jsonify(_mine(event))
