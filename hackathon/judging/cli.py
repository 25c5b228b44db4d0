"""`judges assign SLUG [--per-submission K] [--all-teams]`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from hackathon.errors import DomainError, NotFound
from hackathon.events import services as events
from hackathon.extensions import db
from hackathon.judging.services.assignments import AssignmentImpossible
from hackathon.judging.services.calibration import assign_panel

judges_cli = AppGroup("judges", help="Assign judges to teams.")


@judges_cli.command("assign")
@click.argument("slug")
@click.option(
    "--per-submission",
    "k",
    type=int,
    default=None,
    help="Judges per team (default: the event's setting).",
)
@click.option(
    "--all-teams",
    is_flag=True,
    help="Also teams without a submitted submission (live pitch judging).",
)
@click.option("--seed", type=int, default=None, help="Fix the random queue orders.")
def assign_command(slug: str, k: int | None, all_teams: bool, seed: int | None) -> None:
    """Give every team exactly K judges without conflicts, loads within one; existing
    assignments are kept. Shadow judges get extra teams, every judge the calibration
    items. If that is impossible, nothing is assigned."""
    try:
        event = events.get_event(slug)
    except NotFound:
        raise click.ClickException(_("No event has the address “%(slug)s”.", slug=slug)) from None
    try:
        outcome = assign_panel(event, k, all_teams, seed)
    except AssignmentImpossible as error:
        db.session.rollback()
        click.echo(str(AssignmentImpossible.message), err=True)
        for line in error.details.get("missing", []):
            click.echo(f"  {line}", err=True)
        sys.exit(1)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    for text, _kind in outcome.report():
        click.echo(text)
    click.echo(_("Seed of the queue orders: %(seed)d", seed=outcome.outcome.seed))


commands = [judges_cli]
