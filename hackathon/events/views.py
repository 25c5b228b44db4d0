from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from hackathon.errors import ValidationFailed
from hackathon.events import services
from hackathon.events.forms import EventForm
from hackathon.events.models import ROLE_LABELS, Event, Program, Role
from hackathon.extensions import db
from hackathon.registry import get_registry
from hackathon.web import writing

bp = Blueprint("events", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    events = services.visible_events(current_user)
    programs = db.session.scalars(select(Program).order_by(Program.created_at.desc())).all()
    return render_template("events/home.html", events=events, programs=programs)


@bp.get("/programs/<slug>")
def program(slug: str) -> ResponseReturnValue:
    program = services.get_program(slug)
    events = [e for e in program.events if services.can_view(current_user, e)]
    return render_template("events/program.html", program=program, events=events)


@bp.get("/events/<slug>")
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


def _program_choices() -> list[SelectChoice]:
    programs = db.session.scalars(select(Program).order_by(Program.name))
    return [
        SelectChoice("0", _("No program")),
        *(SelectChoice(str(p.id), p.display_name) for p in programs),
    ]


def event_values(form: EventForm) -> dict:
    """The form's fields as service arguments, times converted from the event's zone."""
    tz = form.timezone.data.strip()
    values = {
        "name_en": form.name_en.data or None,
        "description": form.description.data or "",
        "program_id": form.program_id.data or None,
        "kind": form.kind.data,
        "timezone": tz,
        "grace_minutes": form.grace_minutes.data,
        "team_min": form.team_min.data,
        "team_max": form.team_max.data,
        "judges_per_submission": form.judges_per_submission.data,
        "scoring_mode": form.scoring_mode.data,
    }
    try:
        for field, _label in services.TIMELINE:
            values[field] = services.local_to_utc(getattr(form, field).data, tz)
    except (KeyError, ValueError):
        raise ValidationFailed(fields={"timezone": _("Unknown time zone.")}) from None
    return values


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_event(slug: str) -> ResponseReturnValue:
    event = services.get_event(slug)
    if not services.is_organizer(current_user, event):
        abort(404)
    form = EventForm(data=_form_values(event))
    form.program_id.choices = _program_choices()
    if form.validate_on_submit():
        with writing(form, catch=ValidationFailed) as write:
            services.update_event(event, name=form.name.data.strip(), **event_values(form))
        if write.ok:
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.event", slug=event.slug))
    form.slug.render_kw = {"readonly": True}
    return render_template("events/edit.html", form=form, event=event)


def _form_values(event: Event) -> dict[str, Any]:
    """The event's settings for its form, times as wall-clock values in its own zone."""
    zone = ZoneInfo(event.timezone)
    values: dict[str, Any] = {field: getattr(event, field) for field in services.EVENT_FIELDS}
    for field, _label in services.TIMELINE:
        if values[field] is not None:
            values[field] = values[field].astimezone(zone).replace(tzinfo=None)
    values["program_id"] = values["program_id"] or 0
    values["slug"] = event.slug
    return values


@bp.app_context_processor
def event_helpers() -> dict:
    return {
        "timeline": services.TIMELINE,
        "role_label": lambda role: str(ROLE_LABELS[Role(role)]),
    }
