"""Requests per second of the public leaderboard API under gunicorn, next to a minimal
JSON endpoint of the same app, and the time to compute a large leaderboard.

Run from the project root: `python bench/leaderboard.py`. It seeds a fresh SQLite file in a
temporary directory (or the scratch PostgreSQL database named by BENCH_DATABASE_URL, whose
tables it replaces) with a 33-team and a 2,000-team event whose boards are live, starts
gunicorn on a loopback port with one set of settings for every measurement, drives it with
a bounded load loop (threads, one keep-alive connection each, a fixed time per endpoint),
prints the figures, and stops gunicorn.
"""

from __future__ import annotations

import http.client
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))
from _common import fresh_schema, gunicorn, server_cpu  # noqa: E402
from leaderboard_compute import TARGET_SECONDS, compute_benchmark  # noqa: E402

THREADS = int(os.environ.get("BENCH_THREADS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))  # per endpoint, over all rounds
ROUNDS = 3
WORKERS = os.environ.get("BENCH_WORKERS", "2")
GUNICORN = [
    "--workers",
    WORKERS,
    "--worker-class",
    "gthread",
    "--threads",
    "4",
    "--keep-alive",
    "30",
    "--max-requests",  # no worker replaced mid-run, with an empty cache
    "0",
    "--log-level",
    "warning",
]
TARGET_RATIO = 0.90
EVENTS = (("bench-33", 33, 12, 3), ("bench-2000", 2000, 200, 5))  # slug, teams, judges, k


def seed(env: dict[str, str]) -> None:
    """Create the schema and both events, with scores in and the boards live."""
    from hackathon.extensions import db

    with fresh_schema(env):
        for slug, teams, judges, per_team in EVENTS:
            _seed_event(slug, teams, judges, per_team)
        db.session.commit()


def _seed_event(slug: str, n_teams: int, n_judges: int, per_team: int) -> None:
    from sqlalchemy import insert, select

    from hackathon.extensions import db
    from hackathon.judging.models import Assignment, Criterion, Score
    from hackathon.leaderboard.services import board as services
    from hackathon.models import Event, Team, Track, User

    rng = random.Random(slug)
    now = datetime.now(UTC)
    event = Event(
        slug=slug,
        name=f"벤치마크 {n_teams}",
        kind="hackathon",
        timezone="Asia/Seoul",
        registration_opens_at=now - timedelta(days=30),
        team_formation_opens_at=now - timedelta(days=25),
        teams_lock_at=now - timedelta(days=20),
        submissions_open_at=now - timedelta(days=20),
        submissions_close_at=now - timedelta(days=3),
        judging_close_at=now + timedelta(days=3),
    )
    db.session.add(event)
    db.session.flush()
    tracks = [Track(event_id=event.id, name=f"트랙 {i + 1}", position=i) for i in range(8)]
    crits = [
        Criterion(
            event_id=event.id,
            name=f"기준 {c + 1}",
            name_en=f"Criterion {c + 1}",
            weight=rng.choice([1.0, 1.5, 2.0]),
            min_score=1,
            max_score=10,
            position=c,
        )
        for c in range(8)
    ]
    db.session.add_all(tracks + crits)
    db.session.flush()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"{slug}-judge{j}@bench.test",
                "name": f"심사 {j}",
                "password_hash": "-",
                "skills": "",
                "is_admin": False,
                "disabled": False,
                "session_version": 1,
            }
            for j in range(n_judges)
        ],
    )
    judge_ids = list(db.session.scalars(select(User.id).where(User.email.like(f"{slug}-%"))))
    db.session.execute(
        insert(Team),
        [
            {
                "event_id": event.id,
                "name": f"팀 {t + 1:04d}",
                "invite_code": f"{slug}-{t}",
                "track_id": tracks[t % len(tracks)].id,
            }
            for t in range(n_teams)
        ],
    )
    team_ids = list(db.session.scalars(select(Team.id).where(Team.event_id == event.id)))
    db.session.execute(
        insert(Assignment),
        [
            {
                "event_id": event.id,
                "judge_id": judge,
                "team_id": team,
                "status": "submitted",
                "submitted_at": now,
            }
            for team in team_ids
            for judge in rng.sample(judge_ids, per_team)
        ],
    )
    quality = {t: rng.random() for t in team_ids}
    rows = db.session.execute(
        select(Assignment.id, Assignment.team_id).where(Assignment.event_id == event.id)
    ).all()
    db.session.execute(
        insert(Score),
        [
            {
                "assignment_id": a,
                "criterion_id": c.id,
                "updated_at": now,
                "value": max(1, min(10, round(1 + 9 * quality[t] + rng.gauss(0, 1)))),
            }
            for a, t in rows
            for c in crits
        ],
    )
    services.set_state(event, "live")


