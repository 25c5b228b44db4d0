"""Submission endpoints of the JSON API: read, upload in three steps, download."""

from __future__ import annotations

from flask import abort, jsonify, redirect
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hackathon.accounts.models import User
from hackathon.api import bp
from hackathon.api.bodies import request_body
from hackathon.api.openapi import doc
from hackathon.storage import StorageError, get_storage
from hackathon.submissions import rules
from hackathon.submissions.models import FileStatus
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
from hackathon.web import writing

TAGS = ("submissions",)
DOWNLOAD_SECONDS = 300


def _user() -> User:
    if not current_user.is_authenticated:
        abort(401)
    return current_user._get_current_object()


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
    return jsonify(dump_submission(rules.visible_submission(user, submission_id), user))


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
    body = request_body()
    with writing():
        ticket = uploads.request_upload(
            submission_id, _user(), body["slot"], body["filename"], body["size"], body["sha256"]
        )
    return jsonify(dump_ticket(ticket)), 201


@bp.post("/uploads/<upload_id>/complete")
@doc(
    "Verify an uploaded file and make it the slot's current version",
    response=SubmissionFileSchema,
    also={202: "Accepted: a large file is being verified (`status` is `verifying`)"},
    errors=(401, 404, 409, 422, 503),
    tags=TAGS,
)
def upload_complete(upload_id: str) -> ResponseReturnValue:
    """Checks size, real type, SHA-256 and time against the deadline. A file up to the
    server's inline limit (UPLOAD_INLINE_VERIFY_BYTES, 8 MB by default) is checked in this
    request: 200 with `status` `ready`, or an error saying why it was refused (and it is
    deleted). A larger file answers 202 with `status` `verifying` at once (size, deadline
    and quota already checked); poll `status_url` until it is `ready` or `rejected`
    (`rejected_reason`, `message`). Completing twice returns the same record."""
    user = _user()
    with writing(keep=UploadRejected):  # a refused ticket stays removed
        row = complete.complete_upload(upload_id, user)
        # The record as this request left it: its job may run as soon as it commits.
        verifying, record = row.status == FileStatus.VERIFYING, dump_file(row)
    return jsonify(record), 202 if verifying else 200


@bp.get("/uploads/<upload_id>")
@doc(
    "An upload's file record: is it still verifying, ready, or rejected?",
    response=SubmissionFileSchema,
    errors=(401, 404),
    tags=TAGS,
)
def upload_detail(upload_id: str) -> ResponseReturnValue:
    """For the team's members. `pending` until completed, `verifying` while the server
    checks it, then `ready` (it counts) or `rejected` with the reason."""
    return jsonify(dump_file(rules.member_upload(_user(), upload_id)))


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
    user = _user()
    numbers = request_body()["part_numbers"]
    with writing():
        urls, expires_at = uploads.presign_parts(upload_id, user, numbers)
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
    with writing():
        uploads.cancel_upload(upload_id, _user())
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
    row = rules.downloadable_file(_user(), file_id)
    try:
        url = get_storage().download_url(
            row.key, row.original_name, row.content_type, DOWNLOAD_SECONDS
        )
    except StorageError as error:
        raise StorageUnavailable() from error
    response = redirect(url, code=302)
    response.headers["Cache-Control"] = "private, no-store"
    return response
