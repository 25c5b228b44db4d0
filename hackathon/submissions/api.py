"""Submission endpoints of the JSON API: read, upload in three steps, download."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hackathon.accounts.models import User
from hackathon.api import bp
from hackathon.api.openapi import doc
from hackathon.errors import ValidationFailed
from hackathon.extensions import db
from hackathon.storage import StorageError, get_storage
from hackathon.submissions import rules as access
from hackathon.submissions.rules import StorageUnavailable, UploadRejected
from hackathon.submissions.schemas import (
    SubmissionFileSchema,
    SubmissionSchema,
    UploadedPartsSchema,
    UploadPartNumbersSchema,
    UploadPartUrlsSchema,
    UploadRequestSchema,
    UploadTicketSchema,
    dump_file,
    dump_submission,
    dump_ticket,
)
from hackathon.submissions.services import complete, uploads

TAGS = ("submissions",)
DOWNLOAD_SECONDS = 300


def _user() -> User:
    if not current_user.is_authenticated:
        abort(401)
    return current_user._get_current_object()


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed(_l("Send a JSON object."))
    return body


@bp.get("/submissions/<int:submission_id>")
@doc(
    "A submission with its slots, current files and earlier versions",
    response=SubmissionSchema,
    errors=(401, 404),
    tags=TAGS,
)
def submission_detail(submission_id: int) -> ResponseReturnValue:
    """Members, the team's mentors and its company's reps, assigned judges and organizers."""
    user = _user()
    return jsonify(dump_submission(access.visible_submission(user, submission_id), user))


@bp.post("/submissions/<int:submission_id>/uploads")
@doc(
    "Ask for an upload ticket for one file",
    body=UploadRequestSchema,
    response=UploadTicketSchema,
    status=201,
    errors=(401, 404, 409, 422, 503),
    tags=TAGS,
)
def submission_upload_ticket(submission_id: int) -> ResponseReturnValue:
    """A presigned form POST, or a multipart upload for files over the multipart threshold
    (an unfinished multipart upload of the same file is handed back to resume). The ticket
    expires within minutes and never after the deadline."""
    body = _body()
    ticket = uploads.request_upload(
        submission_id,
        _user(),
        body.get("slot"),
        body.get("filename"),
        body.get("size"),
        body.get("sha256"),
    )
    db.session.commit()
    return jsonify(dump_ticket(ticket)), 201


@bp.post("/uploads/<upload_id>/complete")
@doc(
    "Verify an uploaded file and make it the slot's current version",
    response=SubmissionFileSchema,
    errors=(401, 404, 409, 422, 503),
    tags=TAGS,
)
def upload_complete(upload_id: str) -> ResponseReturnValue:
    """Checks size, real type, SHA-256 and time against the deadline. A refused file is
    deleted and the error says why; completing twice returns the same record."""
    user = _user()
    try:
        row = complete.complete_upload(upload_id, user)
    except UploadRejected:
        db.session.commit()  # the refused ticket stays removed
        raise
    db.session.commit()
    return jsonify(dump_file(row))


@bp.get("/uploads/<upload_id>/parts")
@doc(
    "Parts of a multipart upload that storage already holds",
    response=UploadedPartsSchema,
    errors=(401, 404, 503),
    tags=TAGS,
)
def upload_parts(upload_id: str) -> ResponseReturnValue:
    """For resuming: send only the parts that are not listed here."""
    row, parts = uploads.uploaded_parts(upload_id, _user())
    return jsonify(
        UploadedPartsSchema().dump(
            {
                "parts": [{"part_number": p.number, "size": p.size, "etag": p.etag} for p in parts],
                "part_size": uploads.part_size_for(row.size),
                "part_count": uploads.part_count(row.size),
            }
        )
    )


@bp.post("/uploads/<upload_id>/parts")
@doc(
    "Presigned URLs for some parts of a multipart upload",
    body=UploadPartNumbersSchema,
    response=UploadPartUrlsSchema,
    errors=(401, 404, 409, 422),
    tags=TAGS,
)
def upload_part_urls(upload_id: str) -> ResponseReturnValue:
    """Each URL takes one PUT of that part's bytes; it expires within minutes."""
    urls, expires_at = uploads.presign_parts(upload_id, _user(), _body().get("part_numbers"))
    db.session.commit()
    return jsonify(
        UploadPartUrlsSchema().dump(
            {
                "parts": [{"part_number": n, "url": url} for n, url in urls],
                "expires_at": expires_at,
            }
        )
    )


@bp.delete("/uploads/<upload_id>")
@doc(
    "Cancel an unfinished upload and drop what arrived of it",
    status=204,
    errors=(401, 404),
    tags=TAGS,
)
def upload_cancel(upload_id: str) -> ResponseReturnValue:
    uploads.cancel_upload(upload_id, _user())
    db.session.commit()
    return "", 204


@bp.get("/files/<int:file_id>/download")
@doc(
    "Download a file: a redirect to a short-lived attachment URL",
    status=302,
    errors=(401, 404, 503),
    tags=TAGS,
)
def file_download(file_id: int) -> ResponseReturnValue:
    """The URL names the original file (RFC 5987) and expires within minutes."""
    row = access.downloadable_file(_user(), file_id)
    try:
        url = get_storage().download_url(
            row.key, row.original_name, row.content_type, DOWNLOAD_SECONDS
        )
    except StorageError as error:
        raise StorageUnavailable() from error
    response = redirect(url, code=302)
    response.headers["Cache-Control"] = "private, no-store"
    return response
