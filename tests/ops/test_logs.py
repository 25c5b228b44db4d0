"""Structured logs: a request id taken from the proxy (when safe) or made, returned in the
response, on every line written for the request, and on the lines of the jobs it started
(in this process, and in a real worker process over Redis); JSON one object per line."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rq import Queue

from config import Config
from hackathon.extensions import db
from hackathon.ops.logs import ContextFilter, JsonFormatter, TextFormatter
from tests.factories import make_user
from tests.helpers import Client, app_env, extra_app, redis_test_url

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the app's loggers write, through the production (JSON) formatter."""
    with captured(JsonFormatter()) as stream:
        yield stream


@contextmanager
def captured(formatter: logging.Formatter, name: str = "hackathon") -> Iterator[io.StringIO]:
    """What logger `name` writes while inside, through `formatter`, as the app sets it up."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(ContextFilter())
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def parsed(stream: io.StringIO) -> list[dict]:
    lines = stream.getvalue().splitlines()
    assert lines, "nothing was logged"
    objects = [json.loads(line) for line in lines]  # each line is one whole JSON object
    assert all(isinstance(o, dict) for o in objects)
    return objects


def test_an_incoming_request_id_is_returned_and_on_the_access_line(client, json_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-4f2a:17"})
    assert response.headers["X-Request-ID"] == "lb-4f2a:17"
    access = [o for o in parsed(json_lines) if o["logger"] == "hackathon.access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "lb-4f2a:17"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["duration_ms"] >= 0
    assert 0 <= line["cpu_ms"] <= line["duration_ms"] + 1  # its own CPU, within its time
    assert line["level"] == "info"
    assert {"time", "message"} <= set(line)
    assert "user_id" not in line  # nobody signed in


@pytest.mark.parametrize("sent", ["x" * 37, "has space", "semi;colon", "<script>", "\u2603", ""])
def test_an_unsafe_or_long_request_id_is_replaced(client, json_lines, sent):
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    made = response.headers["X-Request-ID"]
    assert made != sent
    assert str(uuid.UUID(made)) == made
    access = [o for o in parsed(json_lines) if o["logger"] == "hackathon.access"]
    assert [o["request_id"] for o in access] == [made]


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second


def test_the_signed_in_user_is_on_the_access_line(client, login, json_lines):
    user = make_user()
    login(user)
    json_lines.truncate(0)
    json_lines.seek(0)
    client.get("/me", headers={"X-Request-ID": "with-user"})
    access = [o for o in parsed(json_lines) if o.get("request_id") == "with-user"]
    assert access
    assert {o.get("user_id") for o in access} == {user.id}


def test_a_secret_in_the_path_is_not_logged(client, json_lines):
    secret = "s3cr3t-" + uuid.uuid4().hex
    client.get(f"/password/reset/{secret}")
    text = json_lines.getvalue()
    assert secret not in text
    access = [o for o in parsed(json_lines) if o["logger"] == "hackathon.access"]
    assert access[0]["path"] == "/password/reset/<token>"


def test_a_korean_message_stays_one_valid_line(app, json_lines):
    logging.getLogger("hackathon.test").warning('첫 줄\n둘째 줄 "따옴표"')
    (line,) = parsed(json_lines)
    assert line["message"] == '첫 줄\n둘째 줄 "따옴표"'
    assert line["level"] == "warning"


def test_development_logs_read_as_text():
    record = logging.LogRecord("hackathon.access", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.request_id, record.status = "abc", 200
    text = TextFormatter().format(record)
    assert "GET / 200" in text
    assert "request_id=abc" in text
    assert "status=200" in text
    assert not text.startswith("{")


def test_a_line_break_in_a_request_path_cannot_forge_a_text_log_line(client):
    with captured(TextFormatter(), "hackathon.access") as stream:
        client.get("/events/x%0A12:00:00 INFO    hackathon.access: GET /admin 200")
    (line,) = stream.getvalue().splitlines()
    assert "/events/x\\x0a12:00:00" in line


def test_json_is_the_default_in_production_only():
    base = {"SECRET_KEY": "k", "DATABASE_URL": "sqlite://"}
    assert Config({**base, "APP_ENV": "production"}).LOG_FORMAT == "json"
    assert Config({**base, "APP_ENV": "development"}).LOG_FORMAT == "text"
    assert Config({**base, "APP_ENV": "testing"}).LOG_FORMAT == "text"
    assert Config({**base, "APP_ENV": "production", "LOG_FORMAT": "text"}).LOG_FORMAT == "text"
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        Config({**base, "LOG_FORMAT": "xml"})


def test_a_job_started_by_a_request_logs_under_its_id(app, client, smtp_server, json_lines):
    """Without Redis the job runs on a thread of this process, after the commit."""
    from hackathon.jobs import wait_idle

    make_user("reset@example.test")
    client.get("/password/forgot")
    answer = client.form_post(
        "/password/forgot",
        {"email": "reset@example.test"},
        headers={"X-Request-ID": "forgot-1"},
    )
    assert answer.status_code == 200
    wait_idle(app)
    assert smtp_server.to("reset@example.test")
    lines = parsed(json_lines)
    mine = [o for o in lines if o.get("request_id") == "forgot-1"]
    loggers = {o["logger"] for o in mine}
    assert {"hackathon.access", "hackathon.jobs.queue", "hackathon.mail.outbox"} <= loggers
    job_lines = [o for o in mine if o.get("job") == "mail.deliver"]
    assert [o["message"] for o in job_lines] == [
        "job mail.deliver started",
        "job mail.deliver done",
    ]
    assert any("sent to reset@example.test" in o["message"] for o in mine)
    # A job started by nobody's request carries no request's id.
    assert all(o.get("request_id") in (None, "forgot-1") for o in lines if o.get("job"))


def test_a_worker_process_logs_the_request_id_kept_with_the_rq_job(app, instance_dir, smtp_server):
    redis_url = redis_test_url()
    queue_name = f"hk-test-{uuid.uuid4().hex}"
    with (
        extra_app(
            instance_dir, REDIS_URL=redis_url, JOBS_QUEUE=queue_name, MAIL_URL=smtp_server.url
        ) as other,
        other.app_context(),
    ):
        make_user("worker-log@example.test")
        other.test_client_class = Client
        browser = other.test_client()
        browser.get("/password/forgot")
        answer = browser.form_post(
            "/password/forgot",
            {"email": "worker-log@example.test"},
            headers={"X-Request-ID": "via-redis-7"},
        )
        assert answer.status_code == 200
        queue = Queue(queue_name, connection=other.extensions["jobs"].redis)
        (job,) = queue.jobs
        assert job.meta["request_id"] == "via-redis-7"
        env = {
            **app_env(instance_dir),
            "REDIS_URL": redis_url,
            "JOBS_QUEUE": queue_name,
            "MAIL_URL": smtp_server.url,
            "LOG_FORMAT": "json",
        }
        worker = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert worker.returncode == 0, worker.stderr[-2000:]
        ours = [json.loads(line) for line in worker.stderr.splitlines() if line.startswith("{")]
        tagged = [o for o in ours if o.get("request_id") == "via-redis-7"]
        assert any(o["message"] == "job mail.deliver started" for o in tagged)
        assert any("sent to worker-log@example.test" in o["message"] for o in tagged)
        db.session.remove()
