"""Every write that changes what the board shows moves its revision on in the same
transaction, so the public board shows it at the next request; a write that changes
nothing it shows leaves the revision and the ETag alone.

Each write goes through the service that makes it in the app (a few, for which the app has
no service, straight through the session), is committed, and is then read as a visitor
reads the board: with the ETag they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hackathon import csvio
from hackathon.events import services as events
from hackathon.events.models import Company
from hackathon.extensions import db
from hackathon.judging.csv import import_scores
from hackathon.judging.models import Assignment, Criterion
from hackathon.judging.services import calibration, reassign, rubric
from hackathon.judging.services.assignments import add_assignment
from hackathon.judging.services.scoring import ScoreUpdate, record_scores
from hackathon.leaderboard.models import Leaderboard
from hackathon.leaderboard.services import board as services
from hackathon.submissions.models import Submission
from hackathon.teams import rules as teams
from hackathon.teams.models import Team
from hackathon.teams.services import organizer, tracks
from tests.factories import make_assignment, make_company, make_user

API = "/api/v1/events/hack/leaderboard"


def revision(event_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Leaderboard.revision).where(Leaderboard.event_id == event_id))


def read(client) -> tuple[str, dict[str, Any]]:
    response = client.get(API)
    assert response.status_code == 200
    return response.headers["ETag"], response.get_json()


def assignment(s, team: str, judge: int, purpose: str = "rank") -> Assignment:
    return db.session.scalar(
        select(Assignment).where(
            Assignment.team_id == s.teams[team].id,
            Assignment.judge_id == s.judges[judge].id,
            Assignment.purpose == purpose,
        )
    )


def score(s, a: Assignment, values: dict, submit: bool = True) -> bool:
    """A judge's write, as the scoring API makes it: the assignment locked first."""
    locked = db.session.scalar(
        select(Assignment)
        .where(Assignment.id == a.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    update = ScoreUpdate(scores={c.id: v for c, v in values.items()}, submit=submit)
    return record_scores(locked, update, actor_id=locked.judge_id)


def criterion_values(c, **changes: Any) -> dict[str, Any]:
    fields = ("name", "name_en", "description", "description_en", "weight", "min_score")
    values = {k: getattr(c, k) for k in (*fields, "max_score", "levels")}
    return values | changes


def track_values(t, **changes: Any) -> dict[str, Any]:
    fields = ("name", "name_en", "description", "description_en", "capacity", "company_id")
    return {k: getattr(t, k) for k in fields} | changes


def row(body: dict, team: str) -> dict:
    return next(r for r in body["rows"] if r["team"]["name"] == team)


def order(body: dict) -> list[str]:
    return [r["team"]["name"] for r in body["rows"]]


@pytest.fixture
def live(scored, set_state):
    """The board live; judge 0 has a draft (not submitted) of team E."""
    idea, _ = scored.criteria
    make_assignment(scored.judges[0], scored.teams["E"], scores={idea: 9}, status="in_progress")
    set_state("live")
    return scored


@pytest.fixture
def published(scored, set_state):
    """The board published, with two prizes: A's from a company, and C's."""
    company = make_company("한빛은행")
    services.create_award(
        scored.event,
        name="기업상",
        name_en="Bank prize",
        team_id=scored.teams["A"].id,
        company_id=company.id,
    )
    services.create_award(scored.event, name="우수상", team_id=scored.teams["C"].id)
    db.session.commit()
    set_state("published")
    return scored


# Each write: (setup committed before it, or None; the write; what the reader then sees).
Write = tuple[Callable | None, Callable, Callable]


def _tie_b_and_c(s) -> None:
    """C scored exactly as B (same judges, same values): they tie, the earlier hand-in
    (B's) goes first."""
    for j in range(3):
        b = {x.criterion_id: x.value for x in assignment(s, "B", j).scores}
        for x in assignment(s, "C", j).scores:
            x.value = b[x.criterion_id]


def _hand_c_in_first(s) -> None:
    b, c = (
        db.session.scalar(select(Submission).where(Submission.team_id == s.teams[t].id))
        for t in "BC"
    )
    c.submitted_at = b.submitted_at - timedelta(minutes=1)


def _calibration_scored(s) -> None:
    """E is a calibration item; judge 1 submitted its calibration scores."""
    calibration.mark_calibration(s.event, s.teams["E"].id)
    values = {c: c.max_score for c in s.criteria}
    score(s, assignment(s, "E", 1, "calibration"), values)


LIVE: dict[str, Write] = {
    "a draft submitted": (
        None,
        lambda s: score(s, assignment(s, "E", 0), {s.criteria[1]: 4}, submit=True),
        lambda b: row(b, "E")["judges"] == 1,
    ),
    "a submitted score changed": (
        None,
        lambda s: score(s, assignment(s, "A", 0), {s.criteria[0]: 1}),
        lambda b: row(b, "A")["criteria"]["아이디어"] < 60,
    ),
    "a submitted assignment reopened": (
        None,
        lambda s: score(s, assignment(s, "A", 0), {s.criteria[0]: 2}, submit=False),
        lambda b: row(b, "A")["judges"] == 2,
    ),
    "scores imported": (
        None,
        lambda s: import_scores(
            s.event,
            [
                csvio.Row(
                    n + 2,
                    {
                        "judge_email": s.judges[1].email,
                        "team": "E",
                        "criterion": c.name,
                        "score": str(c.max_score),
                    },
                )
                for n, c in enumerate(s.criteria)
            ],
        ),
        lambda b: row(b, "E")["judges"] == 1,
    ),
    "an assignment removed": (
        None,
        lambda s: reassign.remove_assignment(assignment(s, "A", 0)),
        lambda b: row(b, "A")["judges"] == 2,
    ),
    "a criterion's weight changed": (
        lambda s: rubric.unlock_rubric(s.event, "test"),
        lambda s: rubric.update_criterion(
            s.criteria[1], **criterion_values(s.criteria[1], weight=10.0)
        ),
        lambda b: True,  # the order and the scores move; the test checks the bytes
    ),
    "a criterion's English name changed": (
        lambda s: rubric.unlock_rubric(s.event, "test"),
        lambda s: rubric.update_criterion(
            s.criteria[1], **criterion_values(s.criteria[1], name_en="Engineering")
        ),
        lambda b: b["criteria"][1] == {"name": "기술", "name_en": "Engineering"},
    ),
    "a criterion added": (
        lambda s: rubric.unlock_rubric(s.event, "test"),
        lambda s: rubric.add_criterion(s.event, name="발표", weight=1.0, min_score=1, max_score=5),
        lambda b: [c["name"] for c in b["criteria"]] == ["아이디어", "기술", "발표"],
    ),
    "the criteria reordered": (
        lambda s: rubric.unlock_rubric(s.event, "test"),
        lambda s: rubric.move_criterion(s.criteria[1], -1),
        lambda b: [c["name"] for c in b["criteria"]] == ["기술", "아이디어"],
    ),
    "a criterion removed": (
        lambda s: (
            rubric.unlock_rubric(s.event, "test"),
            rubric.add_criterion(s.event, name="발표", weight=1.0, min_score=1, max_score=5),
        ),
        lambda s: rubric.delete_criterion(
            db.session.scalar(select(Criterion).where(Criterion.name == "발표"))
        ),
        lambda b: [c["name"] for c in b["criteria"]] == ["아이디어", "기술"],
    ),
    "a team renamed": (
        None,
        lambda s: organizer.rename(s.teams["A"], "에이"),
        lambda b: order(b)[0] == "에이",
    ),
    "a team moved to another track": (
        None,
        lambda s: organizer.set_track(s.teams["A"], s.tracks[1].id),
        lambda b: row(b, "A")["track"] == "보안",
    ),
    "a team added": (
        None,
        lambda s: organizer.create_teams(s.event, [[make_user("new@example.test")]], ["F"]),
        lambda b: "F" in order(b),
    ),
    "a team removed": (
        lambda s: organizer.create_teams(s.event, [[make_user("new@example.test")]], ["F"]),
        lambda s: teams.delete_team(db.session.scalar(select(Team).where(Team.name == "F"))),
        lambda b: "F" not in order(b),
    ),
    "a track renamed": (
        None,
        lambda s: tracks.save_track(
            s.event, s.tracks[0], **track_values(s.tracks[0], name="핀테크", name_en="Fintech")
        ),
        lambda b: (row(b, "A")["track"], row(b, "A")["track_en"]) == ("핀테크", "Fintech"),
    ),
    "a track added": (
        None,
        lambda s: tracks.save_track(s.event, None, name="디자인", capacity=3),
        lambda b: [t["name"] for t in b["tracks"]][-1] == "디자인",
    ),
    "a track removed": (
        lambda s: tracks.save_track(s.event, None, name="디자인", capacity=3),
        lambda s: tracks.delete_track(tracks.track_by_name(s.event, "디자인")),
        lambda b: [t["name"] for t in b["tracks"]] == ["금융", "보안"],
    ),
    "the tracks reordered (through the session)": (
        None,
        lambda s: setattr(s.tracks[1], "position", -1),
        lambda b: [t["name"] for t in b["tracks"]] == ["보안", "금융"],
    ),
    "a hand-in time that breaks a tie (through the session)": (
        _tie_b_and_c,
        _hand_c_in_first,
        lambda b: order(b).index("C") < order(b).index("B"),
    ),
    "the event's scoring mode changed": (
        None,
        lambda s: events.update_event(s.event, scoring_mode="raw"),
        lambda b: b["mode"] == "raw",
    ),
    "the board frozen": (
        None,
        lambda s: services.set_state(s.event, "frozen"),
        lambda b: b["state"] == "frozen",
    ),
    "a judge made a shadow judge": (
        None,
        lambda s: calibration.set_shadow(s.event, s.judges[0].id, True),
        lambda b: row(b, "A")["judges"] == 2,
    ),
    "a shadow judge counting again": (
        lambda s: calibration.set_shadow(s.event, s.judges[0].id, True),
        lambda s: calibration.set_shadow(s.event, s.judges[0].id, False),
        lambda b: row(b, "A")["judges"] == 3,
    ),
    "a calibration item's work made to count (through the session)": (
        _calibration_scored,
        lambda s: setattr(assignment(s, "E", 1, "calibration"), "purpose", "rank"),
        lambda b: row(b, "E")["judges"] == 1,
    ),
}


PUBLISHED: dict[str, Write] = {
    "an award given": (
        None,
        lambda s: services.create_award(s.event, name="대상", team_id=s.teams["B"].id),
        lambda b: [a["name"] for a in row(b, "B")["awards"]] == ["대상"],
    ),
    "an award renamed": (
        None,
        lambda s: services.update_award(
            s.event, services.awards(s.event.id)[1], name="최우수상", team_id=s.teams["C"].id
        ),
        lambda b: b["awards"][1]["name"] == "최우수상",
    ),
    "an award given to another team": (
        None,
        lambda s: services.update_award(
            s.event, services.awards(s.event.id)[1], name="우수상", team_id=s.teams["D"].id
        ),
        lambda b: row(b, "C")["awards"] == [] and row(b, "D")["awards"][0]["name"] == "우수상",
    ),
    "the awards reordered": (
        None,
        lambda s: services.move_award(s.event, services.awards(s.event.id)[1], -1),
        lambda b: [a["name"] for a in b["awards"]] == ["우수상", "기업상"],
    ),
    "an award removed": (
        None,
        lambda s: services.delete_award(s.event, services.awards(s.event.id)[0]),
        lambda b: [a["name"] for a in b["awards"]] == ["우수상"],
    ),
    "an awarded team renamed": (
        None,
        lambda s: organizer.rename(s.teams["C"], "씨"),
        lambda b: b["awards"][1]["team"]["name"] == "씨",
    ),
    "the awarding company renamed (through the session)": (
        None,
        lambda s: setattr(
            db.session.get(Company, services.awards(s.event.id)[0].company_id), "name", "한빛금융"
        ),
        lambda b: b["awards"][0]["company"] == "한빛금융",
    ),
    "the board back to live": (
        None,
        lambda s: services.set_state(s.event, "live"),
        lambda b: b["state"] == "live" and b["awards"] == [],
    ),
}


def check_a_write_shows(client, s, setup, write, shows) -> None:
    if setup is not None:
        setup(s)
        db.session.commit()
    etag, before = read(client)
    start = revision(s.event.id)
    write(s)
    db.session.commit()
    response = client.get(API, headers={"If-None-Match": etag})
    assert response.status_code == 200, "the reader's copy must be out of date"
    after = response.get_json()
    assert after != before
    assert shows(after), after
    assert revision(s.event.id) > start


@pytest.mark.parametrize("name", LIVE)
def test_a_write_shows_on_the_live_board_at_the_next_request(client, live, name):
    check_a_write_shows(client, live, *LIVE[name])


@pytest.mark.parametrize("name", PUBLISHED)
def test_a_write_shows_on_the_published_board_at_the_next_request(client, published, name):
    check_a_write_shows(client, published, *PUBLISHED[name])


def unchanged(client, s, write: Callable) -> None:
    etag, _ = read(client)
    start = revision(s.event.id)
    write()
    db.session.commit()
    assert revision(s.event.id) == start
    assert client.get(API, headers={"If-None-Match": etag}).status_code == 304


def test_writes_that_change_nothing_shown_leave_revision_and_etag_alone(client, live):
    s = live
    idea, _ = s.criteria
    a = assignment(s, "A", 0)
    given = {c: x.value for x in a.scores for c in s.criteria if c.id == x.criterion_id}
    rubric.unlock_rubric(s.event, "test")
    db.session.commit()
    steps = {
        "the same scores submitted again": lambda: score(s, a, given),
        "a draft saved": lambda: score(s, assignment(s, "E", 0), {idea: 3}, submit=False),
        "a team given to a judge": lambda: add_assignment(s.event, s.judges[2].id, s.teams["E"].id),
        "a team renamed to its name": lambda: organizer.rename(s.teams["A"], "A"),
        "a team put on its track": lambda: organizer.set_track(s.teams["A"], s.tracks[0].id),
        "a team's description": lambda: setattr(s.teams["B"], "description", "새 소개"),
        "a track saved as it is": lambda: tracks.save_track(
            s.event, s.tracks[0], **track_values(s.tracks[0])
        ),
        "a criterion saved as it is": lambda: rubric.update_criterion(
            idea, **criterion_values(idea)
        ),
        "the event's mode set to what it is": lambda: events.update_event(
            s.event, scoring_mode="zscore"
        ),
        "the event's description": lambda: events.update_event(s.event, description="새 설명"),
        "a calibration item marked": lambda: calibration.mark_calibration(s.event, s.teams["B"].id),
        "a calibration item scored and submitted": lambda: score(
            s, assignment(s, "B", 1, "calibration"), {c: c.max_score for c in s.criteria}
        ),
        "a calibration item removed": lambda: calibration.unmark_calibration(
            s.event, s.teams["B"].id
        ),
    }
    for name, step in steps.items():
        try:
            unchanged(client, s, step)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


def test_an_award_saved_as_it_is_leaves_the_published_board_alone(client, published):
    s = published
    award = services.awards(s.event.id)[1]
    unchanged(
        client,
        s,
        lambda: services.update_award(s.event, award, name="우수상", team_id=award.team_id),
    )


def test_a_bulk_statement_on_a_watched_table_moves_every_board_on(client, live, db):
    """It names no event the session can tell: every board's revision moves on."""
    from sqlalchemy import update

    from hackathon.teams.models import Team

    etag, _ = read(client)
    start = revision(live.event.id)
    db.session.execute(update(Team).where(Team.id == live.teams["A"].id).values(name="에이"))
    db.session.commit()
    assert revision(live.event.id) > start
    response = client.get(API, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "에이" in order(response.get_json())


def test_a_savepoint_rolled_back_does_not_lose_the_bump_of_what_stays(client, live, db):
    read(client)
    start = revision(live.event.id)
    organizer.rename(live.teams["A"], "에이")
    db.session.flush()
    savepoint = db.session.begin_nested()
    services.scores_changed(live.event.id)
    savepoint.rollback()
    db.session.commit()
    assert revision(live.event.id) > start
    assert "에이" in order(read(client)[1])


def test_a_rolled_back_write_bumps_nothing(client, live, db):
    etag, _ = read(client)
    start = revision(live.event.id)
    organizer.rename(live.teams["A"], "에이")
    db.session.flush()
    db.session.rollback()
    db.session.commit()  # the next transaction has nothing of the first
    assert revision(live.event.id) == start
    assert client.get(API, headers={"If-None-Match": etag}).status_code == 304


def test_scores_changed_bumps_at_once_and_once(db, live):
    """The function judging calls (and will listen to a signal with): the revision moves
    on before the commit, and the writes it reports are not bumped a second time."""
    start = revision(live.event.id)
    a = assignment(live, "A", 0)
    for x in a.scores:
        x.value = x.value - 1 if x.value > 1 else x.value
    db.session.flush()
    services.scores_changed(live.event.id)
    assert revision(live.event.id) == start + 1
    db.session.commit()
    assert revision(live.event.id) == start + 1


def test_scores_written_without_scores_changed_are_bumped_at_commit(db, live):
    start = revision(live.event.id)
    make_assignment(
        make_user("late@example.test"),
        live.teams["E"],
        scores={live.criteria[0]: 5},
        status="submitted",
    )
    assert revision(live.event.id) == start + 1


def test_a_board_without_its_row_yet_is_never_cached(organizer_client, scored, db):
    """Before any score is submitted or the board is touched it has no row, so no revision
    to key a view by: the organizers' preview is computed each time. The first write the
    board shows gives it its row, and the preview shows that write."""
    db.session.delete(services.get_board(scored.event.id))  # as before any write it notes
    db.session.commit()
    assert services.get_board(scored.event.id) is None
    assert "A" in order(organizer_client.get(API).get_json())
    assert services.get_board(scored.event.id) is None  # reading made no row
    organizer.rename(scored.teams["A"], "에이")
    db.session.commit()
    assert services.get_board(scored.event.id) is not None
    assert "에이" in order(organizer_client.get(API).get_json())
