"""E-mail through an outbox: never lost, never sent for an action that rolled back.

`queue_mail(...)` writes the message to the `outbox` table in the current transaction,
so it exists exactly when the action that caused it committed. After the commit a
background job (`mail.deliver`) sends it; with no `MAIL_URL` (development) messages stay
in the outbox, where admins read them at /admin/mail.

Sending claims the row first (pending → sending, in its own commit), talks to the server,
then records sent, or the error with the next attempt after a growing pause (1, 2, 4 …
minutes, up to `MAIL_MAX_ATTEMPTS`); a refusal that no retry can change fails at once.
`mail send` and the periodic `mail.retry` job deliver what is pending.

Never twice: a message is claimed before it is sent, so two senders never send the same
row, and its Message-ID is fixed when it is written, so every attempt is the same
message. What remains: if the process dies after the server accepted the message and
before "sent" is recorded, the row stays `sending`; when its claim runs out (10 minutes)
it is sent again with the same Message-ID, which mail clients show once. Everything else
is at most once per acceptance by the server.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from hackathon.mail.cli import mail_cli
from hackathon.mail.models import MailStatus, OutboxMessage, status_label
from hackathon.mail.outbox import deliver, deliver_pending, queue_mail, retry_due
from hackathon.registry import PeriodicJob, get_registry

RETRY_EVERY = timedelta(minutes=1)


def init_app(app: Flask) -> None:
    registry = get_registry(app)
    registry.jobs["mail.deliver"] = deliver
    registry.periodic.append(PeriodicJob("mail.retry", RETRY_EVERY, retry_due))
    app.cli.add_command(mail_cli)
    app.jinja_env.globals["mail_status_label"] = status_label


__all__ = ["MailStatus", "OutboxMessage", "deliver", "deliver_pending", "queue_mail"]
