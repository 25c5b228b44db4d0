"""Fixtures of the notification tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def signed_in(new_client, login):
    """A new browser signed in as the given user."""

    def make(user):
        return login(user, client=new_client())

    return make
