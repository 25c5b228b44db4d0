"""The JSON API of the foundation: errors, /me, health, events, and the OpenAPI document."""

from __future__ import annotations

import pytest

from tests.factories import grant, make_event, make_user
from tests.helpers import extra_app, free_port


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.json
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    return body["error"]


def test_unknown_api_paths_are_json_404s(client, db):
    response = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en"})
    error = assert_error(response, 404, "not_found")
    assert error["message"] == "Not found."
    korean = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "ko"})
    assert assert_error(korean, 404, "not_found")["message"] != error["message"]


def test_a_wrong_method_is_a_json_405_with_allow(client, db):
    response = client.delete("/api/v1/events")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_me_needs_a_sign_in(client, db):
    error = assert_error(client.get("/api/v1/me"), 401, "unauthorized")
    assert error["message"]


def test_me_lists_roles_per_event(client, login, db):
    user = make_user("me@example.test", "나", locale="en")
    first = make_event("first")
    second = make_event("second")
    make_event("elsewhere")
    grant(first, user, "participant")
    grant(second, user, "judge")
    grant(second, user, "mentor")
    login(user)
    body = client.get("/api/v1/me").json
    assert (body["id"], body["email"], body["name"]) == (user.id, "me@example.test", "나")
    assert (body["locale"], body["is_admin"]) == ("en", False)
    roles = {e["slug"]: sorted(e["roles"]) for e in body["events"]}
    assert roles == {"first": ["participant"], "second": ["judge", "mentor"]}
    for entry in body["events"]:
        assert set(entry) >= {"slug", "roles", "team_id", "submission_id"}


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/healthz"])
def test_healthz(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json["status"] == "ok"


@pytest.mark.parametrize("path", ["/readyz", "/api/v1/readyz"])
def test_readyz_when_everything_answers(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


def test_readyz_is_503_when_storage_is_unreachable(app, instance_dir, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with extra_app(
        instance_dir,
        STORAGE_BACKEND="s3",
        S3_BUCKET="nowhere",
        S3_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}",
        S3_REGION="us-east-1",
    ) as broken:
        response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "checks": {"database": "ok", "storage": "unreachable"},
    }


def test_events_lists_what_the_caller_may_see(client, login, db):
    make_event("public-one", phase="registration", name="공개", name_en="Public")
    draft = make_event("draft-one", phase="draft")
    listed = {e["slug"]: e for e in client.get("/api/v1/events").json["events"]}
    assert set(listed) == {"public-one"}
    event = listed["public-one"]
    assert (event["name"], event["name_en"], event["phase"]) == ("공개", "Public", "registration")
    assert event["timezone"] == "Asia/Seoul"
    assert event["registration_opens_at"].endswith("+00:00")
    organizer = make_user()
    grant(draft, organizer, "organizer")
    login(organizer)
    slugs = {e["slug"] for e in client.get("/api/v1/events").json["events"]}
    assert slugs == {"public-one", "draft-one"}


def test_one_event(client, db):
    make_event("one", phase="judging", team_min=2, team_max=4)
    body = client.get("/api/v1/events/one").json
    assert (body["slug"], body["phase"], body["team_min"], body["team_max"]) == (
        "one",
        "judging",
        2,
        4,
    )
    assert body["program"] is None


def test_a_draft_is_404_to_the_public_like_an_unknown_event(client, login, db):
    draft = make_event("hidden", phase="draft")
    hidden = assert_error(client.get("/api/v1/events/hidden"), 404, "not_found")
    unknown = assert_error(client.get("/api/v1/events/never-was"), 404, "not_found")
    assert hidden == unknown
    participant = make_user()
    grant(draft, participant, "participant")
    login(participant)
    assert client.get("/api/v1/events/hidden").status_code == 404


def test_the_openapi_document_is_valid_and_complete(app, client, db):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    validate(spec)
    assert spec["openapi"].startswith("3.")
    for path in ("/me", "/healthz", "/readyz", "/events", "/events/{slug}"):
        assert "get" in spec["paths"][path], path
    # Every documented view under /api/v1 is in the document, and nothing else is.
    documented = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.rule.startswith("/api/v1/") and getattr(view, "_openapi", None):
            documented.add(rule.rule)
    assert documented
    paths = {p.replace("{", "<").replace("}", ">") for p in spec["paths"]}
    for rule in documented:
        plain = rule[len("/api/v1") :]
        for converter in ("int:", "string:", "path:", "uuid:"):
            plain = plain.replace(f"<{converter}", "<")
        assert plain in paths, rule


def test_every_api_endpoint_is_documented(app):
    """Each JSON endpoint a feature adds must describe itself with @doc."""
    missing = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        and rule.endpoint != "api.openapi"
        and not getattr(app.view_functions[rule.endpoint], "_openapi", None)
    )
    assert missing == []


def test_path_parameters_have_their_types(app, client, db):
    spec = client.get("/api/v1/openapi.json").json
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or "<int:" not in rule.rule:
            continue
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "_openapi", None):
            continue
        path = rule.rule[len("/api/v1") :].replace("<int:", "{").replace(">", "}")
        path = path.replace("<", "{")
        operation = next(iter(spec["paths"][path].values()))
        kinds = {p["name"]: p["schema"]["type"] for p in operation["parameters"]}
        for name in rule.arguments:
            if f"<int:{name}>" in rule.rule:
                assert kinds[name] == "integer", (rule.rule, name)
