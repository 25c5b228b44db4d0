"""Files left `verifying` by a job that failed or a worker that died are asked for again.

`resume_verifying` runs once a minute (a periodic job) and from `storage gc`: a file whose
job was asked for more than `UPLOAD_VERIFY_RETRY_SECONDS` ago (longer than any job may
run) gets a new job, up to `UPLOAD_VERIFY_ATTEMPTS` in all; after that it is rejected
(`verify_failed`), so no file waits for ever. A job that runs twice does the work once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from hackathon.extensions import db
from hackathon.jobs import enqueue
from hackathon.storage import get_storage
from hackathon.submissions.models import FileStatus, SubmissionFile
from hackathon.submissions.rules import VerifyFailed
from hackathon.submissions.services.complete import VERIFY_JOB, refuse
from hackathon.submissions.services.uploads import TicketRecord

RESUME_EVERY = timedelta(minutes=1)


def retry_after() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("UPLOAD_VERIFY_RETRY_SECONDS", 900)))


def max_attempts() -> int:
    return int(current_app.config.get("UPLOAD_VERIFY_ATTEMPTS", 5))


def resume_verifying(now: datetime) -> tuple[int, int]:
    """Ask again for the jobs of files verifying too long; (asked again, given up)."""
    stuck = db.session.scalars(
        select(SubmissionFile)
        .where(
            SubmissionFile.status == FileStatus.VERIFYING,
            SubmissionFile.verify_requested_at < now - retry_after(),
        )
        .order_by(SubmissionFile.id)
        .with_for_update(skip_locked=True)
    ).all()
    asked, given_up = 0, 0
    for row in stuck:
        if row.verify_attempts >= max_attempts():
            refuse(get_storage(), TicketRecord.of(row), VerifyFailed())
            given_up += 1
            continue
        row.verify_attempts += 1
        row.verify_requested_at = now
        enqueue(VERIFY_JOB, row.id)
        asked += 1
    db.session.flush()
    if asked or given_up:
        current_app.logger.warning(
            "uploads left verifying: %d asked again, %d given up", asked, given_up
        )
    return asked, given_up


def resume_verifying_job(now: datetime) -> None:
    resume_verifying(now)
