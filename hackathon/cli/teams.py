"""`teams match SLUG` and `teams autoform SLUG`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from hackathon.errors import DomainError
from hackathon.events import services as events
from hackathon.extensions import db

teams_cli = AppGroup("teams", help="Form teams and match them to tracks.")


def _event(slug: str):
    try:
        return events.get_event(slug)
    except DomainError:
        raise click.ClickException(f"no event {slug!r}") from None


def _fail(error: DomainError) -> click.ClickException:
    db.session.rollback()
    return click.ClickException(str(error.message))


def _ordinal(rank: int) -> str:
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


@teams_cli.command("match")
@click.argument("slug")
@click.option("--dry-run", is_flag=True, help="Show the result without saving it.")
def match_command(slug: str, dry_run: bool) -> None:
    """Assign every team a track from the preferences, capacities respected."""
    from hackathon.teams import preferences

    event = _event(slug)
    try:
        plan = preferences.plan_matching(event)
        if not dry_run:
            plan = preferences.apply_matching(event, plan.assignment)
    except DomainError as error:
        raise _fail(error) from None
    mode = "stable (companies ranked teams)" if plan.mode == "stable" else "minimum total rank"
    click.echo(f"{len(plan.assignment)} teams onto {len(plan.tracks)} tracks ({mode}):")
    for rank, count in plan.choice_counts.items():
        label = f"{_ordinal(rank)} choice" if rank else "a track they did not rank"
        click.echo(f"  {count} got {label}")
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was saved.")
    else:
        db.session.commit()
        click.echo("Tracks assigned.")


@teams_cli.command("autoform")
@click.argument("slug")
@click.option("--apply", "apply_", is_flag=True, help="Create the teams (default: preview).")
@click.option("--seed", type=int, default=0, show_default=True, help="Vary the grouping.")
@click.option(
    "--name-format", default="Team {n}", show_default=True, help="New team names; {n} is a number."
)
def autoform_command(slug: str, apply_: bool, seed: int, name_format: str) -> None:
    """Place participants without a team into new balanced teams (a preview unless --apply)."""
    from hackathon.teams import organizer

    event = _event(slug)
    if "{n}" not in name_format:
        raise click.ClickException("--name-format needs {n}, e.g. 'Team {n}'")
    try:
        plan = organizer.plan_autoform(event, seed)
    except DomainError as error:
        raise _fail(error) from None
    if not plan.groups:
        click.echo("Everyone is in a team already.")
        return
    sizes = sorted({len(g) for g in plan.groups})
    size_text = str(sizes[0]) if len(sizes) == 1 else f"{sizes[0]}-{sizes[-1]}"
    click.echo(f"{plan.people} people without a team -> {len(plan.groups)} teams of {size_text}")
    for index, group in enumerate(plan.groups, start=1):
        people = ", ".join(f"{u.name} [{'/'.join(u.skill_list) or '-'}]" for u in group)
        click.echo(f"  {index}. {people}")
    if not apply_:
        click.echo("Preview only: run again with --apply to create these teams.")
        return
    try:
        teams = organizer.apply_autoform(event, plan.fingerprint, seed, name_format=name_format)
    except DomainError as error:
        raise _fail(error) from None
    db.session.commit()
    click.echo(f"Created {len(teams)} teams.")


commands = [teams_cli]
