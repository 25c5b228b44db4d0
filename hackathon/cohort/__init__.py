"""The cohort record: a program's people across its events. Each trainee's record (teams,
tracks, ranks, awards), portfolios and the talent view, individual awards, peer review,
company-project check-ins and the job fair. See docs/cohort.md."""

from __future__ import annotations

from flask import Flask

# Peer review and check-ins: their routes, panel, demo step and reminder job.
from hackathon.cohort import api, demo, panel  # noqa: F401  (api: routes)
from hackathon.cohort.services import peer
from hackathon.cohort.views import bp
from hackathon.cohort.views import checkins as checkin_views  # noqa: F401  (routes)
from hackathon.cohort.views import peer as peer_views  # noqa: F401  (routes)
from hackathon.registry import PeriodicJob, get_registry


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    _init_peer_and_checkins(app)


# ---------------------------------------------------------------- peer review and check-ins


def _init_peer_and_checkins(app: Flask) -> None:
    registry = get_registry(app)
    registry.add_panel(50, "cohort/_panel.html", panel.panel_context)
    registry.demo_steps.append(demo.build_peer_and_checkins)
    registry.periodic.append(
        PeriodicJob("cohort.peer_notices", peer.NOTICE_EVERY, peer.send_notices)
    )


# ---------------------------------------------------------------- end of peer review and check-ins
