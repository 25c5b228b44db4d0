"""Submissions, files and tickets as the API and the page's script see them."""

from __future__ import annotations

from typing import Any

from flask import url_for

from hackathon.submissions import access
from hackathon.submissions.markdown import render_markdown
from hackathon.submissions.models import FileStatus, Submission, SubmissionFile
from hackathon.submissions.schemas import SubmissionFileSchema, SubmissionSchema, UploadTicketSchema
from hackathon.submissions.services import edit_state, quota_used, versions_by_slot
from hackathon.submissions.slots import event_slots
from hackathon.submissions.uploads import Ticket


def file_data(row: SubmissionFile) -> dict[str, Any]:
    ready = row.status == FileStatus.READY
    return {
        "id": row.id,
        "upload_id": row.upload_id,
        "slot": row.slot.key,
        "version": row.version,
        "status": str(row.status),
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


def dump_submission(submission: Submission, user: Any) -> dict[str, Any]:
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
    editable = state.open and access.can_edit(user, submission)
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
