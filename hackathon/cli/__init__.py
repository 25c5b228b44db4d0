"""Command line: `flask --app wsgi …` (DESIGN section 5)."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from hackathon.cli import csv_commands, demo, events, users

    app.cli.add_command(users.users_cli)
    app.cli.add_command(events.events_cli)
    app.cli.add_command(csv_commands.import_command)
    app.cli.add_command(csv_commands.export_command)
    app.cli.add_command(demo.demo_command)
