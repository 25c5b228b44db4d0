"""Notifications: what a person should know (a team request, a deadline, results), in
the app (the bell and /notifications) and by e-mail unless they turned that kind off.

The features above call `notify()` (`hackathon.notifications.services`) right where the
action happens, in its transaction. See docs/architecture.md, "Notifications".
"""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from hackathon.extensions import csrf
from hackathon.notifications import demo, rules
from hackathon.notifications.views import bp, personal, public  # noqa: F401  (routes)
from hackathon.registry import get_registry


def bell() -> dict:
    """`unread_notifications()` for the base layout's bell: one count query, made only
    when a page for a signed-in person shows the bell."""

    def unread_notifications() -> int:
        if current_user and current_user.is_authenticated:
            return rules.unread_count(current_user.id)
        return 0

    return {"unread_notifications": unread_notifications}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(bell)
    # Mail programs send the one-click unsubscribe POST without a session or a token: the
    # signed link is what allows it (RFC 8058).
    csrf.exempt(public.unsubscribe)
    get_registry(app).demo_steps.append(demo.build)
