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
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields

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
MAX_DIGITS = 18  # ids and counts fit in a 64-bit column


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
            if key in english and field_obj.error_messages.get(key) == english[key]:
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
    """A JSON integer: not a float (7.0 included), not a string, not a boolean."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)


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
            if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_DIGITS:
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


def json_body() -> Any:
    """The request's JSON, or None when it is not JSON (or nested past what the parser
    can follow: the standard library raises RecursionError, not ValueError, there)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def request_body() -> Any:
    """The JSON body loaded by the schema the current endpoint documents as its body."""
    view = current_app.view_functions[request.endpoint or ""]
    schema = getattr(view, "_openapi", {}).get("body")
    if schema is None:
        raise RuntimeError(f"{request.endpoint} documents no request body")
    return schema().load(json_body())
