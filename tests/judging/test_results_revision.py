"""Submitted work changes the results at once; a draft's autosave never does."""

from __future__ import annotations

from sqlalchemy import select

from hackathon.leaderboard.models import Leaderboard
from tests.helpers import assign, put_scores


def revision(db, event_id: int) -> int:
    db.session.expire_all()
    return (
        db.session.scalar(select(Leaderboard.revision).where(Leaderboard.event_id == event_id)) or 0
    )


def test_drafts_leave_the_board_alone_and_submitting_moves_it(setup, client, login, db):
    idea, execution = setup.criteria
    judge = setup.judges[0]
    a = assign(setup, judge, setup.teams[0])
    login(judge)
    start = revision(db, setup.event.id)

    draft = put_scores(client, a.id, scores={str(idea.id): 7}, version=a.version)
    assert draft.status_code == 200
    assert revision(db, setup.event.id) == start

    submitted = put_scores(
        client,
        a.id,
        scores={str(execution.id): 4},
        submit=True,
        version=draft.get_json()["version"],
    )
    assert submitted.status_code == 200, submitted.get_json()
    after_submit = revision(db, setup.event.id)
    assert after_submit > start

    # Reopening a submitted assignment takes its scores out of the results: that counts too.
    reopened = put_scores(
        client, a.id, scores={str(idea.id): 8}, version=submitted.get_json()["version"]
    )
    assert reopened.get_json()["status"] == "in_progress"
    assert revision(db, setup.event.id) > after_submit
