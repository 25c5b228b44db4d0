"""Event rules: programs, events, companies and roles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.accounts.rules import Viewer, signed_in
from hackathon.errors import Conflict, NotFound, ValidationFailed
from hackathon.events.models import (
    DEFAULT_SCORING_MODE,
    Company,
    Event,
    EventKind,
    EventRole,
    Phase,
    Program,
    Registration,
    Role,
    ScoringMode,
)
from hackathon.extensions import db

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
# Addresses that pages of the site use themselves (/events/static/… is the stylesheets').
RESERVED_SLUGS = frozenset({"static"})

# The order the phase boundaries must follow, as (field, label) pairs.
TIMELINE = (
    ("registration_opens_at", _l("Registration opens")),
    ("team_formation_opens_at", _l("Team formation opens")),
    ("teams_lock_at", _l("Teams lock")),
    ("submissions_open_at", _l("Submissions open")),
    ("submissions_close_at", _l("Submissions close")),
    ("judging_close_at", _l("Judging closes")),
)
EVENT_FIELDS = {
    "name",
    "name_en",
    "description",
    "kind",
    "timezone",
    "grace_minutes",
    "team_min",
    "team_max",
    "judges_per_submission",
    "scoring_mode",
    "program_id",
    "registration",
    *(field for field, _label in TIMELINE),
}


class SlugTaken(Conflict):
    code = "slug_taken"
    message = _l("This address is already in use.")


class BadSlug(ValidationFailed):
    code = "bad_slug"
    message = _l("Use 1–64 lowercase letters, digits and hyphens for the address.")


class ReservedSlug(ValidationFailed):
    code = "reserved_slug"
    message = _l("The site uses this address for its own pages; choose another.")


@cache
def known_timezones() -> frozenset[str]:
    """IANA zone names (read from the system once: the scan is slow)."""
    return frozenset(available_timezones())


def check_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise BadSlug()
    if slug in RESERVED_SLUGS:
        raise ReservedSlug()
    return slug


def get_event(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound()
    return event


def get_program(slug: str) -> Program:
    program = db.session.scalar(select(Program).where(Program.slug == slug))
    if program is None:
        raise NotFound()
    return program


def roles_of(user: Viewer, event: Event) -> set[Role]:
    if not signed_in(user):
        return set()
    rows = db.session.scalars(
        select(EventRole.role).where(EventRole.event_id == event.id, EventRole.user_id == user.id)
    )
    return {Role(r) for r in rows}


def take_turns(event: Event) -> None:
    """Hold the event's row until this transaction ends, after any other writer that
    holds it: the writers that must not run side by side in one event (an assignment plan,
    a change of the board's state) take turns on it. `FOR NO KEY UPDATE` still lets score
    writes through: their audit rows only take a key-share lock on it."""
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update(key_share=True))


def is_organizer(user: Viewer, event: Event) -> bool:
    if not signed_in(user):
        return False
    return bool(user.is_admin) or Role.ORGANIZER in roles_of(user, event)


def can_view(user: Viewer, event: Event) -> bool:
    """Drafts are seen only by their organizers."""
    return event.phase != Phase.DRAFT or is_organizer(user, event)


def visible_events(user: Viewer) -> list[Event]:
    events = db.session.scalars(select(Event).order_by(Event.submissions_open_at.desc(), Event.id))
    return [e for e in events if can_view(user, e)]


def validate_event(values: dict[str, Any]) -> None:
    """Check names, bounds, time zone and the order of the timeline; every problem is
    reported at once, per field."""
    errors: dict[str, str] = {}
    if "name" in values:
        name = (values["name"] or "").strip()
        if not name or len(name) > 200:
            errors["name"] = str(_l("Give a name of 1–200 characters."))
    name_en = values.get("name_en")
    if name_en and len(name_en) > 200:
        errors["name_en"] = str(_l("Give a name of 1–200 characters."))
    program_id = values.get("program_id")
    if program_id is not None and db.session.get(Program, program_id) is None:
        errors["program_id"] = str(_l("Unknown program."))
    team_min, team_max = values.get("team_min", 1), values.get("team_max", 5)
    if team_min < 1:
        errors["team_min"] = str(_l("A team has at least one member."))
    if team_max < team_min:
        errors["team_max"] = str(_l("The maximum team size is below the minimum."))
    if values.get("judges_per_submission", 1) < 1:
        errors["judges_per_submission"] = str(_l("At least one judge per submission."))
    if values.get("grace_minutes", 0) < 0:
        errors["grace_minutes"] = str(_l("The grace period cannot be negative."))
    if values.get("timezone", "Asia/Seoul") not in known_timezones():
        errors["timezone"] = str(_l("Unknown time zone."))
    if values.get("kind", EventKind.HACKATHON) not in set(EventKind):
        errors["kind"] = str(_l("Unknown kind of event."))
    if values.get("scoring_mode", DEFAULT_SCORING_MODE) not in set(ScoringMode):
        errors["scoring_mode"] = str(_l("Unknown scoring mode."))
    if values.get("registration", Registration.CLOSED) not in set(Registration):
        errors["registration"] = str(_l("Unknown way of registering."))
    previous: tuple[datetime, Any] | None = None
    for field, label in TIMELINE:
        moment = values.get(field)
        if moment is None:
            continue
        if previous is not None and moment < previous[0]:
            errors[field] = str(
                _l("%(this)s must not be before %(that)s.", this=label, that=previous[1])
            )
        previous = (moment, label)
    if errors:
        raise ValidationFailed(fields=errors)


def create_event(slug: str, name: str, **values: Any) -> Event:
    """Create an event; the slug is unique and the timeline in order."""
    slug = check_slug(slug)
    unknown = set(values) - EVENT_FIELDS
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    defaults = {
        "kind": EventKind.HACKATHON,
        "timezone": "Asia/Seoul",
        "team_min": 1,
        "team_max": 5,
        "judges_per_submission": 3,
        "scoring_mode": DEFAULT_SCORING_MODE,
        "grace_minutes": 0,
        "description": "",
    }
    merged = {**defaults, **{k: v for k, v in values.items() if v is not None}}
    validate_event({"name": name, **merged})
    if db.session.scalar(select(Event.id).where(Event.slug == slug)):
        raise SlugTaken()
    event = Event(slug=slug, name=name.strip(), **merged)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, **values: Any) -> Event:
    """Change an event's settings; the same checks as on creation."""
    unknown = set(values) - EVENT_FIELDS
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    current = {field: getattr(event, field) for field in EVENT_FIELDS}
    current.update(values)
    validate_event(current)
    for field, value in values.items():
        setattr(event, field, value.strip() if field == "name" else value)
    db.session.flush()
    return event


def create_program(
    slug: str, name: str, name_en: str | None = None, description: str = ""
) -> Program:
    """Create a program (a cohort); the slug is unique."""
    slug = check_slug(slug)
    if not name.strip() or len(name.strip()) > 200:
        raise ValidationFailed(fields={"name": str(_l("Give a name of 1–200 characters."))})
    if db.session.scalar(select(Program.id).where(Program.slug == slug)):
        raise SlugTaken()
    program = Program(slug=slug, name=name.strip(), name_en=name_en, description=description)
    db.session.add(program)
    db.session.flush()
    return program


def get_or_create_company(name: str) -> Company:
    name = name.strip()
    company = db.session.scalar(select(Company).where(Company.name == name))
    if company is None:
        company = Company(name=name, description="", website="")
        db.session.add(company)
        db.session.flush()
    return company


def grant_role(event: Event, user: User, role: Role, company: Company | None = None) -> EventRole:
    """Give a person a role in an event (idempotent); the company is updated if given."""
    existing = db.session.scalar(
        select(EventRole).where(
            EventRole.event_id == event.id, EventRole.user_id == user.id, EventRole.role == role
        )
    )
    if existing is not None:
        if company is not None:
            existing.company_id = company.id
        return existing
    granted = EventRole(
        event_id=event.id, user_id=user.id, role=role, company_id=company.id if company else None
    )
    db.session.add(granted)
    db.session.flush()
    return granted


def revoke_role(event: Event, user: User, role: Role) -> None:
    row = db.session.scalar(
        select(EventRole).where(
            EventRole.event_id == event.id, EventRole.user_id == user.id, EventRole.role == role
        )
    )
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def people(event: Event, roles: Iterable[Role]) -> list[EventRole]:
    return list(
        db.session.scalars(
            select(EventRole)
            .where(EventRole.event_id == event.id, EventRole.role.in_(list(roles)))
            .order_by(EventRole.role, EventRole.id)
        )
    )


def local_to_utc(value: datetime | None, tz: str) -> datetime | None:
    """A naive wall-clock time entered in the event's time zone, as an aware UTC time."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))


def organized_event(slug: str) -> Event:
    """The event at `slug` if the signed-in person organizes it; 404 for anyone else."""
    event = get_event(slug)
    if not is_organizer(current_user, event):
        abort(404)
    return event
