"""The demo's peer reviews and check-ins: the fintech ratings show one person flagged far
below their team; the company projects have notes, late ones and mentors' comments; a
second run of the step changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from hackathon.cohort.demo import build_peer_and_checkins
from hackathon.cohort.models import CheckIn, CheckInComment, Milestone, PeerReview
from hackathon.cohort.services import checkins, peer
from hackathon.events.demo import load_demo
from hackathon.events.demo.cohort import new_context
from hackathon.events.models import Event, Program


def _counts(db) -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (PeerReview, Milestone, CheckIn, CheckInComment)
    }


def test_the_demo_shows_a_flag_late_notes_and_mentors_comments(db):
    load_demo()
    fintech = db.session.scalar(select(Event).where(Event.slug == "cohort1-fintech"))
    summary = peer.event_summary(fintech)
    flagged = [p for t in summary for p in t.people if p.summary.flagged]
    assert len(flagged) == 1
    program = db.session.scalar(select(Program).where(Program.slug == "cohort1"))
    fintech_coverage = next(
        e for e in peer.coverage(program)["events"] if e["slug"] == fintech.slug
    )
    assert fintech_coverage["given"] == fintech_coverage["expected"] > 0
    assert fintech_coverage["state"] == "closed"  # published: the demo's ratings are final

    projects = db.session.scalar(select(Event).where(Event.slug == "cohort1-company-projects"))
    cells = [c for row in checkins.grid(projects) for c in row.cells]
    states = {state: sum(1 for c in cells if c.state == state) for state in ("done", "late", "due")}
    assert all(states.values()), states
    assert any(c.comments for c in cells)
    done = checkins.completion(program)
    assert done["late"] == states["late"]
    assert done["posted"] == states["done"]

    before = _counts(db)
    ctx = new_context()
    ctx.events = {e.slug: e for e in db.session.scalars(select(Event))}
    build_peer_and_checkins(ctx)
    db.session.commit()
    assert _counts(db) == before
