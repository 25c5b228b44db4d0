"""Bad bodies to the upload endpoints: a 422 naming the field, and nothing issued."""

from __future__ import annotations

import json

import pytest

from hackathon.submissions.models import SubmissionFile
from tests.helpers import MB, open_submission, row_count, sha, ticket_for

pytestmark = pytest.mark.parametrize("backend", ["local"], indirect=True)

GOOD = {"slot": "slides", "filename": "a.pdf", "size": 10, "sha256": sha(b"x")}


@pytest.fixture
def alice(backend, world, login):
    client = login(world.alice, client=backend.client())
    client.submission_id = open_submission(client, world.event)
    return client


def post_raw(client, url: str, data: str, **headers):
    return client.api(
        "POST", url, data=data, headers={"Content-Type": "application/json", **headers}
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"size": 10.0}, "size"),
        ({"size": True}, "size"),
        ({"size": "１０"}, "size"),  # full-width digits in a string
        ({"size": [10]}, "size"),
        ({"size": None}, "size"),
        ({"slot": ["slides"]}, "slot"),
        ({"slot": "sli\x00des"}, "slot"),  # PostgreSQL compares no NUL
        ({"slot": [[[[[["slides"]]]]]]}, "slot"),
        ({"filename": {"name": "a.pdf"}}, "filename"),
        ({"filename": None}, "filename"),
        ({"sha256": 123}, "sha256"),
        ({"sha256": [sha(b"x")]}, "sha256"),
    ],
)
def test_bad_ticket_fields_are_named(backend, world, alice, db, change, field):
    url = f"/api/v1/submissions/{alice.submission_id}/uploads"
    response = post_raw(alice, url, json.dumps({**GOOD, **change}))
    assert response.status_code == 422, response.json
    assert list(response.json["error"]["details"]["fields"]) == [field]
    assert row_count(db, SubmissionFile) == 0


@pytest.mark.parametrize("missing", list(GOOD))
def test_every_ticket_field_is_required(backend, world, alice, db, missing):
    body = {k: v for k, v in GOOD.items() if k != missing}
    response = alice.api("POST", f"/api/v1/submissions/{alice.submission_id}/uploads", json=body)
    assert response.status_code == 422
    assert list(response.json["error"]["details"]["fields"]) == [missing]


@pytest.mark.parametrize("data", ["[]", "{", "null"])
def test_a_ticket_body_that_is_no_json_object_is_a_422(backend, world, alice, db, data):
    url = f"/api/v1/submissions/{alice.submission_id}/uploads"
    response = post_raw(alice, url, data)
    assert response.status_code == 422
    assert list(response.json["error"]["details"]["fields"]) == ["body"]
    assert row_count(db, SubmissionFile) == 0


def test_a_ticket_body_nested_too_deeply_is_a_400(backend, world, alice, db):
    url = f"/api/v1/submissions/{alice.submission_id}/uploads"
    response = post_raw(alice, url, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "too_deep"
    assert row_count(db, SubmissionFile) == 0


@pytest.mark.parametrize("size", ["9" * 5000, str(10**30), "1e400"])
def test_a_size_no_column_holds_is_named_not_a_crash(backend, world, alice, db, size):
    url = f"/api/v1/submissions/{alice.submission_id}/uploads"
    response = post_raw(alice, url, json.dumps(GOOD).replace('"size": 10', f'"size": {size}'))
    assert response.status_code == 422
    assert list(response.json["error"]["details"]["fields"]) == ["size"]
    assert row_count(db, SubmissionFile) == 0


def test_a_huge_size_is_too_large_not_a_crash(backend, world, alice, db):
    response = ticket_for(alice, alice.submission_id, "slides", "a.pdf", b"x", size=10**17)
    assert 400 <= response.status_code < 500
    assert response.json["error"]["code"] == "too_large"
    assert row_count(db, SubmissionFile) == 0


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ko", "파일 크기를 바이트 단위 정수로 입력해 주세요."),
        ("en", "Give the file's size in bytes, a whole number."),
    ],
)
def test_the_ticket_422_speaks_the_readers_language(backend, world, alice, db, lang, message):
    url = f"/api/v1/submissions/{alice.submission_id}/uploads"
    body = json.dumps({**GOOD, "size": "10"})
    response = post_raw(alice, url, body, **{"Accept-Language": lang})
    assert response.json["error"]["details"]["fields"] == {"size": message}


@pytest.mark.parametrize(
    ("numbers", "field"),
    [
        ([True], "part_numbers.0"),
        ([1.0], "part_numbers.0"),
        (["１"], "part_numbers.0"),
        ([1, [2]], "part_numbers.1"),
        ({"1": 1}, "part_numbers"),
        (None, "part_numbers"),
        ([10**30], "part_numbers.0"),  # more digits than a part number may have
        ([10**8], "part_numbers"),  # a whole number, but no part of this upload
    ],
)
def test_bad_part_numbers_are_named(backend, world, alice, db, monkeypatch, numbers, field):
    monkeypatch.setitem(backend.app.config, "UPLOAD_MULTIPART_THRESHOLD", 1 * MB)
    monkeypatch.setitem(backend.app.config, "UPLOAD_PART_SIZE", 5 * MB)
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (6 * MB)
    ticket = ticket_for(alice, alice.submission_id, "video", "v.mp4", video).json
    assert ticket["multipart"] is True
    response = alice.api("POST", ticket["parts_url"], json={"part_numbers": numbers})
    assert response.status_code == 422, response.json
    assert list(response.json["error"]["details"]["fields"]) == [field]
