"""`storage gc`: remove what unfinished uploads leave behind."""

from __future__ import annotations

from datetime import timedelta

import click

from hackathon.extensions import db
from hackathon.storage import StorageError, get_storage
from hackathon.submissions.services.gc import collect_garbage


@click.command("gc")
@click.option(
    "--older-than",
    "minutes",
    default=60,
    show_default=True,
    type=click.IntRange(0),
    help="Only touch tickets expired, and orphans created, this many minutes ago.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
def gc_command(minutes: int, dry_run: bool) -> None:
    """Remove upload tickets never completed, their objects, and objects no row knows."""
    try:
        report = collect_garbage(get_storage(), timedelta(minutes=minutes), dry_run=dry_run)
    except StorageError as error:
        db.session.rollback()
        raise click.ClickException(f"storage unreachable: {error}") from error
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run: {report}")
    else:
        db.session.commit()
        click.echo(str(report))
