"""Judging in the JSON API (see the README's JSON API): a judge's queue and writing scores."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, post_load

from hackathon.api import bp
from hackathon.api.bodies import Flag, IdMap, RequestSchema, Text, Whole, request_body
from hackathon.api.openapi import doc
from hackathon.errors import NotFound
from hackathon.events.services import can_view, get_event, is_organizer
from hackathon.judging import rules as services
from hackathon.judging.models import Assignment, AssignmentPurpose
from hackathon.judging.services import pitch_day
from hackathon.judging.services.scoring import ScoreUpdate, record_scores
from hackathon.submissions.models import Submission
from hackathon.teams.models import Team
from hackathon.web import writing

TEXT_MESSAGES = {"invalid": _l("Send text, or null to leave it as it is.")}


class JudgingCriterion(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    name_en = fields.String(allow_none=True)
    description = fields.String()
    weight = fields.Float(required=True)
    min = fields.Integer(required=True, attribute="min_score")
    max = fields.Integer(required=True, attribute="max_score")
    levels = fields.Dict(keys=fields.String(), metadata={"description": "score -> {ko, en}"})


class JudgingTeam(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class JudgingAssignment(Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    team = fields.Nested(JudgingTeam, required=True)
    submission_id = fields.Integer(allow_none=True)
    status = fields.String(required=True, metadata={"enum": ["to_do", "in_progress", "submitted"]})
    purpose = fields.String(
        required=True,
        metadata={
            "enum": ["rank", "calibration"],
            "description": "calibration: scored first, never counts in the ranking",
        },
    )
    counts = fields.Boolean(
        required=True,
        metadata={"description": "whether these scores count (not calibration, not a shadow)"},
    )
    version = fields.Integer(required=True)
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "criterion id -> value"},
    )
    feedback = fields.String()
    note = fields.String()
    opened_at = fields.DateTime(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime()


class JudgingProgress(Schema):
    done = fields.Integer(required=True)
    in_progress = fields.Integer(required=True)
    to_do = fields.Integer(required=True)
    total = fields.Integer(required=True)


class JudgingQueue(Schema):
    event = fields.String(required=True)
    judging_open = fields.Boolean(required=True)
    criteria = fields.List(fields.Nested(JudgingCriterion), required=True)
    assignments = fields.List(
        fields.Nested(JudgingAssignment),
        required=True,
        metadata={"description": "calibration items first, then the queue in its order"},
    )
    progress = fields.Nested(
        JudgingProgress,
        required=True,
        metadata={"description": "the assignments for the ranking (calibration items aside)"},
    )
    calibration = fields.Nested(
        JudgingProgress,
        required=True,
        metadata={"description": "the calibration items"},
    )
    shadow = fields.Boolean(
        required=True,
        metadata={"description": "a shadow judge: scores are compared, never counted"},
    )


class ScoresUpdate(RequestSchema):
    """The body of a scores write; fields other than these (`judge_id`, `status`) are ignored."""

    scores = IdMap(
        Whole(allow_none=True, error_messages={"invalid": _l("A score must be a whole number.")}),
        load_default=dict,
        error_messages={
            "invalid": _l("Send the scores as an object of criterion id and value."),
            "key": _l("Not a criterion id."),
        },
        metadata={"description": "criterion id -> value to set; null clears a draft score"},
    )
    feedback = Text(allow_none=True, load_default=None, error_messages=TEXT_MESSAGES)
    note = Text(allow_none=True, load_default=None, error_messages=TEXT_MESSAGES)
    submit = Flag(load_default=False)
    version = Whole(
        required=True,
        error_messages=dict.fromkeys(
            ("required", "null", "invalid"), _l("Send the version you read, a whole number.")
        ),
        metadata={"description": "the version you read"},
    )

    @post_load
    def update(self, data: dict[str, Any], **_kwargs: Any) -> ScoreUpdate:
        return ScoreUpdate(**data)


_ASSIGNMENT = JudgingAssignment()  # built once: a schema instance copies its fields


def _dump(
    assignment: Assignment,
    team: Team,
    submission: Submission | None,
    scores: dict[int, int],
    shadow: bool,
) -> dict[str, Any]:
    data = {
        "id": assignment.id,
        "position": assignment.position,
        "team": {"id": team.id, "name": team.name},
        # A team judged live may hand in a submission after it was assigned.
        "submission_id": assignment.submission_id or getattr(submission, "id", None),
        "status": str(assignment.status),
        "purpose": str(assignment.purpose),
        "counts": assignment.purpose == AssignmentPurpose.RANK and not shadow,
        "version": assignment.version,
        "scores": {str(k): v for k, v in sorted(scores.items())},
        "feedback": assignment.feedback,
        "note": assignment.note,
        "opened_at": assignment.opened_at,
        "submitted_at": assignment.submitted_at,
        "updated_at": assignment.updated_at,
    }
    return _ASSIGNMENT.dump(data)


@bp.get("/judging/<slug>/queue")
@doc(
    "The signed-in judge's queue, rubric and progress",
    response=JudgingQueue,
    errors=(401, 404),
    tags=("judging",),
)
def judging_queue(slug: str) -> ResponseReturnValue:
    """Only the caller's own assignments, in their recorded order."""
    if not current_user.is_authenticated:
        abort(401)
    event = get_event(slug)
    if not services.judges_now(current_user, event):
        raise NotFound()
    mine = services.my_assignments(event, current_user.id)
    scores = services.scores_by_assignment([a.id for a in mine])
    teams = services.teams_of(mine)
    submissions = services.submissions_by_team(event)
    shadow = current_user.id in services.shadow_ids(event)
    ranked, calibration = services.split_queue(mine)
    body = {
        "event": event.slug,
        "judging_open": services.judging_open(event),
        "criteria": JudgingCriterion(many=True).dump(services.criteria_of(event)),
        "assignments": [
            _dump(a, teams[a.team_id], submissions.get(a.team_id), scores[a.id], shadow)
            for a in mine
        ],
        "progress": services.progress(ranked),
        "calibration": services.progress(calibration),
        "shadow": shadow,
    }
    return jsonify(body)


