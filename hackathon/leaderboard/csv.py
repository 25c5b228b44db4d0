"""The `leaderboard` CSV export: the current ranking, whatever the publication state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.models import Criterion
from hackathon.leaderboard.logic.rows import CSV_COLUMNS, csv_records, payload
from hackathon.leaderboard.services import board as services
from hackathon.registry import Registry


def current_payload(event: Event, mode: str | None = None) -> dict[str, Any]:
    """The board from the scores now, as the API shapes it (organizers' tools)."""
    board = services.compute_board(event, mode)
    state = services.get_board(event.id)
    return payload(
        board,
        event=event.slug,
        state=str(state.state) if state else "hidden",
        generated_at=board["computed_at"],
        awards=services.award_dicts(event.id),
    )


def export_leaderboard(event: Event) -> list[dict[str, Any]]:
    return csv_records(current_payload(event))


def criterion_columns(event: Event) -> tuple[str, ...]:
    return tuple(
        db.session.scalars(
            select(Criterion.name)
            .where(Criterion.event_id == event.id)
            .order_by(Criterion.position, Criterion.id)
        )
    )


def register(registry: Registry) -> None:
    registry.add_csv_kind(
        "leaderboard",
        CSV_COLUMNS,
        exporter=export_leaderboard,
        dynamic_columns=criterion_columns,
    )
