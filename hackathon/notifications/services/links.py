"""Links in notifications: paths to our pages built inside a request or not (a job, a
command), absolute addresses for mail, and the signed one-click unsubscribe link."""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from hackathon.errors import NotFound
from hackathon.notifications.rules import KINDS

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def link_to(endpoint: str, **values: Any) -> str:
    """The path of one of our pages (`/events/x/teams/3`): what a notification stores.

    Built from the URL map alone, so it needs no request and no SERVER_NAME."""
    path: str = current_app.url_map.bind("localhost").build(endpoint, values)
    return path


def absolute(path: str) -> str:
    """A full address for mail, always from PUBLIC_URL: the Host header is the client's to
    set, and a forged one must not put our links on another site."""
    return str(current_app.config["PUBLIC_URL"]).rstrip("/") + path


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, kind: str) -> str:
    """Signed (user, kind): whoever holds it may turn that kind of e-mail off for that
    person, without signing in. It does nothing else, so it need not expire."""
    return _serializer().dumps([user_id, kind])


def unsubscribe_target(token: str) -> tuple[int, str]:
    """The (user id, kind) a token names; a tampered or unknown token is not found."""
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        raise NotFound() from None
    if not isinstance(user_id, int) or kind not in KINDS:
        raise NotFound()
    return user_id, kind


def unsubscribe_path(user_id: int, kind: str) -> str:
    return link_to("notifications.unsubscribe", token=unsubscribe_token(user_id, kind))
