"""`storage check`: is the configured storage reachable. (`storage gc` is the
submissions feature's, which knows what an unfinished upload is.)"""

from __future__ import annotations

import click

from hackathon.storage.base import StorageError, get_storage


@click.group("storage")
def storage_cli() -> None:
    """File storage (local folder or S3)."""


@storage_cli.command("check")
def check_command() -> None:
    """Exit with an error unless the configured storage answers."""
    storage = get_storage()
    try:
        storage.check()
    except StorageError as error:
        raise click.ClickException(f"{storage.name} storage unreachable: {error}") from error
    click.echo(f"{storage.name} storage: ok")
