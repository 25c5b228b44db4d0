"""The deadline reminders, run the way cron runs them (`jobs run-due --now`), against a real
mail server: 24 hours and 1 hour before a team's deadline, once each, only to teams with
an empty required file slot, and nothing once the deadline has passed."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.extensions import db
from hackathon.jobs import wait_idle
from hackathon.submissions.models import FileSlot, FileStatus, Submission, SubmissionFile
from hackathon.submissions.services.reminders import send_reminders
from hackathon.submissions.services.slots import ensure_default_slots
from tests.factories import make_event, make_team, make_user
from tests.helpers import notifications_of


def _file(submission: Submission, slot, status: FileStatus = FileStatus.READY) -> None:
    now = utcnow()
    db.session.add(
        SubmissionFile(
            upload_id=str(uuid.uuid4()),
            submission_id=submission.id,
            slot_id=slot.id,
            version=1 if status == FileStatus.READY else None,
            status=status,
            original_name=f"{slot.key}.bin",
            size=10,
            sha256="0" * 64,
            content_type="application/octet-stream",
            backend="local",
            key=f"test/{uuid.uuid4()}",
            expires_at=now + timedelta(minutes=10),
        )
    )


class World:
    def __init__(self) -> None:
        # On the hour, well ahead, so every rehearsed moment below is in the future.
        self.close = (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
        self.event = make_event(phase="submission", name="해커톤", name_en="Hackathon")
        self.event.submissions_close_at = self.close
        self.event.grace_minutes = 15
        db.session.commit()
        slots = {s.key: s for s in ensure_default_slots(self.event)}  # slides, code required
        self.addresses: dict[str, list[str]] = {}
        self.teams: dict[str, object] = {}

        def team(name: str, *emails: str) -> object:
            users = [make_user(f"{e}@example.test", locale="en") for e in emails]
            self.addresses[name] = [u.email for u in users]
            self.teams[name] = make_team(self.event, name, members=users)
            return self.teams[name]

        team("Empty", "empty-one", "empty-two")  # no submission at all
        half = team("Half", "half")  # slides in, code missing (a pending upload does not count)
        done = team("Done", "done")  # both required files in; the optional video is not
        extended = team("Late", "late")  # nothing in, but an extension of two days
        rows = {}
        for t in (half, done, extended):
            rows[t] = Submission(event_id=self.event.id, team_id=t.id, title=t.name)
            db.session.add(rows[t])
        db.session.flush()
        _file(rows[half], slots["slides"])
        _file(rows[half], slots["code"], FileStatus.PENDING)
        _file(rows[done], slots["slides"])
        _file(rows[done], slots["code"])
        rows[extended].extended_until = self.close + timedelta(days=2)
        db.session.commit()

    def at(self, runner, before: timedelta, deadline=None) -> str:
        moment = (deadline or self.close) - before
        result = runner.invoke(args=["jobs", "run-due", "--now", f"{moment:%Y-%m-%dT%H:%M:%S}"])
        assert result.exit_code == 0, result.output
        return result.output


@pytest.fixture
def world(db) -> World:
    return World()


def _mails(smtp_server, world: World, team: str) -> list[list[str]]:
    """The subjects of the deadline reminders each member of `team` received (once
    submissions close, peer review's notices come from another periodic job)."""
    return [
        [m["Subject"] for m in smtp_server.to(a) if m["Subject"].startswith("The deadline")]
        for a in world.addresses[team]
    ]


def test_the_day_and_the_hour_before_once_each_to_teams_with_missing_files(app, world, smtp_server):
    runner = app.test_cli_runner()
    day = "The deadline is in 24 hours · Hackathon"
    hour = "The deadline is in one hour · Hackathon"

    world.at(runner, timedelta(hours=25))
    assert smtp_server.messages == []
    assert "submissions.reminders" in world.at(runner, timedelta(hours=23))
    world.at(runner, timedelta(hours=23))  # the same moment again: nothing new
    world.at(runner, timedelta(hours=22))  # due again an hour later: the key holds
    assert _mails(smtp_server, world, "Empty") == [[day], [day]]
    assert _mails(smtp_server, world, "Half") == [[day]]
    world.at(runner, timedelta(minutes=30))
    wait_idle(app)

    assert _mails(smtp_server, world, "Empty") == [[day, hour], [day, hour]]
    assert _mails(smtp_server, world, "Half") == [[day, hour]]
    assert _mails(smtp_server, world, "Done") == [[]]
    assert _mails(smtp_server, world, "Late") == [[]]  # its deadline is two days later
    [mail] = smtp_server.to("half@example.test")[-1:]
    assert "has not uploaded yet: Source code." in smtp_server.text(mail)  # not the slides


def test_an_extension_moves_the_team_reminders_with_it(app, world, smtp_server):
    runner = app.test_cli_runner()
    late = world.close + timedelta(days=2)
    # A job that did not run the day before sends only the most urgent reminder.
    world.at(runner, timedelta(minutes=40), deadline=late)
    wait_idle(app)
    assert _mails(smtp_server, world, "Late") == [["The deadline is in one hour · Hackathon"]]
    assert _mails(smtp_server, world, "Empty") == [[], []]  # their deadline has passed
    [note] = notifications_of(_user("late@example.test"))
    assert note.kind == "deadline_1h"
    assert note.key == f"deadline-1h:{world.event.id}:{world.teams['Late'].id}"
    assert note.params["deadline"] == late.isoformat()


def _user(email: str):
    return db.session.scalar(select(User).where(User.email == email))


def test_nothing_once_the_deadline_has_passed(app, world, smtp_server):
    # In the grace period uploads still count, but nobody is told about a deadline gone by.
    send_reminders(world.close + timedelta(minutes=5))
    db.session.commit()
    wait_idle(app)
    assert smtp_server.messages == []


def test_an_event_without_required_slots_reminds_nobody(app, world, smtp_server):
    for slot in db.session.scalars(select(FileSlot).where(FileSlot.event_id == world.event.id)):
        slot.required = False
    db.session.commit()
    send_reminders(world.close - timedelta(minutes=30))
    db.session.commit()
    wait_idle(app)
    assert smtp_server.messages == []
