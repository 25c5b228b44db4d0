"""Twenty judges write scores at once, each from two devices, on separate connections:
nothing is lost, nothing is doubled, and the audit table replays to the score table."""

from __future__ import annotations

import os
import random
import threading
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select

from hackathon.judging.models import Assignment, Score, ScoreChange
from hackathon.judging.services.assignments import assign_judges
from tests.factories import (
    grant,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_user,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="SELECT … FOR UPDATE does nothing on SQLite; run with DATABASE_URL=postgresql://…",
    ),
]

JUDGES, TEAMS, PER_TEAM, ROUNDS = 20, 10, 6, 12


def test_twenty_judges_in_parallel_lose_and_double_nothing(db, login, new_client):
    event = make_event(phase="judging")
    criteria = [make_criterion(event, f"기준 {i}", lo=1, hi=10) for i in range(3)]
    judges = [make_user(name=f"심사 {i}") for i in range(JUDGES)]
    for judge in judges:
        grant(event, judge, "judge")
    for i in range(TEAMS):
        make_submission(make_team(event, f"팀 {i}"), title=f"작품 {i}")
    assign_judges(event, PER_TEAM, seed=1)
    db.session.commit()
    mine = defaultdict(list)
    for a in db.session.scalars(select(Assignment)):
        mine[a.judge_id].append(a.id)
    # Two devices per judge: two signed-in clients that race on the same assignments.
    devices = [(j.id, login(j, client=new_client())) for j in judges for _ in range(2)]
    criterion_ids = [c.id for c in criteria]  # threads have no app context to load rows

    successes: dict[int, list[tuple[int, dict[str, int]]]] = defaultdict(list)
    conflicts = []
    errors = []
    lock = threading.Lock()
    start = threading.Barrier(len(devices))

    def work(seed: int, judge_id: int, client) -> None:
        rng = random.Random(seed)
        known = dict.fromkeys(mine[judge_id], 1)
        start.wait()
        for _ in range(ROUNDS):
            assignment_id = rng.choice(mine[judge_id])
            chosen = rng.sample(criterion_ids, rng.randint(1, 3))
            scores = {str(c): rng.randint(1, 10) for c in chosen}
            response = client.api(
                "PUT",
                f"/api/v1/assignments/{assignment_id}/scores",
                json={"scores": scores, "version": known[assignment_id]},
            )
            body = response.get_json()
            with lock:
                if response.status_code == 200:
                    known[assignment_id] = body["version"]
                    successes[assignment_id].append((body["version"], scores))
                elif response.status_code == 409:
                    conflicts.append(assignment_id)
                    known[assignment_id] = body["error"]["details"]["current_version"]
                else:
                    errors.append((response.status_code, body))

    threads = [
        threading.Thread(target=work, args=(n, judge_id, client))
        for n, (judge_id, client) in enumerate(devices)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert conflicts, "two devices never raced; the test did not exercise the lock"

    db.session.expire_all()
    table = {(s.assignment_id, s.criterion_id): s.value for s in db.session.scalars(select(Score))}
    # Nothing doubled: one row per (assignment, criterion).
    assert db.session.scalar(select(func.count(Score.id))) == len(table)
    for assignment in db.session.scalars(select(Assignment)):
        by_version: dict[int, list[dict[str, int]]] = defaultdict(list)
        for version, scores in successes[assignment.id]:
            by_version[version].append(scores)
        # Nothing lost: every version step came from an accepted write, and the values
        # the writes set, applied in version order, are the values stored.
        final = max(by_version, default=1)
        assert assignment.version == final
        assert set(by_version) | {1} == set(range(1, final + 1))
        expected: dict[tuple[int, int], int] = {}
        for version in sorted(by_version):
            for scores in by_version[version]:
                for criterion_id, value in scores.items():
                    expected[assignment.id, int(criterion_id)] = value
        assert {k: v for k, v in table.items() if k[0] == assignment.id} == expected
        # One audited request per version step: no two writes took the same step.
        requests = db.session.scalars(
            select(func.count(func.distinct(ScoreChange.request_id))).where(
                ScoreChange.assignment_id == assignment.id
            )
        ).one()
        assert requests == final - 1

    # Replaying the audit table in order gives exactly the score table.
    replay: dict[tuple[int, int], int] = {}
    for change in db.session.scalars(
        select(ScoreChange).where(ScoreChange.field == "score").order_by(ScoreChange.id)
    ):
        key = (change.assignment_id, change.criterion_id)
        old = replay.get(key)
        assert change.old_value == (None if old is None else str(old))
        if change.new_value is None:
            replay.pop(key, None)
        else:
            replay[key] = int(change.new_value)
    assert replay == table


def post_at_once(clients, url: str, data: dict) -> list[object]:
    """Each client posts the form at the same moment; status codes, or the errors raised."""
    start = threading.Barrier(len(clients))
    outcomes: list[object] = []

    def run(client) -> None:
        start.wait()
        try:
            outcomes.append(client.form_post(url, data).status_code)
        except Exception as error:
            outcomes.append(repr(error))

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_organizers_assigning_at_once_give_each_team_exactly_k_judges(db, login, new_client):
    """Two plans made side by side would each fill the same gaps: a team got 2K judges, or
    the second plan failed on a pair the first had just taken."""
    for attempt in range(4):
        event = make_event(phase="judging", judges_per_submission=2)
        organizer = make_user(name=f"운영 {attempt}")
        grant(event, organizer, "organizer")
        for i in range(12):
            grant(event, make_user(name=f"심사 {attempt}-{i}"), "judge")
        teams = [make_team(event, f"팀 {attempt}-{i}") for i in range(3)]
        for i, team in enumerate(teams):
            make_submission(team, title=f"작품 {i}")
        clients = [login(organizer, client=new_client()) for _ in range(3)]
        url = f"/events/{event.slug}/judging/assign"  # threads have no app context
        assert post_at_once(clients, url, {"k": "2"}) == [302, 302, 302]
        db.session.expire_all()
        per_team = Counter(
            db.session.scalars(select(Assignment.team_id).where(Assignment.event_id == event.id))
        )
        assert per_team == {t.id: 2 for t in teams}


def _in_thread(app, work, outcome: dict, name: str) -> threading.Thread:
    """Run `work()` in its own app context (its own session and connection)."""

    def run() -> None:
        with app.app_context():
            try:
                outcome[name] = work()
            except Exception as error:
                outcome[name] = error
                from hackathon.extensions import db as database

                database.session.rollback()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def one_assignment(db) -> tuple[int, int, int]:
    """A judging event with one criterion and one assignment: (criterion, judge, assignment)."""
    from hackathon.judging.services.assignments import add_assignment

    event = make_event(phase="judging")
    idea = make_criterion(event, "기획력", lo=1, hi=10)
    judge = make_user(name="심사")
    grant(event, judge, "judge")
    team = make_team(event, "팀")
    make_submission(team, title="작품")
    assignment = add_assignment(event, judge.id, team.id)
    db.session.commit()
    return idea.id, judge.id, assignment.id


def test_a_criterion_is_not_deleted_under_a_score_being_written(app, db):
    """The rubric refuses to delete a scored criterion, but counted the scores without a
    lock: a judge's first score, written while the organizer deleted, was then removed
    with the criterion by the database's cascade."""
    from hackathon.errors import Conflict
    from hackathon.judging.models import Criterion
    from hackathon.judging.services import rubric
    from hackathon.judging.services.scoring import ScoreUpdate, record_scores

    idea_id, judge_id, assignment_id = one_assignment(db)
    written, go = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def score() -> None:
        from hackathon.extensions import db as database

        locked = database.session.get(Assignment, assignment_id, with_for_update=True)
        record_scores(locked, ScoreUpdate(scores={idea_id: 7}), actor_id=judge_id)
        written.set()
        go.wait(10)
        database.session.commit()

    def delete() -> None:
        from hackathon.extensions import db as database

        written.wait(10)
        rubric.delete_criterion(database.session.get(Criterion, idea_id))
        database.session.commit()

    threads = [_in_thread(app, score, outcome, "score"), _in_thread(app, delete, outcome, "del")]
    written.wait(10)
    threading.Event().wait(0.5)  # the deletion is under way (and waits, once fixed)
    go.set()
    for thread in threads:
        thread.join(30)
    db.session.expire_all()
    assert outcome["score"] is None
    assert db.session.get(Criterion, idea_id) is not None, "the criterion went"
    assert db.session.scalar(select(Score.value).where(Score.criterion_id == idea_id)) == 7
    # Refused once the score is in: the rubric is now locked, and the criterion scored.
    assert isinstance(outcome["del"], Conflict), repr(outcome["del"])


def test_a_score_for_a_criterion_deleted_meanwhile_is_refused_not_an_error(app, db):
    """The other order: the organizer deletes first; the judge's write must then be told
    the criterion is gone (422), not fail on the foreign key."""
    from hackathon.errors import ValidationFailed
    from hackathon.judging.models import Criterion
    from hackathon.judging.services import rubric
    from hackathon.judging.services.scoring import ScoreUpdate, record_scores

    idea_id, judge_id, assignment_id = one_assignment(db)
    deleted, go = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def delete() -> None:
        from hackathon.extensions import db as database

        rubric.delete_criterion(database.session.get(Criterion, idea_id))
        deleted.set()
        go.wait(10)
        database.session.commit()

    def score() -> None:
        from hackathon.extensions import db as database

        deleted.wait(10)
        locked = database.session.get(Assignment, assignment_id, with_for_update=True)
        record_scores(locked, ScoreUpdate(scores={idea_id: 7}), actor_id=judge_id)
        database.session.commit()

    threads = [_in_thread(app, delete, outcome, "del"), _in_thread(app, score, outcome, "score")]
    deleted.wait(10)
    threading.Event().wait(0.5)
    go.set()
    for thread in threads:
        thread.join(30)
    assert outcome["del"] is None
    assert isinstance(outcome["score"], ValidationFailed), repr(outcome["score"])
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Score.id))) == 0
