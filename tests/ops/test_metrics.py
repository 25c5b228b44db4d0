"""/metrics: requests and latency counted, the job queue and the outbox read when scraped,
readable only from this machine or with the token, and summed over the workers of a real
gunicorn (prometheus_client's multiprocess mode) even when a worker is replaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
from prometheus_client.parser import text_string_to_metric_families
from rq import Queue

from hackathon.extensions import db
from hackathon.jobs import enqueue
from hackathon.mail.models import MailStatus, OutboxMessage
from tests.helpers import app_env, extra_app, free_port, redis_test_url

ROOT = Path(__file__).resolve().parent.parent.parent


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of the text format: (name, labels) -> value."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def scrape(client, **kwargs) -> dict:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    return samples(response.get_data(as_text=True))


def test_requests_and_their_latency_are_counted(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    client.get("/no-such-page")
    after = scrape(client)
    ok = {"endpoint": "healthz", "method": "GET", "status": "200"}
    assert (
        value(after, "hackathon_http_requests_total", **ok)
        - value(before, "hackathon_http_requests_total", **ok)
        == 3
    )
    lost = {"endpoint": "unmatched", "method": "GET", "status": "404"}
    assert (
        value(after, "hackathon_http_requests_total", **lost)
        - value(before, "hackathon_http_requests_total", **lost)
        == 1
    )
    timed = {"endpoint": "healthz", "method": "GET"}
    count = "hackathon_http_request_duration_seconds_count"
    assert value(after, count, **timed) - value(before, count, **timed) == 3
    assert value(after, "hackathon_http_request_duration_seconds_sum", **timed) > value(
        before, "hackathon_http_request_duration_seconds_sum", **timed
    )


def test_the_outbox_is_read_when_scraped(client, app):
    statuses = [MailStatus.FAILED, MailStatus.FAILED, MailStatus.PENDING, MailStatus.SENT]
    for n, status in enumerate(statuses):
        db.session.add(
            OutboxMessage(
                kind="test",
                to_address=f"m{n}@example.test",
                subject="s",
                text_body="t",
                message_id=f"<{uuid.uuid4().hex}@example.test>",
                status=status,
                attempts=1,
                last_error="refused" if status != MailStatus.SENT else "",
            )
        )
    db.session.commit()
    found = scrape(client)
    for status in MailStatus:
        assert value(found, "hackathon_mail_messages", status=status.value) == statuses.count(
            status
        )
    assert value(found, "hackathon_mail_retrying") == statuses.count(MailStatus.PENDING)


def test_the_queue_depth_is_read_from_redis_when_scraped(app, instance_dir):
    redis_url = redis_test_url()
    name = f"hk-test-{uuid.uuid4().hex}"
    with (
        extra_app(instance_dir, REDIS_URL=redis_url, JOBS_QUEUE=name) as other,
        other.app_context(),
    ):
        for _ in range(4):
            enqueue("jobs.run_due")
        db.session.commit()  # handed on to Redis now; no worker runs them
        queue = Queue(name, connection=other.extensions["jobs"].redis)
        try:
            found = scrape(other.test_client())
            assert value(found, "hackathon_jobs_queued", queue=name) == queue.count == 4
            assert value(found, "hackathon_jobs_queue_up") == 1
        finally:
            queue.empty()
        db.session.remove()


def test_the_public_cannot_read_the_metrics(client, app):
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside).status_code == 404
    # A proxy on this machine passing a visitor on is not this machine.
    forwarded = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert forwarded.status_code == 404
    app.config["METRICS_TOKEN"] = "scrape-token-1"
    try:
        assert client.get("/metrics").status_code == 404  # loopback alone is not enough now
        wrong = {"Authorization": "Bearer nope"}
        assert client.get("/metrics", headers=wrong, environ_base=outside).status_code == 404
        right = {"Authorization": "Bearer scrape-token-1"}
        assert client.get("/metrics", headers=right, environ_base=outside).status_code == 200
    finally:
        app.config["METRICS_TOKEN"] = None


# A real gunicorn with two workers, started from gunicorn.conf.py.


def _get(base: str, path: str) -> requests.Response:
    # A new connection each time, so that both workers take some.
    return requests.get(base + path, headers={"Connection": "close"}, timeout=60)


def _wait_up(base: str, server: subprocess.Popen, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stopped"
        try:
            if _get(base, "/healthz").status_code == 200:
                return
        except requests.RequestException:  # listening, the workers still booting
            pass
        time.sleep(0.5)
    raise AssertionError("gunicorn did not start")


def _pids(folder: Path) -> set[int]:
    """Workers that have counted something: each writes its own counter_<pid>.db."""
    return {int(p.stem.rsplit("_", 1)[1]) for p in folder.glob("counter_*.db")}


def _served(found: dict) -> float:
    return value(
        found, "hackathon_http_requests_total", endpoint="api.healthz", method="GET", status="200"
    )


def test_gunicorn_workers_add_up(app, instance_dir, tmp_path):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    env = {
        **app_env(instance_dir),
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "WEB_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, server)
        sent = 0
        # Until both workers have answered some (at most 400 requests), and at least 20.
        while sent < 20 or (len(_pids(metrics_dir)) < 2 and sent < 400):
            assert _get(base, "/api/v1/healthz").status_code == 200
            sent += 1
        assert len(_pids(metrics_dir)) == 2, "one worker answered everything"
        found = samples(_get(base, "/metrics").text)
        assert _served(found) == sent
        # Whichever worker answers the scrape, the sum is the same.
        assert _served(samples(_get(base, "/metrics").text)) == sent

        # A worker replaced (killed, as a timeout or max_requests would): its counts stay.
        victim = min(_pids(metrics_dir))
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(_pids(metrics_dir) - {victim}) < 2:
            assert _get(base, "/api/v1/healthz").status_code == 200
            sent += 1
            time.sleep(0.05)
        assert len(_pids(metrics_dir) - {victim}) == 2, "no new worker answered"
        assert _served(samples(_get(base, "/metrics").text)) == sent
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        if server.stderr is not None:
            server.stderr.close()
