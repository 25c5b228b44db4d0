"""Events: programs, events and their phases, companies, who does what (roles), the
roster CSV kind, the event page that the other features add their panels to, `/me`,
the core commands (`events`, `import`, `export`, `demo`) and the demo's cohort."""

from __future__ import annotations

from flask import Flask

from hackathon.events import api, cli, csv  # noqa: F401  (api: its endpoints are on the API blueprint)
from hackathon.events.views import bp, organizer, participant, public  # noqa: F401  (routes)
from hackathon.registry import get_registry


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csv.register(get_registry(app))
    for command in cli.commands:
        app.cli.add_command(command)
