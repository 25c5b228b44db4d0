"""Judges who submit while the organizer publishes are not kept waiting: the snapshot is
computed and the cohort told without holding the board's row, whose revision every
submitted score bumps as it commits. Only PostgreSQL runs the two side by side:
DATABASE_URL=postgresql://…"""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import select

from hackathon.judging.models import Assignment, AssignmentStatus
from hackathon.leaderboard.models import BoardState, Leaderboard, Snapshot
from hackathon.leaderboard.services import board as boards
from hackathon.leaderboard.services import notices
from tests.helpers import assign, build_setup, put_scores

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")),
        reason="parallel writers need PostgreSQL; SQLite has one writer at a time",
    ),
]


def test_a_judge_submits_while_the_board_is_being_published(
    app, db, client, login, new_client, monkeypatch
):
    setup = build_setup(judges=1, teams=2)
    judge = setup.judges[0]
    first = assign(setup, judge, setup.teams[0])
    late = assign(setup, judge, setup.teams[1])
    boards.set_state(setup.event, BoardState.LIVE)
    db.session.commit()
    login(judge)
    lowest = {str(c.id): c.min_score for c in setup.criteria}
    response = put_scores(client, first.id, scores=lowest, submit=True, version=first.version)
    assert response.status_code == 200
    late_id, late_version = late.id, late.version
    revision_before = _board(db, setup.event.id).revision

    # The publication stops where the cohort is told, its snapshot computed, until the
    # judge's submission has been answered (or has waited too long).
    telling = threading.Event()
    judge_answered = threading.Event()
    told = notices.published

    def slow_telling(event, snapshot):
        telling.set()
        judge_answered.wait(timeout=15)
        told(event, snapshot)

    monkeypatch.setattr(notices, "published", slow_telling)
    organizer = login(setup.organizer, client=new_client())
    organizer.get(f"/events/{setup.event.slug}/leaderboard/manage")
    published: dict[str, int] = {}

    def publish() -> None:
        response = organizer.form_post(
            f"/events/{setup.event.slug}/leaderboard/state", {"state": "published"}
        )
        published["status"] = response.status_code

    publisher = threading.Thread(target=publish)
    publisher.start()
    assert telling.wait(timeout=15), "the publication never reached its notices"

    began = time.monotonic()
    scores = {str(c.id): c.max_score for c in setup.criteria}
    response = put_scores(client, late_id, scores=scores, submit=True, version=late_version)
    waited = time.monotonic() - began
    judge_answered.set()
    publisher.join(timeout=30)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["status"] == "submitted"
    assert waited < 10, f"the judge's submission waited {waited:.1f} s for the publication"
    assert published == {"status": 302}

    db.session.expire_all()
    board = _board(db, setup.event.id)
    assert board.state == BoardState.PUBLISHED
    # Both the judge's submission and the publication moved the board on: neither bump
    # overwrote the other.
    assert board.revision >= revision_before + 2
    assert db.session.get(Snapshot, board.snapshot_id) is not None
    status = db.session.scalar(select(Assignment.status).where(Assignment.id == late_id))
    assert status == AssignmentStatus.SUBMITTED


def _board(db, event_id: int) -> Leaderboard:
    return db.session.scalars(select(Leaderboard).where(Leaderboard.event_id == event_id)).one()
