"""The cohort record: a program's people across its events. Each trainee's record (teams,
tracks, ranks, awards), portfolios and the talent view, individual awards, peer review,
company-project check-ins and the job fair. See docs/cohort.md."""

from __future__ import annotations

from flask import Flask

# Records, portfolios and the talent view: api and views by importing them add routes.
from hackathon.cohort import api, cli, demo  # noqa: F401
from hackathon.cohort.views import bp, company, organizer, participant, public  # noqa: F401
from hackathon.registry import get_registry


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    registry = get_registry(app)
    # Records, portfolios and the talent view.
    registry.demo_steps.append(demo.build)
    for command in cli.commands:
        app.cli.add_command(command)
