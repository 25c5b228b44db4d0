"""The judging pages and the queue API read a cohort-sized event (33 teams) in a fixed
number of queries, however many teams a judge has: no query per row."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from hackathon.judging.models import Assignment
from hackathon.judging.services.assignments import assign_judges
from tests.helpers import build_setup, statements


def queries(db, client, url: str) -> int:
    with statements(db) as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


@pytest.fixture
def cohort(db):
    """33 teams, 12 judges, 3 judges per team: each judge has 8 or 9 teams."""
    s = build_setup(judges=12, teams=33, k=3)
    assign_judges(s.event, 3, seed=1)
    db.session.commit()
    return s


def test_the_queue_api_does_not_query_per_assignment(cohort, db, client, login, new_client):
    slug = cohort.event.slug
    busy, idle = cohort.judges[0], cohort.judges[1]
    # A judge whose work is all gone but one team, beside one with a full queue.
    keep = db.session.scalars(select(Assignment.id).where(Assignment.judge_id == idle.id)).first()
    db.session.execute(
        Assignment.__table__.delete().where(Assignment.judge_id == idle.id, Assignment.id != keep)
    )
    # Teams judged live hand in their submission after being assigned: look it up then.
    db.session.execute(update(Assignment).values(submission_id=None))
    db.session.commit()
    url = f"/api/v1/judging/{slug}/queue"
    full = queries(db, login(busy, client=new_client()), url)
    one = queries(db, login(idle, client=new_client()), url)
    assert full == one
    assert full <= 9  # one of them: whether the judge is a shadow (their scores never count)
    body = login(busy, client=new_client()).get(url).get_json()
    assert all(a["submission_id"] for a in body["assignments"])
    assert all(a["team"]["name"].startswith("팀 ") for a in body["assignments"])


def test_judge_and_organizer_pages_read_a_fixed_number_of_times(cohort, db, client, login):
    slug = cohort.event.slug
    judge = login(cohort.judges[0])
    first = db.session.scalars(
        select(Assignment.id).where(Assignment.judge_id == cohort.judges[0].id)
    ).first()
    judge.get(f"/judging/assignments/{first}")  # the first visit also records the opening
    assert queries(db, judge, f"/events/{slug}/judging") <= 10  # shadow flag, pitch rooms
    assert queries(db, judge, f"/judging/assignments/{first}") <= 14
    organizer = login(cohort.organizer)
    assert queries(db, organizer, f"/events/{slug}/judging/dashboard") <= 12
    assert queries(db, organizer, f"/events/{slug}/judging/assignments") <= 32
