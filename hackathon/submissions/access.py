"""Who may see and who may change a submission (DESIGN section 7: others get 404)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hackathon.errors import NotFound
from hackathon.extensions import db
from hackathon.submissions.models import FileStatus, Submission, SubmissionFile
from hackathon.teams.access import can_view_team
from hackathon.teams.services import is_member


def can_view(user: Any, submission: Submission) -> bool:
    """Whoever may see the team (DESIGN section 5 gives both the same readers): members, its
    mentors and its company's mentors and reps, judges assigned to it while they are judges
    of the event, and organizers."""
    return can_view_team(user, submission.team)


def can_edit(user: Any, submission: Submission) -> bool:
    """Only the team's members change its submission (and only while it is open)."""
    return is_member(user, submission.team)


def visible_submission(user: Any, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_view(user, submission):
        raise NotFound()
    return submission


def member_submission(user: Any, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_edit(user, submission):
        raise NotFound()
    return submission


def member_upload(user: Any, upload_id: str) -> SubmissionFile:
    """A ticket of the user's own team; anyone else's is 'not found'."""
    row = db.session.scalar(select(SubmissionFile).where(SubmissionFile.upload_id == upload_id))
    if row is None or not can_edit(user, row.submission):
        raise NotFound()
    return row


def downloadable_file(user: Any, file_id: int) -> SubmissionFile:
    """A ready file the user may download; pending uploads and strangers get 404."""
    row = db.session.get(SubmissionFile, file_id)
    if row is None or row.status != FileStatus.READY or not can_view(user, row.submission):
        raise NotFound()
    return row
