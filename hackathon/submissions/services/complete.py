"""Complete: check what really arrived in storage before it counts.

The checks that read the object (size, real type, SHA-256) run with no transaction open;
the deadline, the quota and the version number are then decided with the submission row
locked, in the same transaction as the write. A refused upload leaves no row and no object.
"""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hackathon.accounts.models import User
from hackathon.audit import record
from hackathon.db import utcnow
from hackathon.errors import NotFound
from hackathon.extensions import db
from hackathon.i18n import human_size
from hackathon.storage import ObjectInfo, Storage, StorageError, StorageMissing, get_storage
from hackathon.submissions import rules as access
from hackathon.submissions.logic.filetypes import HEAD_BYTES, accepts, detect, extension_of
from hackathon.submissions.models import FileStatus, SubmissionFile
from hackathon.submissions.rules import (
    ChecksumMismatch,
    LateUpload,
    NotUploaded,
    SizeMismatch,
    StorageUnavailable,
    TooLarge,
    UploadIncomplete,
    UploadRejected,
    WrongType,
)
from hackathon.submissions.services.entries import deadline_of, lock_submission, quota_used
from hackathon.submissions.services.uploads import (
    TicketRecord,
    discard,
    part_count,
    quota_error,
    release_connection,
)


def complete_upload(upload_id: str, user: User) -> SubmissionFile:
    """Verify what arrived and make it the slot's newest version; a second call is harmless."""
    row = access.member_upload(user, upload_id)
    if row.status == FileStatus.READY:
        return row
    ticket = TicketRecord.of(row)
    release_connection()
    storage = get_storage()
    try:
        parts_arrived = _join_parts(storage, ticket) if ticket.multipart_id else None
        info = storage.head(ticket.key)
        problem, detected = _verify(storage, ticket, info) if info else (NotUploaded(), "")
    except StorageError as error:
        current_app.logger.warning("storage unavailable on complete: %s", error)
        raise StorageUnavailable() from error
    if problem is not None:
        raise _reject(storage, ticket, problem)
    assert info is not None
    return _accept(storage, ticket, parts_arrived or info.last_modified, detected)


def _accept(
    storage: Storage, ticket: TicketRecord, arrived: datetime, detected: str
) -> SubmissionFile:
    submission = lock_submission(ticket.submission_id)
    row = db.session.scalars(
        select(SubmissionFile)
        .where(SubmissionFile.id == ticket.id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound()
    if row.status == FileStatus.READY:
        return row  # a parallel complete of the same upload won
    now, deadline = utcnow(), deadline_of(submission)
    window = timedelta(seconds=int(current_app.config.get("UPLOAD_COMPLETE_WINDOW_SECONDS", 600)))
    # The bytes must have arrived before the deadline, and the complete follow soon after.
    if deadline is None or arrived >= deadline or now >= deadline + window:
        raise _reject(storage, ticket, LateUpload())
    if quota_used(submission.id, row.slot_id) + row.size > submission.event.team_quota_bytes:
        raise _reject(storage, ticket, quota_error(submission))
    latest = db.session.scalar(
        select(func.max(SubmissionFile.version)).where(
            SubmissionFile.submission_id == submission.id, SubmissionFile.slot_id == row.slot_id
        )
    )
    row.version = (latest or 0) + 1
    row.status = FileStatus.READY
    row.detected_type = detected
    row.completed_at = now
    record(
        "submission.file_accepted",
        event_id=submission.event_id,
        subject=submission,
        file_id=row.id,
        slot=row.slot.key,
        version=row.version,
        sha256=row.sha256,
    )
    db.session.flush()
    return row


def _reject(storage: Storage, ticket: TicketRecord, error: UploadRejected) -> UploadRejected:
    record(
        "submission.file_rejected",
        event_id=ticket.event_id,
        submission_id=ticket.submission_id,
        reason=error.code,
        name=ticket.name,
    )
    discard(storage, ticket)
    return error


def _join_parts(storage: Storage, ticket: TicketRecord) -> datetime | None:
    """Join the parts into the object; returns when the latest part arrived, the time that
    counts against the deadline (joining makes the object now, which may be after it)."""
    multipart_id = ticket.multipart_id or ""
    try:
        parts = storage.list_parts(ticket.key, multipart_id)
    except StorageMissing:
        return None  # joined by an earlier attempt whose answer was lost: the object's time
    expected = part_count(ticket.size)
    present = {p.number for p in parts}
    missing = [n for n in range(1, expected + 1) if n not in present]
    if missing:
        raise UploadIncomplete(missing=missing[:100])
    used = [p for p in parts if p.number <= expected]
    try:
        storage.complete_multipart(ticket.key, multipart_id, used)
    except StorageMissing:
        return None
    except StorageError as error:
        if any(code in str(error) for code in ("EntityTooSmall", "InvalidPart")):
            raise _reject(storage, ticket, SizeMismatch()) from error
        raise
    times = [p.last_modified for p in used if p.last_modified is not None]
    return max(times) if len(times) == len(used) else None


def _verify(
    storage: Storage, ticket: TicketRecord, info: ObjectInfo
) -> tuple[UploadRejected | None, str]:
    """Size, real type, then the checksum (the one check that reads every byte)."""
    if info.size > ticket.max_bytes:
        return TooLarge(
            _l(
                "The file is larger than the %(limit)s allowed for “%(slot)s”.",
                limit=human_size(ticket.max_bytes),
                slot=ticket.slot_label,
            )
        ), ""
    if info.size != ticket.size:
        return SizeMismatch(), ""
    head = storage.read_range(ticket.key, 0, HEAD_BYTES)
    detected = detect(
        head, lambda: zipfile.ZipFile(storage.open_range(ticket.key, info.size)).namelist()
    )
    extension = extension_of(ticket.name)
    if extension not in ticket.extensions or not accepts(extension, detected):
        return WrongType(
            _l("The file's content is not a real %(ext)s file.", ext=extension.upper() or "?")
        ), detected
    if storage.sha256(ticket.key) != ticket.sha256:
        return ChecksumMismatch(), detected
    return None, detected
