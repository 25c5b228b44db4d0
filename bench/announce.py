"""Results night, rehearsed: viewers polling the live board, judges saving scores and an
organizer who freezes and then publishes, all at once, against the app under gunicorn.

Run from the project root: `python bench/announce.py`. It seeds an event on PostgreSQL
(BENCH_DATABASE_URL, whose tables it replaces, or a scratch database it creates on
127.0.0.1:5432 as `postgres` and drops afterwards), starts gunicorn on a loopback port and
drives it for a fixed time with locust (`bench/_announce_load.py`, one process of gevent
users):

- VIEWERS anonymous viewers poll the public leaderboard API every POLL seconds with
  `If-None-Match`, as the live page does;
- JUDGES judges sign in and open their queue and scoring page first, spread over
  SIGN_IN_OVER seconds before the evening starts (on results night they are at their pages
  already; the clock, the viewers and the organizer wait for the last one), then save scores
  one criterion at a time, from a moment of their own, through the judging API
  (`PUT /api/v1/assignments/<id>/scores`, the session cookie and the `X-CSRFToken` header,
  as the scoring page's script does), submitting each assignment once it is complete;
- one organizer opens the board's page and freezes it at FREEZE_AT seconds, and publishes
  it at PUBLISH_AT, with the buttons of `/events/<slug>/leaderboard/manage`.

It prints p50/p99 per kind of request and per ten seconds of the evening; the time and
CPU per kind inside the app, read from its access lines; the errors; how long after the
publish was acknowledged every viewer had seen the published board; the CPU the server,
its database connections and the load used over the evening; and PASS or FAIL per target.
Settings (environment): BENCH_VIEWERS (2000), BENCH_JUDGES (200), BENCH_TEAMS (200),
BENCH_POLL (10 s), BENCH_SECONDS (90); BENCH_WORKERS and BENCH_THREADS override
gunicorn.conf.py's workers and threads.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _common import app_env, gunicorn, scratch_database, server_cpu  # noqa: E402
from leaderboard import _seed_event  # noqa: E402

SLUG = "bench-announce"
PASSWORD = "bench-announce-password"
ORGANIZER = "organizer@bench.test"
VIEWERS = int(os.environ.get("BENCH_VIEWERS", "2000"))
JUDGES = int(os.environ.get("BENCH_JUDGES", "200"))
TEAMS = int(os.environ.get("BENCH_TEAMS", "200"))
PER_TEAM = 5  # judges per team
POLL = float(os.environ.get("BENCH_POLL", "10"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "90"))
FREEZE_AT = SECONDS * 0.45
PUBLISH_AT = SECONDS * 0.6
SAVE_WAIT = (2.0, 6.0)  # seconds a judge takes between two saves
SAVE_P99_MS = 250.0
# Judges sign in and open their scoring page over this many seconds before the evening
# starts (not at one instant); viewers, the organizer and the clock wait for the last one.
SIGN_IN_OVER = SECONDS * 0.15
# The production settings of gunicorn.conf.py (workers and threads by the machine's CPUs),
# but for what a bench must change: a socket per user, and connections kept between polls.
GUNICORN = [
    *(["--workers", os.environ["BENCH_WORKERS"]] if os.environ.get("BENCH_WORKERS") else []),
    *(["--threads", os.environ["BENCH_THREADS"]] if os.environ.get("BENCH_THREADS") else []),
    "--worker-connections",
    str(2 * (VIEWERS + JUDGES) + 100),  # every viewer keeps its connection open
    "--keep-alive",
    "30",  # longer than a poll: a browser keeps its connection between polls
    "--max-requests",
    "0",  # a worker replaced mid-run starts cold: the figures would measure that
    "--timeout",
    "60",
    "--log-level",
    "warning",
]
KINDS = (
    ("viewer 200", "viewer, board changed (200)"),
    ("viewer 304", "viewer, unchanged (304)"),
    ("judge draft", "judge saves a score (draft)"),
    ("judge submit", "judge submits an assignment"),
    ("judge save", "judge saves, all"),
    ("organizer page", "organizer opens the board's page"),
    ("organizer freeze", "organizer freezes"),
    ("organizer publish", "organizer publishes"),
    ("sign-in", "sign-in, before the evening (judges, organizer)"),
    ("judge setup", "judge opens queue and page, before the evening"),
)


def seed(env: dict[str, str]) -> dict[str, int]:
    """The event (its board live), judges who can sign in with half of their work still
    to do, and an organizer."""
    os.environ.update(env)
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import delete, func, insert, inspect, select, update

    from hackathon import create_app
    from hackathon.accounts.logic.passwords import hash_password
    from hackathon.events.models import EventRole, Role
    from hackathon.extensions import db
    from hackathon.judging.models import Assignment, AssignmentStatus, Score
    from hackathon.models import Event, User

    app = create_app()
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()) as said:  # alembic's log lines
            try:
                if inspect(db.engine).has_table("alembic_version"):
                    downgrade(revision="base")
                upgrade()
            except Exception:
                sys.stderr.write(said.getvalue())
                raise
        _seed_event(SLUG, TEAMS, JUDGES, PER_TEAM)
        event = db.session.scalars(select(Event).where(Event.slug == SLUG)).one()
        hashed = hash_password(PASSWORD)  # one hash for every account: argon2 is slow
        db.session.execute(
            update(User).where(User.email.like(f"{SLUG}-judge%")).values(password_hash=hashed)
        )
        judges = list(db.session.scalars(select(User.id).where(User.email.like(f"{SLUG}-%"))))
        organizer = User(email=ORGANIZER, name="운영 벤치", password_hash=hashed, skills="")
        db.session.add(organizer)
        db.session.flush()
        db.session.execute(
            insert(EventRole),
            [{"event_id": event.id, "user_id": j, "role": Role.JUDGE} for j in judges]
            + [{"event_id": event.id, "user_id": organizer.id, "role": Role.ORGANIZER}],
        )
        _give_everyone_work(event.id, judges)
        # The later half of each judge's queue is still to be scored.
        rows = db.session.execute(
            select(Assignment.id, Assignment.judge_id)
            .where(Assignment.event_id == event.id)
            .order_by(Assignment.judge_id, Assignment.id)
        ).all()
        queues: dict[int, list[int]] = {}
        for assignment, judge in rows:
            queues.setdefault(judge, []).append(assignment)
        db.session.execute(
            update(Assignment),
            [{"id": a, "position": p} for ids in queues.values() for p, a in enumerate(ids)],
        )
        to_do = [a for ids in queues.values() for a in ids[len(ids) // 2 :]]
        db.session.execute(delete(Score).where(Score.assignment_id.in_(to_do)))
        db.session.execute(
            update(Assignment)
            .where(Assignment.id.in_(to_do))
            .values(status=AssignmentStatus.TO_DO, submitted_at=None)
        )
        db.session.commit()
        counts = {
            "assignments": len(rows),
            "to_do": len(to_do),
            "scores": db.session.scalar(select(func.count()).select_from(Score)) or 0,
        }
        db.engine.dispose()
    return counts


def _give_everyone_work(event_id: int, judges: list[int]) -> None:
    """Judges are drawn at random per team: hand a judge who drew nothing an assignment of
    the busiest judge, on a team they do not judge yet."""
    from sqlalchemy import select, update

    from hackathon.extensions import db
    from hackathon.judging.models import Assignment

    rows = db.session.execute(
        select(Assignment.id, Assignment.judge_id, Assignment.team_id).where(
            Assignment.event_id == event_id
        )
    ).all()
    by_judge: dict[int, list[tuple[int, int]]] = {j: [] for j in judges}
    for assignment, judge, team in rows:
        by_judge[judge].append((assignment, team))
    for judge in judges:
        if by_judge[judge]:
            continue
        busiest = max(by_judge, key=lambda j: len(by_judge[j]))
        assignment, team = by_judge[busiest].pop()
        db.session.execute(
            update(Assignment).where(Assignment.id == assignment).values(judge_id=judge)
        )
        by_judge[judge].append((assignment, team))


def percentile(values: list[float], q: float) -> float:
    """Nearest rank: the smallest value at or above q of them."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-q * len(ordered) // 1)) - 1))]