@bp.put("/assignments/<int:assignment_id>/scores")
@doc(
    "Set scores, feedback and note of one of your assignments, and optionally submit",
    body=ScoresUpdate,
    response=JudgingAssignment,
    errors=(401, 404, 409, 422),
    tags=("judging",),
)
def put_scores(assignment_id: int) -> ResponseReturnValue:
    """Scores are set, never added, so a retry is harmless. A stale `version` gets 409 and
    changes nothing; a value outside its criterion's scale gets 422 and changes nothing.
    Saving without `submit` on a submitted assignment reopens it."""
    if not current_user.is_authenticated:
        abort(401)
    locked = services.own_assignment(current_user, assignment_id, lock=True)
    update = request_body()
    with writing():
        recorded = record_scores(locked, update, actor_id=current_user.id, source="api")
        # The answer is read while the row is still locked: after the commit another
        # device may already have written, and its version is not this write's.
        team, submission = services.team_and_submission(locked.team_id)
        shadow = locked.judge_id in services.shadow_ids(locked.event_id)
        body = _dump(locked, team, submission, recorded.scores, shadow)
    return jsonify(body)


# The pitch-day timetable (docs/judging.md, "Pitch-day schedule").


class ScheduleSlot(Schema):
    id = fields.Integer(required=True)
    room = fields.String(required=True)
    room_id = fields.Integer(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    status = fields.String(required=True, metadata={"enum": ["scheduled", "absent", "done"]})
    team = fields.Nested(JudgingTeam, required=True)
    judges = fields.List(
        fields.Integer(),
        metadata={"description": "the panel's user ids; only for organizers and judges"},
    )


class Schedule(Schema):
    event = fields.String(required=True)
    timezone = fields.String(required=True)
    slots = fields.List(fields.Nested(ScheduleSlot), required=True)


@bp.get("/events/<slug>/schedule")
@doc(
    "The event's pitch timetable: each team's room and time",
    response=Schedule,
    errors=(404,),
    tags=("judging",),
)
def event_schedule(slug: str) -> ResponseReturnValue:
    """Public like the event; each slot's judges only for organizers and the event's
    judges. An event without a schedule has no slots."""
    event = get_event(slug)
    if not can_view(current_user, event):
        raise NotFound()
    insiders = is_organizer(current_user, event) or services.is_judge(current_user, event)
    slots = [view.as_json(insiders) for view in pitch_day.timetable(event)]
    body = {"event": event.slug, "timezone": event.timezone, "slots": slots}
    return jsonify(Schedule().dump(body))
