"""The demo's pitch day: the news hackathon pitches in three rooms, its schedule is the
assignments that were scored, and the day is under way."""

from __future__ import annotations

import itertools
from collections import Counter

from sqlalchemy import select

from hackathon.db import utcnow
from hackathon.events.services import get_event
from hackathon.judging.logic.assign import is_connected
from hackathon.judging.models import Assignment, PitchSlot, Room
from hackathon.judging.services.pitch_day import timetable
from hackathon.teams.models import Team


def test_the_news_hackathon_has_a_live_pitch_day(app, db, client):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    news = get_event("cohort1-news-bigdata")
    rooms = db.session.scalars(select(Room).where(Room.event_id == news.id)).all()
    assert len(rooms) == 3
    slots = timetable(news)
    teams = db.session.scalars(select(Team.id).where(Team.event_id == news.id)).all()
    assert Counter(v.slot.team_id for v in slots) == Counter(teams)
    # The schedule's panels are the assignments, and the scored ones are among them.
    scheduled = {(j, v.slot.team_id) for v in slots for j in v.judge_ids}
    from hackathon.judging.rules import ranked_work

    # The panels' work; calibration copies and the shadow judge sit beside it.
    rows = db.session.scalars(select(Assignment).where(ranked_work(news.id))).all()
    assert {(a.judge_id, a.team_id) for a in rows} == scheduled
    assert all(len(v.judge_ids) == news.judges_per_submission for v in slots)
    assert is_connected(scheduled)
    # Under way: some pitches are over, some to come.
    now = utcnow()
    assert any(s.slot.ends_at <= now for s in slots)
    assert any(s.slot.starts_at > now for s in slots)
    # Nobody in two rooms at once.
    for judge in {j for j, _ in scheduled}:
        mine = sorted((v.slot for v in slots if judge in v.judge_ids), key=lambda s: s.starts_at)
        assert all(a.ends_at <= b.starts_at for a, b in itertools.pairwise(mine))
    body = client.get("/api/v1/events/cohort1-news-bigdata/schedule").get_json()
    assert len(body["slots"]) == len(teams)
    assert "judges" not in body["slots"][0]
    room = rooms[0]
    assert client.get(f"/events/cohort1-news-bigdata/schedule/rooms/{room.id}").status_code == 200
    assert db.session.scalar(select(PitchSlot.id).where(PitchSlot.event_id == news.id))
