"""The `tracks` CSV kind: `name,company,capacity,description`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l

from hackathon import csvio
from hackathon.events.models import Event
from hackathon.events.services import get_or_create_company
from hackathon.numbers import int_or_none, parse_int
from hackathon.registry import Registry
from hackathon.teams.rules import tracks_of
from hackathon.teams.services.tracks import (
    TRACK_COLUMNS,
    _check,
    save_track,
    track_by_name,
)


def _check_track_rows(event: Event, rows: list[csvio.Row]) -> list[csvio.RowProblem]:
    problems = []
    seen: dict[str, int] = {}
    for row in rows:
        name = " ".join(row.get("name").split())
        raw = row.get("capacity")
        capacity = int_or_none(raw)
        if capacity is None:
            problems.append(
                csvio.RowProblem(
                    row.number,
                    str(_l("the capacity “%(value)s” is not a whole number", value=raw)),
                )
            )
        existing = track_by_name(event, name) if name else None
        errors = _check(event, existing, name, capacity or 0)
        if capacity is None:
            errors.pop("capacity", None)
        for message in errors.values():
            problems.append(csvio.RowProblem(row.number, message))
        if len(row.get("company")) > 200:
            problems.append(csvio.RowProblem(row.number, str(_l("the company name is too long"))))
        key = name.lower()
        if name and key in seen:
            problems.append(
                csvio.RowProblem(
                    row.number, str(_l("the same track as row %(other)d", other=seen[key]))
                )
            )
        seen.setdefault(key, row.number)
    return problems


def import_tracks(event: Event, rows: list[csvio.Row]) -> csvio.ImportResult:
    """Add or update tracks by name; tracks missing from the file stay as they are."""
    problems = _check_track_rows(event, rows)
    if problems:
        raise csvio.ImportFailed(problems)
    result = csvio.ImportResult()
    for row in rows:
        name = " ".join(row.get("name").split())
        company = get_or_create_company(row.get("company")) if row.get("company") else None
        track = track_by_name(event, name)
        wanted = {
            "capacity": parse_int(row.get("capacity")),
            "company_id": company.id if company else None,
            "description": row.get("description"),
        }
        if track is not None and all(getattr(track, k) == v for k, v in wanted.items()):
            result.unchanged += 1
            continue
        keep = {"name_en": track.name_en, "description_en": track.description_en} if track else {}
        save_track(event, track, name=name, **{**keep, **wanted})
        if track is None:
            result.created += 1
        else:
            result.updated += 1
    return result


def export_tracks(event: Event) -> Iterable[dict[str, Any]]:
    for track in tracks_of(event):
        yield {
            "name": track.name,
            "company": track.company.name if track.company else "",
            "capacity": track.capacity,
            "description": track.description,
        }


def register(registry: Registry) -> None:
    registry.add_csv_kind(
        "tracks",
        TRACK_COLUMNS,
        required=("name", "capacity"),
        importer=import_tracks,
        exporter=export_tracks,
    )
