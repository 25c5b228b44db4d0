"""Request bodies, read by the schema that documents them.

An endpoint documents its body with `doc(..., body=SomeSchema)` and reads it with
`request_body()`, which loads the JSON with that very schema: the OpenAPI document and
the parser cannot drift apart. A body that does not fit raises marshmallow's
`ValidationError`, which the app answers with a 422 naming each field
(`hackathon.errors`).

Request schemas derive from `RequestSchema`: fields the document does not name are
ignored, and marshmallow's own English messages are replaced with ours, in the reader's
language. The fields below are strict where JSON is: a number is not a string, a
boolean is not a number.

Before any schema reads it, a body is bounded (docs/architecture.md, "Input"): at most
`MAX_BODY_BYTES` (413), nested at most `MAX_DEPTH` deep (400), and a number in it longer
than `MAX_DIGITS` digits, or NaN, Infinity or a float beyond float range, is read as
`OUT_OF_RANGE`, which every field below refuses by name (422). The first two are a
`BodyRefused`, answered as the API's JSON error by `hackathon.errors`.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields

from hackathon import numbers

# marshmallow's messages for the problems any field can have, and ours instead.
COMMON_MESSAGES = {
    "required": _l("This field is required."),
    "null": _l("This field cannot be null."),
}
# What "not valid" means for each kind of field (most specific first).
INVALID_MESSAGES: list[tuple[type[fields.Field], Any]] = [
    (fields.Boolean, _l("Send true or false.")),
    (fields.Integer, _l("Send a whole number.")),
    (fields.String, _l("Send text.")),
    (fields.List, _l("Send a list.")),
    (fields.Mapping, _l("Send an object.")),
]
MAX_DIGITS = 18  # the longest number a body may hold: it fits a 64-bit column
MAX_BODY_BYTES = 256 * 1024  # the largest JSON body (a portfolio's text, escaped, fits)
MAX_DEPTH = 32  # the deepest nesting of lists and objects (our bodies need 4)


class BodyRefused(Exception):
    """A body refused before its schema reads it: too large, or nested too deep."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class _OutOfRange:
    """What a number JSON may spell but no field takes stands for: more than `MAX_DIGITS`
    digits, NaN, Infinity, 1e400. No field loads it (it is no int, float, str or bool)."""

    def __repr__(self) -> str:
        return "OUT_OF_RANGE"


OUT_OF_RANGE = _OutOfRange()


class RequestSchema(Schema):
    """A JSON request body: unknown fields ignored, every message ours."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {"type": _l("Send a JSON object.")}  # noqa: RUF012  (marshmallow reads it)

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        """Put our messages where the field still has marshmallow's own; a message the
        field was given stays."""
        english: dict[str, Any] = {}
        for kind in reversed(type(field_obj).__mro__):
            english.update(getattr(kind, "default_error_messages", {}))
        ours = dict(COMMON_MESSAGES)
        for kind, message in INVALID_MESSAGES:
            if isinstance(field_obj, kind):
                ours["invalid"] = message
                break
        for key, message in ours.items():
            # (a plain str only: comparing one of our lazy messages would translate it)
            current = field_obj.error_messages.get(key)
            if key in english and type(current) is str and current == english[key]:
                field_obj.error_messages[key] = message
        for name in ("inner", "value_field"):  # a list's items, an object's values
            inner = getattr(field_obj, name, None)
            if isinstance(inner, fields.Field):
                self.on_bind_field(field_name, inner)


class Text(fields.String):
    """A string without NUL characters, which PostgreSQL refuses to store or compare."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise self.make_error("invalid")
        return text


class Whole(fields.Integer):
    """A JSON integer: not a float (7.0 included), not a string, not a boolean, and of at
    most `max_digits` digits (an id or a count: a 32-bit column's `numbers.MAX_DIGITS`
    unless told; a number beyond what the body may hold at all is refused the same way)."""

    def __init__(self, *, max_digits: int = numbers.MAX_DIGITS, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)
        self.max_digits = max_digits

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        whole = isinstance(value, int) and not isinstance(value, bool)
        if value is OUT_OF_RANGE or (whole and abs(value) >= 10**self.max_digits):
            raise ValidationError(
                _(
                    "Send a whole number of at most %(digits)s digits.",
                    digits=self.max_digits,
                )
            )
        return super()._deserialize(value, attr, data, **kwargs)


