"""The cohort's part of the demo: two individual awards and a job fair in progress."""

from __future__ import annotations

from sqlalchemy import func, select


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
