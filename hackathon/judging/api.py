"""Judging in the JSON API (see the README's JSON API): a judge's queue and writing scores."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields

from hackathon.api import bp
from hackathon.api.openapi import doc
from hackathon.errors import NotFound, ValidationFailed
from hackathon.events.services import get_event
from hackathon.extensions import db
from hackathon.judging import rules as services
from hackathon.judging.models import Assignment
from hackathon.judging.services.scoring import ScoreUpdate, record_scores
from hackathon.submissions.models import Submission
from hackathon.teams.models import Team


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
    assignments = fields.List(fields.Nested(JudgingAssignment), required=True)
    progress = fields.Nested(JudgingProgress, required=True)


class ScoresUpdate(Schema):
    """The body of a scores write (read by `_update_from`; this describes it)."""

    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(strict=True, allow_none=True),
        load_default=dict,
        metadata={"description": "criterion id -> value to set; null clears a draft score"},
    )
    feedback = fields.String(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None)
    submit = fields.Boolean(load_default=False)
    version = fields.Integer(required=True, metadata={"description": "the version you read"})


def _dump(
    assignment: Assignment, team: Team, submission: Submission | None, scores: dict[int, int]
) -> dict[str, Any]:
    data = {
        "id": assignment.id,
        "position": assignment.position,
        "team": {"id": team.id, "name": team.name},
        # A team judged live may hand in a submission after it was assigned.
        "submission_id": assignment.submission_id or getattr(submission, "id", None),
        "status": str(assignment.status),
        "version": assignment.version,
        "scores": {str(k): v for k, v in sorted(scores.items())},
        "feedback": assignment.feedback,
        "note": assignment.note,
        "opened_at": assignment.opened_at,
        "submitted_at": assignment.submitted_at,
        "updated_at": assignment.updated_at,
    }
    return JudgingAssignment().dump(data)


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
    body = {
        "event": event.slug,
        "judging_open": services.judging_open(event),
        "criteria": JudgingCriterion(many=True).dump(services.criteria_of(event)),
        "assignments": [
            _dump(a, teams[a.team_id], submissions.get(a.team_id), scores[a.id]) for a in mine
        ],
        "progress": services.progress(mine),
    }
    return jsonify(body)


def _whole(value: Any) -> int | bool | None:
    """A JSON integer or null as it is; anything else False, which the check then names."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return False


def _update_from(body: Any) -> ScoreUpdate:
    """The request body as an update, each bad field named in the reader's language.

    Only the documented fields are read: `judge_id`, `status` and the like are ignored.
    """
    if not isinstance(body, dict):
        raise ValidationFailed(fields={"body": str(_l("Send a JSON object."))})
    errors: dict[str, str] = {}
    scores: dict[int, Any] = {}
    raw = body.get("scores", {})
    if not isinstance(raw, dict):
        errors["scores"] = str(_l("Send the scores as an object of criterion id and value."))
        raw = {}
    for key, value in raw.items():
        if not key.strip().isdigit():
            errors[f"scores.{key}"] = str(_l("Not a criterion id."))
        else:
            scores[int(key)] = _whole(value)
    version = body.get("version")
    if version is None or _whole(version) is False:
        errors["version"] = str(_l("Send the version you read, a whole number."))
    for name in ("feedback", "note"):
        if body.get(name) is not None and not isinstance(body[name], str):
            errors[name] = str(_l("Send text, or null to leave it as it is."))
    if not isinstance(body.get("submit", False), bool):
        errors["submit"] = str(_l("Send true or false."))
    if errors:
        raise ValidationFailed(fields=errors)
    return ScoreUpdate(
        scores, body.get("feedback"), body.get("note"), body.get("submit", False), version
    )


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
    update = _update_from(request.get_json(silent=True))
    record_scores(locked, update, actor_id=current_user.id, source="api")
    db.session.commit()
    team = locked.team
    scores = services.scores_by_assignment([locked.id])[locked.id]
    return jsonify(_dump(locked, team, services.submission_of(team), scores))
