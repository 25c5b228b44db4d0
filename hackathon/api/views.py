"""The API's own endpoints (health, readiness, the OpenAPI document) and its wiring."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from redis import Redis
from sqlalchemy import text

from hackathon import caching
from hackathon.api import bp
from hackathon.api.bodies import limit_body
from hackathon.api.openapi import build_spec, doc
from hackathon.api.schemas import CsrfSchema, HealthSchema
from hackathon.extensions import db
from hackathon.storage import get_storage


@bp.get("/healthz")
@doc("The process is up", response=HealthSchema, tags=("operations",))
def healthz() -> ResponseReturnValue:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@doc(
    "The database and storage (and Redis, when configured) are reachable",
    response=HealthSchema,
    extra_responses={503: "Not ready: the database or storage is unreachable"},
    tags=("operations",),
)
def readyz() -> ResponseReturnValue:
    """Each dependency is asked at once, each within a short time, so this answers within
    about `READY_TIMEOUT_SECONDS` whatever hangs. `status` is `ok`; `degraded` (200) when
    only Redis is unreachable, as the app then runs on without it (limits and caches per
    process, jobs in this process); `unavailable` (503) when the database or storage is.
    See docs/architecture.md, "When things fail"."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's app
    probes: dict[str, Callable[[], None]] = {
        "database": _database_answers,
        "storage": lambda: get_storage().check(),
    }
    if app.config.get("REDIS_URL"):
        probes["redis"] = lambda: _redis_answers(app.config["REDIS_URL"])
    checks = _run_probes(app, probes, READY_TIMEOUT_SECONDS)
    if checks["database"] != "ok" or checks["storage"] != "ok":
        return jsonify({"status": "unavailable", "checks": checks}), 503
    status = "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    return jsonify({"status": status, "checks": checks}), 200


READY_TIMEOUT_SECONDS = 2.0


def _database_answers() -> None:
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _redis_answers(url: str) -> None:
    client = Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    try:
        client.ping()
    finally:
        client.close()


def _run_probes(
    app: Flask, probes: dict[str, Callable[[], None]], timeout: float
) -> dict[str, str]:
    """Run each probe on its own thread, all at once; one that fails, or has not answered
    by the deadline, is `unreachable`."""
    results: dict[str, str] = {}

    def run(name: str, probe: Callable[[], None]) -> None:
        with app.app_context():
            try:
                probe()
                results[name] = "ok"
            except Exception as error:  # any failure of a dependency means it is not there
                app.logger.warning("readiness: %s: %s", name, error)
                results[name] = "unreachable"

    threads = [
        threading.Thread(target=run, args=item, name=f"readyz-{item[0]}", daemon=True)
        for item in probes.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    checks = {}
    for name in probes:
        if name not in results:
            app.logger.warning("readiness: %s did not answer within %s s", name, timeout)
        checks[name] = results.get(name, "unreachable")
    return checks


@bp.get("/csrf")
@doc("A CSRF token for the writes to come", response=CsrfSchema, tags=("operations",))
def csrf_token() -> ResponseReturnValue:
    """For a script whose page carried no token (a visitor's page mints none, so that it
    sets no cookie): send it as `X-CSRFToken`. It starts the session that holds it, and is
    never cached."""
    return caching.csrf_view()


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    spec = current_app.extensions.get("openapi_spec")
    if spec is None:
        spec = current_app.extensions["openapi_spec"] = build_spec(current_app)
    return jsonify(spec)


bp.url_value_preprocessor(limit_body)  # every API request: the body's size, before CSRF


def init_app(app: Flask) -> None:
    """Register the API blueprint: called after every feature has added its endpoints,
    since a blueprint takes no more routes once registered."""
    app.register_blueprint(bp, url_prefix="/api/v1")
    # Load balancers probe these at the root too.
    app.add_url_rule("/healthz", "healthz", app.view_functions["api.healthz"])
    app.add_url_rule("/readyz", "readyz", app.view_functions["api.readyz"])
