"""Twenty votes by one person at the same moment leave exactly one row. SQLite runs one
writer at a time, so only PostgreSQL can race: DATABASE_URL=postgresql://…"""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import select

from hackathon.events.models import Program
from hackathon.leaderboard.models import Vote
from hackathon.leaderboard.services import votes
from tests.factories import make_event, make_team, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")),
        reason="parallel writers need PostgreSQL; SQLite has one writer at a time",
    ),
]

RACERS = 20


def _tabs(client, new_client, n: int):
    """`n` browsers sharing the signed-in client's cookie: one person in many tabs (one
    sign-in, so the sign-in limit per account stays out of the way)."""
    cookie = client.get_cookie("session")
    tabs = []
    for _ in range(n):
        tab = new_client()
        tab.set_cookie("session", cookie.value, domain=cookie.domain)
        tab.csrf_token = client.csrf_token
        tabs.append(tab)
    return tabs


def test_twenty_parallel_votes_by_one_person_leave_one_row(app, db, client, login, new_client):
    app.config["VOTE_LIMIT"] = "1000 per minute"  # the race, not the rate limit
    try:
        program = Program(slug="race", name="경주", name_en="Race")
        db.session.add(program)
        db.session.commit()
        event = make_event("race", phase="judging", program_id=program.id)
        teams = [make_team(event, f"팀 {i}", members=[make_user(event=event)]) for i in range(4)]
        voter = make_user(event=event, role="judge", locale="en")
        votes.set_voting(event, True)
        db.session.commit()
        team_ids, voter_id = [t.id for t in teams], voter.id  # the threads have no session
        login(voter)
        tabs = _tabs(client, new_client, RACERS)
        barrier = threading.Barrier(RACERS)
        statuses: list[int | None] = [None] * RACERS

        def run(index: int) -> None:
            barrier.wait()
            team_id = team_ids[index % len(team_ids)]
            response = tabs[index].api("POST", "/api/v1/events/race/votes", {"team_id": team_id})
            statuses[index] = response.status_code

        threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert statuses == [200] * RACERS
        db.session.expire_all()
        rows = db.session.execute(select(Vote.voter_id, Vote.team_id)).all()
        assert len(rows) == 1
        assert rows[0][0] == voter_id
        assert rows[0][1] in team_ids
    finally:
        app.config.pop("VOTE_LIMIT", None)
