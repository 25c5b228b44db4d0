"""`users create EMAIL --name NAME [--admin]`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from hackathon.accounts import services
from hackathon.errors import DomainError
from hackathon.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


def read_password() -> str:
    """From stdin when piped, otherwise a hidden prompt asked twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--admin", is_flag=True, help="Site administrator (can do everything).")
def create_user(email: str, name: str, admin: bool) -> None:
    """Create an account; the password is read from stdin or prompted."""
    password = read_password()
    try:
        user = services.create_user(email, name, password, is_admin=admin, verified=True)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    if admin:
        click.echo(_("Created the administrator %(email)s.", email=user.email))
    else:
        click.echo(_("Created %(email)s.", email=user.email))


commands = [users_cli]
