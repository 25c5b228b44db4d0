"""The events feature's pages, by audience: public, participant, organizer; and the form
helpers the administration's event pages share with the organizers'."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from hackathon.errors import ValidationFailed
from hackathon.events import services
from hackathon.events.forms import EventForm
from hackathon.events.models import ROLE_LABELS, Program, Role
from hackathon.extensions import db

# The people pages' stylesheet sits with the feature; "static" is therefore no event's
# address (services.RESERVED_SLUGS).
bp = Blueprint(
    "events",
    __name__,
    static_folder=str(Path(__file__).resolve().parent.parent / "static"),
    static_url_path="/events/static",
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
        "registration": form.registration.data,
    }
    try:
        for field, _label in services.TIMELINE:
            values[field] = services.local_to_utc(getattr(form, field).data, tz)
    except (KeyError, ValueError):
        raise ValidationFailed(fields={"timezone": _("Unknown time zone.")}) from None
    return values


@bp.app_context_processor
def event_helpers() -> dict:
    return {
        "timeline": services.TIMELINE,
        "role_label": lambda role: str(ROLE_LABELS[Role(role)]),
    }
