"""Upload tickets and completes of 33 teams × 3 files at once, against a live app on S3.

The app runs under gunicorn (a worker per CPU) over real HTTP on loopback, with moto's S3
server (another process) as storage; 33 threads (one per team) sign in, then each asks for
a ticket, uploads straight to S3 and completes, for three files. It prints throughput and
latency, and proves that no file byte passed through the app: every request body the app
received is counted, and all of them together are far smaller than the files (the largest
is a small JSON body).

Files up to UPLOAD_INLINE_VERIFY_BYTES (8 MB) are checked in the complete request; the
bench's files are smaller, so each complete answers `ready`. Set
BENCH_INLINE_VERIFY_BYTES=0 to send every file down the background path instead: complete
then answers 202 `verifying` and the bench polls the file until it is `ready`, printing
how long that took (`settled`, from the complete until ready).

Run from the project root: `python bench/uploads.py` (SQLite in a temporary folder, or set
DATABASE_URL to a scratch PostgreSQL database).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import boto3
import requests
from botocore.config import Config as BotoConfig
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

TEAMS, PASSWORD = 33, "bench-password-1"
WORKERS = max(2, os.cpu_count() or 2)
KB = 1024
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BodyCounter:
    """WSGI middleware: request-body bytes that reach the app, summed over every worker
    process (shared memory made before they fork)."""

    def __init__(self, app, shared) -> None:
        self.app, self.shared = app, shared

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        total, largest, count = self.shared
        with total.get_lock():
            total.value += length
            largest.value = max(largest.value, length)
            count.value += 1
        return self.app(environ, start_response)


def files_for(team: int) -> list[tuple[str, str, bytes]]:
    from hackathon.submissions.demo import minimal_pdf, small_zip

    noise = os.urandom(256 * KB)
    pdf = minimal_pdf([f"Team {team}"]) + b"%" + noise  # bytes after %%EOF: still a PDF head
    code = small_zip({"main.py": f"print({team})\n", "data.bin": noise.hex()})
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(768 * KB)
    return [
        ("slides", f"발표자료_{team}.pdf", pdf),
        ("code", f"code_{team}.zip", code),
        ("video", f"시연_{team}.mp4", video),
    ]


def build_app(endpoint: str, bucket: str, instance: Path):
    from config import Config
    from hackathon import create_app

    env = {
        "APP_ENV": "testing",
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'b.sqlite3'}",
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "RATELIMIT_ENABLED": "0",
    }
    config = Config(env)
    if os.environ.get("BENCH_INLINE_VERIFY_BYTES"):
        config.UPLOAD_INLINE_VERIFY_BYTES = int(os.environ["BENCH_INLINE_VERIFY_BYTES"])
    return create_app(config)


def seed(app) -> tuple[str, list[str]]:
    """An event open for submissions, its default slots, 33 teams of one member each."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from hackathon.accounts.logic.passwords import hash_password
    from hackathon.accounts.models import User
    from hackathon.db import utcnow
    from hackathon.events.services import create_event
    from hackathon.extensions import db
    from hackathon.submissions.services.slots import ensure_default_slots
    from hackathon.teams.models import Team, TeamMember

    with app.app_context():
        if inspect(db.engine).has_table("alembic_version"):
            downgrade(revision="base")
        upgrade()
        from datetime import timedelta

        now = utcnow()
        event = create_event(
            "bench-uploads",
            "업로드 벤치",
            registration_opens_at=now - timedelta(days=3),
            team_formation_opens_at=now - timedelta(days=2),
            teams_lock_at=now - timedelta(days=1),
            submissions_open_at=now - timedelta(days=1),
            submissions_close_at=now + timedelta(days=1),
        )
        ensure_default_slots(event)
        hashed, emails = hash_password(PASSWORD), []
        for n in range(1, TEAMS + 1):
            user = User(
                email=f"team{n}@bench.test",
                name=f"팀원 {n}",
                password_hash=hashed,
                skills="",
                is_admin=False,
                disabled=False,
                session_version=1,
            )
            team = Team(event_id=event.id, name=f"벤치 팀 {n}", invite_code=f"bench{n:04d}")
            db.session.add_all([user, team])
            db.session.flush()
            db.session.add(TeamMember(event_id=event.id, team_id=team.id, user_id=user.id))
            emails.append(user.email)
        db.session.commit()
        return event.slug, emails


