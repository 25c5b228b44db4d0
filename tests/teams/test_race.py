"""Two people racing for the last place: exactly one gets it. `SELECT … FOR UPDATE` does
nothing on SQLite, so these tests run on PostgreSQL only (DATABASE_URL=postgresql://…)."""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import func, select, text

from hackathon.accounts.models import User
from hackathon.events.models import Event
from hackathon.teams.models import Team, TeamMember
from hackathon.teams.services import formation
from tests.factories import make_event, make_team, make_track, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")),
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite has none to test",
    ),
]

RACERS = 8


def _race(clients, urls_and_codes):
    """Every client posts its join at the same moment; returns the responses."""
    barrier = threading.Barrier(len(clients))
    responses: list = [None] * len(clients)

    def run(index: int) -> None:
        client = clients[index]
        url, code = urls_and_codes[index]
        barrier.wait()
        responses[index] = client.form_post(
            url, {"code": code}, headers={"Referer": "http://localhost/events/race/my-team"}
        )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def _members(db, team) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(TeamMember).where(TeamMember.team_id == team.id)
    )


def test_parallel_joins_for_the_last_place_let_exactly_one_in(db, signed_in):
    event = make_event("race", phase="team_formation", team_max=5)
    team = make_team(event, members=[make_user(event=event, locale="en") for _ in range(4)])
    clients = [signed_in(make_user(event=event, locale="en")) for _ in range(RACERS)]
    responses = _race(clients, [("/events/race/teams/join", team.invite_code)] * RACERS)
    assert [r.status_code for r in responses] == [302] * RACERS
    joined = [r for r in responses if r.headers["Location"].endswith(f"/teams/{team.id}")]
    refused = [r for r in responses if r.headers["Location"].endswith("/my-team")]
    assert (len(joined), len(refused)) == (1, RACERS - 1), [
        r.headers["Location"] for r in responses
    ]
    assert _members(db, team) == 5


def test_one_person_joining_two_teams_at_once_lands_in_one(db, signed_in):
    event = make_event("race", phase="team_formation", team_max=5)
    teams = [make_team(event, members=[make_user(event=event, locale="en")]) for _ in range(2)]
    racer = make_user(event=event, locale="en")
    clients = [signed_in(racer) for _ in teams]
    responses = _race(clients, [("/events/race/teams/join", t.invite_code) for t in teams])
    joined = [r for r in responses if "/teams/" in r.headers["Location"]]
    assert len(joined) == 1
    assert sum(_members(db, t) for t in teams) == 3


def _blocked_on_a_lock(db) -> bool:
    return bool(
        db.session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    )


def test_the_last_member_leaving_while_someone_joins_keeps_the_newcomer(app, db):
    """The newcomer's join is flushed but not committed when the last member leaves: the
    leave must wait for it and see two members, not delete the team under the newcomer."""
    event = make_event("race", phase="team_formation", team_max=5)
    alice, bob = (make_user(event=event, locale="en") for _ in range(2))
    team = make_team(event, members=[alice])
    team_id, code, alice_id, bob_id = team.id, team.invite_code, alice.id, bob.id
    joined, errors = threading.Event(), []

    def join() -> None:
        with app.app_context():
            try:
                newcomer = db.session.get(User, bob_id)
                formation.join_by_code(db.session.get(Event, event.id), newcomer, code)
                joined.set()
                deadline = time.monotonic() + 5
                while not _blocked_on_a_lock(db) and time.monotonic() < deadline:
                    time.sleep(0.02)
                db.session.commit()
            except Exception as error:  # reported by the test below
                errors.append(error)
                joined.set()
            finally:
                db.session.remove()

    def leave() -> None:
        with app.app_context():
            try:
                joined.wait(10)
                formation.leave_team(db.session.get(Team, team_id), db.session.get(User, alice_id))
                db.session.commit()
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=join), threading.Thread(target=leave)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    db.session.expire_all()
    kept = db.session.get(Team, team_id)
    assert kept is not None
    assert [m.user_id for m in kept.members] == [bob_id]
    assert kept.captain_id == bob_id


def test_two_organizers_filling_the_last_place_on_a_track_cannot_both_get_it(app, db):
    """The first move to the track is flushed but not committed when the second is made:
    the second must wait for it and find the track full."""
    from hackathon.teams.services import organizer

    event = make_event("race", phase="team_formation")
    track = make_track(event, "Last place", capacity=1)
    first, second = (
        make_team(event, members=[make_user(event=event, locale="en")]) for _ in range(2)
    )
    ids = (event.id, track.id, first.id, second.id)
    moved, outcomes = threading.Event(), []

    def move(team_id: int, hold: bool) -> None:
        with app.app_context():
            try:
                if not hold:
                    moved.wait(10)
                organizer.set_track(db.session.get(Team, team_id), ids[1])
                if hold:
                    moved.set()
                    deadline = time.monotonic() + 3
                    while not _blocked_on_a_lock(db) and time.monotonic() < deadline:
                        time.sleep(0.02)
                db.session.commit()
                outcomes.append("placed")
            except organizer.TrackFull:
                outcomes.append("full")
            finally:
                moved.set()
                db.session.remove()

    threads = [
        threading.Thread(target=move, args=(ids[2], True)),
        threading.Thread(target=move, args=(ids[3], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["full", "placed"]
    db.session.expire_all()
    on_track = [t for t in (first, second) if db.session.get(Team, t.id).track_id == track.id]
    assert len(on_track) == 1
