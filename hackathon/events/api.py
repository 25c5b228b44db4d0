"""Events in the JSON API: `GET /me` (the signed-in user and their roles per event),
`GET /events` and `GET /events/<slug>`."""

from __future__ import annotations

from flask import abort, jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from hackathon.api import bp
from hackathon.api.openapi import doc
from hackathon.api.schemas import EventListSchema, EventSchema, MeSchema
from hackathon.events import services as events
from hackathon.events.models import Event, EventRole
from hackathon.extensions import db
from hackathon.registry import get_registry

event_schema = EventSchema()


@bp.get("/me")
@doc(
    "The signed-in user and their roles per event",
    response=MeSchema,
    errors=(401,),
    tags=("accounts",),
)
def me() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        abort(401)
    rows = db.session.execute(
        select(Event, EventRole.role)
        .join(EventRole, EventRole.event_id == Event.id)
        .where(EventRole.user_id == current_user.id)
        .order_by(Event.id)
    ).all()
    per_event: dict[int, dict] = {}
    for event, role in rows:
        entry = per_event.setdefault(
            event.id, {"slug": event.slug, "roles": [], "team_id": None, "submission_id": None}
        )
        entry["roles"].append(str(role))
    for add_fields in get_registry().me_fields:  # team and submission ids
        add_fields(current_user, per_event)
    body = {
        "id": current_user.id,
        "email": current_user.email,
        "name": current_user.name,
        "locale": current_user.locale,
        "is_admin": current_user.is_admin,
        "events": list(per_event.values()),
    }
    return jsonify(MeSchema().dump(body))


def dump_event(event: Event) -> dict:
    data = event_schema.dump(event)
    data["program"] = event.program.slug if event.program else None
    data["phase"] = str(event.phase)
    return data


@bp.get("/events")
@doc("Events the caller may see", response=EventListSchema, tags=("events",))
def list_events() -> ResponseReturnValue:
    return jsonify({"events": [dump_event(e) for e in events.visible_events(current_user)]})


@bp.get("/events/<slug>")
@doc("One event", response=EventSchema, errors=(404,), tags=("events",))
def get_event(slug: str) -> ResponseReturnValue:
    event = events.get_event(slug)
    if not events.can_view(current_user, event):
        abort(404)
    return jsonify(dump_event(event))