def sign_in(base: str, email: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    # gunicorn may close a kept-alive connection just as the next request goes out on it
    # (the idle moments while a team waits for its files to be verified): send it again.
    retry = Retry(total=2, connect=2, read=2, status=0, allowed_methods=None)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    token = CSRF.search(session.get(f"{base}/login").text).group(1)
    answer = session.post(
        f"{base}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:300]
    return session, CSRF.search(session.get(f"{base}/").text).group(1)


def run_team(
    base: str, slug: str, email: str, start: tuple[threading.Barrier, ...], out: dict
) -> None:
    session, token = sign_in(base, email)
    headers = {"X-CSRFToken": token}
    located = session.get(f"{base}/events/{slug}/submission", allow_redirects=False)
    submission_id = int(located.headers["Location"].rsplit("/", 1)[-1])
    team = int(email.removeprefix("team").split("@")[0])
    files = files_for(team)
    for barrier in start:  # all signed in; the counters are reset; go
        barrier.wait()
    for slot, name, data in files:
        began = time.perf_counter()
        ticket = session.post(
            f"{base}/api/v1/submissions/{submission_id}/uploads",
            json={
                "slot": slot,
                "filename": name,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
            headers=headers,
        )
        out["ticket"].append(time.perf_counter() - began)
        assert ticket.status_code == 201, ticket.text
        body = ticket.json()
        began = time.perf_counter()
        sent = requests.post(
            body["url"], data=body["fields"], files={"file": (name, data)}, timeout=120
        )
        out["upload"].append(time.perf_counter() - began)
        assert sent.status_code in (200, 201, 204), sent.text[:300]
        out["uploaded"].append(len(data))
        began = time.perf_counter()
        done = session.post(f"{base}{body['complete_url']}", headers=headers)
        out["complete"].append(time.perf_counter() - began)
        assert done.status_code in (200, 202), done.text
        record = done.json()
        while record["status"] == "verifying":  # checked by a job: ask until it is settled
            time.sleep(0.25)
            record = session.get(f"{base}{record['status_url']}").json()
        if done.status_code == 202:
            out["settled"].append(time.perf_counter() - began)
        assert record["status"] == "ready", record


def summary(label: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"{label:9s} n={len(ordered):3d}  p50={statistics.median(ordered) * 1000:7.1f} ms  "
        f"p95={p95 * 1000:7.1f} ms  max={ordered[-1] * 1000:7.1f} ms"
    )


def wait_for(port: int) -> None:
    for _ in range(200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def serve_app(endpoint: str, bucket: str, instance: str, port: int, shared, pipe) -> None:
    """Seed, then serve the app with gunicorn (one worker per CPU, threads in each), as a
    deployment would; each worker builds its own app, database pool and S3 client."""
    from gunicorn.app.base import BaseApplication

    seeding = build_app(endpoint, bucket, Path(instance))
    pipe.send(seed(seeding))
    with seeding.app_context():
        from hackathon.extensions import db

        db.engine.dispose()  # no connection crosses the fork

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {
                "bind": f"127.0.0.1:{port}",
                "workers": WORKERS,
                "worker_class": "gthread",
                "threads": 8,
                "loglevel": "warning",
            }.items():
                self.cfg.set(key, value)

        def load(self):
            app = build_app(endpoint, bucket, Path(instance))
            app.wsgi_app = BodyCounter(app.wsgi_app, shared)
            return app

    Server().run()


def main() -> int:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    moto_port, app_port = free_port(), free_port()
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(moto_port)
        return run(f"http://127.0.0.1:{moto_port}", app_port)
    finally:
        moto.terminate()
        moto.wait(timeout=10)


def run(endpoint: str, app_port: int) -> int:
    bucket = "bench-uploads"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=BotoConfig(signature_version="s3v4"),
    ).create_bucket(Bucket=bucket)
    context = multiprocessing.get_context("fork")
    shared = (context.Value("q", 0), context.Value("q", 0), context.Value("q", 0))
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as tmp:
        ours, theirs = context.Pipe()
        server = context.Process(
            target=serve_app, args=(endpoint, bucket, tmp, app_port, shared, theirs)
        )
        server.start()
        try:
            slug, emails = ours.recv()
            wait_for(app_port)
            base = f"http://127.0.0.1:{app_port}"
            out: dict[str, list] = {
                "ticket": [],
                "upload": [],
                "complete": [],
                "settled": [],
                "uploaded": [],
            }
            sign_in(base, emails[0])  # one warm-up request, as a running server has had
            start = (threading.Barrier(TEAMS + 1), threading.Barrier(TEAMS + 1))
            threads = [
                threading.Thread(target=run_team, args=(base, slug, e, start, out)) for e in emails
            ]
            for thread in threads:
                thread.start()
            start[0].wait()
            for counter in shared:
                counter.value = 0  # count from here on
            began = time.perf_counter()
            start[1].wait()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
            received, largest, requests_seen = (counter.value for counter in shared)
        finally:
            server.terminate()
            server.join(timeout=10)

    files, file_bytes = len(out["uploaded"]), sum(out["uploaded"])
    print(
        f"app: gunicorn, {WORKERS} workers × 8 threads; storage: moto server; "
        f"database: {os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}"
    )
    print(
        f"{TEAMS} teams × 3 files = {files} uploads in {elapsed:.2f} s "
        f"({files / elapsed:.1f} files/s, {2 * files / elapsed:.1f} ticket+complete calls/s)"
    )
    print(summary("ticket", out["ticket"]))
    print(summary("upload", out["upload"]) + "  (browser -> S3, not the app)")
    print(summary("complete", out["complete"]))
    if out["settled"]:
        print(summary("settled", out["settled"]) + "  (complete -> ready, verified by a job)")
    print(
        f"file bytes uploaded to S3: {file_bytes:,}; request-body bytes the app received: "
        f"{received:,} in {requests_seen} requests (largest body {largest} B)"
    )
    ok = files == TEAMS * 3 and largest < 2 * KB and received < file_bytes / 100
    print("no file byte passed through the app" if ok else "FAILED: the app saw file bytes")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
