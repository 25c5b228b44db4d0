"""`worker` (run queued jobs, and the periodic ones once a minute) and `jobs run-due`."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from rq import SimpleWorker

from hackathon.jobs.queue import JOB_TIMEOUT_SECONDS, RedisRunner, execute, run_due

jobs_cli = AppGroup("jobs", help="Background jobs.")
TICK_SECONDS = 60


@jobs_cli.command("run-due")
@click.option(
    "--now",
    "at",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]),
    help="Run as if it were this moment (UTC), to rehearse deadlines.",
)
def run_due_command(at: datetime | None) -> None:
    """Run every periodic job that is due (for cron, or once by hand)."""
    ran = run_due(at.replace(tzinfo=UTC) if at else None)
    current_app.extensions["jobs"].wait()
    click.echo(", ".join(ran) if ran else "nothing was due")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued, then stop.")
@click.option("--no-scheduler", is_flag=True, help="Do not run the periodic jobs.")
@with_appcontext
def worker_command(burst: bool, no_scheduler: bool) -> None:
    """Run background jobs from the Redis queue (needs REDIS_URL); start as many as you like."""
    runner = current_app.extensions["jobs"]
    if not isinstance(runner, RedisRunner):
        raise click.ClickException("REDIS_URL is not set: jobs run inside the app instead.")
    if not burst and not no_scheduler:
        _start_scheduler(runner)
    # SimpleWorker runs jobs in this process, inside the app context pushed here: no fork,
    # so database connections are never shared with a child.
    worker = SimpleWorker([runner.queue], connection=runner.redis)
    worker.work(burst=burst, with_scheduler=False)


def _start_scheduler(runner: RedisRunner) -> None:
    """Once a minute, one worker (whichever takes the lock) queues `jobs.run_due`."""
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(TICK_SECONDS):
            try:
                if runner.redis.set("hk:jobs:tick", "1", nx=True, ex=TICK_SECONDS - 5):
                    runner.queue.enqueue(
                        execute, "jobs.run_due", [], job_timeout=JOB_TIMEOUT_SECONDS
                    )
            except Exception as error:  # Redis away: try again at the next tick
                current_app.logger.warning("scheduler: %s", error)

    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's app

    def run() -> None:
        with app.app_context():
            tick()

    threading.Thread(target=run, name="jobs-scheduler", daemon=True).start()


commands = [jobs_cli, worker_command]
