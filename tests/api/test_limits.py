"""What the API's fuzz (tests/test_fuzz_api.py) found, as concrete cases: bodies nested
too deep, too large, numbers no column holds, NaN and Infinity, wrong types, NUL
characters, ids in paths past any column. Each answers a clear 4xx in the reader's
language, as the API's JSON error, and writes nothing (`hackathon.api.bodies`)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from hackathon.api.bodies import MAX_BODY_BYTES, MAX_DEPTH
from hackathon.judging.models import Assignment, Score
from tests.helpers import assign, build_setup

DEEP = "[" * 100_000 + "]" * 100_000  # RecursionError in the standard library's parser

MESSAGES = {
    "ko": {
        "deep": f"JSON이 너무 깊게 중첩되어 있습니다. 최대 {MAX_DEPTH}단계까지 허용됩니다.",
        "large": f"요청 본문이 너무 큽니다. 최대 {MAX_BODY_BYTES // 1024} KB까지 보낼 수 있습니다.",
        "digits": "9자리 이하의 정수를 보내 주세요.",
        "long digits": "18자리 이하의 정수를 보내 주세요.",
        "fields": "일부 항목이 올바르지 않습니다.",
        "not found": "찾을 수 없습니다.",
    },
    "en": {
        "deep": f"The JSON is nested too deeply: at most {MAX_DEPTH} levels.",
        "large": f"The request body is too large: at most {MAX_BODY_BYTES // 1024} KB.",
        "digits": "Send a whole number of at most 9 digits.",
        "long digits": "Send a whole number of at most 18 digits.",
        "fields": "Some fields are not valid.",
        "not found": "Not found.",
    },
}


@pytest.fixture
def judged(db, client, login):
    """A judge signed in, with one assignment to score."""
    setup = build_setup()
    assignment = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    return setup, assignment


def send(client, method: str, url: str, data: str | bytes, lang: str, **headers):
    headers = {"Content-Type": "application/json", "Accept-Language": lang, **headers}
    return client.api(method, url, data=data, headers=headers)


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    return error


def nothing_written(db, assignment_id: int) -> None:
    db.session.expire_all()
    rows = db.session.scalars(select(Score).where(Score.assignment_id == assignment_id)).all()
    assert rows == []
    assert db.session.get(Assignment, assignment_id).version == 1


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(
    "body",
    [
        DEEP,
        '{"version": 1, "scores": ' + "[" * 10_000 + "]" * 10_000 + "}",
        '{"version": 1, "note": ' + '{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 2),
    ],
    ids=["100k lists", "10k lists in a field", "one level too deep"],
)
def test_a_body_nested_too_deeply_is_a_400_that_says_so(judged, client, db, lang, body):
    _setup, assignment = judged
    url = f"/api/v1/assignments/{assignment.id}/scores"
    error = error_of(send(client, "PUT", url, body, lang), 400, "too_deep")
    assert error["message"] == MESSAGES[lang]["deep"]
    nothing_written(db, assignment.id)


def test_nesting_up_to_the_limit_is_read_by_the_schema(judged, client, db):
    _setup, assignment = judged
    deepest = '{"version": 1, "note": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    url = f"/api/v1/assignments/{assignment.id}/scores"
    error = error_of(send(client, "PUT", url, deepest, "en"), 422, "validation_failed")
    assert list(error["details"]["fields"]) == ["note"]  # a list is no note


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_body_over_the_limit_is_a_413_before_it_is_read(judged, client, db, lang):
    _setup, assignment = judged
    url = f"/api/v1/assignments/{assignment.id}/scores"
    big = json.dumps({"version": 1, "feedback": "가" * MAX_BODY_BYTES})
    error = error_of(send(client, "PUT", url, big, lang), 413, "too_large")
    assert error["message"] == MESSAGES[lang]["large"]
    nothing_written(db, assignment.id)


def test_a_large_form_to_the_api_is_refused_before_the_csrf_check_reads_it(app, client, db):
    """The CSRF check reads a posted form to find its token: the limit comes first."""
    import io

    response = client.put(
        "/api/v1/me/portfolio",
        data={"file": (io.BytesIO(b"x" * (MAX_BODY_BYTES + 1)), "a.bin")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    error = error_of(response, 413, "too_large")
    assert error["message"] == MESSAGES["en"]["large"]


def test_the_largest_scores_a_judge_may_write_fit_the_limit(judged, client, db):
    """Feedback and note at their longest, in Korean, as \\u escapes: the cap refuses
    nothing a judge may write."""
    from hackathon.judging.services.scoring import MAX_TEXT

    setup, assignment = judged
    body = {
        "version": 1,
        "scores": {str(c.id): c.min_score for c in setup.criteria},
        "feedback": "가" * MAX_TEXT,
        "note": "나" * MAX_TEXT,
    }
    data = json.dumps(body)  # ensure_ascii: six bytes a character
    url = f"/api/v1/assignments/{assignment.id}/scores"
    response = send(client, "PUT", url, data, "en")
    assert response.status_code == 200, response.get_json()
    assert len(data) > 100_000


def test_a_body_without_a_length_stops_at_the_limit(judged, client, db):
    """Chunked: no Content-Length to refuse it by, so reading stops at the limit (413)."""
    import io

    _setup, assignment = judged
    big = json.dumps({"version": 1, "feedback": "x" * (MAX_BODY_BYTES + 10)}).encode()
    response = client.api(
        "PUT",
        f"/api/v1/assignments/{assignment.id}/scores",
        input_stream=io.BytesIO(big),
        headers={"Content-Type": "application/json", "Accept-Language": "ko"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    error = error_of(response, 413, "too_large")
    assert error["message"]
    nothing_written(db, assignment.id)


def test_a_body_at_the_limit_is_read(judged, client, db):
    _setup, assignment = judged
    fits = json.dumps({"version": 1, "feedback": "x" * (MAX_BODY_BYTES - 100)})
    url = f"/api/v1/assignments/{assignment.id}/scores"
    response = send(client, "PUT", url, fits, "en")
    assert response.status_code != 413


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(
    "number",
    ["9" * 5000, "9" * 30, "1" + "0" * 9, "-" + "9" * 12, "1e400", "-1e400", "NaN", "Infinity"],
)
def test_numbers_past_a_column_nan_and_infinity_are_refused_by_field(
    judged, client, db, lang, number
):
    setup, assignment = judged
    idea = setup.criteria[0]
    url = f"/api/v1/assignments/{assignment.id}/scores"
    for body, field in (
        ('{"version": %s}' % number, "version"),  # noqa: UP031  (a number JSON may not hold)
        ('{"version": 1, "scores": {"%d": %s}}' % (idea.id, number), f"scores.{idea.id}"),  # noqa: UP031
    ):
        error = error_of(send(client, "PUT", url, body, lang), 422, "validation_failed")
        assert error["message"] == MESSAGES[lang]["fields"]
        assert error["details"]["fields"] == {field: MESSAGES[lang]["digits"]}
    nothing_written(db, assignment.id)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_file_size_may_have_18_digits_not_more(db, client, login, lang):
    """Bytes live in a 64-bit column: the size of a file may be larger than an id."""
    login(build_setup().organizer)
    body = {"slot": "slides", "filename": "a.pdf", "sha256": "0" * 64, "size": 10**18}
    response = send(client, "POST", "/api/v1/submissions/1/uploads", json.dumps(body), lang)
    error = error_of(response, 422, "validation_failed")
    assert error["details"]["fields"] == {"size": MESSAGES[lang]["long digits"]}
    body["size"] = 10**17
    response = send(client, "POST", "/api/v1/submissions/1/uploads", json.dumps(body), lang)
    assert response.status_code == 404  # read, then no such submission


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"program": 7}, "program"),
        ({"program": "p", "public": "true"}, "public"),
        ({"program": "p", "skills": "파이썬"}, "skills"),
        ({"program": "p", "skills": [1]}, "skills.0"),
        ({"program": "p", "links": [None]}, "links.0"),
        ({"program": "p", "headline": "제목\x00끝"}, "headline"),
        ({"program": "p", "projects": [{"event": "e", "files": ["1"]}]}, "projects.0.files.0"),
        ({"program": "p", "projects": [{"event": "e", "files": [10**10]}]}, "projects.0.files.0"),
        ({"program": "p", "projects": {"event": "e"}}, "projects"),
    ],
)
def test_wrong_types_and_nul_characters_are_named_in_the_readers_language(
    db, client, login, body, field
):
    login(build_setup().organizer)
    for lang in ("ko", "en"):
        response = send(client, "PUT", "/api/v1/me/portfolio", json.dumps(body), lang)
        error = error_of(response, 422, "validation_failed")
        assert error["message"] == MESSAGES[lang]["fields"]
        assert list(error["details"]["fields"]) == [field]
    ko = send(client, "PUT", "/api/v1/me/portfolio", json.dumps(body), "ko")
    en = send(client, "PUT", "/api/v1/me/portfolio", json.dumps(body), "en")
    assert ko.get_json()["error"]["details"] != en.get_json()["error"]["details"]


def test_every_id_in_an_api_path_past_nine_digits_is_a_json_404(app, client, db):
    """Ids are 32-bit columns: a longer one, or one in other digits, names nothing; the
    database is never asked (PostgreSQL refused it, SQLite overflowed: both a 500)."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        and any(type(c).__name__ == "IdConverter" for c in rule._converters.values())
    ]
    assert len(rules) >= 5
    for rule in rules:
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        for digits in ("1" + "0" * 9, str(2**63), "9" * 40, "١", "１"):
            path = rule.rule
            for name, converter in rule._converters.items():
                value = digits if type(converter).__name__ == "IdConverter" else "x"
                path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
            response = client.api(method, path, headers={"Accept-Language": "en"})
            error = error_of(response, 404, "not_found")
            assert error["message"] == MESSAGES["en"]["not found"], (method, path)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_nul_in_an_api_path_is_a_json_404_and_in_a_query_a_400(app, client, db, lang):
    event = build_setup().event
    headers = {"Accept-Language": lang}
    for path in (
        "/api/v1/events/a%00b",
        "/api/v1/events/a%00b/leaderboard",
        "/api/v1/programs/a%00b/people",
        "/api/v1/uploads/a%00b/parts",
    ):
        error = error_of(client.get(path, headers=headers), 404, "not_found")
        assert error["message"] == MESSAGES[lang]["not found"]
    response = client.get(
        f"/api/v1/events/{event.slug}/leaderboard", query_string={"mode": "a\x00b"}, headers=headers
    )
    error = error_of(response, 400, "bad_request")
    assert ("NUL 문자" if lang == "ko" else "NUL character") in error["message"]


def test_the_document_lists_what_every_kind_of_operation_may_answer(app, client, db):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "503"} <= codes, (method, path)  # 400: a NUL in the query
            if "{" in path:
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= codes, (method, path)
            for parameter in operation["parameters"]:
                if parameter["in"] == "path" and parameter["schema"]["type"] == "integer":
                    assert parameter["schema"]["maximum"] == 10**9 - 1
    board = spec["paths"]["/events/{slug}/leaderboard"]["get"]
    assert {p["name"] for p in board["parameters"] if p["in"] == "query"} == {
        "track",
        "source",
        "snapshot",
        "mode",
    }
