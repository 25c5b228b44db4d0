"""The outbox: every e-mail the platform sends, written in the transaction of the action
that causes it, and its delivery."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hackathon.db import utcnow
from hackathon.extensions import Model


class MailStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (or to be tried again)
    SENDING = "sending"  # claimed by a sender; back to pending if its claim runs out
    SENT = "sent"  # the mail server accepted it
    FAILED = "failed"  # refused for good, or out of attempts


STATUS_LABELS = {
    MailStatus.PENDING: _l("Waiting to be sent"),
    MailStatus.SENDING: _l("Being sent"),
    MailStatus.SENT: _l("Sent"),
    MailStatus.FAILED: _l("Not delivered"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS[MailStatus(status)])


class OutboxMessage(Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(String(300))
    # The language the message is written in (its reader's): pages that show it say so.
    locale: Mapped[str] = mapped_column(String(5), default="")
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Our Message-ID, fixed before the first attempt: a retry sends the same message.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[MailStatus] = mapped_column(String(10), default=MailStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
