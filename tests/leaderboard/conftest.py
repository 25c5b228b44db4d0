"""A scored event: two tracks, five teams (one never scored), three judges, a rubric whose
criteria differ in weight and scale, an organizer, a participant in team A."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackathon.db import utcnow
from tests.factories import (
    grant,
    make_assignment,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_track,
    make_user,
)
from tests.helpers import Scored


@pytest.fixture
def scored(app) -> Scored:
    event = make_event("hack", phase="judging", name="해커톤", name_en="Hackathon")
    organizer = make_user("organizer@example.test", "운영자")
    grant(event, organizer, "organizer")
    member = make_user("member@example.test", "참가자")
    grant(event, member, "participant")
    judges = [make_user(f"judge{i}@example.test", f"심사위원 {i}") for i in range(3)]
    for judge in judges:
        grant(event, judge, "judge")
    idea = make_criterion(event, "아이디어", name_en="Idea", weight=2, lo=1, hi=10)
    tech = make_criterion(event, "기술", name_en="Tech", weight=1, lo=0, hi=5)
    x = make_track(event, "금융", name_en="Finance")
    y = make_track(event, "보안", name_en="Security")
    start = utcnow() - timedelta(days=2)
    s = Scored(event, organizer, member, judges, [idea, tech], [x, y])
    plan = [("A", x, [member]), ("B", x, []), ("C", y, []), ("D", y, []), ("E", None, [])]
    for i, (name, track, members) in enumerate(plan):
        s.teams[name] = make_team(event, name, track=track, members=members)
        make_submission(
            s.teams[name],
            title=f"프로젝트 {name}",
            summary=f"{name} 요약",
            submitted_at=start + timedelta(minutes=i),
        )
    values = {"A": (9, 5), "B": (7, 3), "C": (7, 4), "D": (4, 2)}
    for j, judge in enumerate(judges):
        for name, (a, b) in values.items():
            make_assignment(
                judge,
                s.teams[name],
                scores={idea: max(1, a - j), tech: max(0, b - j % 2)},
                status="submitted",
                feedback=f"{name} 팀에 대한 의견 {j}",
            )
    return s


@pytest.fixture
def awards(scored):
    """The grand prize to team C and the excellence award to team A."""
    from hackathon.extensions import db
    from hackathon.leaderboard.services import board as services

    services.create_award(
        scored.event, name="대상", name_en="Grand prize", team_id=scored.teams["C"].id
    )
    services.create_award(
        scored.event, name="우수상", name_en="Excellence award", team_id=scored.teams["A"].id
    )
    db.session.commit()


@pytest.fixture
def organizer_client(scored, login, new_client):
    return login(scored.organizer, client=new_client())


@pytest.fixture
def set_state(scored):
    """Move the board as a service call (committed), like the organizer's button."""
    from hackathon.extensions import db
    from hackathon.leaderboard.services import board as services

    def do(state: str):
        board = services.set_state(scored.event, state)
        db.session.commit()
        return board

    return do


@pytest.fixture
def more_scores(scored):
    """Add n more submitted scores (new judges on team E), bumping the revision."""
    from hackathon.extensions import db
    from hackathon.leaderboard.services import board as services

    counter = {"n": 0}

    def do(n: int, bump: bool = True):
        idea, tech = scored.criteria
        for _ in range(n // 2):
            counter["n"] += 1
            judge = make_user(f"extra{counter['n']}@example.test")
            make_assignment(
                judge, scored.teams["E"], scores={idea: 10, tech: 5}, status="submitted"
            )
        if bump:
            services.scores_changed(scored.event.id)
            db.session.commit()

    return do


@pytest.fixture(autouse=True)
def fresh_cache(app):
    """Each test starts with an empty in-process view cache and no remembered fingerprints."""
    app.extensions.pop("leaderboard_cache", None)
    app.config["LEADERBOARD_RECHECK_SECONDS"] = 0
    yield
    app.extensions.pop("leaderboard_cache", None)
    app.config.pop("LEADERBOARD_RECHECK_SECONDS", None)
