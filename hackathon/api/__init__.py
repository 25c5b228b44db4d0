"""The JSON API under /api/v1: one blueprint that every feature's `api.py` adds its
endpoints to, errors as `{"error": {"code", "message"}}`, and the OpenAPI document
built from the endpoints' schemas. `hackathon.api.views.init_app` registers it last."""

from flask import Blueprint

bp = Blueprint("api", __name__)
