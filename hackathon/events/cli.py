"""The core commands: `events create`, `import`/`export` of every CSV kind (a file may
also be an Excel workbook), `invitations send`, `demo`."""

from __future__ import annotations

import sys
from typing import IO

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from hackathon import csvio
from hackathon.errors import DomainError, NotFound, ValidationFailed
from hackathon.events import services
from hackathon.events import services as events
from hackathon.events.demo import load_demo
from hackathon.events.models import DEFAULT_SCORING_MODE, Event, EventKind, ScoringMode
from hackathon.events.services import invitations, roster_files
from hackathon.extensions import db
from hackathon.jobs import wait_idle
from hackathon.registry import get_registry

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
    default=DEFAULT_SCORING_MODE.value,
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


def _kind(name: str, direction: str) -> csvio.Kind:
    kind = get_registry().csv_kinds.get(name)
    able = kind and (kind.importer if direction == "import" else kind.exporter)
    if kind is None or not able:
        names = sorted(
            k
            for k, v in get_registry().csv_kinds.items()
            if (v.importer if direction == "import" else v.exporter)
        )
        message = (
            _("Cannot import “%(kind)s”. Kinds that can be imported: %(kinds)s")
            if direction == "import"
            else _("Cannot export “%(kind)s”. Kinds that can be exported: %(kinds)s")
        )
        raise click.ClickException(message % {"kind": name, "kinds": ", ".join(names) or "—"})
    return kind


def _event(slug: str) -> Event:
    try:
        return events.get_event(slug)
    except NotFound:
        raise click.ClickException(_("No event has the address “%(slug)s”.", slug=slug)) from None


@click.command("import")
@click.argument("slug")
@click.argument("kind_name", metavar="KIND")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--invite",
    is_flag=True,
    help="roster: invite everyone in the file who has no password and no pending invitation.",
)
def import_command(slug: str, kind_name: str, file: IO[bytes], invite: bool) -> None:
    """Import a CSV file (or an Excel .xlsx workbook's first sheet) into an event; on any
    problem nothing is written."""
    kind = _kind(kind_name, "import")
    if invite and kind.name != "roster":
        raise click.ClickException(_("--invite goes with the roster only."))
    event = _event(slug)
    invited = 0
    try:
        data = roster_files.as_csv(file.read(), getattr(file, "name", "") or "")
        if kind.name == "roster":
            result, invited = roster_files.import_file(event, data, invite=invite)
        else:
            result = csvio.run_import(kind, event, data)
    except csvio.ImportFailed as failure:
        db.session.rollback()
        for problem in failure.problems:
            click.echo(str(problem), err=True)
        count = len(failure.problems)
        click.echo(
            ngettext(
                "%(num)d problem; nothing was imported.",
                "%(num)d problems; nothing was imported.",
                count,
            ),
            err=True,
        )
        sys.exit(1)
    except DomainError as error:
        db.session.rollback()
        click.echo(str(error.message), err=True)
        click.echo(_("Nothing was imported."), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{kind.name}: {result}")
    for note in result.notes:
        click.echo(note)
    if invite:
        wait_idle()  # the invitations go out before the command ends
        click.echo(_invited(invited))


def _invited(count: int) -> str:
    return ngettext("%(num)d person invited.", "%(num)d people invited.", count)


invitations_cli = AppGroup("invitations", help="Invitations to set a first password.")


@invitations_cli.command("send")
@click.argument("slug")
def send_invitations(slug: str) -> None:
    """Invite everyone of the event who has no password and no pending invitation."""
    event = _event(slug)
    invited = invitations.invite_event(event)
    db.session.commit()
    wait_idle()
    click.echo(_invited(len(invited)))


@click.command("export")
@click.argument("slug")
@click.argument("kind_name", metavar="KIND")
@click.argument("file", type=click.File("w", encoding="utf-8", lazy=True))
def export_command(slug: str, kind_name: str, file: IO[str]) -> None:
    """Export an event's data as CSV (UTF-8)."""
    kind = _kind(kind_name, "export")
    assert kind.exporter is not None  # _kind checked it
    event = _event(slug)
    columns = kind.columns + (kind.dynamic_columns(event) if kind.dynamic_columns else ())
    file.write(csvio.write(kind, kind.exporter(event), columns))


@click.command("demo")
def demo_command() -> None:
    """Load the cohort demo and print the demo sign-ins."""
    summary = load_demo()
    click.echo(summary)


commands = [events_cli, import_command, export_command, invitations_cli, demo_command]
