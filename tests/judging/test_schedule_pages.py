"""The pitch day's pages: preview then confirm, an absent team, a moved pitch, the public
timetable, a room's screen and the judge's queue with rooms and times."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hackathon.judging.models import Assignment, PitchSlot, Room
from hackathon.notifications.models import Notification
from tests.helpers import build_setup

FORM = {
    "rooms": "A홀\nB홀",
    "start": "2026-03-14T10:00",
    "slot_minutes": "10",
    "break_every": "2",
    "break_minutes": "15",
}


@pytest.fixture
def day(db):
    return build_setup(judges=6, teams=8, k=2)


def url(day, tail=""):
    return f"/events/{day.event.slug}/judging/schedule{tail}"


def pairs(db):
    return set(db.session.execute(select(Assignment.judge_id, Assignment.team_id)).all())


def saved(client, day):
    client.get(url(day))
    response = client.form_post(url(day, "/confirm"), {**FORM, "seed": "5"})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_ten_digit_seed_is_kept_from_preview_to_confirm(day, client, login):
    """Seeds go up to 2**31 - 1: the preview shows the timetable of the seed it was given."""
    login(day.organizer)
    client.get(url(day))
    html = client.form_post(url(day), {**FORM, "seed": "2147483000"}).get_data(as_text=True)
    assert html.split('name="seed"')[1].split('value="')[1].split('"')[0] == "2147483000"


def test_preview_writes_nothing_and_confirm_stores_what_was_shown(day, client, login, db):
    login(day.organizer)
    assert client.get(url(day)).status_code == 200
    response = client.form_post(url(day), FORM)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "data-preview" in html
    assert db.session.scalar(select(func.count(PitchSlot.id))) == 0
    seed = html.split('name="seed"')[1].split('value="')[1].split('"')[0]
    shown = html.split("data-preview")[1].split("<tr>")[2:]
    assert client.form_post(url(day, "/confirm"), {**FORM, "seed": seed}).status_code == 302
    slots = db.session.scalars(select(PitchSlot).order_by(PitchSlot.starts_at, PitchSlot.room_id))
    teams = [s.team.name for s in slots]
    assert teams == [row.split("<td>")[3].split("</td>")[0] for row in shown]
    assert {r.name for r in db.session.scalars(select(Room))} == {"A홀", "B홀"}
    assert Counter(a.team_id for a in db.session.scalars(select(Assignment))) == dict.fromkeys(
        (t.id for t in day.teams), 2
    )


def test_an_impossible_preview_says_why(day, client, login, db):
    login(day.organizer)
    client.get(url(day))
    response = client.form_post(
        url(day), {**FORM, "rooms": "1\n2\n3\n4"}, headers={"Accept-Language": "en"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "data-schedule-problems" in html
    assert "use at most 3 rooms" in html


def test_only_organizers_reach_the_schedule_page(day, client, login, db):
    login(day.judges[0])
    assert client.get(url(day)).status_code == 404


def test_an_absent_team_frees_its_judges_and_tells_them(day, client, login, db):
    login(day.organizer)
    saved(client, day)
    slot = db.session.scalars(select(PitchSlot).order_by(PitchSlot.starts_at)).first()
    team_id = slot.team_id
    judges = {j for j, t in pairs(db) if t == team_id}
    assert len(judges) == 2
    assert client.form_post(url(day, f"/slots/{slot.id}/absent")).status_code == 302
    db.session.expire_all()
    assert db.session.get(PitchSlot, slot.id).status == "absent"
    assert not {j for j, t in pairs(db) if t == team_id}
    told = db.session.scalars(select(Notification).where(Notification.kind == "pitch_absent"))
    assert {n.user_id for n in told} == judges
    body = client.get(f"/api/v1/events/{day.event.slug}/schedule").get_json()
    mine = next(s for s in body["slots"] if s["team"]["id"] == team_id)
    assert mine["status"] == "absent"
    assert mine["judges"] == []


def test_a_pitch_moves_only_where_nobody_is_double_booked(day, client, login, db):
    login(day.organizer)
    saved(client, day)
    slots = db.session.scalars(select(PitchSlot).order_by(PitchSlot.starts_at)).all()
    first, other = slots[0], next(s for s in slots[1:] if s.room_id != slots[0].room_id)
    before = (first.room_id, first.starts_at)
    # Onto the other room at the very same time: the room is taken.
    local = (other.starts_at + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M")
    prefix = f"move-{first.id}-"
    client.form_post(
        url(day, f"/slots/{first.id}/move"),
        {prefix + "room_id": other.room_id, prefix + "start": local},
    )
    db.session.expire_all()
    assert (db.session.get(PitchSlot, first.id).room_id, first.starts_at) == before
    # To the end of the day, in its own room: free, and its judges' queues follow.
    last = max(s.ends_at for s in slots) + timedelta(hours=1)
    local = (last + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M")
    response = client.form_post(
        url(day, f"/slots/{first.id}/move"),
        {prefix + "room_id": first.room_id, prefix + "start": local},
    )
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(PitchSlot, first.id)
    assert moved.starts_at == last.replace(second=0, microsecond=0)
    judge_id = next(j for j, t in pairs(db) if t == moved.team_id)
    queue = db.session.scalars(
        select(Assignment).where(Assignment.judge_id == judge_id).order_by(Assignment.position)
    ).all()
    assert queue[-1].team_id == moved.team_id


def test_a_judge_busy_elsewhere_blocks_the_move(day, client, login, db):
    login(day.organizer)
    saved(client, day)
    slots = db.session.scalars(select(PitchSlot).order_by(PitchSlot.starts_at)).all()
    team_judges = {}
    for j, t in pairs(db):
        team_judges.setdefault(t, set()).add(j)
    # A slot and a later one in another room sharing a judge, moved to that later time in a
    # third, free place: the shared judge would be in two rooms at once.
    for a in slots:
        clash = next(
            (
                b
                for b in slots
                if b.starts_at != a.starts_at and team_judges[a.team_id] & team_judges[b.team_id]
            ),
            None,
        )
        if clash is not None:
            break
    db.session.add(Room(event_id=day.event.id, name="C홀", position=9))
    db.session.commit()
    spare = db.session.scalar(select(Room).where(Room.name == "C홀"))
    prefix = f"move-{a.id}-"
    local = (clash.starts_at + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M")
    response = client.form_post(
        url(day, f"/slots/{a.id}/move"),
        {prefix + "room_id": spare.id, prefix + "start": local},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    assert "then" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PitchSlot, a.id).room_id != spare.id


def test_the_public_timetable_and_a_room_screen(day, client, login, new_client, db):
    login(day.organizer)
    saved(client, day)
    public = new_client()
    page = public.get(f"/events/{day.event.slug}/schedule")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert all(t.name in html for t in day.teams)
    assert day.judges[0].name not in html
    room = db.session.scalar(select(Room).order_by(Room.position))
    screen = public.get(f"/events/{day.event.slug}/schedule/rooms/{room.id}")
    assert screen.status_code == 200
    assert "data-projector" in screen.get_data(as_text=True)
    assert public.get(f"/events/{day.event.slug}/schedule/rooms/999999").status_code == 404


def test_the_judges_queue_shows_room_and_time(day, client, login, new_client, db):
    login(day.organizer)
    saved(client, day)
    judge = new_client()
    login(day.judges[0], client=judge)
    html = judge.get(f"/events/{day.event.slug}/judging").get_data(as_text=True)
    mine = db.session.scalars(
        select(PitchSlot)
        .join(Assignment, Assignment.team_id == PitchSlot.team_id)
        .where(Assignment.judge_id == day.judges[0].id)
    ).all()
    assert mine
    assert html.count("data-pitch") == len(mine)
    for slot in mine:
        assert slot.room.name in html


def test_no_schedule_no_slots(day, client, db):
    body = client.get(f"/api/v1/events/{day.event.slug}/schedule").get_json()
    assert body["slots"] == []
    assert "data-timetable" not in client.get(f"/events/{day.event.slug}/schedule").get_data(
        as_text=True
    )
