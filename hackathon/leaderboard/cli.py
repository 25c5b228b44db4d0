"""`leaderboard SLUG [--format table|csv|json] [--mode zscore|raw|offset]`: the ranking now,
whatever the publication state (it is the organizers' tool)."""

from __future__ import annotations

import json

import click

from hackathon import csvio
from hackathon.errors import DomainError
from hackathon.events import services as events
from hackathon.leaderboard.csv import current_payload
from hackathon.leaderboard.logic import ranking
from hackathon.leaderboard.logic.rows import csv_columns, csv_records
from hackathon.leaderboard.services.board import judge_groups


@click.command("leaderboard")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option(
    "--mode",
    type=click.Choice(list(ranking.MODES)),
    default=None,
    help="Defaults to the event's scoring mode.",
)
def leaderboard_command(slug: str, fmt: str, mode: str | None) -> None:
    """Print an event's leaderboard computed from the submitted scores."""
    try:
        event = events.get_event(slug)
    except DomainError:
        raise click.ClickException(f"no event {slug!r}") from None
    try:
        data = current_payload(event, mode)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    groups = judge_groups(event)
    if len(groups) > 1:
        click.echo(
            f"warning: the judges and teams fall into {len(groups)} groups that share no "
            "judge, so no judge's scores link one group to another; see docs/scoring.md",
            err=True,
        )
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        columns = csv_columns(c["name"] for c in data["criteria"])
        click.echo(csvio.write(None, csv_records(data), columns), nl=False)
    else:
        click.echo(table(data))


def table(data: dict) -> str:
    """Aligned columns for a terminal; wide (Korean) characters count double."""
    head = ["rank", "team", "track", "score", "raw", "judges"]
    lines = [head]
    for r in data["rows"]:
        lines.append(
            [
                "-" if r["rank"] is None else str(r["rank"]),
                r["team"]["name"],
                r["track"] or "",
                ""
                if r["score"] is None
                else f"{r['score']:.3f}"
                if data["mode"] == "zscore"
                else f"{r['score']:.2f}",
                "" if r["raw_score"] is None else f"{r['raw_score']:.2f}",
                str(r["judges"]),
            ]
        )
    widths = [max(_width(line[i]) for line in lines) for i in range(len(head))]
    title = f"{data['event']} · {data['state']} · {data['mode']}"
    body = [
        "  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    ]
    return "\n".join([title, *body])


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


commands = [leaderboard_command]
