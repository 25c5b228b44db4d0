"""Shapes of the cohort record's API bodies (DESIGN section 10; docs/cohort.md)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from hackathon.api.bodies import Flag, RequestSchema, Text, Whole

# Records and portfolios ----------------------------------------------------------------


class PersonTeamSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class TeamAwardSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    name_en = fields.String(allow_none=True)


class IndividualAwardSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    name_en = fields.String(allow_none=True)
    citation = fields.String(allow_none=True)
    created_at = fields.DateTime()


class PersonEventSchema(Schema):
    slug = fields.String(required=True)
    team = fields.Nested(PersonTeamSchema, allow_none=True, required=True)
    track = fields.String(allow_none=True, required=True)
    rank = fields.Integer(
        allow_none=True,
        required=True,
        metadata={
            "description": "Organizers of the event: the rank now; anyone else: the "
            "published rank only (null before publication)"
        },
    )
    awards = fields.List(fields.Nested(TeamAwardSchema), required=True)


class PeerSchema(Schema):
    mean = fields.Float(required=True)
    count = fields.Integer(required=True)


class PersonSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    events = fields.List(fields.Nested(PersonEventSchema), required=True)
    awards = fields.List(fields.Nested(IndividualAwardSchema), required=True)
    peer = fields.Nested(PeerSchema, allow_none=True, required=True)


class PeopleSchema(Schema):
    people = fields.List(fields.Nested(PersonSchema), required=True)


class SubmissionRefSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": ["draft", "submitted"]})
    title = fields.String()


class PersonEventDetailSchema(PersonEventSchema):
    name = fields.String(required=True)
    name_en = fields.String(allow_none=True)
    track_en = fields.String(allow_none=True)
    role = fields.String(allow_none=True, metadata={"enum": ["captain", "member", None]})
    submission = fields.Nested(SubmissionRefSchema, allow_none=True)


class PortfolioSummarySchema(Schema):
    public = fields.Boolean(required=True)
    headline = fields.String()
    skills = fields.List(fields.String())
    links = fields.List(fields.String())
    url = fields.String(required=True)


class PersonDetailSchema(Schema):
    """One person: `email`, `peer` and `checkins` only for the person and organizers; to
    anyone else (once the portfolio is published) the projects it shows."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String()
    events = fields.List(fields.Nested(PersonEventDetailSchema), required=True)
    awards = fields.List(fields.Nested(IndividualAwardSchema), required=True)
    peer = fields.Nested(PeerSchema, allow_none=True)
    checkins = fields.List(fields.Dict())
    portfolio = fields.Nested(PortfolioSummarySchema, allow_none=True)


def _said(message: Any) -> dict[str, Any]:
    return {"invalid": message, "required": message, "null": message}


class ProjectChoiceSchema(RequestSchema):
    event = Text(required=True, error_messages=_said(_l("Give the event's address (slug).")))
    files = fields.List(Whole(), load_default=list)
    feedback = fields.List(Text(), load_default=list)


class PortfolioBodySchema(RequestSchema):
    program = Text(required=True, error_messages=_said(_l("Give the program's address (slug).")))
    public = Flag(metadata={"description": "Publish (true) or hide (false) the portfolio"})
    headline = Text()
    about = Text()
    skills = fields.List(Text())
    links = fields.List(Text())
    projects = fields.List(
        fields.Nested(ProjectChoiceSchema),
        metadata={"description": "Replaces the projects shown, each with its files and feedback"},
    )


class PortfolioProjectSchema(Schema):
    event = fields.String(required=True)
    files = fields.List(fields.Integer(), required=True)
    feedback = fields.List(fields.String(), required=True)


class PortfolioSchema(Schema):
    program = fields.String(required=True)
    public = fields.Boolean(required=True)
    published_at = fields.DateTime(allow_none=True)
    headline = fields.String(required=True)
    about = fields.String(required=True)
    skills = fields.List(fields.String(), required=True)
    links = fields.List(fields.String(), required=True)
    projects = fields.List(fields.Nested(PortfolioProjectSchema), required=True)
    url = fields.String(required=True)


# End of records and portfolios ----------------------------------------------------------
