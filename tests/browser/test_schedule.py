"""Pitch day in Chromium: a room's screen moves on to the next team by itself when a slot
ends, and a judge on a 360-px phone sees the room and time of each team in the queue."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from hackathon.db import utcnow
from tests.factories import TEST_PASSWORD
from tests.helpers import build_setup, sign_in


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_room_screen_moves_on_when_the_slot_ends(app, live_server, page, db):
    from hackathon.judging.models import PitchSlot, Room

    day = build_setup(judges=2, teams=3, k=2)
    room = Room(event_id=day.event.id, name="A홀", position=0)
    db.session.add(room)
    db.session.flush()
    now = utcnow()
    times = [(now - timedelta(minutes=5), now + timedelta(seconds=4))]
    times.append((times[0][1], times[0][1] + timedelta(minutes=10)))
    times.append((times[1][1], times[1][1] + timedelta(minutes=10)))
    for team, (start, end) in zip(day.teams, times, strict=True):
        db.session.add(
            PitchSlot(
                event_id=day.event.id,
                room_id=room.id,
                team_id=team.id,
                starts_at=start,
                ends_at=end,
            )
        )
    db.session.commit()
    requests, loads = [], []
    page.on("request", lambda r: requests.append(r.url) if "/api/" in r.url else None)
    page.on("load", lambda p: loads.append(p.url))

    page.goto(f"{live_server}/events/{day.event.slug}/schedule/rooms/{room.id}")
    now_team, next_team = page.locator("[data-now]"), page.locator("[data-next]")
    expect(now_team).to_have_text("팀 1")
    assert next_team.inner_text() == "팀 2"
    assert "남음" in page.locator("[data-countdown]").inner_text()  # the time left, in Korean

    expect(now_team).to_have_text("팀 2", timeout=12_000)  # without a reload
    assert next_team.inner_text() == "팀 3"
    assert now_team.inner_text() == "팀 2"
    # It read the timetable once when the slot changed, not once a second.
    page.wait_for_timeout(2_500)
    assert len(requests) <= 2
    assert len(loads) == 1  # the page was never reloaded


def test_a_judge_on_a_phone_sees_room_and_time_of_each_pitch(app, live_server, phone_page, db):
    from hackathon.judging.services.schedule import DayShape, apply_schedule

    day = build_setup(judges=4, teams=6, k=2)
    start = utcnow().replace(second=0, microsecond=0) + timedelta(hours=1)
    apply_schedule(
        day.event, DayShape(["대회의실 가나다라마바사", "B홀"], start, 15, 2, 10, seed=3)
    )
    db.session.commit()
    judge = day.judges[0]
    page = phone_page
    sign_in(page, live_server, judge.email, TEST_PASSWORD)
    page.goto(f"{live_server}/events/{day.event.slug}/judging")
    items = page.locator(".j-item")
    pitches = page.locator("[data-pitch]")
    assert items.count() >= 2
    assert pitches.count() == items.count()
    for n in range(pitches.count()):
        text = pitches.nth(n).inner_text()
        assert "대회의실" in text or "B홀" in text
        assert "오전" in text or "오후" in text  # a time of day, in Korean
        assert pitches.nth(n).is_visible()
    assert no_horizontal_scroll(page)
