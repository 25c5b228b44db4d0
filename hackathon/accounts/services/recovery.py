"""A forgotten password: a reset link by mail, and setting the new password from it.

Asking gives nobody a way to learn which addresses have accounts: the page is the same
either way (the view's business), and so is the work done here (see
`request_password_reset`). See docs/accounts.md.
"""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from hackathon.accounts.models import TokenPurpose, User
from hackathon.accounts.services import links
from hackathon.accounts.services.invitations import set_password_from_link
from hackathon.accounts.services.sessions import check_password_strength, find_user, is_valid_email
from hackathon.mail import queue_mail


def _reset_mail(name: str, first_password: bool, token: str) -> tuple[str, str, str]:
    """Subject, text and HTML of the reset mail, in the current language."""
    academy = links.academy_name()
    if first_password:
        subject = _("[%(academy)s] Choose your password", academy=academy)
    else:
        subject = _("[%(academy)s] Choose a new password", academy=academy)
    text, html = links.render_mail(
        "password_reset",
        subject=subject,
        academy=academy,
        name=name,
        first_password=first_password,
        link=links.link_url(TokenPurpose.RESET, token),
        expires=links.expiry_text(TokenPurpose.RESET),
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
    )
    return subject, text, html


def request_password_reset(email: str) -> None:
    """Mail a reset link (valid PASSWORD_RESET_MINUTES, used once) to the account with
    this address, if there is one that may sign in. Someone an organizer added who has
    no password yet gets one too: it sets their first password, like an invitation.

    Without such an account nothing is written or sent, but the same mail is composed
    and thrown away, so both answers take about as long; what is left (two small
    inserts) is within the noise of a request, and the rate limits allow a handful of
    tries per address a minute.
    """
    user = find_user(email) if is_valid_email(email) else None
    if user is None or user.disabled:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            token = secrets.token_urlsafe(32)
            links.hash_token(token)
            _reset_mail("", False, token)
        return
    token = links.issue_link(user, TokenPurpose.RESET)
    with force_locale(links.mail_locale(user)):
        subject, text, html = _reset_mail(user.name, user.password_hash is None, token)
    queue_mail(
        user.email,
        subject,
        text,
        html,
        kind="account.password_reset",
        user_id=user.id,
        locale=links.mail_locale(user),
    )


def reset_password(token: str, password: str) -> User:
    """Set a new password from a reset link: the link is used, every other session of the
    account ends (the caller signs this browser in), and the address counts as
    verified."""
    check_password_strength(password)
    link = links.redeem(token, TokenPurpose.RESET)
    set_password_from_link(link.user, password)
    return link.user
