"""A scored event: two tracks, five teams (one never scored), three judges, a rubric whose
criteria differ in weight and scale, an organizer, a participant in team A."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from hackathon.db import utcnow
from tests.factories import (
    add_criterion,
    add_scores,
    add_team,
    add_track,
    grant,
    make_event,
    make_user,
)


@dataclass
class Scored:
    event: Any
    organizer: Any
    member: Any
    judges: list
    criteria: list
    tracks: list
    teams: dict = field(default_factory=dict)


@pytest.fixture
def scored(app):
    event = make_event("hack", phase="judging", name="해커톤", name_en="Hackathon")
    organizer = make_user("organizer@example.test", "운영자")
    grant(event, organizer, "organizer")
    member = make_user("member@example.test", "참가자")
    grant(event, member, "participant")
    judges = [make_user(f"judge{i}@example.test", f"심사위원 {i}") for i in range(3)]
    for judge in judges:
        grant(event, judge, "judge")
    idea = add_criterion(event, "아이디어", name_en="Idea", weight=2, lo=1, hi=10)
    tech = add_criterion(event, "기술", name_en="Tech", weight=1, lo=0, hi=5)
    x = add_track(event, "금융", name_en="Finance")
    y = add_track(event, "보안", name_en="Security")
    start = utcnow() - timedelta(days=2)
    s = Scored(event, organizer, member, judges, [idea, tech], [x, y])
    plan = [("A", x, [member]), ("B", x, []), ("C", y, []), ("D", y, []), ("E", None, [])]
    for i, (name, track, members) in enumerate(plan):
        s.teams[name] = add_team(
            event,
            name,
            track=track,
            members=members,
            submitted_at=start + timedelta(minutes=i),
            title=f"프로젝트 {name}",
            summary=f"{name} 요약",
        )
    values = {"A": (9, 5), "B": (7, 3), "C": (7, 4), "D": (4, 2)}
    for j, judge in enumerate(judges):
        for name, (a, b) in values.items():
            add_scores(
                event,
                judge,
                s.teams[name],
                {idea: max(1, a - j), tech: max(0, b - j % 2)},
                feedback=f"{name} 팀에 대한 의견 {j}",
            )
    return s


@pytest.fixture
def organizer_client(scored, login, new_client):
    return login(scored.organizer, client=new_client())


@pytest.fixture
def set_state(scored):
    """Move the board as a service call (committed), like the organizer's button."""
    from hackathon.extensions import db
    from hackathon.leaderboard import services

    def do(state: str):
        board = services.set_state(scored.event, state)
        db.session.commit()
        return board

    return do


@pytest.fixture
def more_scores(scored):
    """Add n more submitted scores (new judges on team E), bumping the revision."""
    from hackathon.extensions import db
    from hackathon.leaderboard import services

    counter = {"n": 0}

    def do(n: int, bump: bool = True):
        idea, tech = scored.criteria
        for _ in range(n // 2):
            counter["n"] += 1
            judge = make_user(f"extra{counter['n']}@example.test")
            add_scores(scored.event, judge, scored.teams["E"], {idea: 10, tech: 5})
        if bump:
            services.scores_changed(scored.event.id)
            db.session.commit()

    return do


@pytest.fixture(autouse=True)
def fresh_cache(app):
    """Each test starts with an empty in-process view cache and no remembered pointers."""
    app.extensions.pop("leaderboard_cache", None)
    yield
    app.extensions.pop("leaderboard_cache", None)
