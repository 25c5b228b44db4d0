"""Structured logs and request ids. See docs/operations.md, "Logs".

Every line of the `hackathon` loggers (and gunicorn's, through gunicorn.conf.py) goes
through one formatter: JSON, one object per line, in production (`LOG_FORMAT=json`), or
readable text in development. Each line carries the request id of the request (or job)
it was written for, and the signed-in user's id when there is one.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
# An id from a proxy in front is kept when it is short and plain; anything else is replaced.
# At most 36 characters: the audit trail stores the request id in a column of that width.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,36}")
# Path parts that are secrets (links sent by mail, signed storage URLs) are not logged.
_SECRET_ARGS = ("token",)
# Fields of a record that are ours to print (set through `extra=`), in this order.
FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms", "cpu_ms", "job")
_HANDLER_NAME = "hackathon-structured"

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "hackathon_request_id", default=None
)
access_log = logging.getLogger("hackathon.access")


def new_request_id() -> str:
    return str(uuid.uuid4())


def valid_request_id(value: str | None) -> str | None:
    """`value` if it may be used as a request id as it is (short, safe characters)."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    """The id of the request or job this code runs for, if any."""
    return _request_id.get()


@contextmanager
def request_id_bound(value: str | None) -> Iterator[None]:
    """Log lines written inside carry `value` (a job runs under its request's id)."""
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)


class ContextFilter(logging.Filter):
    """Adds the current request id and user id to every record that has none."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get()
        if getattr(record, "user_id", None) is None and has_request_context():
            record.user_id = _signed_in_user_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the context fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        # ensure_ascii: a Korean message is escaped, so the line is plain ASCII whatever
        # the log collector's encoding; json.dumps never writes a raw newline.
        return json.dumps(line, default=str)


# Control characters shown escaped, so a request path with a line break in it cannot
# write a line of its own into the log.
_ONE_LINE = {code: f"\\x{code:02x}" for code in [*range(32), 127]}


class TextFormatter(logging.Formatter):
    """Readable lines for a terminal: time, level, logger, message, then key=value."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        extra = " ".join(
            f"{name}={getattr(record, name)}"
            for name in FIELDS
            if getattr(record, name, None) is not None
        ).translate(_ONE_LINE)
        message = record.getMessage().translate(_ONE_LINE)
        text = f"{moment} {record.levelname:<7} {record.name}: {message}"
        if extra:
            text += f"  [{extra}]"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def make_formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure(log_format: str, level: str) -> None:
    """One handler on the `hackathon` logger (stderr), in the chosen format; a second call
    (a second app in the same process) replaces it. Records still propagate to the root,
    which has no handler of its own unless a host (pytest, a test) adds one."""
    logger = logging.getLogger("hackathon")
    for handler in list(logger.handlers):
        if handler.get_name() == _HANDLER_NAME:
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(make_formatter(log_format))
    handler.addFilter(ContextFilter())
    logger.addHandler(handler)
    logger.setLevel(level)
    # Records that reach other handlers (pytest's capture, a host's) carry the fields too.
    if not any(isinstance(f, ContextFilter) for f in logger.filters):
        logger.addFilter(ContextFilter())


def _logged_path() -> str:
    path = request.path
    for name in _SECRET_ARGS:
        value = (request.view_args or {}).get(name)
        if isinstance(value, str) and value:
            path = path.replace(value, f"<{name}>")
    return path


def _signed_in_user_id() -> int | None:
    """The signed-in user's id, only if this request already loaded them (never a query:
    the database may be what is failing)."""
    from sqlalchemy import inspect

    user = g.get("_login_user")
    # Anonymous users have no mapped state; a signed-in user's `is_authenticated` reads a
    # column, which after a rollback is expired and would be loaded: the identity is not.
    state = inspect(user, raiseerr=False) if user is not None else None
    identity = state.identity if state is not None else None
    return int(identity[0]) if identity else None


def _start() -> None:
    g.request_started = time.perf_counter()
    g.request_cpu = time.thread_time()  # this thread's CPU: the request's own, not waiting
    g.request_id = valid_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
    g.request_id_token = _request_id.set(g.request_id)


def _finish(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    duration = time.perf_counter() - started if started is not None else 0.0
    g.request_duration = duration
    cpu = g.get("request_cpu")
    user_id = _signed_in_user_id()
    access_log.info(
        "%s %s %s",
        request.method,
        _logged_path(),
        response.status_code,
        extra={
            "method": request.method,
            "path": _logged_path(),
            "status": response.status_code,
            "duration_ms": round(duration * 1000, 2),
            "cpu_ms": round((time.thread_time() - cpu) * 1000, 2) if cpu is not None else None,
            "user_id": user_id,
        },
    )
    return response


def _end(_error: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        try:
            _request_id.reset(token)
        except ValueError:  # set in another context (a copied one): just clear it
            _request_id.set(None)


def init_app(app: Flask) -> None:
    configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    # Registered before every other hook: the id exists before anything logs, and the
    # access line (after_request hooks run in reverse) is written last, with the final status.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    app.teardown_request(_end)
