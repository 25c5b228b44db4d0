"""Notifications shown in the app (the bell) and the kinds a person gets by e-mail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hackathon.db import utcnow
from hackathon.extensions import Model


class Notification(Model):
    """One thing a person should know. Its text is made when it is shown, from `kind` and
    `params`, so it reads in the language of whoever looks."""

    __tablename__ = "notifications"
    # `key` makes a notification happen once (e.g. a deadline reminder per team).
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(500), default="")
    key: Mapped[str | None] = mapped_column(String(120))
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class MailSetting(Model):
    """A kind of notification a person turned off (or back on) for e-mail."""

    __tablename__ = "notification_mail_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[bool] = mapped_column(default=True)
