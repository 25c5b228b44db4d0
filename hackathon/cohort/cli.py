"""`programs export SLUG KIND FILE`: a program's CSV exports (csv.py)."""

from __future__ import annotations

from typing import IO

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from hackathon import csvio
from hackathon.cohort.csv import PROGRAM_EXPORTS
from hackathon.errors import NotFound
from hackathon.events.services import get_program

programs_cli = AppGroup("programs", help="A program's people across its events.")


@programs_cli.command("export")
@click.argument("slug")
@click.argument("kind_name", metavar="KIND")
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
def export_program(slug: str, kind_name: str, file: IO[str]) -> None:
    """Export a program's data as CSV (UTF-8)."""
    kind = PROGRAM_EXPORTS.get(kind_name)
    if kind is None:
        raise click.ClickException(
            _(
                "Cannot export “%(kind)s”. Kinds that can be exported: %(kinds)s",
                kind=kind_name,
                kinds=", ".join(sorted(PROGRAM_EXPORTS)),
            )
        )
    try:
        program = get_program(slug)
    except NotFound:
        raise click.ClickException(_("No program has the address “%(slug)s”.", slug=slug)) from None
    file.write(csvio.write(None, kind.rows(program), kind.columns))


commands = [programs_cli]
