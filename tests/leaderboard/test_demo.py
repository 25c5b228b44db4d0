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
