"""`mail send`: deliver every pending message now."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from hackathon.mail.outbox import deliver_pending

mail_cli = AppGroup("mail", help="The outbox of e-mail.")


@mail_cli.command("send")
def send_command() -> None:
    """Send every pending message now; exits with an error when any was not sent (those
    stay pending and are tried again)."""
    if not current_app.config["MAIL_URL"]:
        raise click.ClickException("MAIL_URL is not set: messages stay in the outbox.")
    result = deliver_pending(due_only=False)
    click.echo(str(result))
    if result.failed:
        raise SystemExit(1)
