"""`judges assign SLUG [--per-submission K] [--all-teams]`, or `--extra N [--cut-off C]`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from hackathon.errors import DomainError, NotFound
from hackathon.events import services as events
from hackathon.extensions import db
from hackathon.judging.services.assignments import AssignmentImpossible
from hackathon.judging.services.calibration import PanelOutcome, assign_panel
from hackathon.judging.services.extra import Extra, add_extra_judges

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
@click.option(
    "--extra",
    type=click.IntRange(min=1),
    default=None,
    help="Instead: N more judges for each team whose rank interval crosses the prize cut-off.",
)
@click.option(
    "--cut-off",
    type=click.IntRange(min=1),
    default=None,
    help="With --extra: the last winning rank (default: the event's awards, else 3).",
)
@click.option("--seed", type=int, default=None, help="Fix the random queue orders.")
def assign_command(
    slug: str,
    k: int | None,
    all_teams: bool,
    extra: int | None,
    cut_off: int | None,
    seed: int | None,
) -> None:
    """Give every team exactly K judges without conflicts, loads within one; existing
    assignments are kept; shadow judges get extra teams, every judge the calibration
    items. With --extra, add N judges to each team whose place among the prizes is
    uncertain. If that is impossible, nothing is assigned."""
    if extra is not None and (k is not None or all_teams):
        raise click.UsageError(
            _("--extra cannot be combined with --per-submission or --all-teams.")
        )
    if cut_off is not None and extra is None:
        raise click.UsageError(_("--cut-off goes with --extra."))
    try:
        event = events.get_event(slug)
    except NotFound:
        raise click.ClickException(_("No event has the address “%(slug)s”.", slug=slug)) from None
    outcome: PanelOutcome | Extra
    try:
        if extra is not None:
            outcome = add_extra_judges(event, extra, cut_off, seed)
        else:
            outcome = assign_panel(event, k, all_teams, seed)
    except AssignmentImpossible as error:
        db.session.rollback()
        click.echo(str(type(error).message), err=True)
        for line in error.details.get("missing", []):
            click.echo(f"  {line}", err=True)
        sys.exit(1)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    for text, _kind in outcome.report():
        click.echo(text)
    seed = outcome.seed if isinstance(outcome, Extra) else outcome.outcome.seed
    click.echo(_("Seed of the queue orders: %(seed)d", seed=seed))


commands = [judges_cli]
