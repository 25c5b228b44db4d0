"""The cohort's part of the demo: two individual awards and a job fair in progress."""

from __future__ import annotations

from sqlalchemy import func, select

from hackathon.cohort.demo import build_peer_and_checkins
from hackathon.cohort.models import CheckIn, CheckInComment, Milestone, PeerReview
from hackathon.cohort.services import checkins, peer
from hackathon.events.demo import load_demo
from hackathon.events.demo.cohort import new_context
from hackathon.events.models import Event, Program


def test_the_demo_has_awards_and_an_open_job_fair(client, login, db, app):
    from hackathon.accounts.models import User
    from hackathon.cohort.models import FairChoice, FairRanking, FairTrainee, IndividualAward
    from hackathon.cohort.services import jobfair
    from hackathon.events.demo import load_demo
    from hackathon.events.models import Program

    load_demo()
    program = db.session.scalar(select(Program).where(Program.slug == "cohort1"))
    awards = db.session.scalars(select(IndividualAward)).all()
    assert len(awards) == 2
    assert all(a.citation for a in awards)
    assert "우수교육생상" in {a.name for a in awards}
    fair = jobfair.get_fair(program)
    assert str(fair.state) == "open"
    opted = db.session.scalar(select(func.count(FairTrainee.id)))
    ranked = db.session.scalar(select(func.count(func.distinct(FairChoice.user_id))))
    assert opted > ranked > 5
    companies_ranking = db.session.scalar(select(func.count(func.distinct(FairRanking.company_id))))
    assert 0 < companies_ranking < len(jobfair.fair_companies(fair))

    mentor = db.session.scalar(select(User).where(User.email == "mentor1@demo.test"))
    [row] = jobfair.represented(fair, program, mentor)
    login(mentor, password="demo-password")
    page = client.get(f"/programs/cohort1/jobfair/companies/{row.company_id}")
    assert page.status_code == 200

    before = {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (IndividualAward, FairTrainee, FairChoice, FairRanking)
    }
    load_demo()
    after = {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (IndividualAward, FairTrainee, FairChoice, FairRanking)
    }
    assert after == before


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
