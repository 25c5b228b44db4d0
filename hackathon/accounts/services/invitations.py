"""Invitations: people an organizer added (no password yet) get a link to set one.

The events feature calls `invite(user, event)` from its people page and commands, and
shows `invitation_states(users)` in its people list. See docs/accounts.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import column, select, table

from hackathon.accounts.models import AccountToken, TokenPurpose, User
from hackathon.accounts.services import links
from hackathon.accounts.services.sessions import check_name, check_password_strength, set_password
from hackathon.db import utcnow
from hackathon.errors import Conflict
from hackathon.extensions import db
from hackathon.mail import OutboxMessage, queue_mail

# The events feature's table, read by the name the foreign key uses: accounts sits below
# events and does not import it (docs/architecture.md, "Layers").
_EVENTS = table("events", column("id"), column("slug"), column("name"), column("name_en"))


class AlreadyActive(Conflict):
    code = "account_active"
    message = _l("This person has already set a password and can sign in.")


class AccountDisabled(Conflict):
    code = "account_disabled"
    message = _l("This account is disabled.")


class InvitationState(StrEnum):
    ACCEPTED = "accepted"  # the person has a password (set from the link, or otherwise)
    PENDING = "pending"  # an invitation is on its way and its link still works
    EXPIRED = "expired"  # invited, but no link works any more: send a new one
    NONE = "none"  # never invited


INVITATION_LABELS = {
    InvitationState.ACCEPTED: _l("Accepted"),
    InvitationState.PENDING: _l("Invited"),
    InvitationState.EXPIRED: _l("Invitation expired"),
    InvitationState.NONE: _l("Not invited"),
}


def invite(user: User, event: Any = None) -> OutboxMessage:
    """Mail `user` an invitation: a link to set a first password, valid INVITATION_DAYS,
    in the person's language (theirs, else the event's `default_locale`, else
    DEFAULT_LOCALE). `event` (an `Event`) is named in the mail and is where the person
    lands once signed in. A new invitation replaces the previous one (its link stops
    working). Written in the current transaction: a rolled-back action sends nothing.

    AlreadyActive when the person has a password; AccountDisabled when disabled.
    """
    if user.disabled:
        raise AccountDisabled()
    if user.password_hash is not None:
        raise AlreadyActive()
    token = links.issue_link(user, TokenPurpose.INVITE, event)
    with force_locale(links.mail_locale(user, event)):
        academy = links.academy_name()
        event_name = event.display_name if event is not None else None
        program = getattr(event, "program", None)
        if event_name:
            subject = _(
                "[%(academy)s] You are invited to %(event)s", academy=academy, event=event_name
            )
        else:
            subject = _("[%(academy)s] Your account is ready for you", academy=academy)
        text, html = links.render_mail(
            "invitation",
            subject=subject,
            recipient=user,
            event_name=event_name,
            program_name=program.display_name if program is not None else None,
            link=links.link_url(TokenPurpose.INVITE, token),
            expires=links.expiry_text(TokenPurpose.INVITE, getattr(event, "timezone", None)),
        )
    return queue_mail(
        user.email,
        subject,
        text,
        html,
        kind="account.invitation",
        user_id=user.id,
        event_id=getattr(event, "id", None),
        locale=links.mail_locale(user, event),
    )


def accept_invitation(token: str, name: str, password: str) -> AccountToken:
    """The invited person confirms their name and sets a password; the link is used and
    the address counts as verified. Returns the link (its `event_id` says where to go)."""
    name = check_name(name)
    check_password_strength(password)
    link = links.redeem(token, TokenPurpose.INVITE)
    user = link.user
    user.name = name
    set_password_from_link(user, password)
    return link


def set_password_from_link(user: User, password: str) -> None:
    """A password set through a mailed link: every older session ends, the address is
    verified, and no other invitation or reset link works any more."""
    set_password(user, password)
    links.revoke_links(user, TokenPurpose.INVITE, TokenPurpose.RESET)
    links.mark_verified(user)


def invitation_event(link: AccountToken) -> dict[str, str] | None:
    """The event an invitation names, as `{"slug", "name", "name_en"}`, or None."""
    if link.event_id is None:
        return None
    row = db.session.execute(
        select(_EVENTS.c.slug, _EVENTS.c.name, _EVENTS.c.name_en).where(
            _EVENTS.c.id == link.event_id
        )
    ).first()
    return dict(row._mapping) if row is not None else None


def invitation_states(users: Iterable[User]) -> dict[int, InvitationState]:
    """`invitation_state` of many people at once (one query per 500): user id -> state."""
    people = list(users)
    states = {u.id: InvitationState.ACCEPTED for u in people if u.password_hash is not None}
    waiting = [u.id for u in people if u.password_hash is None]
    invited: set[int] = set()
    live: set[int] = set()
    now = utcnow()
    for start in range(0, len(waiting), 500):
        rows = db.session.execute(
            select(
                AccountToken.user_id,
                AccountToken.expires_at,
                AccountToken.used_at,
                AccountToken.revoked_at,
            ).where(
                AccountToken.user_id.in_(waiting[start : start + 500]),
                AccountToken.purpose == TokenPurpose.INVITE,
            )
        )
        for user_id, expires_at, used_at, revoked_at in rows:
            invited.add(user_id)
            if used_at is None and revoked_at is None and expires_at > now:
                live.add(user_id)
    for user_id in waiting:
        if user_id in live:
            states[user_id] = InvitationState.PENDING
        elif user_id in invited:
            states[user_id] = InvitationState.EXPIRED
        else:
            states[user_id] = InvitationState.NONE
    return states


def invitation_state(user: User) -> InvitationState:
    """Where a person stands with their invitation, for the people list: "accepted" (they
    have a password), "pending" (a link is out and still works), "expired" (invited, but
    no link works any more) or "none" (never invited). A `StrEnum`: it equals those
    strings; `INVITATION_LABELS` has its words for a page."""
    return invitation_states([user])[user.id]
