"""Who may see and who may change a submission (others get 404)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, select

from hackathon.accounts.rules import Viewer
from hackathon.errors import Conflict, DomainError, NotFound, PhaseClosed, ValidationFailed
from hackathon.extensions import db
from hackathon.registry import StoredObject
from hackathon.submissions.models import FileStatus, Submission, SubmissionFile
from hackathon.teams.rules import can_view_team, is_member


def can_view(user: Viewer, submission: Submission) -> bool:
    """Whoever may see the team (both have the same readers): members, its
    mentors and its company's mentors and reps, judges assigned to it while they are judges
    of the event, and organizers."""
    return can_view_team(user, submission.team)


def can_edit(user: Viewer, submission: Submission) -> bool:
    """Only the team's members change its submission (and only while it is open)."""
    return is_member(user, submission.team)


def visible_submission(user: Viewer, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_view(user, submission):
        raise NotFound()
    return submission


def member_submission(user: Viewer, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_edit(user, submission):
        raise NotFound()
    return submission


def member_upload(user: Viewer, upload_id: str) -> SubmissionFile:
    """A ticket of the user's own team; anyone else's is 'not found'."""
    row = db.session.scalar(select(SubmissionFile).where(SubmissionFile.upload_id == upload_id))
    if row is None or not can_edit(user, row.submission):
        raise NotFound()
    return row


def downloadable_file(user: Viewer, file_id: int) -> SubmissionFile:
    """A ready file the user may download; pending uploads and strangers get 404."""
    row = db.session.get(SubmissionFile, file_id)
    if row is None or row.status != FileStatus.READY or not can_view(user, row.submission):
        raise NotFound()
    return row


# Why a submission or an upload was refused; each message is shown to the team.


class NotOpenYet(PhaseClosed):
    code = "submissions_not_open"
    message = _l("Submissions are not open yet.")


class DeadlinePassed(PhaseClosed):
    code = "deadline_passed"
    message = _l("The submission deadline has passed; nothing can be changed any more.")


class StorageUnavailable(DomainError):
    code = "storage_unavailable"
    status = 503
    message = _l("File storage cannot be reached right now. Nothing was saved; please try again.")


class NotReadyToSubmit(ValidationFailed):
    code = "not_ready"
    message = _l("Give a title and upload every required file before submitting.")


class SlotInUse(Conflict):
    code = "slot_in_use"
    message = _l("Files were uploaded to this slot, so it cannot be removed.")


class UploadIncomplete(Conflict):
    code = "parts_missing"
    message = _l("Some parts of the file have not arrived yet; resume the upload.")


class UploadRejected(DomainError):
    """The upload was refused; a ticket's row and object are gone when this is raised."""

    code = "upload_rejected"
    status = 422
    message = _l("The file was refused.")


class WrongExtension(UploadRejected):
    code = "wrong_extension"


class TooLarge(UploadRejected):
    code = "too_large"
    message = _l("The file is larger than its slot allows.")


class SizeMismatch(UploadRejected):
    code = "size_mismatch"
    message = _l("The file that arrived does not have the announced size. Please upload it again.")


class WrongType(UploadRejected):
    code = "wrong_type"
    message = _l("The file's content does not match its file type.")


class ChecksumMismatch(UploadRejected):
    code = "checksum_mismatch"
    message = _l(
        "The file that arrived differs from the one you chose (SHA-256 mismatch). "
        "Please upload it again."
    )


class NotUploaded(UploadRejected):
    code = "not_uploaded"
    status = 409
    message = _l("The file never arrived in storage. Please upload it again.")


class LateUpload(UploadRejected):
    code = "deadline_passed"
    status = 409
    message = _l("The file arrived after the deadline and was not accepted.")


class QuotaExceeded(UploadRejected):
    code = "quota_exceeded"
    status = 409
    message = _l("This file would take your team over its storage quota.")


class ChangedAfterComplete(UploadRejected):
    code = "changed_after_complete"
    status = 409
    message = _l(
        "The file in storage changed after the upload was completed. Please upload it again."
    )


class VerifyFailed(UploadRejected):
    code = "verify_failed"
    status = 503
    message = _l("The file could not be checked, even after several tries. Please upload it again.")


def rejection(code: str | None) -> UploadRejected:
    """The refusal a rejected file's stored reason stands for, in the reader's language."""
    kinds: list[type[UploadRejected]] = [UploadRejected]
    while len(kinds) < 100:
        more = [k for kind in kinds for k in kind.__subclasses__() if k not in kinds]
        if not more:
            break
        kinds.extend(more)
    for kind in kinds:
        if kind.code == code:
            return kind()
    return UploadRejected()


def teams_with_submission(team_ids: Sequence[int]) -> set[int]:
    """The teams among `team_ids` that have a submission: they keep their last member and
    are never deleted."""
    if not team_ids:
        return set()
    return set(
        db.session.scalars(select(Submission.team_id).where(Submission.team_id.in_(team_ids)))
    )


def stored_objects(connection: Connection) -> Iterator[StoredObject]:
    """Every verified file version, as the backup's storage manifest lists it (unfinished
    uploads are left to `storage gc`, not to a backup), read through `connection`."""
    rows = connection.execute(
        select(SubmissionFile.key, SubmissionFile.size, SubmissionFile.sha256)
        .where(SubmissionFile.status == FileStatus.READY)
        .order_by(SubmissionFile.id)
        .execution_options(yield_per=1000)
    )
    for key, size, sha256 in rows:
        yield StoredObject(key, size, sha256)