def load(port: int, path: str, headers: dict[str, str], seconds: float = SECONDS) -> float:
    """Requests per second over `seconds`, from THREADS keep-alive connections; the number
    of requests is left in LAST["requests"]."""
    counts = [0] * THREADS
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            while time.monotonic() < stop:
                conn.request("GET", path, headers=headers)
                response = response_of(conn)
                if response not in (200, 304):
                    errors.append(f"{path}: HTTP {response}")
                    return
                counts[index] += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    LAST["requests"] = sum(counts)
    return sum(counts) / (time.monotonic() - began)


LAST: dict[str, int] = {}


def response_of(conn: http.client.HTTPConnection) -> int:
    response = conn.getresponse()
    response.read()
    return response.status


def etag_of(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    print(f"  {path}: {len(body) / 1024:.0f} KiB gzipped", flush=True)
    return response.getheader("ETag") or ""


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-leaderboard-"))
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {
        "DATABASE_URL": database,
        "INSTANCE_PATH": str(tmp),
        "SECRET_KEY": "bench",
        "STORAGE_LOCAL_ROOT": str(tmp / "files"),
        "RATELIMIT_ENABLED": "0",
    }
    env.pop("REDIS_URL", None)
    print(f"seeding {database.split('@')[-1]} ...", flush=True)
    began = time.monotonic()
    seed(env)
    print(f"  seeded in {time.monotonic() - began:.1f} s", flush=True)
    log = tmp / "gunicorn.log"  # the access lines: both endpoints write them
    try:
        with gunicorn(env, GUNICORN, log=log) as (port, master):
            print(
                f"gunicorn {' '.join(GUNICORN)} on 127.0.0.1:{port}; {THREADS} client "
                f"threads; {ROUNDS} interleaved turns of {SECONDS / ROUNDS:g} s per endpoint, "
                "best turn",
                flush=True,
            )
            figures = measure(port, master)
    except BaseException:
        print(log.read_text(errors="replace")[-4000:] if log.exists() else "", file=sys.stderr)
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(figures)


def measure(port: int, master: int) -> dict[str, tuple[float, float]]:
    """Each endpoint in ROUNDS interleaved turns. Per endpoint: the best turn's requests per
    second (a burst of other work on the machine during one turn does not decide it) and
    the server's CPU time per request over all turns (which other work hardly disturbs)."""
    browser = {"Accept-Encoding": "gzip", "Accept": "application/json"}
    paths = {slug: f"/api/v1/events/{slug}/leaderboard" for slug, *_ in EVENTS}
    tags = {slug: etag_of(port, path) for slug, path in paths.items()}
    for path in paths.values():  # every worker builds its in-process copy once
        load(port, path, browser, seconds=1.0)
    runs = {
        "minimal": ("/healthz", browser),
        "33": (paths["bench-33"], browser),
        "2000": (paths["bench-2000"], browser),
        "2000-304": (paths["bench-2000"], browser | {"If-None-Match": tags["bench-2000"]}),
    }
    best = dict.fromkeys(runs, 0.0)
    cpu = dict.fromkeys(runs, 0.0)
    done = dict.fromkeys(runs, 0)
    for _ in range(ROUNDS):
        for key, (path, headers) in runs.items():
            before = server_cpu(master)
            best[key] = max(best[key], load(port, path, headers, SECONDS / ROUNDS))
            cpu[key] += server_cpu(master) - before
            done[key] += LAST["requests"]
    return {key: (best[key], cpu[key] / max(done[key], 1)) for key in runs}


def report(f: dict[str, tuple[float, float]]) -> None:
    base, base_cpu = f["minimal"]
    print()
    print(f"  {'endpoint':42s} {'req/s':>8s} {'ratio':>7s} {'server CPU/req':>15s} {'ratio':>7s}")
    rows = (
        ("minimal", "minimal JSON endpoint /healthz"),
        ("33", "leaderboard, 33 teams (200, gzip)"),
        ("2000", "leaderboard, 2,000 teams (200, gzip)"),
        ("2000-304", "leaderboard, 2,000 teams (304 polling)"),
    )
    for key, label in rows:
        rate, cpu = f[key]
        cpu_ratio = f"{base_cpu / cpu:7.1%}" if cpu else "      -"
        print(f"  {label:42s} {rate:8.0f} {rate / base:7.1%} {cpu * 1e6:12.0f} µs {cpu_ratio}")
    worst = min(f["33"][0], f["2000"][0]) / base
    verdict = "meets" if worst >= TARGET_RATIO else "misses"
    print(
        f"  leaderboard / minimal, requests per second (worst full response): {worst:.1%} "
        f"({verdict} the {TARGET_RATIO:.0%} target)"
    )
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    seconds = compute_benchmark()
    print(
        f"  compute 2000 teams x 200 judges x 8 criteria, 5 judges/team: {seconds:.3f} s "
        f"(target < {TARGET_SECONDS:g} s)"
    )


if __name__ == "__main__":
    main()