class Flag(fields.Boolean):
    """A JSON `true` or `false`: not 1, not "yes"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class IdMap(fields.Dict):
    """An object from ids to values (`{"12": 7}`): each key a whole number written in
    ASCII digits, each value loaded by `values`. A problem is named by its key, so that
    `scores.12` says which entry is wrong; the document shows an object of `values`."""

    default_error_messages = {"key": _l("Not an id.")}  # noqa: RUF012  (marshmallow reads it)

    def __init__(self, values: fields.Field, **kwargs: Any) -> None:
        super().__init__(keys=fields.String(), values=values, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict):
            raise self.make_error("invalid")
        loaded: dict[int, Any] = {}
        errors: dict[str, str] = {}
        for key, item in value.items():
            digits = key.strip()
            if numbers.int_or_none(digits) is None:  # an id: ASCII digits, a 32-bit column's
                errors[key] = str(self.error_messages["key"])
                continue
            try:
                assert self.value_field is not None  # given in __init__
                loaded[int(digits)] = self.value_field.deserialize(item)
            except ValidationError as error:
                errors[key] = " ".join(_texts(error.messages))
        if errors:
            raise ValidationError(errors)
        return loaded


def _texts(messages: Any) -> list[str]:
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in _texts(value)]
    if isinstance(messages, (list, tuple)):
        return [text for value in messages for text in _texts(value)]
    return [str(messages)]


def error_fields(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested messages as one message per field path (`scores.12`); a
    problem with the body as a whole is named `body`."""
    if isinstance(messages, dict):
        found: dict[str, str] = {}
        for key, value in messages.items():
            name = "body" if key == "_schema" and not prefix else str(key)
            found.update(error_fields(value, f"{prefix}.{name}" if prefix else name))
        return found
    return {prefix or "body": " ".join(_texts(messages))}


def _number(text: str) -> Any:
    value = numbers.int_or_none(text, max_digits=MAX_DIGITS, signed=True)
    return OUT_OF_RANGE if value is None else value


def _float(text: str) -> Any:
    value = float(text)
    return value if math.isfinite(value) else OUT_OF_RANGE


def _depth(value: Any) -> int:
    """How deep lists and objects nest in `value` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def too_large() -> BodyRefused:
    return BodyRefused(
        413,
        "too_large",
        _("The request body is too large: at most %(size)s KB.", size=MAX_BODY_BYTES // 1024),
    )


def limit_body(_endpoint: str | None = None, _values: dict[str, Any] | None = None) -> None:
    """Before an API view: refuse a body larger than `MAX_BODY_BYTES` from its declared
    length, and bound what is read of one sent without a length (chunked). Hooked as the
    blueprint's URL value preprocessor, which runs before every `before_request` function,
    the CSRF check's too (it reads a posted form, of any size, to find the token)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise too_large()
    request.max_content_length = MAX_BODY_BYTES


def json_body() -> Any:
    """The request's JSON, or None when it is not JSON. Numbers no field may take are
    `OUT_OF_RANGE`; a body nested deeper than `MAX_DEPTH` is refused (400), also one the
    parser cannot follow (the standard library raises RecursionError there)."""
    if not request.is_json:
        return None
    data = request.get_data(cache=True)
    if len(data) > MAX_BODY_BYTES:  # (a chunked body stops at the limit; this is the rest)
        raise too_large()
    try:
        value = json.loads(
            data, parse_int=_number, parse_float=_float, parse_constant=lambda _: OUT_OF_RANGE
        )
    except RecursionError:
        value, deep = None, True
    except ValueError:  # not JSON, or not UTF-8
        return None
    else:
        deep = _depth(value) > MAX_DEPTH
    if deep:
        raise BodyRefused(
            400,
            "too_deep",
            _("The JSON is nested too deeply: at most %(depth)s levels.", depth=MAX_DEPTH),
        )
    return value


def request_body() -> Any:
    """The JSON body loaded by the schema the current endpoint documents as its body."""
    view = current_app.view_functions[request.endpoint or ""]
    schema = getattr(view, "_openapi", {}).get("body")
    if schema is None:
        raise RuntimeError(f"{request.endpoint} documents no request body")
    return reader(schema).load(json_body())


@functools.cache
def reader(schema: type[Schema]) -> Schema:
    """One instance per body schema, made once: building one binds every field (and its
    messages) anew, a tenth of a judge's save. Loading keeps no state on the instance, and
    the messages are lazy, so one serves every request and every language."""
    return schema()
