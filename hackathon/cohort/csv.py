"""The cohort's CSV exports. They are a program's, not an event's, so they have their own
command (`programs export SLUG KIND FILE`, cli.py) rather than the events' kinds:

- `placements`: `email,name,company,choice,company_rank`, one row per trainee who opted in
  to the job fair (see docs/cohort.md, "Job fair").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hackathon.cohort.services import jobfair, placements
from hackathon.events.models import Program


@dataclass(frozen=True)
class ProgramExport:
    columns: tuple[str, ...]
    rows: Callable[[Program], Iterable[dict[str, Any]]]


def placement_rows(program: Program) -> list[dict[str, Any]]:
    fair = jobfair.get_fair(program)
    return placements.placement_rows(fair) if fair is not None else []


PROGRAM_EXPORTS: dict[str, ProgramExport] = {
    "placements": ProgramExport(placements.COLUMNS, placement_rows),
}
