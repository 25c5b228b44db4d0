"""The API's own endpoints (health, readiness, the OpenAPI document) and its wiring."""

from __future__ import annotations

from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from hackathon.api import bp
from hackathon.api.openapi import build_spec, doc
from hackathon.api.schemas import HealthSchema
from hackathon.extensions import db
from hackathon.storage import StorageError, get_storage


@bp.get("/healthz")
@doc("The process is up", response=HealthSchema, tags=("operations",))
def healthz() -> ResponseReturnValue:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@doc(
    "The database and storage are reachable",
    response=HealthSchema,
    extra_responses={503: "Not ready"},
    tags=("operations",),
)
def readyz() -> ResponseReturnValue:
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # any driver error means not ready
        db.session.rollback()
        current_app.logger.warning("readiness: database: %s", error)
        checks["database"] = "unreachable"
    try:
        get_storage().check()
        checks["storage"] = "ok"
    except StorageError as error:
        current_app.logger.warning("readiness: storage: %s", error)
        checks["storage"] = "unreachable"
    ready = all(v == "ok" for v in checks.values())
    return jsonify({"status": "ok" if ready else "unavailable", "checks": checks}), (
        200 if ready else 503
    )


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    spec = current_app.extensions.get("openapi_spec")
    if spec is None:
        spec = current_app.extensions["openapi_spec"] = build_spec(current_app)
    return jsonify(spec)


def init_app(app: Flask) -> None:
    """Register the API blueprint: called after every feature has added its endpoints,
    since a blueprint takes no more routes once registered."""
    app.register_blueprint(bp, url_prefix="/api/v1")
    # Load balancers probe these at the root too.
    app.add_url_rule("/healthz", "healthz", app.view_functions["api.healthz"])
    app.add_url_rule("/readyz", "readyz", app.view_functions["api.readyz"])
