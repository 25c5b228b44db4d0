"""The cohort demo: one program, 155 trainees, 11 companies, 33 teams,
judges, mentors, and four events in four phases. Loading it twice changes nothing."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from hackathon.events.demo.cohort import (
    JUDGES,
    MENTORS,
    PASSWORD,
    TRAINEES,
    build_events,
    build_invitations,
    build_people,
    new_context,
)
from hackathon.events.models import Program
from hackathon.extensions import db
from hackathon.registry import get_registry


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
    build_people(ctx)
    build_events(ctx)
    build_invitations(ctx)
    for step in get_registry().demo_steps:  # each feature's part, in the order of init_app
        step(ctx)
    db.session.commit()
    return _("Demo loaded: AI Academy, cohort 1 (인공지능 사관학교 1기).") + "\n" + sign_ins()
