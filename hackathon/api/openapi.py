"""The OpenAPI 3 document, generated from the API's routes and marshmallow schemas."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields

CONVERTER = re.compile(r"<(?:[a-z_]+:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
# Werkzeug converter classes and the OpenAPI types of the values they accept.
PARAM_TYPES = {
    "IntegerConverter": "integer",
    "FloatConverter": "number",
    "UUIDConverter": "string",
    "UnicodeConverter": "string",
    "PathConverter": "string",
    "AnyConverter": "string",
}


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"example": "not_found"})
    message = fields.String(required=True)
    details = fields.Dict()


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)


def doc(
    summary: str,
    *,
    response: type[Schema] | Schema | None = None,
    body: type[Schema] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    tags: tuple[str, ...] = (),
    extra_responses: dict[int, str] | None = None,
    also: dict[int, str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe an API view; the document is built from these and the URL rules. `also`
    names other success statuses that answer the same body (with what they mean)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view._openapi = {  # type: ignore[attr-defined]
            "summary": summary,
            "description": (view.__doc__ or "").strip(),
            "response": response,
            "body": body,
            "status": status,
            "errors": errors,
            "tags": tags,
            "extra": extra_responses or {},
            "also": also or {},
        }
        return view

    return decorate


def _operation(meta: dict[str, Any], rule_args: list[tuple[str, str]]) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    ok: dict[str, Any] = {"description": "OK"}
    if meta["response"] is not None:
        ok["content"] = {"application/json": {"schema": meta["response"]}}
    responses[str(meta["status"])] = ok
    for code, text in meta.get("also", {}).items():
        responses[str(code)] = {**ok, "description": text}
    for code, text in meta["extra"].items():
        responses[str(code)] = {"description": text}
    for code in meta["errors"]:
        responses[str(code)] = {
            "description": "Error",
            "content": {"application/json": {"schema": "Error"}},
        }
    operation: dict[str, Any] = {
        "summary": meta["summary"],
        "responses": responses,
        "parameters": [
            {"in": "path", "name": name, "required": True, "schema": {"type": kind}}
            for name, kind in rule_args
        ],
    }
    if meta["description"]:
        operation["description"] = meta["description"]
    if meta["tags"]:
        operation["tags"] = list(meta["tags"])
    if meta["body"] is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": meta["body"]}},
        }
    return operation


def build_spec(app: Flask, prefix: str = "/api/v1") -> dict[str, Any]:
    """Walk the URL map and describe every documented view under the prefix."""
    spec = APISpec(
        title="Hackathon platform API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "JSON API of the hackathon and team-project platform."},
        servers=[{"url": prefix}],
    )
    spec.components.schema("Error", schema=ErrorSchema)
    spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": "session"}
    )
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(prefix):
            continue
        view = app.view_functions[rule.endpoint]
        meta = getattr(view, "_openapi", None)
        if meta is None:
            continue
        path = CONVERTER.sub(r"{\1}", rule.rule[len(prefix) :]) or "/"
        args = [
            (name, PARAM_TYPES.get(type(conv).__name__, "string"))
            for name, conv in rule._converters.items()
        ]
        operations = {
            method.lower(): _operation(meta, args)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        }
        spec.path(path=path, operations=operations)
    return spec.to_dict()
