"""Request bodies are read by the schemas that document them (`hackathon.api.bodies`)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from marshmallow import ValidationError

from hackathon.api.bodies import RequestSchema, error_fields


def test_every_documented_request_body_is_a_request_schema(app):
    bodies = {
        rule.rule: app.view_functions[rule.endpoint]._openapi["body"]
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "_openapi", {}).get("body")
    }
    assert set(bodies) >= {
        "/api/v1/assignments/<int:assignment_id>/scores",
        "/api/v1/submissions/<int:submission_id>/uploads",
        "/api/v1/uploads/<upload_id>/parts",
    }
    for path, schema in bodies.items():
        assert issubclass(schema, RequestSchema), path


def test_every_field_of_a_request_body_is_one_of_ours(app):
    """Plain marshmallow fields would take what the bounded parser marks OUT_OF_RANGE
    (a Raw or a Dict passes it on) or a string for a number; ours refuse it by name."""
    from marshmallow import fields

    from hackathon.api.bodies import Flag, IdMap, Text, Whole

    def check(field, where: str) -> None:
        if isinstance(field, fields.List):
            check(field.inner, f"{where}[]")
        elif isinstance(field, fields.Nested):
            for name, inner in field.schema.fields.items():
                check(inner, f"{where}.{name}")
        else:
            assert isinstance(field, Text | Whole | Flag | IdMap), (where, type(field))

    for rule in app.url_map.iter_rules():
        schema = getattr(app.view_functions[rule.endpoint], "_openapi", {}).get("body")
        if schema is not None:
            for name, field in schema().fields.items():
                check(field, f"{rule.rule} {name}")


def test_every_write_endpoint_with_a_body_documents_it(app):
    """A POST or PUT that reads JSON without a documented body would parse by hand."""
    import inspect

    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not rule.rule.startswith("/api/") or not rule.methods & {"POST", "PUT", "PATCH"}:
            continue
        source = inspect.getsource(view)
        assert "get_json" not in source, rule.rule
        if "request_body()" in source:
            assert view._openapi["body"] is not None, rule.rule


def test_nested_messages_become_one_message_per_field_path():
    messages = {
        "_schema": ["Send a JSON object."],
        "scores": {"12": ["Not whole."], "x": "Not an id."},
        "part_numbers": {1: ["Bad.", "Worse."]},
    }
    assert error_fields(messages) == {
        "body": "Send a JSON object.",
        "scores.12": "Not whole.",
        "scores.x": "Not an id.",
        "part_numbers.1": "Bad. Worse.",
    }


@pytest.mark.parametrize(
    ("locale", "required", "whole"),
    [
        ("ko", "이 항목은 필수입니다.", "정수를 보내 주세요."),
        ("en", "This field is required.", "Send a whole number."),
    ],
)
def test_marshmallows_own_messages_are_replaced_by_ours(app, locale, required, whole):
    from marshmallow import fields

    class Body(RequestSchema):
        count = fields.Integer(required=True)
        items = fields.List(fields.Integer(), required=True)
        own = fields.Integer(error_messages={"invalid": "kept"})

    with app.test_request_context("/"), force_locale(locale):
        with pytest.raises(ValidationError) as caught:
            Body().load({"items": ["x"], "own": "y", "ignored": 1})
        assert error_fields(caught.value.messages) == {
            "count": required,
            "items.0": whole,
            "own": "kept",
        }


def test_a_bad_body_on_a_page_url_is_a_422_page(app, client):
    """The handler answers a page with a page, should a page ever load a body."""
    with app.test_request_context("/"):
        handler = app.error_handler_spec[None][None][ValidationError]
        response = handler(ValidationError({"x": ["bad"]}))
    assert response.status_code == 422
    assert response.mimetype == "text/html"
