"""Uploads straight from the browser to storage: ticket, upload, complete (DESIGN 4, 5).

The app hands out a short-lived ticket for one key built from our own ids, and counts a
file only after it has checked what really arrived: its size, its real type, its SHA-256
and its time against the deadline. A refused upload leaves neither a row nor an object.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from hackathon.audit import record
from hackathon.db import utcnow
from hackathon.errors import NotFound, ValidationFailed
from hackathon.extensions import db
from hackathon.storage import PartInfo, Storage, StorageError, StorageMissing, get_storage
from hackathon.submissions import access
from hackathon.submissions.errors import (
    ChecksumMismatch,
    LateUpload,
    NotUploaded,
    QuotaExceeded,
    SizeMismatch,
    StorageUnavailable,
    TooLarge,
    UploadIncomplete,
    UploadRejected,
    WrongExtension,
    WrongType,
)
from hackathon.submissions.filetypes import (
    HEAD_BYTES,
    accepts,
    content_type_for,
    detect,
    extension_of,
)
from hackathon.submissions.models import MB, FileSlot, FileStatus, Submission, SubmissionFile
from hackathon.submissions.services import check_open, deadline_of, lock_submission, quota_used
from hackathon.submissions.sizes import human_size

KEY_PREFIX = "events/"
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MAX_PARTS = 10_000  # S3's limit per multipart upload
MAX_PRESIGN_BATCH = 100


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def ticket_seconds() -> int:
    return _setting("UPLOAD_TICKET_SECONDS", 600)


def multipart_threshold() -> int:
    return _setting("UPLOAD_MULTIPART_THRESHOLD", 100 * MB)


def part_size_for(size: int) -> int:
    """Parts of the configured size, larger if the file would need too many."""
    configured = _setting("UPLOAD_PART_SIZE", 16 * MB)
    return max(configured, math.ceil(size / MAX_PARTS / MB) * MB)


def part_count(size: int) -> int:
    return max(1, math.ceil(size / part_size_for(size)))


def object_key(submission: Submission, slot: FileSlot, upload_id: str) -> str:
    """Keys are built from our ids only, never from the user's file name."""
    return f"{KEY_PREFIX}{submission.event_id}/submissions/{submission.id}/{slot.id}/{upload_id}"


@dataclass
class Ticket:
    file: SubmissionFile
    method: str
    url: str
    expires_at: datetime
    fields: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    multipart: bool = False
    part_size: int = 0
    part_count: int = 0
    resumed: bool = False


