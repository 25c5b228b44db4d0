"""Every form and every API write needs the CSRF token."""

from __future__ import annotations

import pytest
from flask import jsonify

from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import Client, extra_app


def test_sign_in_without_the_token_is_refused(client, db):
    user = make_user()
    client.get("/login")
    refused = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert refused.status_code == 400
    assert client.get("/api/v1/me").status_code == 401
    accepted = client.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert accepted.status_code == 302
    assert client.get("/api/v1/me").status_code == 200


def test_a_token_from_another_session_is_refused(client, new_client, db):
    user = make_user()
    other = new_client()
    token = other.fresh_token()
    client.get("/login")
    refused = client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert refused.status_code == 400


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/logout", {}),
        ("/account", {"name": "새 이름", "locale": "en"}),
        ("/account/password", {"current": TEST_PASSWORD, "new": "x" * 12, "confirm": "x" * 12}),
        ("/lang/en", {"next": "/"}),
    ],
)
def test_signed_in_forms_without_the_token_are_refused(client, login, db, url, data):
    user = make_user()
    login(user)
    response = client.post(url, data=data)
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.session_version == 1
    assert user.locale is None
    assert client.get("/api/v1/me").status_code == 200


def test_admin_forms_without_the_token_are_refused(client, login, db):
    admin = make_user(is_admin=True)
    target = make_user()
    login(admin)
    response = client.post(f"/admin/users/{target.id}/disabled", data={"disabled": "1"})
    assert response.status_code == 400
    db.session.refresh(target)
    assert not target.disabled


def test_the_refusal_page_explains_itself(client, db):
    english = {"Accept-Language": "en"}
    client.get("/login", headers=english)
    response = client.post(
        "/login", data={"email": "a@example.test", "password": "x"}, headers=english
    )
    assert response.status_code == 400
    assert "Please try again" in response.get_data(as_text=True)
    korean = client.post(
        "/login",
        data={"email": "a@example.test", "password": "x"},
        headers={"Accept-Language": "ko"},
    )
    assert "다시 시도해 주세요" in korean.get_data(as_text=True)


@pytest.fixture(scope="module")
def write_api(instance_dir):
    """An app with one JSON write endpoint, to test CSRF on the API as features use it."""
    with extra_app(instance_dir) as app:

        @app.post("/api/v1/_test/echo")
        def echo():
            return jsonify({"ok": True})

        app.test_client_class = Client
        yield app


def test_api_writes_need_the_csrf_header(write_api, app, db):
    user = make_user()
    with write_api.app_context():
        client = write_api.test_client()
        client.get("/login")
        client.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
        client.get("/")
        refused = client.post("/api/v1/_test/echo", json={})
        assert refused.status_code == 400
        assert refused.json == {
            "error": {"code": "csrf_failed", "message": refused.json["error"]["message"]}
        }
        wrong = client.post("/api/v1/_test/echo", json={}, headers={"X-CSRFToken": "nope"})
        assert wrong.status_code == 400
        accepted = client.api("POST", "/api/v1/_test/echo", json={})
        assert accepted.status_code == 200
        assert accepted.json == {"ok": True}


def test_api_reads_need_no_token(client, login, db):
    login(make_user())
    assert client.get("/api/v1/me").status_code == 200
