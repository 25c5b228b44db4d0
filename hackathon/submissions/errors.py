"""Why a submission or an upload was refused; each message is shown to the team."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hackathon.errors import Conflict, DomainError, PhaseClosed, ValidationFailed


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


class SizeMismatch(UploadRejected):
    code = "size_mismatch"
    message = _l("The file that arrived does not have the announced size. Please upload it again.")


class WrongType(UploadRejected):
    code = "wrong_type"


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
