"""Plumbing the benches that run the app under gunicorn share: a free loopback port, a
scratch PostgreSQL database, the app's environment, starting and stopping gunicorn."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH_SERVER = "postgresql://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def server_cpu(master: int) -> float:
    """CPU seconds used so far by gunicorn's workers (Linux /proc; 0 elsewhere)."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ticks = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0


def app_env(tmp: Path, database: str) -> dict[str, str]:
    """The settings of the app under a bench: its own instance folder and files, no rate
    limits (every client comes from one address), no Redis (one process' cache each)."""
    return {
        "DATABASE_URL": database,
        "INSTANCE_PATH": str(tmp),
        "SECRET_KEY": "bench",
        "STORAGE_LOCAL_ROOT": str(tmp / "files"),
        "RATELIMIT_ENABLED": "0",
    }


@contextmanager
def scratch_database(name: str) -> Iterator[str]:
    """BENCH_DATABASE_URL as it is (its tables are replaced), or a database `name` created
    on the local PostgreSQL server for the run and dropped after it."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        yield given
        return
    import psycopg

    def admin(sql: str) -> None:
        with psycopg.connect(f"{SCRATCH_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    try:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"no PostgreSQL at {SCRATCH_SERVER} ({error}); set BENCH_DATABASE_URL"
        ) from None
    try:
        yield f"{SCRATCH_SERVER}/{name}"
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gunicorn(
    env: dict[str, str], options: Sequence[str], startup: float = 120.0, log: Path | None = None
) -> Iterator[tuple[int, int]]:
    """The app under gunicorn on a free loopback port: yields (port, master pid). A busy
    machine may take a while to import the app: `startup` seconds at most. With `log`, the
    server's output (the app's access lines among it) goes to that file, not the terminal.

    Gunicorn reads the project's gunicorn.conf.py (it starts in the project's folder), so
    `options` override the production settings; a bench passes `--max-requests 0`, or a
    worker replaced mid-run starts with an empty cache and the figures measure that."""
    port = free_port()
    server_env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | env
    output = open(log, "ab") if log else None  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *options, "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=server_env,
        start_new_session=True,
        stdout=output,
        stderr=output,
    )
    try:
        wait_until_up(port, startup)
        yield port, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if output is not None:
            output.close()


@contextmanager
def fresh_schema(env: dict[str, str]) -> Iterator[None]:
    """The app under `env`, its database emptied and migrated afresh; inside, the app's
    context, and afterwards its connections closed (gunicorn opens its own)."""
    os.environ.update(env)
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from hackathon import create_app
    from hackathon.extensions import db

    app = create_app()
    with app.app_context():
        if inspect(db.engine).has_table("alembic_version"):
            downgrade(revision="base")
        upgrade()
        yield
        db.engine.dispose()
