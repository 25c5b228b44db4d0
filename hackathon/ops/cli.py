"""`backup PATH` and `restore PATH`: the database and a manifest of the storage.
See docs/operations.md, "Backup and restore"."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from hackathon.ops.backup import BackupError, Missing, make_backup, restore_backup

SHOWN = 20  # missing objects listed by name; the rest are counted


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write every table and the storage manifest to PATH (a new .zip file)."""
    try:
        header = make_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(header["tables"].values())
    click.echo(
        _(
            "Backed up %(rows)s rows of %(tables)s tables and a manifest of %(objects)s"
            " stored files to %(path)s.",
            rows=rows,
            tables=len(header["tables"]),
            objects=header["objects"],
            path=path,
        )
    )


def _report(missing: Missing) -> None:
    for label, keys in (
        (_("missing from storage"), missing.absent),
        (_("size differs from the records"), missing.wrong_size),
        (_("SHA-256 differs from the records"), missing.wrong_hash),
    ):
        for key in keys[:SHOWN]:
            click.echo(f"  {key}: {label}", err=True)
        if len(keys) > SHOWN:
            click.echo(
                "  " + _("… and %(count)s more: %(label)s", count=len(keys) - SHOWN, label=label),
                err=True,
            )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace every row of a database that is not empty.")
@click.option(
    "--allow-missing",
    is_flag=True,
    help="Restore even if storage lacks files of the manifest (they are listed).",
)
@click.option(
    "--verify-hashes",
    is_flag=True,
    help="Also read every stored file and compare its SHA-256 (slow on large storage).",
)
@with_appcontext
def restore_command(path: Path, force: bool, allow_missing: bool, verify_hashes: bool) -> None:
    """Load a backup made by `backup` into this database: every row, or none."""
    try:
        result = restore_backup(
            path, force=force, allow_missing=allow_missing, hashes=verify_hashes
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    missing = result.missing
    count = len(missing.absent) + len(missing.wrong_size) + len(missing.wrong_hash)
    if missing:
        _report(missing)
    if not result.rows:
        raise click.ClickException(
            ngettext(
                "Storage does not hold %(num)d file of the backup's manifest, so nothing was"
                " restored: point the app at the right storage, or add --allow-missing.",
                "Storage does not hold %(num)d files of the backup's manifest, so nothing was"
                " restored: point the app at the right storage, or add --allow-missing.",
                count,
            )
        )
    click.echo(
        _(
            "Restored %(rows)s rows of %(tables)s tables; storage holds %(held)s of the"
            " %(objects)s files of the manifest.",
            rows=sum(result.rows.values()),
            tables=len(result.rows),
            held=result.objects - count,
            objects=result.objects,
        )
    )


commands = [backup_command, restore_command]
