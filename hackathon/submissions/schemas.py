"""Shapes of the submission API's bodies (they also build the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from hackathon.accounts.models import User
from hackathon.api.bodies import MAX_DIGITS, RequestSchema, Text, Whole
from hackathon.submissions import rules
from hackathon.submissions.logic.markdown import render_markdown
from hackathon.submissions.models import FileStatus, Submission, SubmissionFile
from hackathon.submissions.services.entries import edit_state, quota_used, versions_by_slot
from hackathon.submissions.services.slots import event_slots
from hackathon.submissions.services.uploads import Ticket


def _said(message: Any) -> dict[str, Any]:
    """One message for a missing, null or mistyped field."""
    return dict.fromkeys(("required", "null", "invalid"), message)


class UploadRequestSchema(RequestSchema):
    slot = Text(
        required=True,
        error_messages=_said(_l("Give the key of one of the event's file slots.")),
        metadata={"example": "slides"},
    )
    filename = Text(
        required=True,
        error_messages=_said(_l("Give the file's name.")),
        metadata={"example": "발표자료_최종.pdf"},
    )
    size = Whole(
        max_digits=MAX_DIGITS,  # bytes, in a 64-bit column
        required=True,
        error_messages=_said(_l("Give the file's size in bytes, a whole number.")),
        metadata={"description": "bytes"},
    )
    sha256 = Text(
        required=True,
        error_messages=_said(_l("Give the file's SHA-256 in hex.")),
        metadata={"description": "hex, computed by the client"},
    )


class UploadTicketSchema(Schema):
    upload_id = fields.String(required=True)
    method = fields.String(required=True, metadata={"description": "POST (form) or PUT (parts)"})
    url = fields.String(
        required=True,
        metadata={"description": "form POST target; for multipart, the part-URL endpoint"},
    )
    fields_ = fields.Dict(data_key="fields", metadata={"description": "form fields, file last"})
    headers = fields.Dict()
    expires_at = fields.DateTime(required=True)
    multipart = fields.Boolean(required=True)
    part_size = fields.Integer()
    part_count = fields.Integer()
    resumed = fields.Boolean(metadata={"description": "an unfinished upload of this file"})
    parts_url = fields.String(allow_none=True)
    complete_url = fields.String(required=True)
    cancel_url = fields.String(required=True)


class UploadReceiptSchema(Schema):
    file_name = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    received_at = fields.DateTime(required=True, metadata={"description": "server time"})


class UploaderSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class SubmissionFileSchema(Schema):
    id = fields.Integer(required=True)
    upload_id = fields.String(required=True)
    slot = fields.String(required=True)
    version = fields.Integer(allow_none=True)
    status = fields.String(
        required=True,
        metadata={
            "description": "pending (not completed), verifying (being checked), ready (it "
            "counts) or rejected (see rejected_reason and message)"
        },
    )
    rejected_reason = fields.String(
        allow_none=True, metadata={"description": "the error code, when rejected"}
    )
    message = fields.String(
        allow_none=True, metadata={"description": "why it was rejected, in the reader's language"}
    )
    status_url = fields.String(metadata={"description": "where to ask for this record again"})
    name = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    content_type = fields.String()
    detected_type = fields.String()
    uploaded_at = fields.DateTime(allow_none=True)
    uploaded_by = fields.Nested(UploaderSchema, allow_none=True)
    download_url = fields.String(allow_none=True)
    receipt = fields.Nested(UploadReceiptSchema, allow_none=True)


class FileSlotSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    label_en = fields.String(allow_none=True)
    extensions = fields.List(fields.String(), required=True)
    max_bytes = fields.Integer(required=True)
    required = fields.Boolean(required=True)
    current = fields.Nested(SubmissionFileSchema, allow_none=True)
    versions = fields.List(
        fields.Nested(SubmissionFileSchema), metadata={"description": "newest first"}
    )


class SubmissionTeamSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class TeamQuotaSchema(Schema):
    used = fields.Integer()
    limit = fields.Integer()


class SubmissionSchema(Schema):
    id = fields.Integer(required=True)
    event = fields.String(required=True)
    team = fields.Nested(SubmissionTeamSchema, required=True)
    track = fields.String(allow_none=True)
    title = fields.String()
    summary = fields.String(metadata={"description": "Markdown"})
    summary_html = fields.String(metadata={"description": "sanitised HTML"})
    repo_url = fields.String()
    demo_url = fields.String()
    status = fields.String(metadata={"description": "draft or submitted"})
    submitted_at = fields.DateTime(allow_none=True)
    deadline = fields.DateTime(allow_none=True)
    extended_until = fields.DateTime(allow_none=True)
    editable = fields.Boolean()
    read_only_reason = fields.String(allow_none=True)
    quota = fields.Nested(TeamQuotaSchema)
    slots = fields.List(fields.Nested(FileSlotSchema))


class UploadPartNumbersSchema(RequestSchema):
    part_numbers = fields.List(
        Whole(error_messages=_said(_l("Send the part numbers as a list of whole numbers."))),
        required=True,
        error_messages=_said(_l("Send the part numbers as a list of whole numbers.")),
    )


class UploadPartUrlSchema(Schema):
    part_number = fields.Integer()
    url = fields.String()


class UploadPartUrlsSchema(Schema):
    parts = fields.List(fields.Nested(UploadPartUrlSchema))
    expires_at = fields.DateTime()


class UploadedPartSchema(Schema):
    part_number = fields.Integer()
    size = fields.Integer()
    etag = fields.String()


class UploadedPartsSchema(Schema):
    parts = fields.List(fields.Nested(UploadedPartSchema))
    part_size = fields.Integer()
    part_count = fields.Integer()


# Submissions, files and tickets as the API and the page's script see them.


def file_data(row: SubmissionFile) -> dict[str, Any]:
    ready = row.status == FileStatus.READY
    rejected = row.status == FileStatus.REJECTED
    return {
        "id": row.id,
        "upload_id": row.upload_id,
        "slot": row.slot.key,
        "version": row.version,
        "status": str(row.status),
        "rejected_reason": row.rejected_reason if rejected else None,
        "message": str(rules.rejection(row.rejected_reason).message) if rejected else None,
        "status_url": url_for("api.upload_detail", upload_id=row.upload_id),
        "name": row.original_name,
        "size": row.size,
        "sha256": row.sha256,
        "content_type": row.content_type,
        "detected_type": row.detected_type,
        "uploaded_at": row.completed_at,
        "uploaded_by": {"id": row.uploader.id, "name": row.uploader.name} if row.uploader else None,
        "download_url": url_for("api.file_download", file_id=row.id) if ready else None,
        "receipt": {
            "file_name": row.original_name,
            "size": row.size,
            "sha256": row.sha256,
            "received_at": row.completed_at,
        }
        if ready
        else None,
    }


def dump_file(row: SubmissionFile) -> dict[str, Any]:
    return SubmissionFileSchema().dump(file_data(row))


def dump_ticket(ticket: Ticket) -> dict[str, Any]:
    upload_id = ticket.file.upload_id
    parts_url = url_for("api.upload_parts", upload_id=upload_id) if ticket.multipart else None
    data = {
        "upload_id": upload_id,
        "method": ticket.method,
        "url": parts_url if ticket.multipart else ticket.url,
        "fields_": ticket.fields,
        "headers": ticket.headers,
        "expires_at": ticket.expires_at,
        "multipart": ticket.multipart,
        "part_size": ticket.part_size,
        "part_count": ticket.part_count,
        "resumed": ticket.resumed,
        "parts_url": parts_url,
        "complete_url": url_for("api.upload_complete", upload_id=upload_id),
        "cancel_url": url_for("api.upload_cancel", upload_id=upload_id),
    }
    return UploadTicketSchema().dump(data)


def dump_submission(submission: Submission, user: User) -> dict[str, Any]:
    state = edit_state(submission)
    versions = versions_by_slot(submission)
    team = submission.team
    slots = []
    for slot in event_slots(submission.event):
        rows = versions.get(slot.id, [])
        slots.append(
            {
                "key": slot.key,
                "label": slot.label,
                "label_en": slot.label_en,
                "extensions": slot.extension_list,
                "max_bytes": slot.max_bytes,
                "required": slot.required,
                "current": file_data(rows[0]) if rows else None,
                "versions": [file_data(r) for r in rows],
            }
        )
    editable = state.open and rules.can_edit(user, submission)
    data = {
        "id": submission.id,
        "event": submission.event.slug,
        "team": {"id": team.id, "name": team.name},
        "track": team.track.display_name if team.track else None,
        "title": submission.title,
        "summary": submission.summary,
        "summary_html": str(render_markdown(submission.summary)),
        "repo_url": submission.repo_url,
        "demo_url": submission.demo_url,
        "status": str(submission.status),
        "submitted_at": submission.submitted_at,
        "deadline": state.deadline,
        "extended_until": submission.extended_until,
        "editable": editable,
        "read_only_reason": None if editable else (state.reason or None),
        "quota": {"used": quota_used(submission.id), "limit": submission.event.team_quota_bytes},
        "slots": slots,
    }
    return SubmissionSchema().dump(data)
