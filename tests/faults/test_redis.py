"""Redis down: a private `redis-server` killed and started again under an app that uses
it for sign-in limits, the leaderboard's shared cache and the job queue. While it is down
each process limits and caches on its own and runs jobs itself, /readyz says `degraded`
(200) and names Redis, nothing answers 500; when it is back, all of them use it again."""

from __future__ import annotations

import time
from pathlib import Path

from rq import Queue

from hackathon.extensions import db
from hackathon.jobs import enqueue, wait_idle
from hackathon.leaderboard.services import board as boards
from hackathon.registry import get_registry
from tests.factories import (
    TEST_PASSWORD,
    grant,
    make_assignment,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_track,
    make_user,
)
from tests.faults.conftest import RedisServer
from tests.helpers import Client, extra_app

PER_ACCOUNT = 5  # LOGIN_LIMIT_PER_ACCOUNT


def attempt(client: Client, email: str, password: str, address: str) -> int:
    client.get("/login", environ_base={"REMOTE_ADDR": address})
    response = client.form_post(
        "/login", {"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )
    return response.status_code


def limit_keys(server: RedisServer) -> list[bytes]:
    return [k for k in server.client().keys("*") if b"account:" in k]


def board_keys(server: RedisServer) -> list[bytes]:
    return [k for k in server.client().keys("hk:lb:*") if not k.endswith(b":lock")]


def published_event():
    event = make_event(phase="judging")
    judge = make_user()
    grant(event, judge, "judge")
    idea = make_criterion(event, "아이디어", name_en="Idea", weight=1, lo=1, hi=10)
    team = make_team(event, "팀", track=make_track(event, "금융", name_en="Finance"))
    make_submission(team, title="작품")
    make_assignment(judge, team, scores={idea: 7}, status="submitted")
    boards.set_state(event, "published")
    db.session.commit()
    return event, team.track_id


def test_redis_down_degrades_per_process_and_recovers(
    app, instance_dir: Path, redis_server: RedisServer
):
    event, track_id = published_event()
    user = make_user()
    ran: list[int] = []
    with extra_app(
        instance_dir,
        REDIS_URL=redis_server.url,
        RATELIMIT_STORAGE_URI=redis_server.url,
        RATELIMIT_KEY_PREFIX="faults",
    ) as redis_app:
        get_registry(redis_app).jobs["faults.note"] = ran.append
        redis_app.test_client_class = Client

        def client() -> Client:
            return redis_app.test_client()

        def job(value: int) -> None:
            with redis_app.app_context():
                enqueue("faults.note", value)
                db.session.commit()
            wait_idle(redis_app)

        statuses: list[int] = []
        board = f"/api/v1/events/{event.slug}/leaderboard"

        # Up: the limits count in Redis, board views are shared there, jobs queue there.
        statuses.append(attempt(client(), user.email, "wrong", "10.1.0.1"))
        assert limit_keys(redis_server)
        statuses.append(client().get(board).status_code)
        assert board_keys(redis_server)
        job(1)
        assert ran == []
        assert Queue(redis_app.config["JOBS_QUEUE"], connection=redis_server.client()).count == 1
        ready = client().get("/readyz")
        assert ready.status_code == 200
        assert ready.json == {
            "status": "ok",
            "checks": {"database": "ok", "storage": "ok", "redis": "ok"},
        }

        redis_server.kill()
        # Down: this process limits on its own (the sixth failure for one account is
        # refused, whatever the address) ...
        other = make_user()
        for n in range(PER_ACCOUNT):
            statuses.append(attempt(client(), other.email, "wrong", f"10.2.0.{n}"))
        assert statuses[-PER_ACCOUNT:] == [200] * PER_ACCOUNT
        assert attempt(client(), other.email, TEST_PASSWORD, "10.2.1.1") == 429
        assert attempt(client(), make_user().email, TEST_PASSWORD, "10.2.1.2") == 302
        # ... builds board views itself (a view not seen before: CSV) ...
        csv = client().get(board.replace("/leaderboard", "/leaderboard.csv"))
        statuses.append(csv.status_code)
        assert csv.mimetype == "text/csv"
        # ... runs a job here rather than lose it ...
        job(2)
        assert ran == [2]
        # ... and says it is degraded, not unavailable: it still serves everyone.
        ready = client().get("/readyz")
        assert ready.status_code == 200
        assert ready.json == {
            "status": "degraded",
            "checks": {"database": "ok", "storage": "ok", "redis": "unreachable"},
        }

        redis_server.start()  # empty, as a restarted cache is
        ready = client().get("/readyz")
        assert ready.status_code == 200
        assert ready.json["status"] == "ok"
        job(3)
        assert ran == [2]  # queued in Redis again, for the workers
        assert Queue(redis_app.config["JOBS_QUEUE"], connection=redis_server.client()).count == 1
        # The board's views are shared again (a view this process has not built yet).
        assert board_keys(redis_server) == []
        statuses.append(client().get(f"{board}?track={track_id}").status_code)
        assert board_keys(redis_server)
        # The limiter goes back to Redis at its next check (it backs off, a few seconds).
        deadline = time.monotonic() + 40
        n = 0
        while not limit_keys(redis_server):
            assert time.monotonic() < deadline, "the limits never went back to Redis"
            n += 1
            statuses.append(attempt(client(), f"late{n}@example.test", "wrong", f"10.3.{n}.1"))
            time.sleep(0.25)
        assert not [s for s in statuses if s >= 500]
