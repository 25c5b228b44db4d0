"""An event in the offset mode (docs/scoring.md): its board, the organizers' switch and
their warning for a judge–team graph that falls apart, the commands."""

from __future__ import annotations

import json

import pytest

from hackathon.extensions import db
from hackathon.leaderboard.services import board as services
from tests.factories import (
    grant,
    make_assignment,
    make_criterion,
    make_event,
    make_team,
    make_user,
)

API = "/api/v1/events/rooms/leaderboard"
MANAGE = "/events/rooms/leaderboard/manage"
EN = {"Accept-Language": "en"}

# A room of finalists on a 0..100 criterion, every total exactly quality + offset:
# qualities A 90, B 80, C 40, D 30; offsets J1 -10 (the strong room's harsh judge), J2 +5
# (the weak room's), J3 +5 (scores A and C, so the rooms are linked).
TOTALS = {0: {"A": 80, "B": 70}, 1: {"C": 45, "D": 35}, 2: {"A": 95, "C": 45}}


@pytest.fixture
def rooms(app):
    event = make_event("rooms", phase="judging", scoring_mode="offset")
    organizer = make_user("rooms-organizer@example.test")
    grant(event, organizer, "organizer")
    overall = make_criterion(event, "총점", name_en="Overall", lo=0, hi=100)
    teams = {name: make_team(event, name) for name in "ABCD"}
    judges = [make_user(f"rooms-judge{i}@example.test") for i in range(3)]
    for j, judge in enumerate(judges):
        grant(event, judge, "judge")
        for name, value in TOTALS[j].items():
            make_assignment(judge, teams[name], scores={overall: value}, status="submitted")
    db.session.commit()
    return event, organizer, overall


def test_the_board_ranks_by_quality_with_the_judges_offsets_taken_out(client, rooms):
    event, _, _ = rooms
    services.set_state(event, "live")
    db.session.commit()
    body = client.get(API).get_json()
    assert body["mode"] == "offset"
    # Raw beside: A (80 + 95) / 2 = 87.5, B 70, C (45 + 45) / 2 = 45, D 35.
    assert [(r["rank"], r["team"]["name"], r["score"], r["raw_score"]) for r in body["rows"]] == [
        (1, "A", 90.0, 87.5),
        (2, "B", 80.0, 70.0),
        (3, "C", 40.0, 45.0),
        (4, "D", 30.0, 35.0),
    ]
    page = client.get("/events/rooms/leaderboard", headers=EN).get_data(as_text=True)
    assert "offset removed" in page


def test_organizers_switch_to_the_offset_mode_and_back(client, login, rooms):
    _, organizer, _ = rooms
    login(organizer)
    # zscore: each judge's two teams get +1 and -1: A 1, C 0, B -1, D -1 (B behind C).
    zscore = client.get(API + "?source=current&mode=zscore").get_json()
    assert [r["team"]["name"] for r in zscore["rows"]][:2] == ["A", "C"]
    page = client.get(MANAGE + "?mode=offset", headers=EN).get_data(as_text=True)
    assert 'aria-current="page">Judge offsets removed' in page
    assert "data-judge-groups" not in page


def test_a_graph_that_falls_apart_is_named_on_the_organizers_board(client, login, rooms):
    event, organizer, overall = rooms
    loner = make_user("rooms-loner@example.test")
    grant(event, loner, "judge")
    for name, value in (("E", 70), ("F", 20)):
        make_assignment(loner, make_team(event, name), scores={overall: value}, status="submitted")
    db.session.commit()
    login(organizer)
    page = client.get(MANAGE, headers=EN).get_data(as_text=True)
    assert "data-judge-groups" in page
    assert "fall into 2 groups that share no judge" in page
    assert "<li>A, B, C, D</li>" in page
    assert "<li>E, F</li>" in page
    korean = client.get(MANAGE, headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "2개의 묶음" in korean


def test_the_command_prints_the_offset_board_and_warns_of_groups(app, rooms):
    event, _, overall = rooms
    runner = app.test_cli_runner()
    result = runner.invoke(args=["leaderboard", "rooms", "--format", "json", "--mode", "offset"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["mode"] == "offset"
    assert [r["score"] for r in data["rows"]] == [90.0, 80.0, 40.0, 30.0]
    assert "warning" not in result.stderr
    loner = make_user("rooms-loner@example.test")
    make_assignment(loner, make_team(event, "E"), scores={overall: 50}, status="submitted")
    db.session.commit()
    result = runner.invoke(args=["leaderboard", "rooms"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "rooms · hidden · offset"
    assert "2 groups that share no judge" in result.stderr


def test_events_are_created_in_the_offset_mode_and_it_is_on_the_edit_form(app, client, login, db):
    from hackathon.events.models import Event

    runner = app.test_cli_runner()
    result = runner.invoke(args=["events", "create", "fresh", "--name", "새 행사"])
    assert result.exit_code == 0, result.output
    event = db.session.scalar(db.select(Event).where(Event.slug == "fresh"))
    assert event.scoring_mode == "offset"
    organizer = make_user("fresh-organizer@example.test")
    grant(event, organizer, "organizer")
    db.session.commit()
    login(organizer)
    page = client.get("/events/fresh/edit", headers=EN).get_data(as_text=True)
    assert '<option selected value="offset">' in page
    assert '<option value="zscore">' in page
