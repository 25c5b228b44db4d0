"""Two people racing for the last place: exactly one gets it. `SELECT … FOR UPDATE` does
nothing on SQLite, so these tests run on PostgreSQL only (DATABASE_URL=postgresql://…)."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func, select

from hackathon.teams.models import TeamMember
from tests.factories import make_event, make_team
from tests.teams.conftest import person

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
    team = make_team(event, members=[person(event) for _ in range(4)])
    clients = [signed_in(person(event)) for _ in range(RACERS)]
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
    teams = [make_team(event, members=[person(event)]) for _ in range(2)]
    racer = person(event)
    clients = [signed_in(racer) for _ in teams]
    responses = _race(clients, [("/events/race/teams/join", t.invite_code) for t in teams])
    joined = [r for r in responses if "/teams/" in r.headers["Location"]]
    assert len(joined) == 1
    assert sum(_members(db, t) for t in teams) == 3
