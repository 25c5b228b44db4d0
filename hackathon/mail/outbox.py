"""Writing to the outbox and delivering from it. See the package docstring."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any, cast

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import CursorResult, or_, select, update

from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.jobs import queue as jobs
from hackathon.mail import smtp
from hackathon.mail.models import MailStatus, OutboxMessage

log = logging.getLogger(__name__)
CLAIM = timedelta(minutes=10)


def queue_mail(
    to: str,
    subject: str,
    text: str,
    html: str = "",
    *,
    kind: str,
    user_id: int | None = None,
    event_id: int | None = None,
    headers: dict[str, str] | None = None,
    locale: str | None = None,
) -> OutboxMessage:
    """Write one message to the outbox, in the current transaction; it is sent after the
    transaction commits (when a mail server is configured)."""
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    message = OutboxMessage(
        kind=kind,
        to_address=to,
        to_user_id=user_id,
        event_id=event_id,
        subject=subject.replace("\r", " ").replace("\n", " ")[:300],
        # The language it is written in (its reader's), else the one it is written under.
        locale=locale or str(get_locale() or ""),
        text_body=text,
        html_body=html,
        headers=dict(headers or {}),
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
        status=MailStatus.PENDING,
    )
    db.session.add(message)
    db.session.flush()
    log.info("mail %s (%s) queued for %s", message.id, kind, to)
    if current_app.config["MAIL_URL"]:
        jobs.enqueue("mail.deliver", message.id)
    return message


def build(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email["Date"] = format_datetime(message.created_at)
    for name, value in message.headers.items():
        email[name] = value
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    return email


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 240))


def deliver(message_id: int) -> bool:
    """Send one pending message now; True when the server accepted it."""
    config = current_app.config
    if not config["MAIL_URL"]:
        return False
    now = utcnow()
    claimed = db.session.execute(  # an UPDATE's result has a rowcount
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == MailStatus.PENDING)
        .values(
            status=MailStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            claimed_until=now + CLAIM,
        )
    )
    db.session.commit()
    if not cast("CursorResult[Any]", claimed).rowcount:
        return False  # sent, failed, or claimed by another sender meanwhile
    message = db.session.get(OutboxMessage, message_id)
    assert message is not None
    try:
        smtp.send(
            smtp.Server.parse(config["MAIL_URL"]),
            build(message, config["MAIL_FROM"]),
            timeout=config["MAIL_TIMEOUT_SECONDS"],
        )
    # Anything that stops the send (the server, a bad MAIL_URL, a message that will not
    # build) is recorded on the row and counts as an attempt: nothing is left claimed.
    except Exception as error:
        final = smtp.permanent(error) or message.attempts >= config["MAIL_MAX_ATTEMPTS"]
        message.status = MailStatus.FAILED if final else MailStatus.PENDING
        message.next_attempt_at = None if final else utcnow() + backoff(message.attempts)
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.claimed_until = None
        db.session.commit()
        log.warning("mail %s to %s not sent: %s", message.id, message.to_address, error)
        return False
    message.status = MailStatus.SENT
    message.sent_at = utcnow()
    message.claimed_until = None
    message.last_error = ""
    db.session.commit()
    log.info("mail %s (%s) sent to %s", message.id, message.kind, message.to_address)
    return True


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} not sent"


def deliver_pending(now: datetime | None = None, *, due_only: bool = True) -> Delivery:
    """Send what is pending (only what is due for another attempt, unless `due_only` is
    False); a claim that ran out (its sender died) is pending again."""
    now = now or utcnow()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.claimed_until < now)
        .values(status=MailStatus.PENDING, claimed_until=None)
    )
    query = select(OutboxMessage.id).where(OutboxMessage.status == MailStatus.PENDING)
    if due_only:
        query = query.where(
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
        )
    ids: Iterable[int] = list(db.session.scalars(query.order_by(OutboxMessage.id)))
    db.session.commit()
    result = Delivery()
    for message_id in ids:
        if deliver(message_id):
            result.sent += 1
        else:
            result.failed += 1
    return result


def retry_due(now: datetime) -> None:
    """The periodic job: try again what is due."""
    if current_app.config["MAIL_URL"]:
        deliver_pending(now)
