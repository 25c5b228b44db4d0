"""`judges assign SLUG [--per-submission K] [--all-teams]`, or `--extra N [--cut-off C]`;
`schedule SLUG --rooms N --start ISO8601 --slot-minutes M [--break-every K]`."""

from __future__ import annotations

import dataclasses
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from hackathon.errors import DomainError, NotFound
from hackathon.events import services as events
from hackathon.extensions import db
from hackathon.judging.services import schedule as pitch
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


@click.command("schedule")
@click.argument("slug")
@click.option("--rooms", type=click.IntRange(1, pitch.MAX_ROOMS), required=True)
@click.option("--start", required=True, help="First pitch, ISO 8601 (no offset: event time).")
@click.option("--slot-minutes", type=click.IntRange(1, 240), required=True)
@click.option("--break-every", type=click.IntRange(0, 100), default=0, help="Slots per break.")
@click.option("--break-minutes", type=click.IntRange(0, 240), default=10, show_default=True)
@click.option("--seed", type=int, default=None, help="Fix the random order.")
@click.option("--dry-run", is_flag=True, help="Print the timetable, write nothing.")
def schedule_command(
    slug: str,
    rooms: int,
    start: str,
    slot_minutes: int,
    break_every: int,
    break_minutes: int,
    seed: int | None,
    dry_run: bool,
) -> None:
    """Lay out the pitch day: every team once, each room's panel of judges, judges rotating
    between rooms; the schedule becomes the event's assignments. If it cannot be made,
    nothing is written."""
    try:
        event = events.get_event(slug)
    except NotFound:
        raise click.ClickException(_("No event has the address “%(slug)s”.", slug=slug)) from None
    try:
        begins = datetime.fromisoformat(start)
    except ValueError:
        raise click.ClickException(
            _("“%(value)s” is not a date and time such as 2026-03-14T10:00.", value=start)
        ) from None
    if begins.tzinfo is None:
        begins = begins.replace(tzinfo=ZoneInfo(event.timezone))
    names = pitch.default_room_names(rooms, [r.name for r in pitch.rooms_of(event)])
    shape = pitch.DayShape(names, begins, slot_minutes, break_every, break_minutes, seed)
    try:
        preview = pitch.make_plan(event, shape)
        fixed = dataclasses.replace(shape, seed=preview.seed)
        applied = None if dry_run else pitch.apply_schedule(event, fixed)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    zone = ZoneInfo(event.timezone)
    for row in preview.rows():
        click.echo(
            f"{row['starts_at'].astimezone(zone):%Y-%m-%d %H:%M}-"
            f"{row['ends_at'].astimezone(zone):%H:%M}  {row['room']}  {row['team']}  "
            f"({', '.join(row['judges'])})"
        )
    for line in preview.lines:
        click.echo(line)
    if applied is None:
        db.session.rollback()
        click.echo(_("Dry run: nothing was written."))
    else:
        db.session.commit()
        click.echo(
            _(
                "%(slots)d slots; %(created)d assignments made, %(kept)d kept, %(removed)d "
                "removed.",
                slots=applied.slots,
                created=applied.created,
                kept=applied.kept,
                removed=applied.removed,
            )
        )
    click.echo(_("Seed of the schedule: %(seed)d", seed=preview.seed))


commands = [judges_cli, schedule_command]
