"""`events create SLUG --name NAME …`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from hackathon.errors import DomainError, ValidationFailed
from hackathon.events import services
from hackathon.events.models import EventKind, ScoringMode
from hackathon.extensions import db

events_cli = AppGroup("events", help="Manage events.")


@events_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The event's name.")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in EventKind]),
    default="hackathon",
    show_default=True,
)
@click.option("--team-min", type=int, default=1, show_default=True)
@click.option("--team-max", type=int, default=5, show_default=True)
@click.option("--judges-per-submission", type=int, default=3, show_default=True)
@click.option(
    "--mode",
    type=click.Choice([m.value for m in ScoringMode]),
    default="zscore",
    show_default=True,
    help="How judges' scores are combined.",
)
def create_event(
    slug: str,
    name: str,
    kind: str,
    team_min: int,
    team_max: int,
    judges_per_submission: int,
    mode: str,
) -> None:
    """Create an event (in draft until its timeline is set)."""
    try:
        event = services.create_event(
            slug,
            name,
            kind=kind,
            team_min=team_min,
            team_max=team_max,
            judges_per_submission=judges_per_submission,
            scoring_mode=mode,
        )
    except ValidationFailed as error:
        db.session.rollback()
        fields = error.details.get("fields") or {}
        lines = [f"{field}: {message}" for field, message in fields.items()]
        raise click.ClickException("\n".join(lines) or str(error.message)) from None
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(
        _("Created the event %(slug)s (a draft until its timeline is set).", slug=event.slug)
    )
