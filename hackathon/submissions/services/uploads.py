"""Uploads straight from the browser to storage: ticket, upload, complete (docs/architecture.md).

The app hands out a short-lived ticket for one key built from our own ids, and counts a
file only after it has checked what really arrived: its size, its real type, its SHA-256
and its time against the deadline. A refused upload leaves neither a row nor an object.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.errors import NotFound, ValidationFailed
from hackathon.extensions import db
from hackathon.i18n import human_size
from hackathon.storage import PartInfo, Storage, StorageError, StorageMissing, get_storage
from hackathon.submissions import rules
from hackathon.submissions.logic.filetypes import content_type_for, extension_of
from hackathon.submissions.models import MB, FileSlot, FileStatus, Submission, SubmissionFile
from hackathon.submissions.rules import QuotaExceeded, StorageUnavailable, TooLarge, WrongExtension
from hackathon.submissions.services.entries import check_open, quota_used

KEY_PREFIX = "events/"
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MAX_PARTS = 10_000  # S3's limit per multipart upload
MAX_PRESIGN_BATCH = 100

T = TypeVar("T")


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


def part_bytes(size: int, number: int) -> int:
    """The size of part `number` of a file: the part size, less for the last one."""
    part_size = part_size_for(size)
    return min(part_size, size - (number - 1) * part_size)


def ticket_lifetime(deadline: datetime, now: datetime) -> int:
    """Seconds a ticket or part URL lives: minutes at most, and never past the deadline."""
    return max(1, min(ticket_seconds(), int((deadline - now).total_seconds())))


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
    raw = raw if isinstance(raw, str) else ""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name or name in {".", ".."} or len(name) > 255:
        raise ValidationFailed(fields={"filename": str(_l("Give the file's name."))})
    return name


def _slot(submission: Submission, key: Any) -> FileSlot:
    slot = None
    if isinstance(key, str):  # a list or an object in the JSON would reach the SQL driver
        slot = db.session.scalar(
            select(FileSlot).where(FileSlot.event_id == submission.event_id, FileSlot.key == key)
        )
    if slot is None:
        raise ValidationFailed(fields={"slot": str(_l("This event has no such file slot."))})
    return slot


def _check_declared(slot: FileSlot, filename: str, size: Any, sha256: Any) -> tuple[int, str]:
    if extension_of(filename) not in slot.extension_list:
        raise WrongExtension(
            _l(
                "“%(slot)s” accepts only these file types: %(types)s.",
                slot=slot.display_label,
                types=", ".join(slot.extension_list),
            )
        )
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValidationFailed(fields={"size": str(_l("The file is empty."))})
    if size > slot.max_bytes:
        raise TooLarge(
            _l(
                "The file is larger than the %(limit)s allowed for “%(slot)s”.",
                limit=human_size(slot.max_bytes),
                slot=slot.display_label,
            )
        )
    digest = str(sha256 or "").lower()
    if not SHA256_RE.match(digest):
        raise ValidationFailed(fields={"sha256": str(_l("Give the file's SHA-256 in hex."))})
    return size, digest


def quota_error(submission: Submission) -> QuotaExceeded:
    limit = human_size(submission.event.team_quota_bytes)
    return QuotaExceeded(
        _l("This file would take your team over its storage quota of %(limit)s.", limit=limit)
    )


def _reserved(submission_id: int, now: datetime, exclude: int | None = None) -> int:
    """Bytes of tickets still in flight and of files being verified: parallel uploads
    cannot overrun the quota."""
    in_flight = (SubmissionFile.status == FileStatus.PENDING) & (SubmissionFile.expires_at > now)
    query = select(func.coalesce(func.sum(SubmissionFile.size), 0)).where(
        SubmissionFile.submission_id == submission_id,
        in_flight | (SubmissionFile.status == FileStatus.VERIFYING),
    )
    if exclude is not None:
        query = query.where(SubmissionFile.id != exclude)
    return db.session.scalar(query) or 0


def _storage_call(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return call(*args, **kwargs)
    except StorageError as error:
        current_app.logger.warning("storage unavailable: %s", error)
        raise StorageUnavailable() from error


def request_upload(
    submission_id: int, user: User, slot_key: Any, filename: Any, size: Any, sha256: Any
) -> Ticket:
    """Issue a ticket for one file: never past the deadline, within the slot and the quota."""
    submission = rules.member_submission(user, submission_id)
    now = utcnow()
    deadline = check_open(submission, now)
    slot = _slot(submission, slot_key)
    name = clean_filename(filename)
    size, digest = _check_declared(slot, name, size, sha256)
    storage = get_storage()
    expires_in = ticket_lifetime(deadline, now)
    if size > multipart_threshold():
        resumable = _resumable(submission, slot, name, size, digest, now)
        if resumable is not None:
            return _multipart_ticket(resumable, now, expires_in, resumed=True)
    if quota_used(submission.id, slot.id) + _reserved(submission.id, now) + size > (
        submission.event.team_quota_bytes
    ):
        raise quota_error(submission)
    upload_id = str(uuid.uuid4())
    key = object_key(submission, slot, upload_id)
    content_type = content_type_for(extension_of(name))
    ids = {"submission_id": submission.id, "slot_id": slot.id, "uploaded_by": user.id}
    release_connection()
    multipart_id = None
    if size > multipart_threshold():
        multipart_id = _storage_call(storage.create_multipart, key, content_type)
    else:
        _storage_call(storage.check)  # fail now, not after the browser sent the bytes
    row = SubmissionFile(
        upload_id=upload_id,
        **ids,
        status=FileStatus.PENDING,
        original_name=name,
        size=size,
        sha256=digest,
        content_type=content_type,
        detected_type="",
        backend=storage.name,
        key=key,
        multipart_id=multipart_id,
        expires_at=now + timedelta(seconds=expires_in),
    )
    db.session.add(row)
    db.session.flush()
    if multipart_id is not None:
        return _multipart_ticket(row, now, expires_in)
    post = storage.presigned_post(key, content_type, size, expires_in, sha256=digest)
    return Ticket(row, "POST", post.url, row.expires_at, fields=post.fields)


def _resumable(
    submission: Submission, slot: FileSlot, name: str, size: int, digest: str, now: datetime
) -> SubmissionFile | None:
    """The same file's unfinished multipart upload, so a dropped connection resumes."""
    return db.session.scalar(
        select(SubmissionFile)
        .where(
            SubmissionFile.submission_id == submission.id,
            SubmissionFile.slot_id == slot.id,
            SubmissionFile.status == FileStatus.PENDING,
            SubmissionFile.multipart_id.is_not(None),
            SubmissionFile.original_name == name,
            SubmissionFile.size == size,
            SubmissionFile.sha256 == digest,
            SubmissionFile.expires_at > now,
        )
        .order_by(SubmissionFile.id.desc())
        .limit(1)
    )


