"""The leaderboard: ranking (per-judge normalisation), its states from hidden to
published, snapshots, awards, the people's choice vote, the public board, gallery, results
and the cohort report."""

from __future__ import annotations

from flask import Flask

from hackathon.leaderboard import api, cli, csv, demo, panel  # noqa: F401  (api: routes)
from hackathon.leaderboard.services import fairness, revision
from hackathon.leaderboard.services.cache import init_cache
from hackathon.leaderboard.views import bp, organizer, participant, public  # noqa: F401
from hackathon.registry import get_registry


def init_app(app: Flask) -> None:
    registry = get_registry(app)
    app.register_blueprint(bp)
    registry.add_panel(60, "leaderboard/_panel.html", panel.panel_context)
    registry.add_panel(65, "leaderboard/_votes_panel.html", panel.votes_context)
    csv.register(registry)
    registry.demo_steps.append(demo.build)
    registry.teams_at_cutoff = fairness.teams_at_cutoff  # for `judges assign --extra`
    init_cache(app)  # in the process, in front of Redis when REDIS_URL is set
    revision.watch_sessions()  # every write of what the board reads moves its revision on
    for command in cli.commands:
        app.cli.add_command(command)
