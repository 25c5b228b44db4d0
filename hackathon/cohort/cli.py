"""`programs export SLUG people FILE` (FILE `-` = stdout): the trainee record of a
program as CSV, for the staff's spreadsheets. The organizers' tool: ranks as they stand."""

from __future__ import annotations

from typing import IO, Any

import click
from flask_babel import gettext as _

from hackathon import csvio
from hackathon.cohort.services import record
from hackathon.errors import DomainError
from hackathon.events import services as events
from hackathon.events.models import Program

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


@click.group("programs")
def programs_cli() -> None:
    """A program's (a cohort's) own data."""


@programs_cli.command("export")
@click.argument("slug")
@click.argument("kind_name", metavar="KIND", type=click.Choice(["people"]))
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
def export_command(slug: str, kind_name: str, file: IO[str]) -> None:
    """Export a program's data as CSV (UTF-8); KIND is `people`."""
    try:
        program = events.get_program(slug)
    except DomainError:
        raise click.ClickException(_("No program has the address “%(slug)s”.", slug=slug)) from None
    file.write(csvio.write(None, people_records(program), PEOPLE_COLUMNS))


commands = [programs_cli]
