"""`import SLUG KIND FILE` and `export SLUG KIND FILE` (FILE `-` = stdin/stdout)."""

from __future__ import annotations

import sys

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from hackathon import csvio
from hackathon.errors import DomainError, NotFound
from hackathon.events import services as events
from hackathon.extensions import db


def _kind(name: str, direction: str) -> csvio.Kind:
    kind = csvio.KINDS.get(name)
    able = kind and (kind.importer if direction == "import" else kind.exporter)
    if not able:
        names = sorted(
            k
            for k, v in csvio.KINDS.items()
            if (v.importer if direction == "import" else v.exporter)
        )
        message = (
            _("Cannot import “%(kind)s”. Kinds that can be imported: %(kinds)s")
            if direction == "import"
            else _("Cannot export “%(kind)s”. Kinds that can be exported: %(kinds)s")
        )
        raise click.ClickException(message % {"kind": name, "kinds": ", ".join(names) or "—"})
    return kind


def _event(slug: str):
    try:
        return events.get_event(slug)
    except NotFound:
        raise click.ClickException(_("No event has the address “%(slug)s”.", slug=slug)) from None


@click.command("import")
@click.argument("slug")
@click.argument("kind_name", metavar="KIND")
@click.argument("file", type=click.File("rb"))
def import_command(slug: str, kind_name: str, file) -> None:
    """Import a CSV file into an event; on any problem nothing is written."""
    kind = _kind(kind_name, "import")
    event = _event(slug)
    try:
        result = csvio.run_import(kind, event, file.read())
    except csvio.ImportFailed as failure:
        db.session.rollback()
        for problem in failure.problems:
            click.echo(str(problem), err=True)
        count = len(failure.problems)
        click.echo(
            ngettext(
                "%(num)d problem; nothing was imported.",
                "%(num)d problems; nothing was imported.",
                count,
            ),
            err=True,
        )
        sys.exit(1)
    except DomainError as error:
        db.session.rollback()
        click.echo(str(error.message), err=True)
        click.echo(_("Nothing was imported."), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{kind.name}: {result}")
    for note in result.notes:
        click.echo(note)


@click.command("export")
@click.argument("slug")
@click.argument("kind_name", metavar="KIND")
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
def export_command(slug: str, kind_name: str, file) -> None:
    """Export an event's data as CSV (UTF-8)."""
    kind = _kind(kind_name, "export")
    event = _event(slug)
    columns = kind.columns + (kind.dynamic_columns(event) if kind.dynamic_columns else ())
    file.write(csvio.write(kind, kind.exporter(event), columns))
