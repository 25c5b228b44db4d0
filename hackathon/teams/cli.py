"""`teams match SLUG` and `teams autoform SLUG`; messages through Babel like the pages'."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from hackathon.errors import DomainError, NotFound
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.teams.services import organizer, preferences

teams_cli = AppGroup("teams", help="Form teams and match them to tracks.")


def _event(slug: str) -> Event:
    try:
        return events.get_event(slug)
    except NotFound:
        raise click.ClickException(_("No event has the address “%(slug)s”.", slug=slug)) from None


def _fail(error: DomainError) -> click.ClickException:
    db.session.rollback()
    return click.ClickException(str(error.message))


def _choice_line(rank: int | None, count: int) -> str:
    if rank is None:
        return ngettext(
            "%(num)d team gets a track it did not rank",
            "%(num)d teams get a track they did not rank",
            count,
        )
    return ngettext(
        "%(num)d team gets its choice no. %(rank)d",
        "%(num)d teams get their choice no. %(rank)d",
        count,
        rank=rank,
    )


@teams_cli.command("match")
@click.argument("slug")
@click.option("--dry-run", is_flag=True, help="Show the result without saving it.")
def match_command(slug: str, dry_run: bool) -> None:
    """Assign every team a track from the preferences, capacities respected."""
    event = _event(slug)
    try:
        plan = preferences.plan_matching(event)
        if not dry_run:
            plan = preferences.apply_matching(event, plan.assignment)
    except DomainError as error:
        raise _fail(error) from None
    if plan.mode == "stable":
        click.echo(
            _(
                "Companies have ranked teams, so this is the stable assignment: no team and "
                "track would both rather be together than with what they got."
            )
        )
    else:
        click.echo(
            _(
                "This assignment gives the smallest total of preference ranks. A track a team "
                "did not rank counts worse than any it ranked."
            )
        )
    click.echo(
        _(
            "%(teams)d teams, %(places)d places on %(tracks)d tracks.",
            teams=len(plan.teams),
            places=plan.total_capacity,
            tracks=len(plan.tracks),
        )
    )
    for rank, count in plan.choice_counts.items():
        click.echo(f"  {_choice_line(rank, count)}")
    if dry_run:
        db.session.rollback()
        click.echo(_("Dry run: nothing was saved."))
    else:
        db.session.commit()
        click.echo(_("Tracks are assigned to %(n)d teams.", n=len(plan.assignment)))


@teams_cli.command("autoform")
@click.argument("slug")
@click.option("--dry-run", is_flag=True, help="Show the new teams without creating them.")
@click.option("--seed", type=int, default=0, show_default=True, help="Vary the grouping.")
@click.option("--name-format", help="New team names; {n} is a number (default: 'Team {n}').")
@click.option(
    "--avoid-repeats",
    is_flag=True,
    help="Keep apart people who were teammates in the program's other events.",
)
def autoform_command(
    slug: str, dry_run: bool, seed: int, name_format: str | None, avoid_repeats: bool
) -> None:
    """Place participants without a team into new balanced teams (`--dry-run` previews)."""
    event = _event(slug)
    if name_format is not None and "{n}" not in name_format:
        raise click.ClickException(_("The name format needs {n}, e.g. “Team {n}”."))
    try:
        plan = organizer.plan_autoform(event, seed, avoid_repeats)
    except DomainError as error:
        raise _fail(error) from None
    if not plan.groups:
        click.echo(_("Every participant is in a team already."))
        return
    click.echo(
        _(
            "%(people)d participants without a team would form %(teams)d new teams of "
            "%(min)d to %(max)d.",
            people=plan.people,
            teams=len(plan.groups),
            min=min(len(g) for g in plan.groups),
            max=max(len(g) for g in plan.groups),
        )
    )
    for index, group in enumerate(plan.groups, start=1):
        people = ", ".join(f"{u.name} [{'/'.join(u.skill_list) or '-'}]" for u in group)
        click.echo(f"  {index}. {people}")
    for line in organizer.repeat_lines(plan):
        click.echo(line)
    if dry_run:
        click.echo(_("Preview only: run again without --dry-run to create these teams."))
        return
    try:
        teams = organizer.apply_autoform(
            event, plan.fingerprint, seed, name_format=name_format, avoid_repeats=avoid_repeats
        )
    except DomainError as error:
        raise _fail(error) from None
    db.session.commit()
    click.echo(_("%(n)d new teams are formed.", n=len(teams)))


commands = [teams_cli]
