"""Clean up what uploads leave behind: tickets never completed, objects with no row, and
files left verifying by a job that died (asked for again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.storage import Storage, StorageError
from hackathon.submissions.models import FileStatus, SubmissionFile
from hackathon.submissions.services.complete import final_key
from hackathon.submissions.services.uploads import KEY_PREFIX
from hackathon.submissions.services.verifying import resume_verifying


@dataclass
class GcReport:
    expired_tickets: int = 0
    orphan_objects: int = 0
    orphan_multiparts: int = 0
    verifications_resumed: int = 0
    verifications_given_up: int = 0
    errors: int = 0

    def __str__(self) -> str:
        return (
            f"expired tickets removed: {self.expired_tickets}, "
            f"orphan objects removed: {self.orphan_objects}, "
            f"orphan multipart uploads aborted: {self.orphan_multiparts}, "
            f"verifications asked again: {self.verifications_resumed}, "
            f"given up: {self.verifications_given_up}, "
            f"errors: {self.errors}"
        )


def collect_garbage(storage: Storage, older_than: timedelta, dry_run: bool = False) -> GcReport:
    """Remove tickets expired for longer than `older_than` with their bytes, then any object
    or multipart upload under our prefix that no row knows and that is at least as old."""
    report = GcReport()
    now = utcnow()
    cutoff = now - older_than
    if not dry_run:
        # Files a dead job left verifying get a new job (or, after its tries, a refusal).
        report.verifications_resumed, report.verifications_given_up = resume_verifying(now)
    expired = db.session.scalars(
        select(SubmissionFile).where(
            SubmissionFile.status == FileStatus.PENDING, SubmissionFile.expires_at < cutoff
        )
    ).all()
    for row in expired:
        report.expired_tickets += 1
        if dry_run:
            continue
        try:
            if row.multipart_id:
                storage.abort_multipart(row.key, row.multipart_id)
            storage.delete(row.key)
        except StorageError as error:
            report.errors += 1
            current_app.logger.warning("gc: keeping %s for now: %s", row.key, error)
            continue
        db.session.delete(row)
    db.session.flush()
    known_keys = set(db.session.scalars(select(SubmissionFile.key)))
    # A verifying file's copy may already be at its final key, before its row says so.
    known_keys |= {
        final_key(key)
        for key in db.session.scalars(
            select(SubmissionFile.key).where(SubmissionFile.status == FileStatus.VERIFYING)
        )
    }
    known_multiparts = set(
        db.session.scalars(
            select(SubmissionFile.multipart_id).where(SubmissionFile.multipart_id.is_not(None))
        )
    )
    for item in storage.list_objects(KEY_PREFIX):
        if item.key not in known_keys and item.last_modified < cutoff:
            report.orphan_objects += 1
            if not dry_run:
                storage.delete(item.key)
    for upload in storage.list_multiparts(KEY_PREFIX):
        started_long_ago = upload.initiated is None or upload.initiated < cutoff
        if upload.multipart_id not in known_multiparts and started_long_ago:
            report.orphan_multiparts += 1
            if not dry_run:
                storage.abort_multipart(upload.key, upload.multipart_id)
    return report
