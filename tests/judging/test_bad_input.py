"""Bad input to the judging pages and API answers a clear 4xx and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hackathon.judging.models import Assignment, Score
from tests.judging.conftest import assign


def score_rows(db, assignment_id):
    db.session.expire_all()
    return {
        s.criterion_id: s.value
        for s in db.session.scalars(select(Score).where(Score.assignment_id == assignment_id))
    }


@pytest.mark.parametrize(
    "value",
    ["²", "٣", "３", "--5", "9" * 5000, "7.5", "일곱"],
)
def test_the_scoring_form_refuses_what_is_not_a_whole_number(setup, client, login, db, value):
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    client.get(f"/judging/assignments/{a.id}", headers={"Accept-Language": "ko"})
    data = {f"score-{idea.id}": value, "action": "save", "version": "1", "feedback": "x"}
    response = client.form_post(
        f"/judging/assignments/{a.id}", data, headers={"Accept-Language": "ko"}
    )
    assert response.status_code == 422
    assert "점수는 정수여야 합니다." in response.text
    assert score_rows(db, a.id) == {}
    assert db.session.get(Assignment, a.id).feedback == ""


@pytest.mark.parametrize(
    "fields",
    [
        {"score-²": "3"},
        {"score-" + "9" * 5000: "3"},
        {"version": "²"},
        {"version": "9" * 5000},
    ],
)
def test_odd_field_names_and_versions_are_refused_or_ignored(setup, client, login, db, fields):
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    client.get(f"/judging/assignments/{a.id}")
    data = {"action": "save", "version": "1", **fields}
    response = client.form_post(f"/judging/assignments/{a.id}", data)
    assert response.status_code in (302, 422)
    assert score_rows(db, a.id) == {}
