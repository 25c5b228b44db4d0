"""Command line: `flask --app wsgi …` (DESIGN section 5)."""

from __future__ import annotations

import importlib

from flask import Flask

# Feature command groups, each a module here exposing `commands` (a list of click commands).
FEATURE_MODULES = ("teams", "judging", "leaderboard", "storage")


def register_cli(app: Flask) -> None:
    from hackathon.cli import csv_commands, demo, events, users

    app.cli.add_command(users.users_cli)
    app.cli.add_command(events.events_cli)
    app.cli.add_command(csv_commands.import_command)
    app.cli.add_command(csv_commands.export_command)
    app.cli.add_command(demo.demo_command)
    for name in FEATURE_MODULES:
        module = _optional(f"hackathon.cli.{name}")
        for command in getattr(module, "commands", ()):
            app.cli.add_command(command)


def _optional(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            return None
        raise
