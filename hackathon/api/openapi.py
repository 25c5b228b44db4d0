"""The OpenAPI 3 document, generated from the API's routes and marshmallow schemas."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields

from hackathon.numbers import MAX_DIGITS

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
    query: dict[str, dict[str, Any]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe an API view; the document is built from these and the URL rules.

    `errors` are the statuses the view itself answers; those every view of its kind may
    answer are added by `_operation` (`ALWAYS`). `also` names other success statuses that
    answer the same body (with what they mean). `query` names the query parameters the
    view reads, each with its JSON schema."""

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
            "query": query or {},
        }
        return view

    return decorate


# What any operation of a kind may answer besides what its view says, with the error body:
# every one 400 for a NUL character in its query string (hackathon.security) and 503 when
# the database is down; one with a path parameter 404 for an unknown one; a write 400
# without its CSRF token; one with a body 400 nested too deep, 413 too large, 422 not
# fitting its schema (hackathon.api.bodies).
ALWAYS = {"any": (400, 503), "path": (404,), "write": (400,), "body": (400, 413, 422)}
ERROR_TEXTS = {
    400: "Bad request: a NUL character in the query, no CSRF token on a write, or a body "
    "nested too deeply",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found, or not visible to the caller",
    409: "Conflicts with the current state",
    413: "The body is too large",
    422: "A field is not valid (details.fields names each)",
    429: "Too many requests",
    503: "A service the app needs is unavailable; try again after Retry-After",
}


def _error_codes(meta: dict[str, Any], method: str, has_path: bool) -> list[int]:
    codes = set(meta["errors"]) | set(ALWAYS["any"])
    if has_path:
        codes |= set(ALWAYS["path"])
    if method not in {"get", "head"}:
        codes |= set(ALWAYS["write"])
    if meta["body"] is not None:
        codes |= set(ALWAYS["body"])
    return sorted(codes - set(meta["extra"]))


def _operation(
    meta: dict[str, Any], rule_args: list[tuple[str, str]], method: str
) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    ok: dict[str, Any] = {"description": "OK"}
    if meta["response"] is not None:
        ok["content"] = {"application/json": {"schema": meta["response"]}}
    responses[str(meta["status"])] = ok
    for code, text in meta.get("also", {}).items():
        responses[str(code)] = {**ok, "description": text}
    for code, text in meta["extra"].items():
        responses[str(code)] = {"description": text}
    for code in _error_codes(meta, method, bool(rule_args)):
        responses[str(code)] = {
            "description": ERROR_TEXTS.get(code, "Error"),
            "content": {"application/json": {"schema": "Error"}},
        }
    parameters = [
        {"in": "path", "name": name, "required": True, "schema": _path_schema(kind)}
        for name, kind in rule_args
    ]
    parameters += [
        {"in": "query", "name": name, "required": False, "schema": schema}
        for name, schema in meta["query"].items()
    ]
    operation: dict[str, Any] = {
        "summary": meta["summary"],
        "responses": responses,
        "parameters": parameters,
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


def _param_type(converter: object) -> str:
    """The OpenAPI type of a converter's values, by its class or the Werkzeug one it extends."""
    for kind in type(converter).__mro__:
        if kind.__name__ in PARAM_TYPES:
            return PARAM_TYPES[kind.__name__]
    return "string"


def _path_schema(kind: str) -> dict[str, Any]:
    """An id in a path is 0..999999999 (`hackathon.numbers.IdConverter`)."""
    if kind == "integer":
        return {"type": "integer", "minimum": 0, "maximum": 10**MAX_DIGITS - 1}
    return {"type": kind}


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
        args = [(name, _param_type(conv)) for name, conv in rule._converters.items()]
        operations = {
            method.lower(): _operation(meta, args, method.lower())
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        }
        spec.path(path=path, operations=operations)
    return spec.to_dict()
