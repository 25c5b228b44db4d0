"""Fixtures of the cohort tests: browsers signed in as someone; a team whose event's
submissions have closed (peer review open)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hackathon.extensions import db
from tests.factories import make_event, make_team, make_user


@pytest.fixture
def signed_in(new_client, login):
    """A new browser signed in as the given user."""

    def make(user):
        return login(user, client=new_client())

    return make


@dataclass
class Crew:
    event: object
    team: object
    members: list
    outsider: object


@pytest.fixture
def crew(db) -> Crew:
    """An event in judging (submissions closed, results not published) with a team of
    four, and a participant of another team."""
    event = make_event("peer", phase="judging")
    members = [make_user(name=f"팀원{i}", event=event, locale="en") for i in range(4)]
    team = make_team(event, "Night Owls", members=members)
    outsider = make_user(name="남", event=event, locale="en")
    make_team(event, "Early Birds", members=[outsider])
    return Crew(event, team, members, outsider)


def publish(event) -> None:
    from hackathon.leaderboard.models import BoardState
    from hackathon.leaderboard.services.board import ensure_board

    ensure_board(event).state = BoardState.PUBLISHED
    db.session.commit()
