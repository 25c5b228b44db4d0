"""Calibration items and shadow judges never count: the board, its API and CSV, the
robustness checks, the judging progress and the feedback shown to teams read only what
`judging.rules.counting` lets through.

Each test adds work that WOULD change the ranking if it counted (and shows that it would,
by making it count), then checks that every reader of the board is as before.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from hackathon.extensions import db
from hackathon.judging.models import Assignment, AssignmentPurpose
from hackathon.judging.services.calibration import mark_calibration, set_shadow
from hackathon.leaderboard.services import board as services
from hackathon.leaderboard.services import results
from hackathon.leaderboard.services.inputs import judging_progress
from tests.factories import grant, make_assignment, make_user

API = "/api/v1/events/hack/leaderboard"


def rows(board):
    return [
        (r["rank"], r["team"]["name"], r["score"], r["raw_score"], r["judges"], r["criteria"])
        for r in board["rows"]
    ]


def readers(client, scored):
    """What every reader of the ranking shows now."""
    api = client.get(API).get_json()
    table = client.get(f"{API}.csv").get_data(as_text=True)
    return {
        "board": rows(services.compute_board(scored.event)),
        "raw": rows(services.compute_board(scored.event, "raw")),
        "api": rows(api),
        "csv": list(csv.reader(io.StringIO(table))),
        "robustness": services.robustness(scored.event, rounds=50),
        "progress": judging_progress(scored.event.id),
    }


@pytest.fixture
def live(scored, set_state):
    set_state("live")
    return scored


def add_shadow(scored):
    """A trainee judge who loves D and dislikes A: every team scored, all submitted."""
    idea, tech = scored.criteria
    shadow = make_user("shadow@example.test", "수습 심사위원")
    grant(scored.event, shadow, "judge")
    values = {"A": (1, 0), "B": (6, 3), "C": (5, 2), "D": (10, 5), "E": (10, 5)}
    for name, (a, b) in values.items():
        make_assignment(
            shadow,
            scored.teams[name],
            scores={idea: a, tech: b},
            status="submitted",
            feedback=f"수습 의견 {name}",
        )
    set_shadow(scored.event, shadow.id, True)
    db.session.commit()
    return shadow


def add_calibration(scored):
    """E (never scored for the ranking) and D (every judge's real team too) are
    calibration items, scored at the top by every judge."""
    idea, tech = scored.criteria
    for name in ("E", "D"):
        mark_calibration(scored.event, scored.teams[name].id)
    db.session.commit()
    for a in db.session.scalars(
        select(Assignment).where(Assignment.purpose == AssignmentPurpose.CALIBRATION)
    ):
        a.status = "submitted"
        make_scores(a, {idea: 10, tech: 5})
        a.feedback = "보정용 의견"
    db.session.commit()


def make_scores(assignment, values):
    from hackathon.judging.models import Score

    for criterion, value in values.items():
        db.session.add(Score(assignment_id=assignment.id, criterion_id=criterion.id, value=value))


def test_shadow_scores_change_no_reader_of_the_ranking(client, live):
    before = readers(client, live)
    shadow = add_shadow(live)
    assert readers(client, live) == before
    # Counted, the same scores would move the board: the test above can fail.
    set_shadow(live.event, shadow.id, False)
    db.session.commit()
    counted = readers(client, live)
    assert counted["board"] != before["board"]
    assert counted["api"] != before["api"]
    assert counted["csv"] != before["csv"]
    assert counted["progress"] != before["progress"]


def test_calibration_scores_change_no_reader_of_the_ranking(client, live):
    before = readers(client, live)
    add_calibration(live)
    after = readers(client, live)
    assert after == before
    e = next(r for r in after["api"] if r[1] == "E")
    assert (e[0], e[4]) == (None, 0)  # still unranked, no judge
    # Counted, E's calibration scores would rank it first.
    db.session.execute(
        update(Assignment)
        .where(Assignment.team_id == live.teams["E"].id)
        .values(purpose=AssignmentPurpose.RANK)
    )
    db.session.commit()
    board = services.compute_board(live.event)
    assert board["rows"][0]["team"]["name"] == "E"


def test_feedback_shown_to_a_team_is_only_what_counts(live):
    add_shadow(live)
    add_calibration(live)
    board = services.compute_board(live.event)
    d = results.team_results(live.event, live.teams["D"], board)
    assert d.feedback == sorted(f"D 팀에 대한 의견 {j}" for j in range(3))
    assert results.team_results(live.event, live.teams["E"], board).feedback == []


def test_the_dashboard_progress_leaves_out_calibration_and_shadows(live, login):
    done, total = judging_progress(live.event.id)
    add_shadow(live)
    add_calibration(live)
    assert judging_progress(live.event.id) == (done, total)
    page = login(live.organizer).get("/events/hack/judging/dashboard").get_data(as_text=True)
    assert f'data-done="{done}" data-total="{total}"' in page


def test_no_reader_of_scores_outside_judging_filters_submitted_work_itself():
    """The counting rule lives in one place: a module of the leaderboard (or above) that
    filtered assignments by status without `counting` or `ranked_work` would forget
    calibration items and shadow judges."""
    root = Path(__file__).resolve().parents[2] / "hackathon"
    allowed = {"leaderboard/demo.py", "leaderboard/services/revision.py"}
    found = []
    for feature in ("leaderboard", "cohort", "admin"):
        for path in (root / feature).rglob("*.py"):
            name = path.relative_to(root).as_posix()
            text = path.read_text()
            filters = re.search(r"AssignmentStatus\.SUBMITTED", text)
            if (
                filters
                and name not in allowed
                and not re.search(r"\b(counting|ranked_work)\(", text)
            ):
                found.append(name)
    assert found == []
