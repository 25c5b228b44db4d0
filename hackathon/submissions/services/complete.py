"""Complete: check what really arrived in storage before it counts (docs/uploads.md).

On completion the ticket's object is copied inside the storage to a final key of its own,
on condition that it is still the object whose size was checked, and every check that
reads bytes (real type, SHA-256) is made on that copy, which no ticket can write. The
ticket's object is then removed, so a ticket used again can change nothing that counts.

A file up to `UPLOAD_INLINE_VERIFY_BYTES` is copied and checked in the request and answers
`ready` (or an error). A larger one answers `verifying`: the deadline and the quota are
decided at once, the copy and the checks run in the job `submissions.verify_upload`, and
the file ends `ready` or `rejected` with its reason. A refused file never becomes a
slot's version; a job that failed or died is asked for again by `resume_verifying`.

The checks that read the object run with no transaction open; the deadline, the quota
and the version number are then decided with the submission row locked, in the same
transaction as the write.
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
from hackathon.jobs import enqueue
from hackathon.storage import (
    CopyResult,
    ObjectInfo,
    Storage,
    StorageChanged,
    StorageError,
    StorageMissing,
    get_storage,
)
from hackathon.submissions import rules
from hackathon.submissions.logic.filetypes import HEAD_BYTES, accepts, detect, extension_of
from hackathon.submissions.models import MB, FileStatus, Submission, SubmissionFile
from hackathon.submissions.rules import (
    ChangedAfterComplete,
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

VERIFY_JOB = "submissions.verify_upload"


def inline_verify_bytes() -> int:
    """Files up to this size are verified in the request; larger ones by a job."""
    return int(current_app.config.get("UPLOAD_INLINE_VERIFY_BYTES", 8 * MB))


def final_key(ticket_key: str) -> str:
    """Where a completed file is copied: beside the ticket's key, in `files/`, a key no
    ticket is ever issued for."""
    folder, _, upload_id = ticket_key.rpartition("/")
    return f"{folder}/files/{upload_id}"


def complete_upload(upload_id: str, user: User) -> SubmissionFile:
    """Verify what arrived and make it the slot's newest version, or hand a large file to
    the verifying job; a second call is harmless (and answers the file as it stands)."""
    row = rules.member_upload(user, upload_id)
    if row.status in (FileStatus.READY, FileStatus.VERIFYING):
        return row
    if row.status == FileStatus.REJECTED:
        raise rules.rejection(row.rejected_reason)
    ticket = TicketRecord.of(row)
    release_connection()
    storage = get_storage()
    requested = utcnow()
    try:
        parts_arrived = _join_parts(storage, ticket) if ticket.multipart_id else None
        info = storage.head(ticket.key)
    except StorageError as error:
        current_app.logger.warning("storage unavailable on complete: %s", error)
        raise StorageUnavailable() from error
    problem = _check_size(ticket, info.size) if info else NotUploaded()
    if problem is not None:
        raise _reject(storage, ticket, problem)
    assert info is not None
    arrived = parts_arrived or info.last_modified
    if info.size > inline_verify_bytes():
        return _defer(storage, ticket, info, arrived, requested)
    try:
        problem, detected = copy_and_verify(storage, ticket, info.etag)
    except StorageError as error:
        current_app.logger.warning("storage unavailable on complete: %s", error)
        raise StorageUnavailable() from error
    if problem is not None:
        raise _reject(storage, ticket, problem)
    return _accept(storage, ticket, detected, deadline_check=(arrived, requested))


def verify_upload(file_id: int) -> None:
    """The job: copy a completed file to its final key, check it, and make it ready or
    rejected. Run again for the same file it does the work once; a storage error fails the
    job and leaves the file `verifying` for `resume_verifying` to ask again."""
    row = db.session.get(SubmissionFile, file_id)
    if row is None or row.status != FileStatus.VERIFYING:
        return
    ticket, etag = TicketRecord.of(row), row.etag or ""
    release_connection()
    storage = get_storage()
    problem, detected = copy_and_verify(storage, ticket, etag)
    if problem is not None:
        refuse(storage, ticket, problem)
        return
    _accept(storage, ticket, detected, deadline_check=None)


def copy_and_verify(
    storage: Storage, ticket: TicketRecord, etag: str
) -> tuple[UploadRejected | None, str]:
    """Copy the ticket's object to the final key if it is still the one checked (`etag`),
    then check the copy: size, real type and SHA-256 (computed by the storage during the
    copy where it can, else by reading the copy)."""
    target = final_key(ticket.key)
    try:
        copied: CopyResult | None = storage.copy(ticket.key, target, etag, ticket.size)
    except StorageChanged:
        return ChangedAfterComplete(), ""
    except StorageMissing:
        copied = None  # copied by an earlier attempt, which then removed the ticket's object
    info = storage.head(target)
    if info is None:
        return NotUploaded(), ""
    problem = _check_size(ticket, info.size)
    if problem is not None:
        return problem, ""
    problem, detected = _check_type(storage, ticket, target, info)
    if problem is not None:
        return problem, detected
    digest = copied.sha256 if copied is not None and copied.sha256 else storage.sha256(target)
    if digest != ticket.sha256:
        return ChecksumMismatch(), detected
    return None, detected


def _defer(
    storage: Storage,
    ticket: TicketRecord,
    info: ObjectInfo,
    arrived: datetime,
    requested: datetime,
) -> SubmissionFile:
    """Decide the deadline and the quota now, then leave the rest to the job."""
    submission, row = _locked(ticket)
    if row.status == FileStatus.REJECTED:
        raise rules.rejection(row.rejected_reason)
    if row.status != FileStatus.PENDING:
        return row  # a parallel complete of the same upload won
    problem = _late_or_over(submission, row, arrived, requested)
    if problem is not None:
        raise _reject(storage, ticket, problem)
    row.status = FileStatus.VERIFYING
    row.etag = info.etag
    row.verify_requested_at = requested
    row.verify_attempts = 1
    enqueue(VERIFY_JOB, row.id)
    db.session.flush()
    return row


def _locked_row(file_id: int) -> SubmissionFile | None:
    """The file's row, locked and read afresh (not the session's copy)."""
    return db.session.scalars(
        select(SubmissionFile)
        .where(SubmissionFile.id == file_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def _locked(ticket: TicketRecord) -> tuple[Submission, SubmissionFile]:
    """The submission, then the file's row, locked and read afresh: a parallel complete or
    job that settled the file is seen, never overwritten."""
    submission = lock_submission(ticket.submission_id)
    row = _locked_row(ticket.id)
    if row is None:
        raise NotFound()
    return submission, row


def _late_or_over(
    submission: Submission, row: SubmissionFile, arrived: datetime, requested: datetime
) -> UploadRejected | None:
    deadline = deadline_of(submission)
    window = timedelta(seconds=int(current_app.config.get("UPLOAD_COMPLETE_WINDOW_SECONDS", 600)))
    # The bytes must have arrived before the deadline, and the complete follow soon after.
    if deadline is None or arrived >= deadline or requested >= deadline + window:
        return LateUpload()
    if quota_used(submission.id, row.slot_id) + row.size > submission.event.team_quota_bytes:
        return quota_error(submission)
    return None


def _accept(
    storage: Storage,
    ticket: TicketRecord,
    detected: str,
    deadline_check: tuple[datetime, datetime] | None,
) -> SubmissionFile:
    """Make the verified copy the slot's newest version (the deadline was decided on
    completion when `deadline_check` is None), then drop the ticket's object."""
    submission, row = _locked(ticket)
    if row.status == FileStatus.READY:
        return row  # a parallel complete of the same upload won
    if row.status == FileStatus.REJECTED:
        if deadline_check is None:
            return row  # a parallel job refused it
        raise rules.rejection(row.rejected_reason)
    now = utcnow()
    if deadline_check is not None:
        problem = _late_or_over(submission, row, *deadline_check)
    elif quota_used(submission.id, row.slot_id) + row.size > submission.event.team_quota_bytes:
        problem = quota_error(submission)
    else:
        problem = None
    if problem is not None:
        if deadline_check is None:
            refuse(storage, ticket, problem)
            return row
        raise _reject(storage, ticket, problem)
    latest = db.session.scalar(
        select(func.max(SubmissionFile.version)).where(
            SubmissionFile.submission_id == submission.id, SubmissionFile.slot_id == row.slot_id
        )
    )
    row.version = (latest or 0) + 1
    row.status = FileStatus.READY
    row.key = final_key(ticket.key)
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
    _delete_quietly(storage, ticket.key)
    return row


