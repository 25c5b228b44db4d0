"""The demo's judging: a rubric everywhere, fintech fully scored, news about half scored
with one harsh and one lenient judge that the dashboard calls out."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from hackathon.accounts.models import User
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


def test_demo_calibration_and_shadow(app, db):
    """The news hackathon: one calibration item (a real team) every judge without a
    conflict has first in their queue, and judge12 as a shadow judge beside K counting
    judges per team; the dashboard compares both with the panel."""
    from hackathon.judging.rules import shadow_ids
    from hackathon.judging.services.calibration import calibration_items

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    news = get_event("cohort1-news-bigdata")
    items = calibration_items(news)
    assert len(items) == 1
    shadows = shadow_ids(news)
    judge12 = db.session.scalar(select(User.id).where(User.email == "judge12@demo.test"))
    assert shadows == {judge12}
    rows = db.session.scalars(select(Assignment).where(Assignment.event_id == news.id)).all()
    calibration = [a for a in rows if a.purpose == "calibration"]
    assert {a.team_id for a in calibration} == {items[0].team_id}
    assert len(calibration) >= 11
    ranked = [a for a in rows if a.purpose == "rank" and a.judge_id not in shadows]
    assert set(Counter(a.team_id for a in ranked).values()) == {news.judges_per_submission}
    assert any(a.judge_id == judge12 for a in rows if a.purpose == "rank")
    # A real team: its own judges have it twice, once for each purpose.
    real = {a.judge_id for a in ranked if a.team_id == items[0].team_id}
    assert real & {a.judge_id for a in calibration}
    board = dashboard.build(news)
    offsets = {r.user.email: r.offset for r in board.judges if r.offset and r.offset.items}
    assert len(offsets) >= 5
    assert offsets["judge10@demo.test"].flagged  # the harsh judge shows before real scoring
    shadow = next(r for r in board.judges if r.user.id == judge12)
    assert shadow.agreement is not None
    assert shadow.agreement.shared >= 2
