"""Judging: rubrics, conflicts of interest, judge assignment, scoring and its dashboard."""

from __future__ import annotations

from flask import Flask

from hackathon.judging import api, cli, csv, demo, panel, rules  # noqa: F401  (api: routes)
from hackathon.judging.views import bp, judge, organizer, schedule  # noqa: F401  (routes)
from hackathon.registry import get_registry


def init_app(app: Flask) -> None:
    registry = get_registry(app)
    app.register_blueprint(bp)
    registry.add_panel(60, "judging/_panel.html", panel.panel_context)
    registry.team_viewers.append(rules.judges_team)
    csv.register(registry)
    registry.demo_steps.append(demo.build)
    for command in cli.commands:
        app.cli.add_command(command)
