"""The cohort record: a program's people across its events. Each trainee's record (teams,
tracks, ranks, awards), portfolios and the talent view, individual awards, peer review,
company-project check-ins and the job fair. See docs/cohort.md."""

from __future__ import annotations

from flask import Flask

# Individual awards, the job fair, the people side of the program report.
from hackathon.cohort import cli, demo, panel
from hackathon.cohort.services import report
from hackathon.cohort.views import awards, bp, jobfair, jobfair_review  # noqa: F401  (routes)
from hackathon.registry import get_registry


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    _init_awards_and_jobfair(app)


# ---------------------------------------------------------------- awards, job fair, report


def _init_awards_and_jobfair(app: Flask) -> None:
    """Individual awards, the job fair, and the people side of the program report."""
    registry = get_registry(app)
    registry.add_panel(80, "cohort/jobfair/_panel.html", panel.fair_panel)
    registry.add_report_section(10, "cohort/_report_people.html", report.people_section)
    registry.demo_steps.append(demo.build)
    for command in cli.commands:
        app.cli.add_command(command)
