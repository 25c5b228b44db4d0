"""Bad input to the judging pages and API answers a clear 4xx and changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from hackathon.judging.models import Assignment, Score
from tests.helpers import assign


def score_rows(db, assignment_id):
    db.session.expire_all()
    return {
        s.criterion_id: s.value
        for s in db.session.scalars(select(Score).where(Score.assignment_id == assignment_id))
    }


@pytest.mark.parametrize("value", ["²", "--5", "9" * 5000, "7.5", "일곱", "３", "٣", "9" * 10])
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


@pytest.mark.parametrize("value", ["3", " 3 "])
def test_a_score_in_ascii_digits_is_read_with_blanks_around_it(setup, client, login, db, value):
    """Digits of other scripts (a full-width ３, an Arabic-Indic ٣) are refused above, by
    the one rule for numbers typed as text (hackathon.numbers)."""
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    client.get(f"/judging/assignments/{a.id}")
    data = {f"score-{idea.id}": value, "action": "save", "version": "1"}
    assert client.form_post(f"/judging/assignments/{a.id}", data).status_code == 302
    assert score_rows(db, a.id) == {idea.id: 3}


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


# The scores API: every bad body is a 422 that names the field, and changes nothing.

DEEP = "[" * 100_000 + "]" * 100_000


def put_raw(client, assignment_id, data: str, **headers):
    return client.api(
        "PUT",
        f"/api/v1/assignments/{assignment_id}/scores",
        data=data,
        headers={"Content-Type": "application/json", **headers},
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scores": {"{idea}": 7.0}, "version": 1}, "scores.{idea}"),  # a float is no score
        ({"scores": {"{idea}": [[[[7]]]]}, "version": 1}, "scores.{idea}"),
        ({"scores": {"²": 7}, "version": 1}, "scores.²"),  # isdigit(), but no int()
        ({"scores": {"١": 7}, "version": 1}, "scores.١"),  # Arabic-Indic one
        ({"scores": {"9" * 40: 7}, "version": 1}, "scores." + "9" * 40),
        ({"scores": "7", "version": 1}, "scores"),
        ({"scores": {}, "version": 1.0}, "version"),
        ({"scores": {}, "version": "１"}, "version"),  # a full-width one
        ({"scores": {}, "version": [1]}, "version"),
        ({"scores": {}, "version": None}, "version"),
        ({"scores": {}, "version": 1, "submit": 1}, "submit"),
        ({"scores": {}, "version": 1, "submit": "true"}, "submit"),
        ({"scores": {}, "version": 1, "feedback": ["좋아요"]}, "feedback"),
        ({"scores": {}, "version": 1, "note": {"text": "메모"}}, "note"),
        ({"scores": {}, "version": 1, "note": "a\x00b"}, "note"),  # PostgreSQL stores no NUL
        ([{"scores": {}, "version": 1}], "body"),
        ("scores", "body"),
    ],
)
def test_bad_score_bodies_name_the_field_and_change_nothing(setup, client, login, db, body, field):
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    text = json.dumps(body, ensure_ascii=False).replace("{idea}", str(idea.id))
    response = put_raw(client, a.id, text)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert list(error["details"]["fields"]) == [field.replace("{idea}", str(idea.id))]
    assert score_rows(db, a.id) == {}
    assert db.session.get(Assignment, a.id).version == 1


@pytest.mark.parametrize("data", ["{not json", "", "null", '"text"', "7", "NaN"])
def test_a_body_that_is_no_json_object_is_a_422(setup, client, login, db, data):
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    response = put_raw(client, a.id, data, **{"Accept-Language": "ko"})
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["fields"] == {"body": "JSON 객체를 보내 주세요."}


def test_a_body_nested_too_deeply_is_a_400(setup, client, login, db):
    """Past what the parser follows (tests/api/test_limits.py has the limit itself)."""
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    response = put_raw(client, a.id, DEEP, **{"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "too_deep"
    assert score_rows(db, a.id) == {}


def test_huge_numbers_are_refused_by_the_rules_not_the_database(setup, client, login, db):
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    huge = 10**30
    for body, field in (
        ({"scores": {str(idea.id): huge}, "version": 1}, f"scores.{idea.id}"),
        ({"scores": {str(huge): 3}, "version": 1}, f"scores.{huge}"),
        ({"scores": {str(idea.id): 3}, "version": huge}, "version"),
        ({"scores": {str(idea.id): 3}, "version": 1, "x": "{5000 nines}"}, None),
    ):
        text = json.dumps(body).replace('"{5000 nines}"', "9" * 5000)  # no int() of it
        response = put_raw(client, a.id, text)
        if field is None:  # an ignored field may hold any number
            assert response.status_code == 200
            continue
        assert response.status_code == 422
        assert list(response.get_json()["error"]["details"]["fields"]) == [field]
    assert score_rows(db, a.id) == {idea.id: 3}


@pytest.mark.parametrize(
    ("lang", "whole", "body"),
    [
        ("ko", "점수는 정수여야 합니다.", "JSON 객체를 보내 주세요."),
        ("en", "A score must be a whole number.", "Send a JSON object."),
    ],
)
def test_the_422_speaks_the_readers_language(setup, client, login, db, lang, whole, body):
    idea, _ = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    headers = {"Accept-Language": lang}
    bad = json.dumps({"scores": {str(idea.id): "seven"}, "version": 1})
    error = put_raw(client, a.id, bad, **headers).get_json()["error"]
    assert error["details"]["fields"] == {f"scores.{idea.id}": whole}
    assert error["message"] == (
        "일부 항목이 올바르지 않습니다." if lang == "ko" else "Some fields are not valid."
    )
    error = put_raw(client, a.id, "[]", **headers).get_json()["error"]
    assert error["message"] == body
