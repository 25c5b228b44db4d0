"""Self sign-up with a confirmed address.

A new account starts unverified and is mailed a link that confirms its address
(`is_verified`); until then it can sign in, but the events feature lets it register for
no event. Signing up with the address of someone an organizer already added (no password
yet) sends that person an invitation instead, and the page says "check your mail" in both
cases, so sign-up does not tell who has been added. See docs/accounts.md.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from hackathon.accounts.logic.passwords import hash_password
from hackathon.accounts.models import TokenPurpose, User
from hackathon.accounts.services import links
from hackathon.accounts.services.invitations import invitation_state, invite
from hackathon.accounts.services.sessions import (
    check_email,
    check_name,
    check_password_strength,
    create_user,
    find_user,
)
from hackathon.mail import OutboxMessage, queue_mail


def sign_up(email: str, name: str, password: str, *, locale: str | None = None) -> User | None:
    """Create an unverified account and mail it the link that confirms its address;
    returns the account. For the address of a person added by an organizer who has no
    password yet, invite that person instead (nothing else changes) and return None.
    An account that has a password: EmailTaken, as before."""
    address = check_email(email)
    check_name(name)
    check_password_strength(password)
    existing = find_user(address)
    if existing is not None and existing.password_hash is None:
        hash_password(password)  # the work a new account costs: both answers take as long
        # An invitation that still works is left alone: a stranger's sign-up must not
        # revoke the organizer's (and the event it leads to).
        if not existing.disabled and invitation_state(existing) != "pending":
            invite(existing)
        return None
    user = create_user(address, name, password, locale=locale)
    send_verification(user)
    return user


def send_verification(user: User) -> OutboxMessage:
    """Mail the link that confirms the account's address (valid VERIFY_EMAIL_DAYS); a
    newer one replaces it."""
    token = links.issue_link(user, TokenPurpose.VERIFY)
    with force_locale(links.mail_locale(user)):
        subject = _("[%(academy)s] Confirm your e-mail address", academy=links.academy_name())
        text, html = links.render_mail(
            "verify_email",
            subject=subject,
            name=user.name,
            link=links.link_url(TokenPurpose.VERIFY, token),
            expires=links.expiry_text(TokenPurpose.VERIFY),
        )
    return queue_mail(
        user.email,
        subject,
        text,
        html,
        kind="account.verify",
        user_id=user.id,
        locale=links.mail_locale(user),
    )


def verify_email(token: str) -> User:
    """Follow a confirmation link: the address is verified. Nobody is signed in by it (a
    person who signed up with someone else's address knows its password; the owner of
    the address signs in with a password they chose, or resets it)."""
    link = links.redeem(token, TokenPurpose.VERIFY)
    links.mark_verified(link.user)
    return link.user
