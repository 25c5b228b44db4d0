"""Fixtures of the team tests: browsers signed in as someone, an organizer of the event."""

from __future__ import annotations

import pytest

from hackathon.extensions import db
from tests.factories import make_user


@pytest.fixture
def signed_in(new_client, login):
    """A new browser signed in as the given user."""

    def make(user):
        return login(user, client=new_client())

    return make


@pytest.fixture
def boss(event, signed_in):
    """A browser signed in as an organizer of the test module's `event`."""
    return signed_in(make_user(event=event, role="organizer", locale="en"))


@pytest.fixture(scope="session", autouse=True)
def _close_pooled_connections(_migrated_app):
    """Close the pool's connections when the session ends (the race tests open several), so
    none is left for the garbage collector to find open."""
    yield
    with _migrated_app.app_context():
        db.engine.dispose()
