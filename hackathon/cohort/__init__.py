"""The cohort record: a program's people across its events. Each trainee's record (teams,
tracks, ranks, awards), portfolios and the talent view, individual awards, peer review,
company-project check-ins and the job fair. See docs/cohort.md."""

from __future__ import annotations

from flask import Flask

from hackathon.cohort.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
