"""The demo's results: fintech published with its awards, news live while judging, the
other two events' boards hidden."""

from __future__ import annotations

from hackathon.events.services import get_event
from hackathon.leaderboard.services import board as services


def test_demo_results(app, client, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output

    fintech = get_event("cohort1-fintech")
    assert services.get_board(fintech.id).state == "published"
    awards = services.award_dicts(fintech.id)
    assert [a["name_en"] for a in awards[:2]] == ["Grand prize", "Excellence award"]
    assert len(awards) == 4
    assert all(a["team"] for a in awards)
    assert len({a["team"]["id"] for a in awards}) == 4  # four prizes, four teams
    assert all(a["company"] for a in awards[2:])  # the partner companies' prizes

    body = client.get("/api/v1/events/cohort1-fintech/leaderboard").get_json()
    assert body["state"] == "published"
    assert body["snapshot"] is not None
    assert all(r["rank"] is not None for r in body["rows"])  # every team was scored
    winner = next(r for r in body["rows"] if r["team"]["id"] == awards[0]["team"]["id"])
    assert winner["rank"] == 1
    assert client.get("/events/cohort1-fintech/gallery").status_code == 200

    news = client.get("/api/v1/events/cohort1-news-bigdata/leaderboard").get_json()
    assert news["state"] == "live"
    assert news["awards"] == []
    assert any(r["rank"] is not None for r in news["rows"])
    for slug in ("cohort1-company-projects", "cohort1-art-data"):
        assert client.get(f"/api/v1/events/{slug}/leaderboard").status_code == 404


def test_demo_peoples_choice(app, client, db, login):
    """The news hackathon's vote is open with the trainees' votes in, none for their own
    team; no award yet (the results are not published); a trainee sees their vote."""
    from sqlalchemy import func, select

    from hackathon.accounts.models import User
    from hackathon.leaderboard.models import Award, Vote
    from hackathon.leaderboard.services import votes
    from hackathon.teams.models import TeamMember

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    news = get_event("cohort1-news-bigdata")
    assert votes.is_open(news)
    cast = db.session.scalar(select(func.count(Vote.id)).where(Vote.event_id == news.id))
    assert 60 <= cast <= 140  # of 155 trainees
    own = db.session.scalar(
        select(func.count(Vote.id))
        .join(
            TeamMember, (TeamMember.team_id == Vote.team_id) & (TeamMember.user_id == Vote.voter_id)
        )
        .where(Vote.event_id == news.id)
    )
    assert own == 0
    assert sum(votes.counts(news).values()) == cast
    assert not db.session.scalar(select(Award.id).where(Award.kind == votes.PEOPLES_CHOICE))
    voter = db.session.scalar(
        select(User).join(Vote, Vote.voter_id == User.id).where(Vote.event_id == news.id).limit(1)
    )
    login(voter, password="demo-password")
    mine = client.get("/api/v1/events/cohort1-news-bigdata/votes").get_json()
    assert mine["open"] is True
    assert mine["team_id"] is not None
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0  # twice: no change
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Vote.id)).where(Vote.event_id == news.id)) == cast
