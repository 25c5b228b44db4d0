"""The organizers' pages: the event's settings."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from hackathon.errors import ValidationFailed
from hackathon.events import services
from hackathon.events.forms import EventForm
from hackathon.events.models import Event
from hackathon.events.views import _program_choices, apply_field_errors, bp, event_values
from hackathon.extensions import db


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_event(slug: str):
    event = services.organized_event(slug)
    form = EventForm(data=_form_values(event))
    form.program_id.choices = _program_choices()
    if form.validate_on_submit():
        try:
            values = event_values(form)
            services.update_event(event, name=form.name.data.strip(), **values)
        except ValidationFailed as error:
            db.session.rollback()
            apply_field_errors(form, error)
        else:
            db.session.commit()
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