def clean_filename(raw: Any) -> str:
    """The name as the team sees it: NFC (macOS sends decomposed Hangul), no folders."""
    name = unicodedata.normalize("NFC", str(raw or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name or name in {".", ".."} or len(name) > 255:
        raise ValidationFailed(fields={"filename": str(_l("Give the file's name."))})
    return name


def _slot(submission: Submission, key: Any) -> FileSlot:
    slot = db.session.scalar(
        select(FileSlot).where(FileSlot.event_id == submission.event_id, FileSlot.key == key)
    )
    if slot is None:
        raise ValidationFailed(fields={"slot": str(_l("This event has no such file slot."))})
    return slot


def _check_declared(slot: FileSlot, filename: str, size: Any, sha256: Any) -> tuple[int, str]:
    if extension_of(filename) not in slot.extension_list:
        raise WrongExtension(_l("“%(slot)s” accepts only these file types: %(types)s.",
                                slot=slot.display_label, types=", ".join(slot.extension_list)))
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValidationFailed(fields={"size": str(_l("The file is empty."))})
    if size > slot.max_bytes:
        raise TooLarge(_l("The file is larger than the %(limit)s allowed for “%(slot)s”.",
                          limit=human_size(slot.max_bytes), slot=slot.display_label))
    digest = str(sha256 or "").lower()
    if not SHA256_RE.match(digest):
        raise ValidationFailed(fields={"sha256": str(_l("Give the file's SHA-256 in hex."))})
    return size, digest


def _quota_error(submission: Submission) -> QuotaExceeded:
    limit = human_size(submission.event.team_quota_bytes)
    return QuotaExceeded(_l("This file would take your team over its storage quota of "
                            "%(limit)s.", limit=limit))


def _reserved(submission_id: int, now: datetime, exclude: int | None = None) -> int:
    """Bytes of tickets still in flight: parallel uploads cannot overrun the quota."""
    query = select(func.coalesce(func.sum(SubmissionFile.size), 0)).where(
        SubmissionFile.submission_id == submission_id,
        SubmissionFile.status == FileStatus.PENDING,
        SubmissionFile.expires_at > now,
    )
    if exclude is not None:
        query = query.where(SubmissionFile.id != exclude)
    return db.session.scalar(query)


def _storage_call(call, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except StorageError as error:
        current_app.logger.warning("storage unavailable: %s", error)
        raise StorageUnavailable() from error


def request_upload(submission_id: int, user: Any, slot_key: Any, filename: Any, size: Any,
                   sha256: Any) -> Ticket:
    """Issue a ticket for one file: never past the deadline, within the slot and the quota."""
    submission = access.member_submission(user, submission_id)
    now = utcnow()
    deadline = check_open(submission, now)
    slot = _slot(submission, slot_key)
    name = clean_filename(filename)
    size, digest = _check_declared(slot, name, size, sha256)
    storage = get_storage()
    expires_in = max(1, min(ticket_seconds(), int((deadline - now).total_seconds())))
    if size > multipart_threshold():
        resumable = _resumable(submission, slot, name, size, digest, now)
        if resumable is not None:
            return _multipart_ticket(resumable, now, expires_in, resumed=True)
    if quota_used(submission.id) + _reserved(submission.id, now) + size > (
        submission.event.team_quota_bytes
    ):
        raise _quota_error(submission)
    upload_id = str(uuid.uuid4())
    key = object_key(submission, slot, upload_id)
    content_type = content_type_for(extension_of(name))
    multipart_id = None
    if size > multipart_threshold():
        multipart_id = _storage_call(storage.create_multipart, key, content_type)
    else:
        _storage_call(storage.check)  # fail now, not after the browser sent the bytes
    row = SubmissionFile(
        upload_id=upload_id, submission_id=submission.id, slot_id=slot.id,
        status=FileStatus.PENDING, uploaded_by=user.id, original_name=name, size=size,
        sha256=digest, content_type=content_type, detected_type="", backend=storage.name,
        key=key, multipart_id=multipart_id, expires_at=now + timedelta(seconds=expires_in),
    )
    db.session.add(row)
    db.session.flush()
    if multipart_id is not None:
        return _multipart_ticket(row, now, expires_in)
    post = storage.presigned_post(key, content_type, size, expires_in)
    return Ticket(row, "POST", post.url, row.expires_at, fields=post.fields)


def _resumable(submission: Submission, slot: FileSlot, name: str, size: int, digest: str,
               now: datetime) -> SubmissionFile | None:
    """The same file's unfinished multipart upload, so a dropped connection resumes."""
    return db.session.scalar(
        select(SubmissionFile).where(
            SubmissionFile.submission_id == submission.id,
            SubmissionFile.slot_id == slot.id,
            SubmissionFile.status == FileStatus.PENDING,
            SubmissionFile.multipart_id.is_not(None),
            SubmissionFile.original_name == name,
            SubmissionFile.size == size,
            SubmissionFile.sha256 == digest,
            SubmissionFile.expires_at > now,
        ).order_by(SubmissionFile.id.desc()).limit(1)
    )


def _multipart_ticket(row: SubmissionFile, now: datetime, expires_in: int,
                      resumed: bool = False) -> Ticket:
    row.expires_at = max(row.expires_at, now + timedelta(seconds=expires_in))
    db.session.flush()
    return Ticket(row, "PUT", "", row.expires_at, multipart=True,
                  part_size=part_size_for(row.size), part_count=part_count(row.size),
                  resumed=resumed)


def _pending_multipart(upload_id: str, user: Any) -> SubmissionFile:
    row = access.member_upload(user, upload_id)
    if row.status != FileStatus.PENDING or not row.multipart_id:
        raise NotFound()
    return row


def presign_parts(upload_id: str, user: Any, numbers: Any) -> tuple[list[tuple[int, str]],
                                                                      datetime]:
    """Signed URLs for some parts; asking again keeps a slow upload alive until the deadline."""
    row = _pending_multipart(upload_id, user)
    now = utcnow()
    deadline = check_open(row.submission, now)
    count = part_count(row.size)
    if (not isinstance(numbers, list) or not 0 < len(numbers) <= MAX_PRESIGN_BATCH
            or not all(isinstance(n, int) and 1 <= n <= count for n in numbers)):
        raise ValidationFailed(fields={"part_numbers": str(
            _l("Ask for 1 to %(max)d part numbers between 1 and %(count)d.",
               max=MAX_PRESIGN_BATCH, count=count))})
    expires_in = max(1, min(ticket_seconds(), int((deadline - now).total_seconds())))
    row.expires_at = max(row.expires_at, now + timedelta(seconds=expires_in))
    storage = get_storage()
    urls = [(n, storage.presign_part(row.key, row.multipart_id, n, expires_in))
            for n in sorted(set(numbers))]
    db.session.flush()
    return urls, row.expires_at


def uploaded_parts(upload_id: str, user: Any) -> tuple[SubmissionFile, list[PartInfo]]:
    """Parts storage already holds, so a resumed upload sends only the rest."""
    row = _pending_multipart(upload_id, user)
    try:
        return row, get_storage().list_parts(row.key, row.multipart_id or "")
    except StorageMissing:
        raise NotFound() from None
    except StorageError as error:
        raise StorageUnavailable() from error


def cancel_upload(upload_id: str, user: Any) -> None:
    """Drop an unfinished upload: its parts or object, then its row."""
    row = access.member_upload(user, upload_id)
    if row.status != FileStatus.PENDING:
        raise NotFound()
    _discard(get_storage(), row)


def _discard(storage: Storage, row: SubmissionFile) -> None:
    """Remove a ticket's object and row; a storage hiccup leaves an orphan for `storage gc`."""
    try:
        if row.multipart_id:
            storage.abort_multipart(row.key, row.multipart_id)
        storage.delete(row.key)
    except StorageError as error:
        current_app.logger.warning("could not delete %s now (gc will): %s", row.key, error)
    # A bulk delete: another request may have removed the row already.
    db.session.execute(
        delete(SubmissionFile).where(SubmissionFile.id == row.id),
        execution_options={"synchronize_session": False},
    )
    db.session.expunge(row)
    db.session.flush()


def _reject(storage: Storage, row: SubmissionFile, error: UploadRejected) -> UploadRejected:
    record("submission.file_rejected", event_id=row.submission.event_id, subject=row.submission,
           upload_id=row.upload_id, reason=error.code, name=row.original_name)
    _discard(storage, row)
    return error


def complete_upload(upload_id: str, user: Any) -> SubmissionFile:
    """Verify what arrived and make it the slot's newest version; a second call is harmless.

    The expensive checks stream the object without holding a lock; the deadline, the quota
    and the version number are then decided with the submission row locked, in the same
    transaction as the write.
    """
    row = access.member_upload(user, upload_id)
    if row.status == FileStatus.READY:
        return row
    storage = get_storage()
    try:
        if row.multipart_id:
            _join_parts(storage, row)
        info = storage.head(row.key)
        problem = _verify(storage, row, info) if info else NotUploaded()
    except StorageError as error:
        current_app.logger.warning("storage unavailable on complete: %s", error)
        raise StorageUnavailable() from error
    if problem is not None:
        raise _reject(storage, row, problem)
    assert info is not None
    submission = lock_submission(row.submission_id)
    row = db.session.scalars(
        select(SubmissionFile).where(SubmissionFile.id == row.id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound()
    if row.status == FileStatus.READY:
        return row
    now, deadline = utcnow(), deadline_of(submission)
    window = timedelta(seconds=_setting("UPLOAD_COMPLETE_WINDOW_SECONDS", 600))
    if deadline is None or info.last_modified >= deadline or now >= deadline + window:
        raise _reject(storage, row, LateUpload())
    if quota_used(submission.id) + row.size > submission.event.team_quota_bytes:
        raise _reject(storage, row, _quota_error(submission))
    latest = db.session.scalar(
        select(func.max(SubmissionFile.version)).where(
            SubmissionFile.submission_id == submission.id, SubmissionFile.slot_id == row.slot_id
        )
    )
    row.version = (latest or 0) + 1
    row.status = FileStatus.READY
    row.completed_at = now
    record("submission.file_accepted", event_id=submission.event_id, subject=submission,
           file_id=row.id, slot=row.slot.key, version=row.version, sha256=row.sha256)
    db.session.flush()
    return row


def _join_parts(storage: Storage, row: SubmissionFile) -> None:
    try:
        parts = storage.list_parts(row.key, row.multipart_id or "")
    except StorageMissing:
        return  # joined by an earlier attempt whose answer was lost; the object is checked next
    expected = part_count(row.size)
    present = {p.number for p in parts}
    missing = [n for n in range(1, expected + 1) if n not in present]
    if missing:
        raise UploadIncomplete(missing=missing[:100])
    try:
        storage.complete_multipart(row.key, row.multipart_id or "",
                                   [p for p in parts if p.number <= expected])
    except StorageMissing:
        return
    except StorageError as error:
        if any(code in str(error) for code in ("EntityTooSmall", "InvalidPart")):
            raise _reject(storage, row, SizeMismatch()) from error
        raise


def _verify(storage: Storage, row: SubmissionFile, info: Any) -> UploadRejected | None:
    """Size, real type, then the checksum (the one check that reads every byte)."""
    slot = row.slot
    if info.size > slot.max_bytes:
        return TooLarge(_l("The file is larger than the %(limit)s allowed for “%(slot)s”.",
                           limit=human_size(slot.max_bytes), slot=slot.display_label))
    if info.size != row.size:
        return SizeMismatch()
    head = storage.read_range(row.key, 0, HEAD_BYTES)
    detected = detect(
        head, lambda: zipfile.ZipFile(storage.open_range(row.key, info.size)).namelist()
    )
    extension = extension_of(row.original_name)
    if extension not in slot.extension_list or not accepts(extension, detected):
        return WrongType(_l("The file's content is not a real %(ext)s file.",
                            ext=extension.upper() or "?"))
    if storage.sha256(row.key) != row.sha256:
        return ChecksumMismatch()
    row.detected_type = detected
    return None
