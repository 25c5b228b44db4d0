"""Invitations to an event's people. This module is the one place the events feature
calls the accounts links service (`invite`, `invitation_state`, `is_verified`), so the
pages and commands depend on those three names only.

A person is due an invitation when they have no password yet and no invitation that
still works: a pending one is never sent twice, an expired one is replaced.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.accounts.services import invitation_state, invite, is_verified
from hackathon.errors import Conflict, NotFound
from hackathon.events.models import Event, EventRole
from hackathon.extensions import db
from hackathon.mail import OutboxMessage

__all__ = [
    "HasPassword",
    "due_invitation",
    "invitation_state",
    "invite_due",
    "invite_event",
    "is_verified",
    "resend",
]


class HasPassword(Conflict):
    code = "has_password"
    message = _l("This person has set a password already and signs in as usual.")


def due_invitation(user: User) -> bool:
    """No password yet, not disabled, and no invitation that still works."""
    return (
        not user.disabled
        and user.password_hash is None
        and invitation_state(user) in ("none", "expired")
    )


def invite_due(event: Event, users: Iterable[User]) -> list[User]:
    """Invite each of these people who is due an invitation; the people invited."""
    invited = []
    for user in sorted({u.id: u for u in users}.values(), key=lambda u: u.id):
        if due_invitation(user):
            invite(user, event)
            invited.append(user)
    if invited:
        audit.record("invitations.sent", event_id=event.id, users=[u.id for u in invited])
    db.session.flush()
    return invited


def invite_event(event: Event) -> list[User]:
    """Invite everyone of the event who is due an invitation."""
    people = db.session.scalars(
        select(User)
        .where(User.id.in_(select(EventRole.user_id).where(EventRole.event_id == event.id)))
        .order_by(User.id)
    )
    return invite_due(event, people)


def resend(event: Event, user: User) -> OutboxMessage:
    """A new invitation for someone of the event; the link sent before stops working."""
    held = db.session.scalar(
        select(EventRole.id).where(EventRole.event_id == event.id, EventRole.user_id == user.id)
    )
    if held is None:
        raise NotFound()
    if user.password_hash is not None:
        raise HasPassword()
    message = invite(user, event)
    audit.record("invitation.resent", event_id=event.id, subject=user)
    db.session.flush()
    return message
