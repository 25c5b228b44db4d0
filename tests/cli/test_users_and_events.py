"""`users create` and `events create`."""

from __future__ import annotations

import pytest

from tests.factories import make_user


def test_users_create_reads_the_password_from_stdin(cli, client, db):
    from hackathon.accounts.models import User

    result = cli(
        "users", "create", "New.Person@Example.test", "--name", "새 사람", input="a-long-password\n"
    )
    assert result.exit_code == 0, result.output
    assert "new.person@example.test" in result.output
    user = db.session.scalar(db.select(User).where(User.email == "new.person@example.test"))
    assert (user.name, user.is_admin) == ("새 사람", False)
    client.get("/login")
    signed_in = client.form_post(
        "/login", {"email": "new.person@example.test", "password": "a-long-password"}
    )
    assert signed_in.status_code == 302


def test_users_create_an_administrator(cli, db):
    from hackathon.accounts.models import User

    result = cli(
        "users", "create", "boss@example.test", "--name", "Boss", "--admin", input="x" * 12
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User.is_admin).where(User.email == "boss@example.test"))


@pytest.mark.parametrize(
    ("email", "name", "password"),
    [
        ("not-an-address", "이름", "long-enough-password"),
        ("ok@example.test", "이름", "short"),
        ("ok@example.test", "이름", ""),
        ("ok@example.test", "   ", "long-enough-password"),
    ],
)
def test_users_create_refuses_bad_input(cli, db, email, name, password):
    from hackathon.accounts.models import User

    result = cli("users", "create", email, "--name", name, input=password + "\n")
    assert result.exit_code != 0
    assert "Error:" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_users_create_refuses_a_taken_address(cli, db):
    make_user("taken@example.test")
    result = cli("users", "create", "TAKEN@example.test", "--name", "둘", input="x" * 12)
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_events_create(cli, db):
    from hackathon.events.models import Event, Phase

    result = cli(
        "events", "create", "spring-hack", "--name", "봄 해커톤",
        "--kind", "company_project", "--team-min", "2", "--team-max", "4",
        "--judges-per-submission", "2", "--mode", "raw",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    event = db.session.scalar(db.select(Event).where(Event.slug == "spring-hack"))
    assert (event.name, event.kind, event.team_min, event.team_max) == (
        "봄 해커톤",
        "company_project",
        2,
        4,
    )
    assert (event.judges_per_submission, event.scoring_mode) == (2, "raw")
    assert event.phase == Phase.DRAFT


def test_events_create_uses_the_documented_defaults(cli, db):
    from hackathon.events.models import Event

    assert cli("events", "create", "plain", "--name", "기본").exit_code == 0
    event = db.session.scalar(db.select(Event).where(Event.slug == "plain"))
    assert (event.kind, event.team_min, event.team_max) == ("hackathon", 1, 5)
    assert (event.judges_per_submission, event.scoring_mode) == (3, "offset")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["Bad Slug!", "--name", "x"], "lowercase"),
        (["static", "--name", "x"], "own pages"),  # /events/static/ serves stylesheets
        (["ok", "--name", "  "], "name"),
        (["ok", "--name", "x", "--team-min", "4", "--team-max", "2"], "team_max"),
        (["ok", "--name", "x", "--judges-per-submission", "0"], "judges_per_submission"),
        (["ok", "--name", "x", "--kind", "party"], "Invalid value"),
    ],
)
def test_events_create_refuses_bad_input(cli, db, args, says):
    from hackathon.events.models import Event

    result = cli("events", "create", *args)
    assert result.exit_code != 0
    assert says in result.output
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_events_create_refuses_a_taken_slug(cli, db):
    assert cli("events", "create", "twice", "--name", "한 번").exit_code == 0
    result = cli("events", "create", "twice", "--name", "두 번")
    assert result.exit_code != 0
    assert "already in use" in result.output
