"""The accounts feature's pages: `sessions` (sign-in, sign-up, profile, language) and
`links` (the pages behind mailed links, and asking for them). Here: the blueprint and
what both share, starting a session and the sign-in rate limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, request, session
from flask_login import login_user

from hackathon.accounts.services import normalize_email
from hackathon.extensions import limiter
from hackathon.i18n import LANGUAGES

bp = Blueprint("accounts", __name__)


def email_key() -> str:
    """The account a form is about, by the address typed in it (case and spaces aside)."""
    return "account:" + normalize_email(request.form.get("email", ""))


def limited_like_sign_in(
    account_key: Callable[[], str], *, deduct_when: Callable[[Any], bool] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The sign-in limits on a form's POST: LOGIN_LIMIT_PER_ADDRESS per client address and
    LOGIN_LIMIT_PER_ACCOUNT per account (`account_key` says which), each route counted on
    its own; `deduct_when` picks the responses that count (all of them, unless given)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        per_account = limiter.limit(
            lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
            methods=["POST"],
            key_func=account_key,
            deduct_when=deduct_when,
        )
        per_address = limiter.limit(
            lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
            methods=["POST"],
            deduct_when=deduct_when,
        )
        return per_address(per_account(view))

    return decorate


def fresh_session() -> None:
    """Nothing carried over from the old session but the language picked in this browser."""
    lang = session.get("lang")
    session.clear()
    if lang in LANGUAGES:
        session["lang"] = lang


def start_session(user: Any) -> None:
    fresh_session()
    login_user(user)
