"""`notify()`: what the features above call, right where the action happens, in its
transaction. It writes the in-app notification and, unless the person turned that kind
off, queues an e-mail in their language through the outbox: both commit or roll back
with the action. See docs/architecture.md, "Notifications".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy.dialects import postgresql, sqlite

from hackathon.accounts.services.links import mail_locale
from hackathon.extensions import db
from hackathon.mail import queue_mail
from hackathon.notifications import rules
from hackathon.notifications.models import Notification
from hackathon.notifications.services.links import absolute, link_to, unsubscribe_path


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def notify(
    user: Any,
    kind: str,
    *,
    event: Any = None,
    link: str,
    key: str | None = None,
    **params: Any,
) -> Notification | None:
    """Tell `user` about something: an in-app notification of `kind` linking to `link`
    (a path, see `link_to`), and an e-mail unless they turned `kind` off.

    `params` are plain values (names, counts, ISO times) the text is made from when it is
    shown; with an `event` its names and time zone are added. With a `key` it happens once:
    a second call with the same (user, key) does nothing and sends nothing (None). Flushes,
    never commits.
    """
    rules.get_kind(kind)  # an unknown kind is a programming error, before anything is written
    values = dict(params)
    if event is not None:
        values.setdefault("event", event.name)
        values.setdefault("event_en", event.name_en)
        values.setdefault("tz", event.timezone)
    json.dumps(values)  # plain values only: a model or a datetime fails here, not at commit
    row = {
        "user_id": user.id,
        "kind": kind,
        "event_id": event.id if event is not None else None,
        "params": values,
        "link": link,
        "key": key,
    }
    if key is None:
        notification = Notification(**row)
        db.session.add(notification)
        db.session.flush()
    else:
        # Once only, atomically: a row with this (user, key), even one written at the same
        # moment by another transaction, makes this insert do nothing.
        new_id = db.session.scalar(
            dialect_insert(Notification)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["user_id", "key"])
            .returning(Notification.id)
        )
        if new_id is None:
            return None
        notification = db.session.get_one(Notification, new_id)
    if user.email and not user.disabled and rules.wants_mail(user.id, kind):
        locale = mail_locale(user, event)
        mail = render_mail(notification, locale)
        queue_mail(
            user.email,
            mail.subject,
            mail.text,
            mail.html,
            kind=f"notification.{kind}",
            user_id=user.id,
            event_id=notification.event_id,
            headers=mail.headers,
            locale=locale,
        )
    return notification


def dialect_insert(model: Any) -> Any:
    """INSERT with ON CONFLICT for the database in use (both speak it): once-only rows
    without a savepoint, which would hand the transaction's jobs on before it commits."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def render_mail(notification: Notification, locale: str) -> Mail:
    """The e-mail of a notification in `locale`: subject, plain text and HTML (a template
    per kind in a shared layout), a link back and a one-click unsubscribe link."""
    with force_locale(locale):
        kind = rules.get_kind(notification.kind)
        params = notification.params or {}
        title = kind.title(params)
        event = rules.local(params, "event")
        unsubscribe = absolute(unsubscribe_path(notification.user_id, notification.kind))
        context = {
            "notification": notification,
            "params": params,
            "title": title,
            "text": kind.text(params),
            "event_name": event,
            "kind_label": str(kind.label),
            "link": absolute(link_to("notifications.follow", notification_id=notification.id)),
            "settings_link": absolute(link_to("notifications.settings")),
            "unsubscribe_link": unsubscribe,
            "locale": locale,
        }
        subject = f"{title} · {event}" if event else title
        text = render_template(f"mail/notifications/{notification.kind}.txt", **context)
        html = render_template(f"mail/notifications/{notification.kind}.html", **context)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    return Mail(subject, text, html, headers)
