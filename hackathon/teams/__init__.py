"""Teams: tracks (themes, company briefs), forming teams, the team finder, track
preferences and matching, automatic team formation, and their CSV kinds."""

from __future__ import annotations

from flask import Flask

from hackathon.registry import get_registry
from hackathon.teams import api, cli, csv, demo, panel
from hackathon.teams.views import bp, company, organizer, participant  # noqa: F401  (routes)


def init_app(app: Flask) -> None:
    registry = get_registry(app)
    app.register_blueprint(bp)
    registry.add_panel(20, "teams/_panel.html", panel.panel_context)
    registry.me_fields.append(api.add_team_ids)
    csv.register(registry)
    registry.demo_steps.append(demo.build)
    for command in cli.commands:
        app.cli.add_command(command)
