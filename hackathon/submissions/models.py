"""Submissions, the event's file slots, and every uploaded file version."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import get_locale
from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.events.models import Event
from hackathon.extensions import Model
from hackathon.teams.models import Team

MB = 1024 * 1024


class FileSlot(Model):
    """A kind of file the event asks for, e.g. `slides` (pdf, pptx; 50 MB)."""

    __tablename__ = "file_slots"
    __table_args__ = (UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100))
    label_en: Mapped[str | None] = mapped_column(String(100))
    # Comma-separated lowercase extensions without dots, e.g. "pdf,pptx".
    extensions: Mapped[str] = mapped_column(String(200))
    max_bytes: Mapped[int] = mapped_column(BigInteger)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    @property
    def extension_list(self) -> list[str]:
        return [e for e in self.extensions.split(",") if e]

    @property
    def display_label(self) -> str:
        if self.label_en and str(get_locale()) == "en":
            return self.label_en
        return self.label


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Submission(Model):
    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("event_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    repo_url: Mapped[str] = mapped_column(String(500), default="")
    demo_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[SubmissionStatus] = mapped_column(String(12), default=SubmissionStatus.DRAFT)
    submitted_at: Mapped[datetime | None]
    # A per-team extension set by organizers: the team may edit until then.
    extended_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    team: Mapped[Team] = relationship()


class FileStatus(StrEnum):
    PENDING = "pending"  # a ticket was issued; the bytes may or may not have arrived
    VERIFYING = "verifying"  # completed; a job copies and checks it (large files)
    READY = "ready"  # verified by the app: it counts
    REJECTED = "rejected"  # its check failed (`rejected_reason`); it never counts


class SubmissionFile(Model):
    """One uploaded version of one slot; the newest ready version counts."""

    __tablename__ = "submission_files"
    __table_args__ = (UniqueConstraint("submission_id", "slot_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[str] = mapped_column(String(36), unique=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    slot_id: Mapped[int] = mapped_column(ForeignKey("file_slots.id", ondelete="CASCADE"))
    version: Mapped[int | None]
    status: Mapped[FileStatus] = mapped_column(String(10), default=FileStatus.PENDING)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    detected_type: Mapped[str] = mapped_column(String(20), default="")
    backend: Mapped[str] = mapped_column(String(10))
    # The ticket's key until the file is verified, then the final key it was copied to,
    # which no ticket can write (docs/uploads.md).
    key: Mapped[str] = mapped_column(String(300))
    multipart_id: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    # A file verified in the background: what arrived (the ETag the copy must match),
    # when its job was last asked for, how often, and why it was refused if it was.
    etag: Mapped[str | None] = mapped_column(String(100))
    verify_requested_at: Mapped[datetime | None]
    verify_attempts: Mapped[int] = mapped_column(default=0)
    rejected_reason: Mapped[str | None] = mapped_column(String(40))

    submission: Mapped[Submission] = relationship()
    slot: Mapped[FileSlot] = relationship()
    uploader: Mapped[User | None] = relationship()
