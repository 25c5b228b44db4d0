"""The job queue: enqueue after commit, runners (RQ on Redis, or a local thread), and
the periodic jobs. See the package docstring."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.jobs.models import JobRun
from hackathon.ops.logs import current_request_id, request_id_bound
from hackathon.registry import PeriodicJob, get_registry

log = logging.getLogger(__name__)
PENDING = "hackathon.jobs.pending"
JOB_TIMEOUT_SECONDS = 600


def enqueue(name: str, *args: Any) -> None:
    """Run job `name` with `args` once the current transaction commits."""
    if name not in get_registry().jobs:
        raise KeyError(f"no job named {name!r}")
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, even before any query, forgets the job
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's app
    # Kept with the (sub)transaction it was asked in: undoing a savepoint drops its jobs.
    within = session.get_nested_transaction() or session.get_transaction()
    # The request (or job) that asked for it: the job's log lines carry its id.
    request_id = current_request_id()
    session.info.setdefault(PENDING, []).append((within, app, name, args, request_id))


def _hand_on(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the transaction has not committed yet
    for _within, app, name, args, request_id in session.info.pop(PENDING, []):
        app.extensions["jobs"].submit(name, args, request_id)


def _inside(transaction: Any, ended: Any) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


def _forget(session: Session, rolled_back: Any) -> None:
    """A rollback drops the jobs asked for in what it undid (a savepoint, or everything)."""
    pending = session.info.get(PENDING)
    if pending:
        session.info[PENDING] = [job for job in pending if not _inside(job[0], rolled_back)]


def watch_sessions() -> None:
    """Hand jobs on when a session commits, drop them when it rolls back (called by
    `init_app`; a second call changes nothing)."""
    for name, listener in (("after_commit", _hand_on), ("after_soft_rollback", _forget)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def execute(name: str, args: list[Any] | tuple[Any, ...], request_id: str | None = None) -> None:
    """Run one job in the current app context and commit what it wrote; a job that fails
    writes nothing (and RQ records the failure). Its log lines carry the id of the request
    that asked for it (given, or kept in the RQ job's meta)."""
    if request_id is None:
        from rq import get_current_job

        job = get_current_job()
        request_id = job.meta.get("request_id") if job is not None else None
    func = get_registry().jobs[name]
    with request_id_bound(request_id):
        started = time.perf_counter()
        log.info("job %s started", name, extra={"job": name})
        try:
            func(*args)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("job %s%r failed", name, tuple(args), extra={"job": name})
            raise
        finally:
            db.session.remove()
        log.info(
            "job %s done",
            name,
            extra={"job": name, "duration_ms": round((time.perf_counter() - started) * 1000, 2)},
        )


class LocalRunner:
    """Jobs on one thread of this process, in order (the embedded default)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")
        self._futures: list[Future[None]] = []
        self._lock = threading.Lock()

    def submit(self, name: str, args: tuple[Any, ...], request_id: str | None = None) -> None:
        future = self._pool.submit(self._run, name, args, request_id)
        with self._lock:
            self._futures = [f for f in self._futures if not f.done()] + [future]

    def _run(self, name: str, args: tuple[Any, ...], request_id: str | None) -> None:
        with self.app.app_context():
            try:
                execute(name, args, request_id)
            except Exception:  # logged by execute; a failed job must not stop the thread
                return

    def pending(self) -> int:
        """Jobs handed on and not finished yet (the queue's depth in this process)."""
        with self._lock:
            return sum(1 for f in self._futures if not f.done())

    def wait(self, timeout: float = 30.0) -> None:
        """Until every job handed on so far has run (tests and the CLI wait for them)."""
        with self._lock:
            futures = list(self._futures)
        for future in futures:
            future.result(timeout=timeout)


class RedisRunner:
    """Jobs on an RQ queue; workers started with `flask --app wsgi worker` run them."""

    def __init__(self, app: Flask, url: str) -> None:
        self.app = app
        # A Redis that is down is noticed within seconds (and the job runs here instead);
        # no read timeout, as a worker blocks on the queue for longer than any.
        self.redis = Redis.from_url(url, socket_connect_timeout=2.0)
        self.queue = Queue(app.config["JOBS_QUEUE"], connection=self.redis)
        self.fallback = LocalRunner(app)

    def submit(self, name: str, args: tuple[Any, ...], request_id: str | None = None) -> None:
        try:
            self.queue.enqueue(
                execute,
                name,
                list(args),
                job_timeout=JOB_TIMEOUT_SECONDS,
                meta={"request_id": request_id},
            )
        except RedisError as error:
            # Redis down: do the work here rather than lose it.
            log.warning("job queue unreachable (%s): running %s in this process", error, name)
            self.fallback.submit(name, args, request_id)

    def wait(self, timeout: float = 30.0) -> None:
        self.fallback.wait(timeout)


def wait_idle(app: Flask | None = None, timeout: float = 30.0) -> None:
    """Wait for the jobs this process runs itself (the embedded default)."""
    (app or current_app).extensions["jobs"].wait(timeout)


def every(name: str, interval: timedelta, func: Callable[[datetime], None]) -> PeriodicJob:
    return PeriodicJob(name, interval, func)


def run_due(now: datetime | None = None) -> list[str]:
    """Run each periodic job whose interval has passed since it last ran; the names run.

    Each job runs in its own transaction with its run recorded in it, so two runs at the
    same time (two hosts) do each job once on PostgreSQL, where the row is locked."""
    now = now or utcnow()
    ran = []
    for job in get_registry().periodic:
        run = db.session.scalar(select(JobRun).where(JobRun.name == job.name).with_for_update())
        if run is None:
            run = JobRun(name=job.name)
            db.session.add(run)
        if run.last_run_at is not None and now - run.last_run_at < job.interval:
            db.session.rollback()
            continue
        try:
            job.func(now)
            run.last_run_at = now
            db.session.commit()
            ran.append(job.name)
        except Exception:
            db.session.rollback()
            log.exception("periodic job %s failed", job.name)
    return ran
