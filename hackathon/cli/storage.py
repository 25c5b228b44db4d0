"""`storage check` and `storage gc`: reachability and cleanup of unfinished uploads."""

from __future__ import annotations

from datetime import timedelta

import click

from hackathon.extensions import db


@click.group("storage")
def storage_cli() -> None:
    """File storage (local folder or S3)."""


@storage_cli.command("check")
def check_command() -> None:
    """Exit with an error unless the configured storage answers."""
    from hackathon.storage import StorageError, get_storage

    storage = get_storage()
    try:
        storage.check()
    except StorageError as error:
        raise click.ClickException(f"{storage.name} storage unreachable: {error}") from error
    click.echo(f"{storage.name} storage: ok")


@storage_cli.command("gc")
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
    from hackathon.storage import StorageError, get_storage
    from hackathon.submissions.gc import collect_garbage

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


commands = [storage_cli]
