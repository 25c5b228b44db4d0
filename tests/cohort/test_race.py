"""The same rating, or the same team's note, sent many times at once leaves one row. The
upsert holds on SQLite too, but only PostgreSQL runs these writes truly in parallel, so
these tests run there (DATABASE_URL=postgresql://…)."""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hackathon.cohort.models import CheckIn, PeerReview
from hackathon.cohort.services import checkins
from hackathon.db import utcnow

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")),
        reason="parallel transactions need PostgreSQL",
    ),
]

RACERS = 6


@pytest.fixture(scope="module", autouse=True)
def _close_pooled_connections(_migrated_app):
    yield
    from hackathon.extensions import db

    with _migrated_app.app_context():
        db.engine.dispose()


def _race(calls) -> list:
    barrier = threading.Barrier(len(calls))
    responses: list = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        responses[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_parallel_ratings_of_one_teammate_leave_one_row(db, crew, signed_in):
    rater, ratee = crew.members[0], crew.members[1]
    browsers = [signed_in(rater) for _ in range(RACERS)]
    url = f"/api/v1/events/peer/peer-reviews/{ratee.id}"
    calls = [
        (lambda b=b, n=n: b.api("PUT", url, {"score": 1 + n % 5})) for n, b in enumerate(browsers)
    ]
    responses = _race(calls)
    assert [r.status_code for r in responses] == [200] * RACERS
    db.session.expire_all()
    rows = db.session.scalars(select(PeerReview)).all()
    assert len(rows) == 1
    assert rows[0].score in {1 + n % 5 for n in range(RACERS)}


def test_parallel_notes_of_one_team_for_one_milestone_leave_one_note(db, crew, signed_in):
    milestone = checkins.save_milestone(
        crew.event, title="중간 점검", due_at=utcnow() + timedelta(days=1)
    )
    db.session.commit()
    browsers = [signed_in(crew.members[n % 4]) for n in range(RACERS)]
    url = f"/events/peer/teams/{crew.team.id}/checkins/{milestone.id}"
    calls = [
        (lambda b=b, n=n: b.form_post(url, {f"m{milestone.id}-body": f"노트 {n}"}))
        for n, b in enumerate(browsers)
    ]
    responses = _race(calls)
    assert [r.status_code for r in responses] == [302] * RACERS
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
