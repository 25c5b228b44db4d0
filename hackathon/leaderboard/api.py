"""`GET /api/v1/events/<slug>/leaderboard` and `.csv`: the board's views, with ETag and 304."""

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
    mode = fields.String(required=True, metadata={"enum": ["zscore", "raw", "offset"]})
    generated_at = fields.String(required=True)
    snapshot = fields.Integer(allow_none=True)
    track = fields.Nested(BoardTrackSchema, allow_none=True)
    criteria = fields.List(fields.Nested(BoardNameSchema))
    tracks = fields.List(fields.Nested(BoardTrackSchema))
    rows = fields.List(fields.Nested(BoardRowSchema), required=True)
    awards = fields.List(fields.Nested(BoardAwardSchema))


def send(view: View, filename: str | None = None) -> Response:
    """The view, or 304 when the reader already holds it; gzip when the reader takes it.
    The headers are given at once: each one set afterwards rescans all the others."""
    headers = [
        ("ETag", f'W/"{view.etag}"'),
        ("Cache-Control", "no-cache"),
        ("Vary", "Accept-Encoding, Cookie"),
    ]
    if "HTTP_IF_NONE_MATCH" in request.environ and request.if_none_match.contains_weak(view.etag):
        return Response(status=304, headers=headers)
    if takes_gzip():
        headers.append(("Content-Encoding", "gzip"))
        body = view.gzipped
    else:
        body = view.body
    if filename:
        headers.append(("Content-Disposition", f'attachment; filename="{filename}"'))
    return Response(body, mimetype=view.mimetype, headers=headers)


def takes_gzip() -> bool:
    """Whether the reader takes gzip: a plain list of codings is read as it stands, one
    with qualities (`gzip;q=0` refuses it) by the full parser."""
    accept = request.environ.get("HTTP_ACCEPT_ENCODING", "")
    if ";" in accept:
        return bool(request.accept_encodings["gzip"])
    return any(coding.strip().lower() in {"gzip", "*"} for coding in accept.split(","))


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
    `source=current` (the scores now), `snapshot=<version>` and `mode=zscore|raw|offset`."""
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