def run_load(port: int, tmp: Path, master: int, database: str) -> dict[str, Any]:
    """Run the load; the CPU the server and its database connections used is measured over
    the evening alone (from the moment the load says every judge is set up)."""
    out = tmp / "load.json"
    config = {
        "host": f"http://127.0.0.1:{port}",
        "slug": SLUG,
        "password": PASSWORD,
        "organizer": ORGANIZER,
        "judges": [f"{SLUG}-judge{j}@bench.test" for j in range(JUDGES)],
        "viewers": VIEWERS,
        "poll": POLL,
        "seconds": SECONDS,
        "freeze_at": FREEZE_AT,
        "publish_at": PUBLISH_AT,
        "save_wait": SAVE_WAIT,
        "sign_in_over": SIGN_IN_OVER,
        "out": str(out),
    }
    load = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "_announce_load.py"), json.dumps(config)], cwd=ROOT
    )
    marker = Path(f"{out}.evening")
    while load.poll() is None and not marker.exists():
        time.sleep(0.05)
    before = (server_cpu(master), database_cpu(database))
    if load.wait() != 0:
        raise SystemExit(f"the load generator failed (exit {load.returncode})")
    results: dict[str, Any] = json.loads(out.read_text())
    results["server_cpu"] = server_cpu(master) - before[0]
    results["database_cpu"] = database_cpu(database) - before[1]
    return results


