"""`GET /api/v1/programs/<slug>/people`, `GET /api/v1/programs/<slug>/people/<id>` and
`PUT /api/v1/me/portfolio` (docs/cohort.md)."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import Schema, fields, validate

from hackathon.accounts.models import User
from hackathon.api import bp
from hackathon.api.bodies import RequestSchema, Text, Whole, request_body
from hackathon.api.openapi import doc
from hackathon.cohort import rules
from hackathon.cohort.models import Portfolio
from hackathon.cohort.schemas import (
    PeopleSchema,
    PersonDetailSchema,
    PortfolioBodySchema,
    PortfolioSchema,
)
from hackathon.cohort.services import peer, record
from hackathon.cohort.services import portfolio as portfolios
from hackathon.cohort.services.record import EventEntry, Record
from hackathon.errors import NotFound
from hackathon.events import services as events
from hackathon.events.models import Event, Program
from hackathon.web import writing

TAGS = ("cohort",)

# Records and portfolios ----------------------------------------------------------------


def _event(entry: EventEntry, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "slug": entry.event.slug,
        "team": entry.team,
        "track": entry.track,
        "rank": entry.rank,
        "awards": entry.awards,
    }
    if detail:
        out.update(
            name=entry.event.name,
            name_en=entry.event.name_en,
            track_en=entry.track_en,
            role=entry.role,
            submission=entry.submission,
        )
    return out


def dump_person(rec: Record) -> dict[str, Any]:
    return {
        "id": rec.user.id,
        "name": rec.user.name,
        "email": rec.user.email,
        "events": [_event(e) for e in rec.events],
        "awards": rec.awards,
        "peer": rec.peer,
    }


@bp.get("/programs/<slug>/people")
@doc(
    "A program's trainees: per event their team, track, rank and awards",
    response=PeopleSchema,
    errors=(404,),
    tags=TAGS,
)
def program_people(slug: str) -> ResponseReturnValue:
    """Organizers of any of the program's events and site admins; 404 to everyone else.
    Ranks and awards of the events the reader organizes are as they stand now, of the
    others only once published."""
    program = events.get_program(slug)
    if not rules.can_see_people(current_user, program):
        raise NotFound()
    found = record.records(program, record.organizer_sight(current_user, program))
    return jsonify(PeopleSchema().dump({"people": [dump_person(r) for r in found]}))


@bp.get("/programs/<slug>/people/<int:user_id>")
@doc(
    "One trainee's record, or their published portfolio's",
    response=PersonDetailSchema,
    errors=(404,),
    tags=TAGS,
)
def program_person(slug: str, user_id: int) -> ResponseReturnValue:
    """The person and organizers get the record (with e-mail, peer review and check-ins);
    anyone else only once the portfolio is published, then without e-mail and peer
    review, only the projects it shows, and ranks and awards of published results only."""
    program = events.get_program(slug)
    organizer = rules.can_see_people(current_user, program)
    if organizer or rules.is_self(current_user, user_id):
        sight = record.organizer_sight(current_user, program) if organizer else record.OWN
        found = record.record_of(program, user_id, sight)
        if found is None:
            raise NotFound()
        body = dump_person(found)
        body["events"] = [_event(e, detail=True) for e in found.events]
        body["checkins"] = found.checkins
        body["portfolio"] = _summary(program, portfolios.get_portfolio(program, user_id), found)
        return jsonify(PersonDetailSchema().dump(body))
    page = portfolios.portfolio_page(program, user_id)
    if page is None or not page.portfolio.public:
        raise NotFound()
    body = {
        "id": page.user.id,
        "name": page.user.name,
        "events": [_event(p.entry, detail=True) for p in page.projects],
        "awards": page.awards,
        "portfolio": _summary(program, page.portfolio, page.record),
    }
    return jsonify(PersonDetailSchema().dump(body))


def _summary(program: Program, portfolio: Portfolio | None, rec: Record) -> dict[str, Any] | None:
    if portfolio is None:
        return None
    return {
        "public": portfolio.public,
        "headline": portfolio.headline,
        "skills": portfolios.skills_of(portfolio, rec.user),
        "links": portfolio.links,
        "url": url_for("cohort.person", slug=program.slug, user_id=rec.user.id, view="portfolio"),
    }


@bp.put("/me/portfolio")
@doc(
    "Publish or hide my portfolio in a program, and choose what it shows",
    body=PortfolioBodySchema,
    response=PortfolioSchema,
    errors=(401, 404, 422),
    tags=TAGS,
)
def put_portfolio() -> ResponseReturnValue:
    """Fields left out stay as they are; `projects` replaces the whole choice (events by
    slug; files by id, of the newest version of each slot; feedback by its exact text).
    Only a trainee of the program has a portfolio there (404 otherwise)."""
    if not current_user.is_authenticated:
        abort(401)
    user: User = current_user._get_current_object()
    body = request_body()
    program = events.get_program(body["program"])
    projects = None
    if "projects" in body:
        slugs = {e.slug: e.id for e in program.events}
        projects = {}
        for choice in body["projects"]:
            if choice["event"] not in slugs:
                raise rules.NotYours()
            projects[slugs[choice["event"]]] = {
                "files": choice["files"],
                "feedback": choice["feedback"],
            }
    with writing():
        portfolio = portfolios.save_portfolio(
            program,
            user,
            headline=body.get("headline"),
            about=body.get("about"),
            skills=";".join(body["skills"]) if "skills" in body else None,
            links=body.get("links"),
            public=body.get("public"),
            projects=projects,
        )
        dumped = dump_portfolio(program, portfolio, user)
    return jsonify(dumped)


def dump_portfolio(program: Program, portfolio: Portfolio, user: User) -> dict[str, Any]:
    slugs = {e.id: e.slug for e in program.events}
    return PortfolioSchema().dump(
        {
            "program": program.slug,
            "public": portfolio.public,
            "published_at": portfolio.published_at,
            "headline": portfolio.headline,
            "about": portfolio.about,
            "skills": portfolios.skills_of(portfolio, user),
            "links": portfolio.links,
            "projects": [
                {"event": slugs.get(p.event_id, ""), "files": p.file_ids, "feedback": p.feedback}
                for p in portfolio.projects
            ],
            "url": url_for("cohort.person", slug=program.slug, user_id=user.id, view="portfolio"),
        }
    )


# End of records and portfolios ----------------------------------------------------------


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


def _visible_event(slug: str) -> Event:
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
    return jsonify(_mine(_visible_event(slug)))


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
    event = _visible_event(slug)
    body = request_body()
    with writing():
        peer.rate(event, current_user, ratee_id, body["score"], body["comment"])
    return jsonify(_mine(event))
