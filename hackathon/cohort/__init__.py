"""The cohort record: a program's people across its events. Each trainee's record (teams,
tracks, ranks, awards), portfolios and the talent view, individual awards, peer review,
company-project check-ins and the job fair. See docs/cohort.md."""

from __future__ import annotations

from flask import Flask

from hackathon.cohort import api, cli, demo, panel  # noqa: F401  (api: routes)
from hackathon.cohort.services import peer, report
from hackathon.cohort.views import (  # noqa: F401  (routes)
    awards,
    bp,
    checkins,
    company,
    jobfair,
    jobfair_review,
    organizer,
    participant,
    public,
)
from hackathon.cohort.views import peer as peer_views  # noqa: F401  (routes)
from hackathon.registry import PeriodicJob, get_registry


def init_app(app: Flask) -> None:
    registry = get_registry(app)
    app.register_blueprint(bp)
    registry.add_panel(50, "cohort/_panel.html", panel.panel_context)  # peer review, check-ins
    registry.add_panel(80, "cohort/jobfair/_panel.html", panel.fair_panel)
    registry.add_report_section(10, "cohort/_report_people.html", report.people_section)
    registry.demo_steps.append(demo.build)
    registry.periodic.append(
        PeriodicJob("cohort.peer_notices", peer.NOTICE_EVERY, peer.send_notices)
    )
    for command in cli.commands:
        app.cli.add_command(command)
