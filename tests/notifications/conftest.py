"""Helpers for the notification tests: people in an event's roles, a browser signed in as
one of them, what reached the outbox and the mail server."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hackathon.extensions import db
from hackathon.mail import OutboxMessage
from hackathon.notifications.models import Notification
from tests.factories import grant, make_user


def person(event, role: str = "participant", **fields):
    """A user in the event's role, reading English unless told otherwise."""
    fields.setdefault("locale", "en")
    user = make_user(**fields)
    grant(event, user, role)
    return user


def notifications_of(user) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def outbox_count(address: str | None = None) -> int:
    db.session.expire_all()
    query = select(func.count()).select_from(OutboxMessage)
    if address is not None:
        query = query.where(OutboxMessage.to_address == address)
    return db.session.scalar(query)


@pytest.fixture
def signed_in(new_client, login):
    """A new browser signed in as the given user."""

    def make(user):
        return login(user, client=new_client())

    return make


def bell(html: str) -> int:
    """The number on the bell of a page (0 when it shows none)."""
    import re

    found = re.search(r'class="bell" data-unread="(\d+)"', html)
    assert found, "no bell on the page"
    return int(found.group(1))
