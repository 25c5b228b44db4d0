"""Background jobs: handed on only after commit; run by a real `worker` process from the
Redis queue, or in this process without Redis; periodic jobs once per interval."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.jobs import enqueue, run_due, wait_idle
from hackathon.mail import MailStatus, OutboxMessage
from hackathon.registry import PeriodicJob, get_registry
from tests.factories import make_user
from tests.helpers import Client, app_env, extra_app, redis_test_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ran(app):
    """A job of the test's own that records its arguments."""
    calls: list[tuple] = []
    get_registry(app).jobs["test.record"] = lambda *args: calls.append(args)
    yield calls
    get_registry(app).jobs.pop("test.record", None)


def test_a_job_runs_after_commit_and_not_after_rollback(app, ran):
    enqueue("test.record", "dropped")
    db.session.rollback()
    enqueue("test.record", "kept", 7)
    db.session.commit()
    wait_idle(app)
    assert ran == [("kept", 7)]


def test_a_savepoint_neither_hands_jobs_on_nor_drops_them(app, ran):
    enqueue("test.record", "before")
    with db.session.begin_nested():
        enqueue("test.record", "inside")
    wait_idle(app)
    assert ran == []  # released, but the transaction has not committed
    try:
        with db.session.begin_nested():
            enqueue("test.record", "undone")
            raise ValueError
    except ValueError:
        pass
    db.session.commit()
    wait_idle(app)
    assert ran == [("before",), ("inside",)]  # what the undone savepoint asked for is dropped


def test_an_unknown_job_is_refused_at_once(app):
    with pytest.raises(KeyError):
        enqueue("no.such.job")


def test_periodic_jobs_run_once_per_interval(app):
    runs: list = []
    registry = get_registry(app)
    registry.periodic.append(PeriodicJob("test.tick", timedelta(hours=1), runs.append))
    try:
        start = utcnow()
        assert "test.tick" in run_due(start)
        assert "test.tick" not in run_due(start + timedelta(minutes=30))
        assert "test.tick" in run_due(start + timedelta(hours=1, minutes=1))
    finally:
        registry.periodic.pop()
    assert len(runs) == 2


@pytest.fixture
def redis_url():
    return redis_test_url()


def test_a_worker_process_sends_what_a_request_queued_on_redis(
    app, instance_dir, smtp_server, redis_url
):
    queue = f"hk-test-{uuid.uuid4().hex}"
    with (
        extra_app(
            instance_dir, REDIS_URL=redis_url, JOBS_QUEUE=queue, MAIL_URL=smtp_server.url
        ) as other,
        other.app_context(),
    ):
        make_user("worker@example.test")
        db.session.commit()
        # A request that mails: the password reset of a known address.
        other.test_client_class = Client
        browser = other.test_client()
        browser.get("/password/forgot")
        answer = browser.form_post("/password/forgot", {"email": "worker@example.test"})
        assert answer.status_code == 200
        wait_idle(other)  # nothing runs here: the job waits on Redis
        assert smtp_server.to("worker@example.test") == []
        assert db.session.scalar(select(OutboxMessage.status)) == MailStatus.PENDING
        env = {
            **app_env(instance_dir),
            "REDIS_URL": redis_url,
            "JOBS_QUEUE": queue,
            "MAIL_URL": smtp_server.url,
        }
        worker = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert worker.returncode == 0, worker.stderr[-2000:]
        assert len(smtp_server.to("worker@example.test")) == 1
        db.session.expire_all()
        assert db.session.scalar(select(OutboxMessage.status)) == MailStatus.SENT


def test_the_worker_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL" in result.output
