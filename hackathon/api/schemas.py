"""Shapes of the API's request and response bodies."""

from __future__ import annotations

from marshmallow import Schema, fields


class EventRolesSchema(Schema):
    slug = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    team_id = fields.Integer(allow_none=True)
    submission_id = fields.Integer(allow_none=True)


class MeSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    locale = fields.String(allow_none=True)
    is_admin = fields.Boolean(required=True)
    events = fields.List(fields.Nested(EventRolesSchema), required=True)


class EventSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    name_en = fields.String(allow_none=True)
    kind = fields.String(required=True)
    phase = fields.String(required=True)
    timezone = fields.String(required=True)
    program = fields.String(allow_none=True)
    registration_opens_at = fields.DateTime(allow_none=True)
    team_formation_opens_at = fields.DateTime(allow_none=True)
    teams_lock_at = fields.DateTime(allow_none=True)
    submissions_open_at = fields.DateTime(allow_none=True)
    submissions_close_at = fields.DateTime(allow_none=True)
    grace_minutes = fields.Integer()
    judging_close_at = fields.DateTime(allow_none=True)
    team_min = fields.Integer()
    team_max = fields.Integer()
    judges_per_submission = fields.Integer()
    scoring_mode = fields.String()


class EventListSchema(Schema):
    events = fields.List(fields.Nested(EventSchema), required=True)


class HealthSchema(Schema):
    status = fields.String(required=True)
    checks = fields.Dict(keys=fields.String(), values=fields.String())


class CsrfSchema(Schema):
    csrf_token = fields.String(required=True)
