"""`teams autoform SLUG --avoid-repeats`: people who were teammates in the program's other
events are kept apart as far as the size bounds allow, and the preview says what remains."""

from __future__ import annotations

from itertools import combinations

import pytest
from sqlalchemy import select

from hackathon.events.models import Event, Program
from hackathon.teams.logic.repeats import pairs_of, repeat_pairs
from hackathon.teams.models import Team
from hackathon.teams.services import organizer
from tests.factories import make_event, make_team, make_user


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def _program(db, slug: str = "p1") -> Program:
    program = Program(slug=slug, name="1기", description="")
    db.session.add(program)
    db.session.commit()
    return program


def test_the_preview_names_the_past_team_that_forces_pairs(db, cli):
    program = _program(db)
    before = make_event("earlier", phase="results", program_id=program.id)
    people = [make_user(name=f"사람{i}") for i in range(10)]
    make_team(before, "A", members=people[:5])
    make_team(before, "B", members=people[5:])
    now = make_event("now", phase="team_formation", program_id=program.id, team_min=4, team_max=5)
    other = make_event("elsewhere", phase="results")  # not in the program: does not count
    make_team(other, "C", members=[people[0], people[5]])
    for person in people:
        from tests.factories import grant

        grant(now, person, "participant")

    plan = organizer.plan_autoform(now, avoid_repeats=True)
    assert plan.repeats is not None
    # Two new teams of five: each old team of five keeps at least 3 + 1 pairs together.
    assert (plan.repeats.repeats, plan.repeats.forced) == (8, 8)

    result = cli("teams", "autoform", "now", "--avoid-repeats", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "8 pairs of new teammates were teammates before" in result.output
    assert "No grouping within the team sizes does better" in result.output
    assert "the 5 people of “A · " in result.output
    assert db.session.scalar(select(Team.id).where(Team.event_id == now.id)) is None


def test_without_the_option_nothing_is_said_about_repeats(db, cli):
    event = make_event("plain", phase="team_formation", team_min=2, team_max=3)
    for _ in range(4):
        make_user(event=event)
    result = cli("teams", "autoform", "plain", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "teammates before" not in result.output


def test_the_organizers_preview_page_creates_the_teams_it_showed(db, login, client):
    program = _program(db)
    before = make_event("earlier", phase="results", program_id=program.id)
    people = [make_user() for _ in range(8)]
    old = [frozenset(p.id for p in people[i : i + 2]) for i in range(0, 8, 2)]
    for index in range(4):
        make_team(before, f"T{index}", members=people[2 * index : 2 * index + 2])
    now = make_event("now", phase="team_formation", program_id=program.id, team_min=4, team_max=4)
    from tests.factories import grant

    for person in people:
        grant(now, person, "participant")
    boss = make_user(event=now, role="organizer", locale="en")
    login(boss)
    html = client.get("/events/now/teams/autoform?avoid_repeats=1").get_data(as_text=True)
    assert 'data-repeats="0"' in html
    assert "Nobody is placed with a former teammate" in html
    plan = organizer.plan_autoform(now, avoid_repeats=True)
    response = client.form_post(
        "/events/now/teams/autoform",
        {"fingerprint": plan.fingerprint, "seed": 0, "avoid_repeats": "1"},
    )
    assert response.status_code == 302
    teams = db.session.scalars(select(Team).where(Team.event_id == now.id)).all()
    for team in teams:
        members = {m.user_id for m in team.members}
        for a, b in combinations(members, 2):
            assert not any({a, b} <= group for group in old)


def test_on_the_demo_repeats_drop_to_what_the_bounds_force(db):
    from hackathon.events.demo import load_demo

    load_demo()
    art = db.session.scalar(select(Event).where(Event.slug == "cohort1-art-data"))
    plain = organizer.plan_autoform(art, seed=0)
    avoided = organizer.plan_autoform(art, seed=0, avoid_repeats=True)
    pairs = pairs_of(organizer.past_teams(art))
    before = repeat_pairs([[u.id for u in g] for g in plain.groups], pairs)
    assert avoided.repeats is not None
    assert avoided.repeats.baseline == before > 0  # the plain grouping reunites some
    assert avoided.repeats.repeats == avoided.repeats.forced
    assert repeat_pairs([[u.id for u in g] for g in avoided.groups], pairs) == (
        avoided.repeats.repeats
    )
    assert sorted(len(g) for g in avoided.groups) == sorted(len(g) for g in plain.groups)
