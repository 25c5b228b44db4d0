"""What the notifications feature does: `notify` (for the features above it), and what a
person does with their notifications and e-mail settings."""

from hackathon.notifications.services.inbox import (
    mark_all_read,
    mark_read,
    recent,
    set_mail,
    set_mail_settings,
)
from hackathon.notifications.services.links import (
    absolute,
    link_to,
    unsubscribe_path,
    unsubscribe_target,
    unsubscribe_token,
)
from hackathon.notifications.services.notify import Mail, mail_locale, notify, render_mail

__all__ = [
    "Mail",
    "absolute",
    "link_to",
    "mail_locale",
    "mark_all_read",
    "mark_read",
    "notify",
    "recent",
    "render_mail",
    "set_mail",
    "set_mail_settings",
    "unsubscribe_path",
    "unsubscribe_target",
    "unsubscribe_token",
]
