"""`GET /api/v1/events/<slug>/leaderboard` and `.csv`: the board's views, with ETag and 304;
`GET`/`POST /api/v1/events/<slug>/votes`: the people's choice vote."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import current_user
from marshmallow import Schema, fields

from hackathon.api import bp
from hackathon.api.bodies import request_body
from hackathon.api.openapi import doc
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.extensions import limiter
from hackathon.leaderboard.schemas import VoteBody, VoteSchema
from hackathon.leaderboard.services import votes
from hackathon.leaderboard.services.public import Resolved, ask_from, resolve
from hackathon.web import writing


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


# The board's query parameters (`ask_from`); an id or version that is no number is a 404.
BOARD_QUERY: dict[str, dict[str, Any]] = {
    "track": {"type": "integer", "minimum": 0, "description": "one track, ranked within itself"},
    "source": {"type": "string", "enum": ["public", "current"], "description": "organizers"},
    "snapshot": {"type": "integer", "minimum": 0, "description": "organizers: a version"},
    "mode": {"type": "string", "enum": ["zscore", "raw", "offset"], "description": "organizers"},
}


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


def send(found: Resolved, filename: str = "") -> Response:
    """The view, or 304 when the reader already holds it; gzip when the reader takes it.

    The ETag is strong and names the bytes sent: the body's hash, `-gzip` added for its
    gzip form (either one held answers 304, as both name the same content). The headers
    are built once per view (`View.headers`) and given at once: each one set afterwards
    rescans all the others."""
    view = found.view
    packed = takes_gzip()
    headers = view.headers(found.policy.header(), packed, filename)
    held = request.environ.get("HTTP_IF_NONE_MATCH")
    if held and view.etag in held and _holds(view.etag):
        return Response(status=304, headers=headers[:3])
    return Response(view.gzipped if packed else view.body, headers=headers)


def _holds(etag: str) -> bool:
    """If-None-Match names this content, in either encoding (or as the weak tag readers
    were given before)."""
    held = request.if_none_match
    return held.contains_weak(etag) or held.contains_weak(etag + "-gzip")


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
    query=BOARD_QUERY,
    tags=("leaderboard",),
)
def leaderboard(slug: str) -> ResponseReturnValue:
    """Public while the board is live, frozen or published; 404 to all but organizers
    otherwise. `?track=<id>` gives one track ranked within itself. Organizers may add
    `source=current` (the scores now), `snapshot=<version>` and `mode=zscore|raw|offset`."""
    return send(resolve(slug, ask_from("json")))


@bp.get("/events/<slug>/leaderboard.csv")
@doc(
    "The event's leaderboard as CSV (the `leaderboard` export's columns)",
    errors=(404,),
    extra_responses={304: "Not modified"},
    query=BOARD_QUERY,
    tags=("leaderboard",),
)
def leaderboard_csv(slug: str) -> ResponseReturnValue:
    """`rank,team,track,score,raw_score,judges`, then one column per criterion."""
    return send(resolve(slug, ask_from("csv")), filename=f"{slug}-leaderboard.csv")


# People's choice ------------------------------------------------------------------------

VOTE_LIMIT = "10 per minute"  # per person; `VOTE_LIMIT` in the config overrides it


def _vote_limit() -> str:
    return current_app.config.get("VOTE_LIMIT") or VOTE_LIMIT


def vote_key() -> str:
    """Per person (a classroom votes from one address); before sign-in, per address."""
    if current_user.is_authenticated:
        return f"votes:{current_user.get_id()}"
    return f"votes-address:{get_remote_address()}"


# One limit for the API and the page's form: the same person, the same votes.
limit_votes = limiter.shared_limit(_vote_limit, scope="votes", key_func=vote_key)


def vote_body(event: Event) -> dict[str, Any]:
    vote = votes.my_vote(event, current_user)
    body: dict[str, Any] = {
        "event": event.slug,
        "open": votes.is_open(event),
        "may_vote": votes.may_vote(current_user, event),
        "team_id": vote.team_id if vote else None,
        "voted_at": vote.updated_at if vote else None,
    }
    if events.is_organizer(current_user, event):
        tally = votes.counts(event)
        body["counts"] = [{"team_id": t, "votes": n} for t, n in sorted(tally.items())]
        body["total"] = sum(tally.values())
    return VoteSchema().dump(body)


@bp.get("/events/<slug>/votes")
@doc(
    "Your people's choice vote in the event, and whether voting is open",
    response=VoteSchema,
    errors=(401, 404),
    tags=("leaderboard",),
)
def my_vote(slug: str) -> ResponseReturnValue:
    """For anyone with a role in an event of the event's program, and its organizers
    (who also get the counts per team, which nobody else sees before publication)."""
    if not current_user.is_authenticated:
        abort(401)
    return jsonify(vote_body(votes.voting_event(current_user, slug)))


@bp.post("/events/<slug>/votes")
@limit_votes
@doc(
    "Vote for a team (people's choice); a second vote replaces the first",
    body=VoteBody,
    response=VoteSchema,
    errors=(400, 401, 403, 404, 409, 422, 429),
    tags=("leaderboard",),
)
def cast_vote(slug: str) -> ResponseReturnValue:
    """One vote per person and event, changeable while voting is open; anyone with a role
    in an event of the event's program may vote (others get 404). 409 `voting_closed`
    once the organizers closed voting (or published the results); 422 `own_team` for the
    caller's own team, `unknown_team` for a team of another event; 429 past the per-person
    limit (10 a minute). Needs the `X-CSRFToken` header."""
    if not current_user.is_authenticated:
        abort(401)
    event = votes.voting_event(current_user, slug)
    body = request_body()
    with writing():
        votes.cast_vote(event, current_user, body["team_id"])
    return jsonify(vote_body(event))
