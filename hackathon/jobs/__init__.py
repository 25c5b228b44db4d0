"""Background jobs: work that runs after the transaction that asked for it.

A job is a named function that a feature registers in its `init_app`
(`registry.jobs[name] = func`). `enqueue(name, *args)` records it on the current
database transaction; only when that transaction commits is the job handed on, so a
rolled-back action starts nothing. With `REDIS_URL` set, jobs go to an RQ queue on Redis
and run in `flask --app wsgi worker` processes, on any number of hosts. Without Redis
they run in this process, on one background thread, each in its own app context.

Periodic jobs (`registry.periodic`) run from the workers' scheduler, once a minute across
all workers (a Redis lock picks one), and on demand with `flask --app wsgi jobs run-due`
(for cron, and for tests). Each records when it last ran, so running them twice in a row
does the work once. Arguments are plain values (ids, strings): a job reads what it needs
from the database when it runs. See docs/architecture.md, "Background work".
"""

from __future__ import annotations

from flask import Flask

from hackathon.jobs.cli import commands
from hackathon.jobs.queue import (
    LocalRunner,
    RedisRunner,
    enqueue,
    run_due,
    wait_idle,
    watch_sessions,
)
from hackathon.registry import get_registry


def init_app(app: Flask) -> None:
    """The queue (RQ when REDIS_URL is set, else a local thread) and the commands."""
    url = app.config.get("REDIS_URL")
    app.extensions["jobs"] = RedisRunner(app, url) if url else LocalRunner(app)
    get_registry(app).jobs["jobs.run_due"] = run_due
    watch_sessions()

    for command in commands:
        app.cli.add_command(command)


__all__ = ["enqueue", "init_app", "run_due", "wait_idle"]
