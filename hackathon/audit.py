"""An append-only record of what organizers and the system changed, and who did it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hackathon.db import utcnow
from hackathon.extensions import Model, db


class AuditEntry(Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32), default="")
    subject_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    request_id: Mapped[str] = mapped_column(String(36), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def request_id() -> str:
    """One id per request (or per command), shared by every audit row it writes."""
    if has_request_context():
        if "request_id" not in g:
            g.request_id = str(uuid.uuid4())
        return g.request_id
    return _cli_request_id


_cli_request_id = str(uuid.uuid4())


def actor_id() -> int | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def record(
    action: str,
    *,
    event_id: int | None = None,
    subject: Any = None,
    actor: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Append one entry in the current transaction (flushed with the change it records)."""
    entry = AuditEntry(
        event_id=event_id,
        actor_id=actor if actor is not None else actor_id(),
        action=action,
        subject_type=type(subject).__tablename__ if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        details=details,
        request_id=request_id(),
    )
    db.session.add(entry)
    return entry
