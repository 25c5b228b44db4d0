"""Tracks (themes or company briefs) and the `tracks` CSV kind."""

from __future__ import annotations

from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, func, select

from hackathon import audit
from hackathon.errors import Conflict, NotFound, ValidationFailed
from hackathon.events.models import Company, Event
from hackathon.extensions import db
from hackathon.teams.models import Team, Track, TrackPreference, TrackRanking

CAPACITY_MAX = 1000
TRACK_COLUMNS = ("name", "company", "capacity", "description")


class TrackNameTaken(Conflict):
    code = "track_name_taken"
    message = _l("Another track in this event already has this name.")


class TrackInUse(Conflict):
    code = "track_in_use"
    message = _l("Teams are on this track. Move them to another track first.")


def teams_on(track: Track) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(Team).where(Team.track_id == track.id))
        or 0
    )


def _check(event: Event, track: Track | None, name: str, capacity: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name or len(name) > 200:
        errors["name"] = str(_l("Give the track a name of 1 to 200 characters."))
    elif db.session.scalar(
        select(Track.id).where(
            Track.event_id == event.id,
            func.lower(Track.name) == name.lower(),
            Track.id != (track.id if track else -1),
        )
    ):
        errors["name"] = str(TrackNameTaken.message)
    if not 0 <= capacity <= CAPACITY_MAX:
        errors["capacity"] = str(
            _l("The capacity must be between 0 and %(max)d teams.", max=CAPACITY_MAX)
        )
    elif track is not None and capacity < teams_on(track):
        errors["capacity"] = str(
            _l(
                "%(n)d teams are on this track already; the capacity cannot be lower.",
                n=teams_on(track),
            )
        )
    return errors


def save_track(event: Event, track: Track | None = None, **values: Any) -> Track:
    """Add or change a track; names are unique per event and the capacity never drops below
    the teams already on it. Recorded in the audit log."""
    name = " ".join((values.get("name") or "").split())
    capacity = int(values.get("capacity", 3))
    errors = _check(event, track, name, capacity)
    company_id = values.get("company_id") or None
    if company_id is not None and db.session.get(Company, company_id) is None:
        errors["company_id"] = str(_l("Unknown company."))
    if errors:
        raise ValidationFailed(fields=errors)
    created = track is None
    if track is None:
        position = db.session.scalar(
            select(func.coalesce(func.max(Track.position), 0)).where(Track.event_id == event.id)
        )
        track = Track(event_id=event.id, position=(position or 0) + 1)
        db.session.add(track)
    track.name = name
    track.name_en = (values.get("name_en") or "").strip() or None
    track.description = (values.get("description") or "").strip()
    track.description_en = (values.get("description_en") or "").strip()
    track.company_id = company_id
    track.capacity = capacity
    db.session.flush()
    audit.record(
        "track.created" if created else "track.updated",
        event_id=event.id,
        subject=track,
        name=track.name,
        capacity=track.capacity,
        company_id=track.company_id,
    )
    return track


def delete_track(track: Track) -> None:
    """Remove a track no team is on; the teams' rankings of it go with it."""
    if teams_on(track):
        raise TrackInUse()
    audit.record("track.deleted", event_id=track.event_id, subject=track, name=track.name)
    for model in (TrackPreference, TrackRanking):
        # A model mapped to one table: its `__table__` is that Table (typed as any FROM).
        table = cast(Table, model.__table__)
        db.session.execute(table.delete().where(model.track_id == track.id))
    db.session.delete(track)
    db.session.flush()


def put_on_track(team: Team, track_id: int | None, via: str) -> None:
    """Move a team to a track (or to none), recorded in the audit log with what did it;
    the caller has checked the capacity."""
    if team.track_id != track_id:
        audit.record(
            "team.track_set",
            event_id=team.event_id,
            subject=team,
            track_id=track_id,
            previous=team.track_id,
            via=via,
        )
        team.track_id = track_id
        db.session.flush()


def track_by_name(event: Event, name: str) -> Track | None:
    return db.session.scalar(
        select(Track).where(Track.event_id == event.id, func.lower(Track.name) == name.lower())
    )


def require_track(event: Event, track_id: int) -> Track:
    track = db.session.get(Track, track_id)
    if track is None or track.event_id != event.id:
        raise NotFound()
    return track


# ---------------------------------------------------------------- CSV: tracks
