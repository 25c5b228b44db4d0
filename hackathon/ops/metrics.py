"""Prometheus metrics at /metrics. See docs/operations.md, "Metrics".

Requests and their latency are counted by every process. Under gunicorn each worker is a
process of its own: with `PROMETHEUS_MULTIPROC_DIR` set (gunicorn.conf.py sets it) the
counters live in files there, and a scrape of any worker adds up all of them. The job
queue's depth and the outbox are read when scraped, from Redis and the database, so they
are the same whichever worker answers.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterable, Iterator

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from hackathon.extensions import db

log = logging.getLogger(__name__)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "hackathon_http_requests",
    "HTTP requests answered, by endpoint, method and status.",
    ("endpoint", "method", "status"),
)
LATENCY = Histogram(
    "hackathon_http_request_duration_seconds",
    "Time from the start of a request to its response, by endpoint and method.",
    ("endpoint", "method"),
    buckets=BUCKETS,
)


def _labels() -> tuple[str, str]:
    rule = request.url_rule
    endpoint = rule.endpoint if rule is not None else "unmatched"
    method = request.method if request.method in METHODS else "other"
    return endpoint, method


def _observe(response: Response) -> Response:
    started = g.get("request_started")
    endpoint, method = _labels()
    REQUESTS.labels(endpoint, method, str(response.status_code)).inc()
    if started is not None:
        LATENCY.labels(endpoint, method).observe(time.perf_counter() - started)
    return response


class ScrapeTime(Collector):
    """What is read when scraped: the job queue (RQ on Redis) and the outbox."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterable[GaugeMetricFamily]:
        yield from self._queue()
        yield from self._outbox()

    def _queue(self) -> Iterator[GaugeMetricFamily]:
        runner = self.app.extensions["jobs"]
        queue = getattr(runner, "queue", None)
        reachable = GaugeMetricFamily(
            "hackathon_jobs_queue_up", "1 when the job queue answered this scrape.", labels=[]
        )
        if queue is None:  # no Redis: jobs run on a thread of each process
            depth = GaugeMetricFamily(
                "hackathon_jobs_queued", "Jobs waiting to run.", labels=["queue"]
            )
            depth.add_metric(["local"], float(runner.pending()))
            reachable.add_metric([], 1.0)
            yield depth
            yield reachable
            return
        try:
            queued, failed = queue.count, queue.failed_job_registry.count
        except Exception as error:  # Redis away: say so rather than fail the scrape
            log.warning("metrics: job queue unreachable: %s", error)
            reachable.add_metric([], 0.0)
            yield reachable
            return
        depth = GaugeMetricFamily("hackathon_jobs_queued", "Jobs waiting to run.", labels=["queue"])
        depth.add_metric([queue.name], float(queued))
        broken = GaugeMetricFamily(
            "hackathon_jobs_failed", "Jobs in the queue's failed registry.", labels=["queue"]
        )
        broken.add_metric([queue.name], float(failed))
        reachable.add_metric([], 1.0)
        yield depth
        yield broken
        yield reachable

    def _outbox(self) -> Iterator[GaugeMetricFamily]:
        from hackathon.mail.models import MailStatus, OutboxMessage

        try:
            counts = dict(
                db.session.execute(
                    select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
                ).all()
            )
            retrying = db.session.scalar(
                select(func.count()).where(
                    OutboxMessage.status == MailStatus.PENDING, OutboxMessage.attempts > 0
                )
            )
            db.session.rollback()
        except Exception as error:  # the database away: the scrape still answers
            db.session.rollback()
            log.warning("metrics: outbox unreadable: %s", error)
            return
        messages = GaugeMetricFamily(
            "hackathon_mail_messages",
            "Messages in the outbox by status; 'failed' ones were never delivered.",
            labels=["status"],
        )
        for status in MailStatus:
            messages.add_metric([status.value], float(counts.get(status, 0)))
        yield messages
        yield GaugeMetricFamily(
            "hackathon_mail_retrying",
            "Pending messages whose last attempt failed (waiting to be tried again).",
            value=float(retrying or 0),
        )


class _Process(Collector):
    """This process's own metrics (when not under gunicorn's multiprocess mode)."""

    def collect(self) -> Iterable[object]:  # type: ignore[override]
        return REGISTRY.collect()


def allowed() -> bool:
    """Who may read /metrics: with `METRICS_TOKEN` set, whoever sends it as a bearer
    token; without it, only a client on this machine that came through no proxy."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        sent = request.headers.get("Authorization", "")
        scheme, _, value = sent.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(value.strip(), token)
    if request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"):
        return False  # a proxy on this machine may be passing on a visitor from outside
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def metrics_view() -> Response:
    if not allowed():
        abort(404)  # like every other thing one may not see: it does not exist
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Process())
    registry.register(ScrapeTime(current_app._get_current_object()))  # type: ignore[attr-defined]
    response = Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_observe)
    app.add_url_rule("/metrics", "metrics", metrics_view, methods=["GET"])
