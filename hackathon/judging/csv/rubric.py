"""CSV kind `rubric` (name,weight,min,max,description): the event's criteria."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l

from hackathon import csvio
from hackathon.errors import ValidationFailed
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.rules import criteria_of
from hackathon.judging.services.rubric import (
    RubricLocked,
    add_criterion,
    check_values,
    is_locked,
    update_criterion,
)

RUBRIC_COLUMNS = ("name", "weight", "min", "max", "description")


def _number(raw: str, kind: type) -> Any:
    try:
        value = kind(raw)
    except ValueError:
        return None
    return value


def import_rubric(event: Event, rows: list[csvio.Row]) -> csvio.ImportResult:
    """Create or update criteria by name; criteria not in the file are left alone."""
    problems: list[csvio.RowProblem] = []
    if is_locked(event):
        raise csvio.ImportFailed([csvio.RowProblem(1, str(RubricLocked.message))])
    existing = {c.name: c for c in criteria_of(event)}
    seen: dict[str, int] = {}
    cleaned: list[tuple[csvio.Row, dict[str, Any]]] = []
    for row in rows:
        name = row.get("name")
        if name in seen:
            problems.append(
                csvio.RowProblem(
                    row.number, str(_l("the same name as row %(other)d", other=seen[name]))
                )
            )
            continue
        seen[name] = row.number
        values = {
            "name": name,
            "weight": _number(row.get("weight"), float),
            "min_score": _number(row.get("min"), int),
            "max_score": _number(row.get("max"), int),
            "description": row.get("description"),
        }
        current = existing.get(name)
        if current is not None:
            values.update(
                name_en=current.name_en,
                description_en=current.description_en,
                levels=current.levels,
            )
        try:
            cleaned.append((row, check_values(event, values, current)))
        except ValidationFailed as error:
            for message in (error.details.get("fields") or {}).values():
                problems.append(csvio.RowProblem(row.number, message))
    if problems:
        raise csvio.ImportFailed(problems)
    result = csvio.ImportResult()
    for _row, clean in cleaned:
        current = existing.get(clean["name"])
        if current is None:
            add_criterion(event, **clean)
            result.created += 1
        elif any(getattr(current, k) != v for k, v in clean.items()):
            update_criterion(current, **clean)
            result.updated += 1
        else:
            result.unchanged += 1
    db.session.flush()
    return result


def export_rubric(event: Event) -> Iterator[dict[str, Any]]:
    for criterion in criteria_of(event):
        yield {
            "name": criterion.name,
            "weight": f"{criterion.weight:g}",
            "min": criterion.min_score,
            "max": criterion.max_score,
            "description": criterion.description,
        }