def in_app(log: Path) -> dict[str, tuple[int, float, float]]:
    """From the app's access lines (JSON): per kind of request, how many, and the mean time
    and mean CPU the app spent inside each (the rest of a client's time is queueing)."""
    kinds: dict[str, list[tuple[float, float]]] = {}
    with contextlib.suppress(OSError), log.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("logger") != "hackathon.access" or entry.get("cpu_ms") is None:
                continue
            path, method = entry.get("path", ""), entry.get("method", "")
            if path.endswith("/scores") and method == "PUT":
                kind = "judge saves"
            elif path.endswith("/leaderboard") and method == "GET":
                kind = f"viewer {entry.get('status')}"
            elif path.endswith("/leaderboard/state"):
                kind = "organizer freezes or publishes"
            else:
                continue
            kinds.setdefault(kind, []).append((entry["duration_ms"], entry["cpu_ms"]))
    return {
        kind: (len(v), sum(d for d, _ in v) / len(v), sum(c for _, c in v) / len(v))
        for kind, v in sorted(kinds.items())
    }


def database_cpu(database: str) -> float:
    """CPU seconds used so far by the PostgreSQL server processes of this database's
    connections (Linux /proc, where the server runs on this machine; 0 elsewhere)."""
    name = database.rsplit("/", 1)[-1].encode()
    ticks = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if not (proc / "cmdline").read_bytes().startswith(b"postgres: "):
                continue
            if name not in (proc / "cmdline").read_bytes():
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def main() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 2 * (VIEWERS + JUDGES) + 1000
    if soft < need:  # the load generator and gunicorn each hold a socket per user
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
    tmp = Path(tempfile.mkdtemp(prefix="bench-announce-"))
    try:
        with scratch_database("hk_announce_bench") as database:
            env = app_env(tmp, database) | {"LOG_FORMAT": "json"}  # read by `in_app`
            where = database.split("@")[-1]
            print(
                f"seeding {TEAMS} teams, {JUDGES} judges ({PER_TEAM} a team), 8 criteria "
                f"on {where} ...",
                flush=True,
            )
            began = time.monotonic()
            counts = seed(env)
            print(
                f"  {counts['assignments']} assignments ({counts['to_do']} still to score), "
                f"{counts['scores']} scores, in {time.monotonic() - began:.1f} s",
                flush=True,
            )
            with gunicorn(env, GUNICORN, log=tmp / "server.log") as (port, master):
                conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
                workers = os.environ.get("BENCH_WORKERS") or conf["workers"]
                threads = os.environ.get("BENCH_THREADS") or conf["threads"]
                print(
                    f"gunicorn ({workers} workers of {threads} threads) "
                    f"{' '.join(GUNICORN)} on 127.0.0.1:{port}",
                    flush=True,
                )
                print(
                    f"locust (FastHttpUser, one process): {VIEWERS} viewers polling every "
                    f"{POLL:g} s with If-None-Match, {JUDGES} judges saving every "
                    f"{SAVE_WAIT[0]:g}-{SAVE_WAIT[1]:g} s, 1 organizer freezing at "
                    f"{FREEZE_AT:g} s and publishing at {PUBLISH_AT:g} s; {SECONDS:g} s in all",
                    flush=True,
                )
                results = run_load(port, tmp, master, database)
            results["in_app"] = in_app(tmp / "server.log")
        report(results, postgres=database.startswith("postgres"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def timeline(at: dict[str, list[list[float]]], step: float = 10.0) -> None:
    """p99 per `step` seconds of the evening (by when each request was sent), for judges'
    saves and viewers: where in the evening a slow tail came from."""
    kinds = {
        "saves": at.get("judge draft", []) + at.get("judge submit", []),
        "viewers": at.get("viewer 200", []) + at.get("viewer 304", []),
    }
    windows = int(SECONDS // step) + 1
    print()
    print("  p99 ms by when sent (s)  " + "".join(f"{i * step:>7.0f}" for i in range(windows)))
    for name, points in kinds.items():
        cells = []
        for i in range(windows):
            inside = [ms for t, ms in points if i * step <= t < (i + 1) * step]
            cells.append(f"{percentile(inside, 0.99):7.0f}" if inside else f"{'-':>7s}")
        print(f"  {name:24s}" + "".join(cells))
    print()


def report(r: dict[str, Any], postgres: bool) -> None:
    times: dict[str, list[float]] = r["times"]
    times["judge save"] = times.get("judge draft", []) + times.get("judge submit", [])
    print()
    print(f"  {'request':40s} {'count':>7s} {'p50 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}")
    for key, label in KINDS:
        values = times.get(key) or []
        if not values:
            print(f"  {label:40s} {0:7d}")
            continue
        print(
            f"  {label:40s} {len(values):7d} {percentile(values, 0.5):8.1f} "
            f"{percentile(values, 0.99):8.1f} {max(values):8.1f}"
        )
    timeline(r.get("timeline", {}))
    if r.get("in_app"):
        heading = "inside the app (its access lines)"
        print(f"  {heading:40s} {'count':>7s} {'mean ms':>8s} {'CPU ms':>8s}")
        for kind, (count, duration, cpu) in r["in_app"].items():
            print(f"  {kind:40s} {count:7d} {duration:8.1f} {cpu:8.2f}")
        print()
    errors: dict[str, int] = r["errors"]
    total_errors = sum(errors.values())
    print(f"  errors: {total_errors}")
    for what, n in sorted(errors.items(), key=lambda item: -item[1])[:10]:
        print(f"    {n:6d} × {what}")

    delays = r["delays"]
    seen = [d for d in delays if d is not None]
    late = [d for d in seen if d > POLL]
    never = len(delays) - len(seen)
    again = sum(1 for m in r["misses"] if m > 0)
    worst = max(seen) if seen else float("inf")
    if r.get("publish_ack") is None:
        print("  the publish was never acknowledged")
    else:
        print(
            f"  publication seen by {len(seen)}/{len(delays)} viewers; by every one of them "
            f"{worst:.2f} s after the publish was acknowledged (median {percentile(seen, 0.5):.2f}"
            f" s; poll interval {POLL:g} s); {again} viewers polled after the acknowledgement "
            f"and still got the old board"
            if seen
            else f"  no viewer saw the publication ({len(delays)} viewers)"
        )
    print(
        f"  CPU over the evening: gunicorn {r['server_cpu']:.0f} s, PostgreSQL (its connections) "
        f"{r['database_cpu']:.0f} s, load generator {r['client_cpu']:.0f} s over "
        f"{r['elapsed']:.0f} s (its own limit reached: {'yes' if r['client_saturated'] else 'no'});"
        f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine)"
    )

    saves = times["judge save"]
    p99 = percentile(saves, 0.99) if saves else float("inf")
    verdicts = [
        (total_errors == 0, f"0 errors ({total_errors})"),
        (
            postgres and p99 < SAVE_P99_MS,
            f"judges' saves p99 < {SAVE_P99_MS:g} ms on PostgreSQL ({p99:.1f} ms"
            + ("" if postgres else ", and this was not PostgreSQL")
            + ")",
        ),
        (
            # Within one poll: the first poll each viewer sent after the publication was
            # acknowledged showed it. (When its answer arrived also counts the time the
            # server took to answer: `late` is printed, not judged.)
            r.get("publish_ack") is not None and bool(delays) and not again and not never,
            f"every viewer's first poll after the publication showed it ({again} did not, "
            f"{never} never saw it; the last answer came {worst:.2f} s after the publication,"
            f" {len(late)} later than {POLL:g} s)",
        ),
    ]
    print()
    for ok, text in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    if not all(ok for ok, _ in verdicts):
        sys.exit(1)


if __name__ == "__main__":
    main()