def _multipart_ticket(
    row: SubmissionFile, now: datetime, expires_in: int, resumed: bool = False
) -> Ticket:
    row.expires_at = max(row.expires_at, now + timedelta(seconds=expires_in))
    db.session.flush()
    return Ticket(
        row,
        "PUT",
        "",
        row.expires_at,
        multipart=True,
        part_size=part_size_for(row.size),
        part_count=part_count(row.size),
        resumed=resumed,
    )


def _pending_multipart(upload_id: str, user: User) -> SubmissionFile:
    row = rules.member_upload(user, upload_id)
    if row.status != FileStatus.PENDING or not row.multipart_id:
        raise NotFound()
    return row


def presign_parts(
    upload_id: str, user: User, numbers: Any
) -> tuple[list[tuple[int, str]], datetime]:
    """Signed URLs for some parts; asking again keeps a slow upload alive until the deadline."""
    row = _pending_multipart(upload_id, user)
    now = utcnow()
    deadline = check_open(row.submission, now)
    count = part_count(row.size)
    if (
        not isinstance(numbers, list)
        or not 0 < len(numbers) <= MAX_PRESIGN_BATCH
        or not all(isinstance(n, int) and 1 <= n <= count for n in numbers)
    ):
        raise ValidationFailed(
            fields={
                "part_numbers": str(
                    _l(
                        "Ask for 1 to %(max)d part numbers between 1 and %(count)d.",
                        max=MAX_PRESIGN_BATCH,
                        count=count,
                    )
                )
            }
        )
    expires_in = ticket_lifetime(deadline, now)
    row.expires_at = max(row.expires_at, now + timedelta(seconds=expires_in))
    storage, key_id = get_storage(), row.multipart_id or ""
    urls = [
        (n, storage.presign_part(row.key, key_id, n, expires_in, size=part_bytes(row.size, n)))
        for n in sorted(set(numbers))
    ]
    db.session.flush()
    return urls, row.expires_at


def uploaded_parts(upload_id: str, user: User) -> tuple[SubmissionFile, list[PartInfo]]:
    """Parts storage already holds, so a resumed upload sends only the rest."""
    row = _pending_multipart(upload_id, user)
    key, multipart_id = row.key, row.multipart_id or ""
    try:
        return row, get_storage().list_parts(key, multipart_id)
    except StorageMissing:
        raise NotFound() from None
    except StorageError as error:
        raise StorageUnavailable() from error


def cancel_upload(upload_id: str, user: User) -> None:
    """Drop an unfinished upload: its parts or object, then its row."""
    row = rules.member_upload(user, upload_id)
    if row.status != FileStatus.PENDING:
        raise NotFound()
    ticket = TicketRecord.of(row)
    release_connection()
    discard(get_storage(), ticket)


@dataclass(frozen=True)
class TicketRecord:
    """What the slow storage work needs to know about a ticket, read once."""

    id: int
    event_id: int
    submission_id: int
    key: str
    multipart_id: str | None
    name: str
    size: int
    sha256: str
    extensions: tuple[str, ...]
    max_bytes: int
    slot_label: str

    @classmethod
    def of(cls, row: SubmissionFile) -> TicketRecord:
        return cls(
            row.id,
            row.submission.event_id,
            row.submission_id,
            row.key,
            row.multipart_id,
            row.original_name,
            row.size,
            row.sha256,
            tuple(row.slot.extension_list),
            row.slot.max_bytes,
            row.slot.display_label,
        )


def release_connection() -> None:
    """End the read-only transaction before slow storage I/O, so no pooled connection (nor
    SQLite's lock) is held while bytes stream; what is written later is read again first."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("unsaved changes before storage I/O")
    session.rollback()


def discard(storage: Storage, ticket: TicketRecord) -> None:
    """Remove a ticket's object and row; a storage hiccup leaves an orphan for `storage gc`."""
    try:
        if ticket.multipart_id:
            storage.abort_multipart(ticket.key, ticket.multipart_id)
        storage.delete(ticket.key)
    except StorageError as error:
        current_app.logger.warning("could not delete %s now (gc will): %s", ticket.key, error)
    # A bulk delete: another request may have removed the row already.
    db.session.execute(
        delete(SubmissionFile).where(SubmissionFile.id == ticket.id),
        execution_options={"synchronize_session": "fetch"},
    )
    db.session.flush()
