"""What a person does with their notifications: read them (one, or all at once), and
choose which kinds also come by e-mail (on the settings page, or with the one-click
link in every notification e-mail)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.notifications.models import MailSetting, Notification
from hackathon.notifications.rules import get_kind
from hackathon.notifications.services.notify import dialect_insert


def recent(user_id: int, page: int = 1, per_page: int = 30) -> tuple[list[Notification], bool]:
    """A page of the person's notifications, newest first, and whether older ones follow."""
    page = max(page, 1)
    rows = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page + 1)
        )
    )
    return rows[:per_page], len(rows) > per_page


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user_id: int) -> int:
    """Every unread notification of the person read now; how many there were."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return int(cast("CursorResult[Any]", result).rowcount or 0)  # an UPDATE's result


def set_mail(user_id: int, kind: str, email: bool) -> None:
    """Turn one kind of e-mail on or off for the person (the app keeps showing it)."""
    get_kind(kind)
    db.session.execute(
        dialect_insert(MailSetting)
        .values(user_id=user_id, kind=kind, email=email)
        .on_conflict_do_update(index_elements=["user_id", "kind"], set_={"email": email})
    )


def set_mail_settings(user_id: int, values: Mapping[str, bool]) -> None:
    for kind, email in values.items():
        set_mail(user_id, kind, email)
