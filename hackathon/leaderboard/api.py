"""`GET /api/v1/events/<slug>/leaderboard` and `.csv`, with ETag and 304."""

from __future__ import annotations

from flask import Response, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields

from hackathon.api import bp
from hackathon.api.openapi import doc
from hackathon.leaderboard.services.cache import View
from hackathon.leaderboard.services.public import ask_from, resolve


class BoardTeamSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class BoardNameSchema(Schema):
    """A Korean name and its English one (of an award, a criterion, a track)."""

    name = fields.String(required=True)
    name_en = fields.String(allow_none=True)


class BoardRowSchema(Schema):
    rank = fields.Integer(allow_none=True, metadata={"description": "1, 2, 2, 4…; null = unranked"})
    team = fields.Nested(BoardTeamSchema, required=True)
    track = fields.String(allow_none=True)
    track_en = fields.String(allow_none=True)
    score = fields.Float(allow_none=True, metadata={"description": "z: 3 decimals, raw: 2"})
    raw_score = fields.Float(allow_none=True)
    judges = fields.Integer(required=True)
    criteria = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "criterion name: mean 0..100"},
    )
    awards = fields.List(fields.Nested(BoardNameSchema))


class BoardAwardSchema(BoardNameSchema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    team = fields.Nested(BoardTeamSchema, allow_none=True)
    company = fields.String(allow_none=True)


class BoardTrackSchema(BoardNameSchema):
    id = fields.Integer(required=True)


class LeaderboardSchema(Schema):
    event = fields.String(required=True)
    state = fields.String(
        required=True, metadata={"enum": ["hidden", "live", "frozen", "published"]}
    )
    mode = fields.String(required=True, metadata={"enum": ["zscore", "raw"]})
    generated_at = fields.String(required=True)
    snapshot = fields.Integer(allow_none=True)
    track = fields.Nested(BoardTrackSchema, allow_none=True)
    criteria = fields.List(fields.Nested(BoardNameSchema))
    tracks = fields.List(fields.Nested(BoardTrackSchema))
    rows = fields.List(fields.Nested(BoardRowSchema), required=True)
    awards = fields.List(fields.Nested(BoardAwardSchema))


def send(view: View, filename: str | None = None) -> Response:
    """The view, or 304 when the reader already holds it; gzip when the reader takes it."""
    if request.if_none_match.contains_weak(view.etag):
        response = Response(status=304)
    elif request.accept_encodings["gzip"]:  # its quality: 0 when absent or refused (q=0)
        response = Response(view.gzipped, mimetype=view.mimetype)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(view.body, mimetype=view.mimetype)
    response.set_etag(view.etag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept-Encoding, Cookie"
    if filename and response.status_code == 200:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/events/<slug>/leaderboard")
@doc(
    "The event's leaderboard",
    response=LeaderboardSchema,
    errors=(404,),
    extra_responses={304: "Not modified (If-None-Match matched the ETag)"},
    tags=("leaderboard",),
)
def leaderboard(slug: str) -> ResponseReturnValue:
    """Public while the board is live, frozen or published; 404 to all but organizers
    otherwise. `?track=<id>` gives one track ranked within itself. Organizers may add
    `source=current` (the scores now), `snapshot=<version>` and `mode=zscore|raw`."""
    view, _ = resolve(slug, ask_from("json"))
    return send(view)


@bp.get("/events/<slug>/leaderboard.csv")
@doc(
    "The event's leaderboard as CSV (the `leaderboard` export's columns)",
    errors=(404,),
    extra_responses={304: "Not modified"},
    tags=("leaderboard",),
)
def leaderboard_csv(slug: str) -> ResponseReturnValue:
    """`rank,team,track,score,raw_score,judges`, then one column per criterion."""
    view, _ = resolve(slug, ask_from("csv"))
    return send(view, filename=f"{slug}-leaderboard.csv")
