"""The other features' actions and who hears of them: judges of their new teams (once per
assignment run), a team of its handed-in submission, an event's people of its published
results and each team of its feedback (once per publication)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from hackathon.extensions import db
from hackathon.judging.services.assignments import assign_judges
from hackathon.leaderboard.models import BoardState
from hackathon.leaderboard.services.board import set_state
from hackathon.notifications.models import Notification
from hackathon.submissions.models import Submission
from hackathon.submissions.services import entries
from hackathon.submissions.services.slots import ensure_default_slots
from tests.factories import (
    grant,
    make_assignment,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_user,
)
from tests.helpers import notifications_of, outbox_count


def _kinds() -> Counter[str]:
    db.session.expire_all()
    return Counter(db.session.scalars(select(Notification.kind)))


def _handed_in(event, name: str, *, title: str, members=()):
    """A team that has handed in a project called `title`."""
    team = make_team(event, name, members=members)
    make_submission(team, title=title)
    return team


def test_each_judge_with_new_teams_hears_once_per_run(db):
    event = make_event("hack", phase="judging", judges_per_submission=2)
    judges = [make_user(event=event, role="judge", locale="en") for _ in range(3)]
    idle = make_user(event=event, role="judge", locale="en")
    teams = [_handed_in(event, f"Team {i}", title=f"Project {i}") for i in range(3)]
    outcome = assign_judges(event, k=2, seed=1)
    db.session.commit()
    assert outcome.created == 6
    told = {j.id: notifications_of(j) for j in [*judges, idle]}
    counts = {}
    for judge_id, notes in told.items():
        assert len(notes) <= 1
        if notes:
            assert notes[0].kind == "assignments_ready"
            assert notes[0].link == "/events/hack/judging"
            counts[judge_id] = notes[0].params["count"]
    assert sum(counts.values()) == 6  # each new assignment counted for its judge, once

    # A second run with nothing new tells nobody; a run that adds work tells those judges.
    assign_judges(event, k=2, seed=1)
    db.session.commit()
    assert _kinds()["assignments_ready"] == len(counts)
    teams.append(_handed_in(event, "Team 3", title="Project 3"))
    assign_judges(event, k=2, seed=2)
    db.session.commit()
    assert _kinds()["assignments_ready"] == len(counts) + 2
    keys = {n.key for n in db.session.scalars(select(Notification))}
    assert len(keys) == 2  # one key per run


def test_handing_in_sends_every_member_a_receipt(db):
    event = make_event("hack", phase="submission", name="해커톤", name_en="Hackathon")
    for slot in ensure_default_slots(event):
        slot.required = False  # a title is enough to hand in
    alice, bob = (
        make_user(event=event, locale="en", email="alice@example.test"),
        make_user(event=event, locale="en"),
    )
    outsider = make_user(event=event, locale="en")
    team = make_team(event, "Night Owls", members=[alice, bob])
    submission = Submission(event_id=event.id, team_id=team.id, title="Fraud radar")
    db.session.add(submission)
    db.session.commit()
    entries.submit(submission, alice)
    db.session.commit()
    for member in (alice, bob):
        [receipt] = notifications_of(member)
        assert receipt.kind == "submission_receipt"
        assert receipt.params["title"] == "Fraud radar"
        assert receipt.link == f"/submissions/{submission.id}"
    assert notifications_of(outsider) == []
    assert outbox_count("alice@example.test") == 1


def test_publishing_tells_the_event_and_each_team_with_feedback_once_per_publication(db):
    event = make_event("hack", phase="results", name="해커톤", name_en="Hackathon")
    organizer, mentor = (
        make_user(event=event, role="organizer", locale="en"),
        make_user(event=event, role="mentor", locale="en"),
    )
    judge = make_user(event=event, role="judge", locale="en")
    outsider = make_user()
    alice = make_user(event=event, locale="en")
    bob = make_user(event=event, locale="en")
    loner = make_user(event=event, locale="en")
    commented = _handed_in(event, "Commented", members=[alice, bob], title="One")
    silent = _handed_in(event, "Silent", members=[loner], title="Two")
    idea = make_criterion(event, "아이디어", name_en="Idea")
    make_assignment(judge, commented, scores={idea: 8}, status="submitted", feedback="Great demo")
    make_assignment(judge, silent, scores={idea: 6}, status="submitted", feedback="   ")
    grant(event, alice, "mentor")  # two roles, still one notification

    set_state(event, BoardState.LIVE)
    db.session.commit()
    assert _kinds() == Counter()
    set_state(event, BoardState.PUBLISHED)
    db.session.commit()
    everyone = [organizer, mentor, judge, alice, bob, loner]
    for user in everyone:
        assert [n.kind for n in notifications_of(user) if n.kind == "results_published"] == [
            "results_published"
        ]
    assert notifications_of(outsider) == []
    assert [n.kind for n in notifications_of(alice)] == ["results_published", "feedback_available"]
    assert [n.kind for n in notifications_of(loner)] == ["results_published"]
    feedback = [n for n in notifications_of(bob) if n.kind == "feedback_available"]
    assert feedback[0].params["team"] == "Commented"
    assert feedback[0].link == "/events/hack/results"

    # Freezing and publishing again is a new publication: everyone hears once more.
    set_state(event, BoardState.FROZEN)
    set_state(event, BoardState.PUBLISHED)
    db.session.commit()
    assert _kinds() == Counter({"results_published": 12, "feedback_available": 4})
