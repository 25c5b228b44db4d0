"""The pages everyone sees: the list of events, a program, an event."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from hackathon.caching import public_page
from hackathon.events import services
from hackathon.events.models import Program
from hackathon.events.views import bp
from hackathon.extensions import db
from hackathon.registry import get_registry


@bp.get("/")
@public_page
def home() -> ResponseReturnValue:
    events = services.visible_events(current_user)
    programs = db.session.scalars(select(Program).order_by(Program.created_at.desc())).all()
    return render_template("events/home.html", events=events, programs=programs)


@bp.get("/programs/<slug>")
@public_page
def program(slug: str) -> ResponseReturnValue:
    program = services.get_program(slug)
    events = [e for e in program.events if services.can_view(current_user, e)]
    return render_template("events/program.html", program=program, events=events)


@bp.get("/events/<slug>")
@public_page
def event(slug: str) -> ResponseReturnValue:
    event = services.get_event(slug)
    if not services.can_view(current_user, event):
        abort(404)
    return render_template(
        "events/event.html",
        event=event,
        my_roles=services.roles_of(current_user, event),
        organizer=services.is_organizer(current_user, event),
        panels=get_registry().panels_for(event, current_user),
    )
