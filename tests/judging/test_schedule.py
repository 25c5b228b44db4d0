"""The pitch-day schedule through the command line, the API and its services: every team
once, the schedule is the assignments, impossible days and lost scores refused whole."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hackathon.judging.models import Assignment, PitchSchedule, PitchSlot, Room, ScoreChange
from tests.factories import grant, make_assignment, make_user
from tests.helpers import build_setup

START = "2026-03-14T10:00"  # event time (Asia/Seoul): 01:00 UTC


@pytest.fixture
def day(db):
    """Twelve teams, seven judges, two per team: two rooms seat four judges at once."""
    return build_setup(judges=7, teams=12, k=2)


def counts(db) -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Assignment, PitchSlot, Room, PitchSchedule, ScoreChange)
    }


def schedule(cli_runner, slug, *args):
    return cli_runner.invoke(
        args=["schedule", slug, "--start", START, "--slot-minutes", "12", *args]
    )


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_the_schedule_places_every_team_once_and_becomes_the_assignments(day, runner, db):
    result = schedule(runner, day.event.slug, "--rooms", "2", "--break-every", "2", "--seed", "4")
    assert result.exit_code == 0, result.output
    slots = db.session.scalars(select(PitchSlot).order_by(PitchSlot.starts_at)).all()
    assert Counter(s.team_id for s in slots) == Counter(t.id for t in day.teams)
    assert slots[0].starts_at == datetime(2026, 3, 14, 1, 0, tzinfo=UTC)
    assert {s.ends_at - s.starts_at for s in slots} == {timedelta(minutes=12)}
    rooms = db.session.scalars(select(Room).order_by(Room.position)).all()
    assert len(rooms) == 2
    assert Counter(s.room_id for s in slots) == {rooms[0].id: 6, rooms[1].id: 6}
    assignments = db.session.scalars(select(Assignment)).all()
    assert Counter(a.team_id for a in assignments) == dict.fromkeys((t.id for t in day.teams), 2)
    # The printed timetable names each team and room.
    for team in day.teams:
        assert team.name in result.output
    assert rooms[0].name in result.output
    # No judge is in two rooms at once, and each queue runs in pitch order.
    when = {s.team_id: s for s in slots}
    by_judge: dict[int, list[Assignment]] = {}
    for a in sorted(assignments, key=lambda a: a.position):
        by_judge.setdefault(a.judge_id, []).append(a)
    for queue in by_judge.values():
        times = [when[a.team_id].starts_at for a in queue]
        assert times == sorted(times)
        assert len(set(times)) == len(times)


def test_the_api_matches_the_assignments_export(day, runner, client, login, db):
    assert schedule(runner, day.event.slug, "--rooms", "2").exit_code == 0
    exported = runner.invoke(args=["export", day.event.slug, "assignments", "-"])
    assert exported.exit_code == 0, exported.output
    pairs = {(r["judge_email"], r["team"]) for r in csv.DictReader(io.StringIO(exported.output))}
    login(day.organizer)
    body = client.get(f"/api/v1/events/{day.event.slug}/schedule").get_json()
    emails = {j.id: j.email for j in day.judges}
    from_api = {(emails[j], s["team"]["name"]) for s in body["slots"] for j in s["judges"]}
    assert from_api == pairs
    assert len(body["slots"]) == len(day.teams)
    starts = [s["starts_at"] for s in body["slots"]]
    assert starts == sorted(starts)


def test_judges_are_shown_to_organizers_and_judges_only(day, runner, new_client, login, db):
    assert schedule(runner, day.event.slug, "--rooms", "2").exit_code == 0
    url = f"/api/v1/events/{day.event.slug}/schedule"
    participant = make_user(name="참가자")
    grant(day.event, participant, "participant")
    for person, sees in ((None, False), (participant, False), (day.judges[0], True)):
        browser = new_client()
        if person is not None:
            login(person, client=browser)
        body = browser.get(url).get_json()
        assert len(body["slots"]) == len(day.teams)
        assert all(("judges" in s) is sees for s in body["slots"]), person


def test_an_impossible_day_is_explained_and_writes_nothing(day, runner, db):
    make_assignment(day.judges[0], day.teams[0])
    before = counts(db)
    result = schedule(runner, day.event.slug, "--rooms", "4")
    assert result.exit_code != 0
    assert "need 8 judges" in result.output  # 4 rooms × 2 at once
    assert "use at most 3 rooms" in result.output  # 7 judges
    assert "nothing was changed" in result.output
    db.session.expire_all()
    assert counts(db) == before


def test_a_team_no_panel_can_judge_is_named(day, runner, db):
    from hackathon.judging.services.reassign import declare_conflict

    for judge in day.judges[:6]:
        declare_conflict(day.event, judge.id, day.teams[3].id, "친구", judge.id)
    db.session.commit()
    before = counts(db)
    result = schedule(runner, day.event.slug, "--rooms", "2")
    assert result.exit_code != 0
    assert day.teams[3].name in result.output
    db.session.expire_all()
    assert counts(db) == before


def test_scores_the_schedule_would_remove_refuse_it_whole(day, runner, db):
    from hackathon.judging.models import Conflict

    scored = make_assignment(day.judges[0], day.teams[0], scores={day.criteria[0]: 7})
    # A conflict recorded since: no schedule may pair them again, so the score would go.
    db.session.add(
        Conflict(event_id=day.event.id, judge_id=day.judges[0].id, team_id=day.teams[0].id)
    )
    db.session.commit()
    before = counts(db)
    result = schedule(runner, day.event.slug, "--rooms", "2")
    assert result.exit_code != 0
    assert "already scored" in result.output
    assert day.judges[0].name in result.output
    assert day.teams[0].name in result.output
    db.session.expire_all()
    assert counts(db) == before
    assert db.session.get(Assignment, scored.id).scores


def test_the_same_schedule_again_keeps_the_scores_it_already_has(day, runner, db):
    assert schedule(runner, day.event.slug, "--rooms", "2", "--seed", "9").exit_code == 0
    first = db.session.scalars(select(Assignment).order_by(Assignment.id)).first()
    from hackathon.judging.models import Score

    db.session.add(Score(assignment_id=first.id, criterion_id=day.criteria[0].id, value=5))
    db.session.commit()
    pairs = set(db.session.execute(select(Assignment.judge_id, Assignment.team_id)).all())
    again = schedule(runner, day.event.slug, "--rooms", "2", "--seed", "9")
    assert again.exit_code == 0, again.output
    db.session.expire_all()
    assert set(db.session.execute(select(Assignment.judge_id, Assignment.team_id)).all()) == pairs
    assert db.session.get(Assignment, first.id).scores


def test_dry_run_writes_nothing(day, runner, db):
    before = counts(db)
    result = schedule(runner, day.event.slug, "--rooms", "2", "--dry-run")
    assert result.exit_code == 0, result.output
    assert day.teams[0].name in result.output
    db.session.expire_all()
    assert counts(db) == before