def _delete_quietly(storage: Storage, key: str) -> None:
    try:
        storage.delete(key)
    except StorageError as error:
        current_app.logger.warning("could not delete %s now (gc will): %s", key, error)


def _reject(storage: Storage, ticket: TicketRecord, error: UploadRejected) -> UploadRejected:
    """A refusal answered in the request: the row and both objects go, the error says why."""
    record(
        "submission.file_rejected",
        event_id=ticket.event_id,
        submission_id=ticket.submission_id,
        reason=error.code,
        name=ticket.name,
    )
    _delete_quietly(storage, final_key(ticket.key))
    discard(storage, ticket)
    return error


def refuse(storage: Storage, ticket: TicketRecord, error: UploadRejected) -> None:
    """A refusal found in the background: the row stays, `rejected` with its reason, for
    the team to see; its objects go. It never had a version, so it never counted."""
    row = _locked_row(ticket.id)
    if row is None or row.status != FileStatus.VERIFYING:
        return  # settled by a parallel job: a ready file's copy must stay
    _delete_quietly(storage, final_key(ticket.key))
    _delete_quietly(storage, ticket.key)
    row.status = FileStatus.REJECTED
    row.rejected_reason = error.code
    row.version = None
    row.completed_at = utcnow()
    record(
        "submission.file_rejected",
        event_id=ticket.event_id,
        submission_id=ticket.submission_id,
        reason=error.code,
        name=ticket.name,
    )
    db.session.flush()


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


def _check_size(ticket: TicketRecord, size: int) -> UploadRejected | None:
    if size > ticket.max_bytes:
        return TooLarge(
            _l(
                "The file is larger than the %(limit)s allowed for “%(slot)s”.",
                limit=human_size(ticket.max_bytes),
                slot=ticket.slot_label,
            )
        )
    if size != ticket.size:
        return SizeMismatch()
    return None


def _check_type(
    storage: Storage, ticket: TicketRecord, key: str, info: ObjectInfo
) -> tuple[UploadRejected | None, str]:
    """The real type, from the first bytes (and a zip's directory, read from its end)."""
    head = storage.read_range(key, 0, HEAD_BYTES)
    detected = detect(head, lambda: zipfile.ZipFile(storage.open_range(key, info.size)).namelist())
    extension = extension_of(ticket.name)
    if extension not in ticket.extensions or not accepts(extension, detected):
        return WrongType(
            _l("The file's content is not a real %(ext)s file.", ext=extension.upper() or "?")
        ), detected
    return None, detected
