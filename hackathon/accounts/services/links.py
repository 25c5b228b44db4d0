"""Account links: single-use links mailed to a person, and the mail that carries them.

A link is `/<path>/<token>` with a token from `secrets.token_urlsafe(32)`; only its
SHA-256 is stored (`AccountToken.token_hash`), so the database never holds anything that
opens an account. Each purpose has its own lifetime (INVITATION_DAYS,
PASSWORD_RESET_MINUTES, VERIFY_EMAIL_DAYS); issuing a link revokes the person's earlier
unused links of the same purpose, and a link is used once. Unknown, used, expired,
revoked, and a disabled account's links all fail with the same `InvalidLink`. See
docs/accounts.md.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any, cast
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, select, update

from hackathon.accounts.models import AccountToken, TokenPurpose, User
from hackathon.db import utcnow
from hackathon.errors import DomainError
from hackathon.extensions import db
from hackathon.i18n import LANGUAGES, format_local

# Where each purpose's link leads (the token is the endpoint's `token` argument).
ENDPOINTS = {
    TokenPurpose.INVITE: "accounts.invitation",
    TokenPurpose.RESET: "accounts.reset_password",
    TokenPurpose.VERIFY: "accounts.verify_email",
}
MAX_TOKEN_LENGTH = 100  # token_urlsafe(32) is 43 characters; anything much longer is noise


class InvalidLink(DomainError):
    code = "invalid_link"
    status = 410
    message = _l(
        "This link can no longer be used: it was used already, it has expired, "
        "or a newer link replaced it."
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def lifetime(purpose: TokenPurpose) -> timedelta:
    config = current_app.config
    if purpose == TokenPurpose.INVITE:
        return timedelta(days=config["INVITATION_DAYS"])
    if purpose == TokenPurpose.RESET:
        return timedelta(minutes=config["PASSWORD_RESET_MINUTES"])
    return timedelta(days=config["VERIFY_EMAIL_DAYS"])


def revoke_links(user: User, *purposes: TokenPurpose, now: datetime | None = None) -> None:
    """The person's unused links of these purposes stop working."""
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose.in_([str(p) for p in purposes]),
            AccountToken.used_at.is_(None),
            AccountToken.revoked_at.is_(None),
        )
        .values(revoked_at=now or utcnow())
    )


def issue_link(user: User, purpose: TokenPurpose, event: Any = None) -> str:
    """A new link of `purpose` for `user`; returns the raw token, which goes into the mail
    and nowhere else. An invitation may name the event it is for (any object with an
    `id`): the person lands on its page. Earlier unused links of the purpose stop
    working."""
    now = utcnow()
    revoke_links(user, purpose, now=now)
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(token),
            event_id=getattr(event, "id", None),
            expires_at=now + lifetime(purpose),
        )
    )
    db.session.flush()
    return token


def _usable(link: AccountToken, now: datetime) -> bool:
    return link.used_at is None and link.revoked_at is None and link.expires_at > now


def find_link(token: str, purpose: TokenPurpose) -> AccountToken:
    """The link behind `token` while it may still be used, without using it (a page that
    shows the form); `InvalidLink` otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidLink()
    link = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose
        )
    )
    if link is None or not _usable(link, utcnow()) or link.user.disabled:
        raise InvalidLink()
    return link


def redeem(token: str, purpose: TokenPurpose) -> AccountToken:
    """Use the link behind `token`: it works once. `InvalidLink` when it is unknown, used,
    expired, revoked or its account is disabled, all alike. Two requests racing with the
    same link: the conditional update lets exactly one of them through."""
    link = find_link(token, purpose)
    now = utcnow()
    result = db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.id == link.id,
            AccountToken.used_at.is_(None),
            AccountToken.revoked_at.is_(None),
            AccountToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", result).rowcount != 1:  # an UPDATE's result
        raise InvalidLink()
    db.session.refresh(link)
    return link


def mark_verified(user: User) -> None:
    """The person showed they read mail at their address (they followed a link)."""
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.flush()


def is_verified(user: User) -> bool:
    """Whether the account's address is confirmed: a link mailed to it was followed, or an
    administrator created the account. The events feature lets only verified accounts
    register for an event."""
    return user.email_verified_at is not None


# --- the mail that carries a link ---------------------------------------------------------


def link_url(purpose: TokenPurpose, token: str) -> str:
    """The link's absolute address, always under PUBLIC_URL. Never built from the request:
    its Host header is the client's to set, and a forged one on "forgot password" would
    mail someone a reset link pointing at another site."""
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(ENDPOINTS[purpose], {"token": token}, force_external=True)


def academy_name() -> str:
    """How the academy signs its mail: the name in MAIL_FROM (`AI Academy
    <no-reply@…>`), else the platform's name. Call it under the mail's language."""
    return parseaddr(current_app.config["MAIL_FROM"])[0].strip() or _("Hackathon platform")


def mail_locale(user: User, event: Any = None) -> str:
    """The language of mail to a person: theirs, else the event's, else DEFAULT_LOCALE."""
    for candidate in (user.locale, getattr(event, "default_locale", None)):
        if candidate in LANGUAGES:
            return str(candidate)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def render_mail(template: str, **context: Any) -> tuple[str, str]:
    """The plain-text and HTML parts from mail/<template>.txt and .html, in the current
    (forced) language; the context gets `academy` and `lang`."""
    context.setdefault("academy", academy_name())
    context.setdefault("lang", str(get_locale()))
    text = render_template(f"mail/{template}.txt", **context)
    html = render_template(f"mail/{template}.html", **context)
    return text.strip() + "\n", html


def expiry_text(purpose: TokenPurpose, timezone: str | None = None) -> str:
    """When a link issued now stops working, as the reader's clock shows it."""
    return format_local(utcnow() + lifetime(purpose), timezone)
