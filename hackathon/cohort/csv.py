"""The cohort's CSV exports. They are a program's, not an event's, so they have their own
command (`programs export SLUG KIND FILE`, cli.py) rather than the events' kinds:

- `people`: `email,name,events,teams,ranks,awards,individual_awards,peer_mean`, one row per
  trainee, ranks as they stand (it is the organizers' export; see docs/cohort.md).
- `placements`: `email,name,company,choice,company_rank`, one row per trainee who opted in
  to the job fair (see docs/cohort.md, "Job fair").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hackathon.cohort.services import jobfair, placements, record
from hackathon.events.models import Program


@dataclass(frozen=True)
class ProgramExport:
    columns: tuple[str, ...]
    rows: Callable[[Program], Iterable[dict[str, Any]]]


PEOPLE_COLUMNS = (
    "email",
    "name",
    "events",
    "teams",
    "ranks",
    "awards",
    "individual_awards",
    "peer_mean",
)


def people_records(program: Program) -> list[dict[str, Any]]:
    """One row per trainee. Lists are `;`-separated, one entry per event taken part in,
    written `event-slug: value`; ranks as they stand now (it is the organizers' export)."""
    sight = record.Sight(current=frozenset(e.id for e in program.events), private=True)
    rows = []
    for rec in record.records(program, sight):
        taken = [e for e in rec.events if e.team is not None]
        rows.append(
            {
                "email": rec.user.email,
                "name": rec.user.name,
                "events": len(taken),
                "teams": ";".join(f"{e.event.slug}: {e.team['name']}" for e in taken if e.team),
                "ranks": ";".join(f"{e.event.slug}: {e.rank}" for e in taken if e.rank is not None),
                "awards": ";".join(f"{e.event.slug}: {a['name']}" for e in taken for a in e.awards),
                "individual_awards": ";".join(a["name"] for a in rec.awards),
                "peer_mean": round(rec.peer["mean"], 2) if rec.peer else None,
            }
        )
    return rows


def placement_rows(program: Program) -> list[dict[str, Any]]:
    fair = jobfair.get_fair(program)
    return placements.placement_rows(fair) if fair is not None else []


PROGRAM_EXPORTS: dict[str, ProgramExport] = {
    "people": ProgramExport(PEOPLE_COLUMNS, people_records),
    "placements": ProgramExport(placements.COLUMNS, placement_rows),
}
