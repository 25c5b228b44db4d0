"""A judging-phase event with a rubric, judges, an organizer and teams with submissions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from hackathon.events.models import Event
from tests.factories import (
    grant,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_user,
)


@dataclass
class Setup:
    event: Event
    organizer: Any
    criteria: list[Any]
    judges: list[Any]
    teams: list[Any]
    extra: dict[str, Any] = field(default_factory=dict)


def build_setup(*, judges: int = 4, teams: int = 4, phase: str = "judging", k: int = 2) -> Setup:
    event = make_event(phase=phase, judges_per_submission=k)
    organizer = make_user(name="운영자")
    grant(event, organizer, "organizer")
    criteria = [
        make_criterion(event, "기획력", weight=2, lo=1, hi=10, name_en="Idea"),
        make_criterion(event, "완성도", weight=1, lo=1, hi=5, name_en="Execution"),
    ]
    people = []
    for i in range(judges):
        judge = make_user(name=f"심사위원 {i + 1}")
        grant(event, judge, "judge")
        people.append(judge)
    team_rows = []
    for i in range(teams):
        team = make_team(event, f"팀 {i + 1}")
        make_submission(team, title=f"작품 {i + 1}", summary=f"요약 {i + 1}")
        team_rows.append(team)
    return Setup(event, organizer, criteria, people, team_rows)


@pytest.fixture
def setup(db) -> Setup:
    return build_setup()


def assign(setup: Setup, judge, team):
    """Give one team to one judge through the service, committed."""
    from hackathon.extensions import db
    from hackathon.judging.assignments import add_assignment

    assignment = add_assignment(setup.event, judge.id, team.id)
    db.session.commit()
    return assignment
