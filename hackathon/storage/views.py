"""The local backend's signed upload and download URLs (S3 serves these itself).

A token in the URL is the whole authority, as a presigned S3 URL is: it names the key,
the content type and size, and an expiry, and it is signed with the app's secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from flask import Blueprint, Response, abort, current_app, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from hackathon.errors import json_error
from hackathon.storage.base import CHUNK, StorageError, StorageMissing, content_disposition
from hackathon.storage.local import (
    AlreadyStored,
    LocalStorage,
    TooLarge,
    part_etag,
    write_atomically,
)

bp = Blueprint("storage_local", __name__)

FORM_OVERHEAD = 64 * 1024  # the multipart/form-data envelope around the file
MAX_PART = 5 * 1024**3  # S3's own limit for one part


def _storage() -> LocalStorage:
    storage = current_app.extensions["storage"]
    if not isinstance(storage, LocalStorage):
        abort(404)
    return storage


def _refused(status: int, code: str, message: object) -> Response:
    return json_error(status, code, message)


def _expired() -> Response:
    return _refused(403, "ticket_expired", _l("This upload link expired. Please try again."))


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    return iter(lambda: stream.read(CHUNK), b"")


@bp.post("/upload/<token>")
def upload(token: str) -> ResponseReturnValue:
    """One file in a form POST, checked against the signed policy as S3 would."""
    storage = _storage()
    claims = storage.unsign(token, "post")
    if claims is None:
        return _expired()
    size = int(claims["size"])
    request.max_content_length = size + FORM_OVERHEAD
    if request.form.get("key") != claims["k"] or request.form.get("Content-Type") != claims["ct"]:
        return _refused(403, "policy_mismatch", _l("The upload does not match its ticket."))
    sent = request.files.get("file")
    if sent is None:
        return _refused(400, "no_file", _l("No file was sent."))
    try:
        # A ticket stores one object once: used again, it would swap verified bytes.
        written = storage.write_stream(claims["k"], _chunks(sent.stream), limit=size, replace=False)
    except TooLarge:
        return _refused(400, "entity_too_large", _l("The file is larger than announced."))
    except AlreadyStored:
        return _refused(409, "ticket_used", _l("This upload link expired. Please try again."))
    except StorageError:
        return _refused(
            503,
            "storage_unavailable",
            _l("File storage cannot be reached right now. Nothing was saved; please try again."),
        )
    finally:
        sent.close()  # a large file was spooled to a temporary file
    if written != size:
        storage.delete(claims["k"])
        return _refused(400, "entity_too_small", _l("The file is smaller than announced."))
    return "", 204


@bp.put("/part/<token>")
def upload_part(token: str) -> ResponseReturnValue:
    """One part of a multipart upload, streamed to disk."""
    storage = _storage()
    claims = storage.unsign(token, "part")
    if claims is None:
        return _expired()
    try:
        target = storage.part_path(claims["mp"], int(claims["n"]))
    except StorageMissing:
        return _refused(404, "no_such_upload", _l("This upload was cancelled or has expired."))
    try:
        # No folders made here: a part racing a cancel must not bring the upload back.
        limit = int(claims.get("size", MAX_PART))
        write_atomically(target, _chunks(request.stream), limit=limit, make_parents=False)
    except TooLarge:
        return _refused(400, "entity_too_large", _l("The part is too large."))
    except StorageError:
        return _refused(404, "no_such_upload", _l("This upload was cancelled or has expired."))
    response = current_app.response_class(status=200)
    response.headers["ETag"] = part_etag(target)
    return response


@bp.get("/download/<token>")
def download(token: str) -> Response:
    storage = _storage()
    claims = storage.unsign(token, "get")
    if claims is None:
        abort(404)
    path = storage.path(claims["k"])
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=claims["ct"], conditional=True, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(claims["name"])
    response.headers["Cache-Control"] = "private, no-store"
    return response
