"""The demo's judging: a rubric everywhere, fintech fully scored, news about half scored
with one harsh and one lenient judge that the dashboard calls out."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from hackathon.events.services import get_event
from hackathon.judging.models import Assignment
from hackathon.judging.rules import criteria_of, submitted_scores
from hackathon.judging.services import dashboard
from tests.helpers import Client


def test_demo_judging(app, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    for slug in (
        "cohort1-fintech",
        "cohort1-news-bigdata",
        "cohort1-company-projects",
        "cohort1-art-data",
    ):
        rubric = criteria_of(get_event(slug))
        assert 4 <= len(rubric) <= 5
        assert all(c.name_en and c.weight > 0 for c in rubric)
        assert any(c.levels for c in rubric)

    fintech = get_event("cohort1-fintech")
    rows = db.session.scalars(select(Assignment).where(Assignment.event_id == fintech.id)).all()
    assert rows
    assert {a.status for a in rows} == {"submitted"}
    assert set(Counter(a.team_id for a in rows).values()) == {fintech.judges_per_submission}
    assert len(submitted_scores(fintech)) == len(rows) * len(criteria_of(fintech))

    news = get_event("cohort1-news-bigdata")
    rows = db.session.scalars(select(Assignment).where(Assignment.event_id == news.id)).all()
    done = sum(a.status == "submitted" for a in rows)
    assert 0.35 <= done / len(rows) <= 0.65
    assert any(a.status == "in_progress" for a in rows)
    board = dashboard.build(news)
    leaning = {row.user.email: row.stats.leaning for row in board.judges if row.stats}
    assert {e for e, v in leaning.items() if v == "harsh"} == {"judge10@demo.test"}
    assert {e for e, v in leaning.items() if v == "lenient"} == {"judge11@demo.test"}

    # The harsh judge can open their queue and see their work.
    app.test_client_class = Client
    judge = app.test_client()
    judge.get("/login")
    judge.form_post("/login", {"email": "judge10@demo.test", "password": "demo-password"})
    page = judge.get("/events/cohort1-news-bigdata/judging")
    assert page.status_code == 200
    assert 'data-done="' in page.get_data(as_text=True)
