"""The cohort demo (DESIGN section 8): one program, 155 trainees, 11 companies, 33 teams,
judges, mentors, and four events in four phases. Loading it twice changes nothing."""

from __future__ import annotations

import importlib

from flask_babel import gettext as _
from sqlalchemy import select

from hackathon.demo.base import JUDGES, MENTORS, PASSWORD, TRAINEES, DemoContext, new_context
from hackathon.events.models import Program
from hackathon.extensions import db

# Each feature adds its part of the demo in hackathon/demo/<step>.py as build(ctx).
STEPS = ("teams", "submissions", "judging", "leaderboard")


def sign_ins() -> str:
    return "\n".join(
        [
            _("Demo sign-ins (the password of every account: %(password)s):", password=PASSWORD),
            "  organizer@demo.test — " + _("organizer and site administrator"),
            f"  trainee1@demo.test … trainee{TRAINEES}@demo.test — " + _("trainees"),
            f"  judge1@demo.test … judge{JUDGES}@demo.test — "
            + _("judges (1–6 work for partner companies)"),
            f"  mentor1@demo.test … mentor{MENTORS}@demo.test — " + _("mentors, one per company"),
        ]
    )


def load_demo() -> str:
    """Build the demo in one transaction, unless it is there already."""
    if db.session.scalar(select(Program.id).where(Program.slug == "cohort1")):
        return _("The demo is already loaded.") + "\n" + sign_ins()
    ctx = new_context()
    from hackathon.demo.base import build_events, build_people

    build_people(ctx)
    build_events(ctx)
    for step in STEPS:
        build_step(step, ctx)
    db.session.commit()
    return _("Demo loaded: AI Academy, cohort 1 (인공지능 사관학교 1기).") + "\n" + sign_ins()


def build_step(step: str, ctx: DemoContext) -> None:
    try:
        module = importlib.import_module(f"hackathon.demo.{step}")
    except ModuleNotFoundError as error:
        if error.name == f"hackathon.demo.{step}":
            return  # that feature adds no demo data yet
        raise
    module.build(ctx)
