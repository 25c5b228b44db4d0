"""The JSON API: who am I, health, events, and the OpenAPI document."""

from __future__ import annotations

from flask import abort, current_app, jsonify
from flask_login import current_user
from sqlalchemy import select, text

from hackathon.api import bp
from hackathon.api.openapi import build_spec, doc
from hackathon.api.schemas import EventListSchema, EventSchema, HealthSchema, MeSchema
from hackathon.events import services as events
from hackathon.events.models import Event, EventRole
from hackathon.extensions import db
from hackathon.storage import StorageError, get_storage

event_schema = EventSchema()


def membership_hooks() -> list:
    """Callables adding team/submission ids to /me; features register theirs here."""
    return current_app.extensions.setdefault("me_hooks", [])


@bp.get("/me")
@doc(
    "The signed-in user and their roles per event",
    response=MeSchema,
    errors=(401,),
    tags=("accounts",),
)
def me():
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
    for hook in membership_hooks():
        hook(current_user, per_event)
    body = {
        "id": current_user.id,
        "email": current_user.email,
        "name": current_user.name,
        "locale": current_user.locale,
        "is_admin": current_user.is_admin,
        "events": list(per_event.values()),
    }
    return jsonify(MeSchema().dump(body))


@bp.get("/healthz")
@doc("The process is up", response=HealthSchema, tags=("operations",))
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@doc(
    "The database and storage are reachable",
    response=HealthSchema,
    extra_responses={503: "Not ready"},
    tags=("operations",),
)
def readyz():
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # any driver error means not ready
        db.session.rollback()
        current_app.logger.warning("readiness: database: %s", error)
        checks["database"] = "unreachable"
    try:
        get_storage().check()
        checks["storage"] = "ok"
    except StorageError as error:
        current_app.logger.warning("readiness: storage: %s", error)
        checks["storage"] = "unreachable"
    ready = all(v == "ok" for v in checks.values())
    return jsonify({"status": "ok" if ready else "unavailable", "checks": checks}), (
        200 if ready else 503
    )


def dump_event(event: Event) -> dict:
    data = event_schema.dump(event)
    data["program"] = event.program.slug if event.program else None
    data["phase"] = str(event.phase)
    return data


@bp.get("/events")
@doc("Events the caller may see", response=EventListSchema, tags=("events",))
def list_events():
    return jsonify({"events": [dump_event(e) for e in events.visible_events(current_user)]})


@bp.get("/events/<slug>")
@doc("One event", response=EventSchema, errors=(404,), tags=("events",))
def get_event(slug: str):
    event = events.get_event(slug)
    if not events.can_view(current_user, event):
        abort(404)
    return jsonify(dump_event(event))


@bp.get("/openapi.json")
def openapi():
    spec = current_app.extensions.get("openapi_spec")
    if spec is None:
        spec = current_app.extensions["openapi_spec"] = build_spec(current_app)
    return jsonify(spec)
