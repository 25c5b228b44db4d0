"""Signing in (the login manager), safe `next` targets, and admin-only pages. Who the
signed-in person is, as a type, is the accounts feature's (`accounts/rules.py`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeGuard
from urllib.parse import unquote, urlsplit

from flask import Flask, abort, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hackathon.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    # Session protection would log people out when their network changes (phones at a
    # venue); the per-user session version is what ends old cookies.
    login_manager.session_protection = None
    app.context_processor(lambda: {"current_page": current_page})

    @login_manager.unauthorized_handler
    def unauthorized() -> ResponseReturnValue:
        from flask import flash, redirect, url_for

        if request.path.startswith("/api/"):
            abort(401)
        flash(str(login_manager.login_message), "info")
        return redirect(url_for("accounts.login", next=current_page() or None))


def current_page() -> str:
    """This page's path and query, to come back to after signing in or switching language;
    empty when the request cannot be repeated as a GET (a form's POST target)."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    if request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return request.path
    return ""


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only a path on this site: no scheme, no host, no protocol-relative tricks.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so a
    path with either could turn into `//evil.example`: such targets are refused.
    """
    if not target or len(target) > 2000:
        return False
    # The decoded form too: a proxy or a later redirect may decode `%2F` and `%5C`.
    for form in (target, unquote(target)):
        if not form.startswith("/") or form.startswith("//"):
            return False
        if "\\" in form or any(ord(ch) < 32 or ord(ch) == 127 for ch in form):
            return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        # Everyone else, signed in or not, sees no sign that these pages exist.
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapped
