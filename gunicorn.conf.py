"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every setting can be changed from the environment (docs/operations.md, "Gunicorn"):
`BIND`, `WEB_WORKERS`, `WEB_THREADS`, `WEB_TIMEOUT`, `FORWARDED_ALLOW_IPS`,
`PROMETHEUS_MULTIPROC_DIR`. `make run` does not use this file (it runs `flask run`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gunicorn import glogging


def _number(name: str, default: int) -> int:
    value = (os.environ.get(name) or "").strip()
    return int(value) if value else default


# Where to listen: loopback unless told (behind a load balancer: BIND=0.0.0.0:8000).
bind = [part.strip() for part in (os.environ.get("BIND") or "127.0.0.1:8000").split(",")]

# Processes and threads: the app waits on the database, Redis and storage more than it
# computes, so a few threads per process; processes from the CPUs (capped: each holds its
# own database pool).
workers = _number("WEB_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8))
worker_class = "gthread"
threads = _number("WEB_THREADS", 4)

# A request that takes longer than this is stuck: its worker is replaced. Uploads go
# straight to storage, so no request legitimately carries a large body through here.
timeout = _number("WEB_TIMEOUT", 30)
# On a restart or deploy (SIGTERM/SIGHUP), requests in flight get this long to finish.
graceful_timeout = _number("WEB_GRACEFUL_TIMEOUT", 30)
# Longer than nothing, shorter than a load balancer's idle timeout (60 s on AWS ALB).
keepalive = _number("WEB_KEEPALIVE", 5)
# Replace each worker after about this many requests (spread out by the jitter, so they
# do not all restart at once): a slow leak never grows for long. Not much fewer: a new
# worker starts the app and recomputes the boards it serves from cold, and on results
# night (hundreds of polls a second) 2,000 requests meant a worker replaced every few
# seconds (bench/announce.py).
max_requests = _number("WEB_MAX_REQUESTS", 50000)
max_requests_jitter = _number("WEB_MAX_REQUESTS_JITTER", 5000)
# Headers gunicorn refuses to take in when oversized (the app reads no large headers).
limit_request_line = 8190
limit_request_fields = 100

# Which proxies' X-Forwarded-* headers gunicorn itself believes (the app's own client
# address comes from TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

# Logs: the app writes one JSON access line per request itself (with its request id, the
# signed-in user and the duration), so gunicorn's own access log stays off; gunicorn's
# error log (start, stop, worker timeouts) goes through the app's JSON formatter.
accesslog = None
errorlog = "-"


class _Logger(glogging.Logger):
    """Gunicorn's logger, but for its access lines: with a logging configuration given,
    gunicorn builds each request's access line for a logger nobody reads, unless the
    access log itself is asked for."""

    def access(self, resp: object, req: object, environ: object, request_time: object) -> None:
        if self.cfg.accesslog:
            super().access(resp, req, environ, request_time)


logger_class = _Logger
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
_log_format = os.environ.get("LOG_FORMAT") or "json"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "app": {
            "()": "hackathon.ops.logs.JsonFormatter"
            if _log_format == "json"
            else "hackathon.ops.logs.TextFormatter"
        }
    },
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "app",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False}
    },
    "root": {"handlers": [], "level": "WARNING"},
}

# Metrics from every worker (prometheus_client's multiprocess mode): each worker writes
# its counters to files in this folder, and a scrape of any worker adds them all up. It
# must be set before the app (and prometheus_client) is imported in the workers.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or str(
    Path(tempfile.gettempdir()) / f"hackathon-metrics-{os.getpid()}"
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def on_starting(server) -> None:  # type: ignore[no-untyped-def]
    """Counts of a previous run are not added in: its files in the folder are removed."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:  # type: ignore[no-untyped-def]
    """A worker that ended: its live gauges are dropped (its counters stay counted)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
