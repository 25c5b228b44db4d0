"""Security headers on every kind of response, and cookie flags."""

from __future__ import annotations

import pytest

from config import Config
from tests.factories import make_user


def check_headers(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives["object-src"] == "object-src 'none'"
    assert directives["base-uri"] == "base-uri 'none'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["default-src"] == "default-src 'self'"
    assert "'unsafe-inline'" not in directives.get("script-src", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/login", 200),
        ("/static/css/app.css", 200),
        ("/no-such-page", 404),
        ("/api/v1/healthz", 200),
        ("/api/v1/events", 200),
        ("/api/v1/me", 401),
        ("/api/v1/no-such-thing", 404),
        ("/api/v1/openapi.json", 200),
        ("/healthz", 200),
        ("/readyz", 200),
    ],
)
def test_headers_on_pages_api_and_errors(client, db, path, status):
    response = client.get(path)
    response.close()  # static files are streamed from an open file
    assert response.status_code == status
    check_headers(response)


def test_headers_on_redirects_and_refusals(client, db):
    check_headers(client.get("/account"))  # 302 to sign in
    check_headers(client.post("/login", data={}))  # 400, no CSRF token
    check_headers(client.delete("/api/v1/events"))  # 405


def test_headers_and_a_friendly_page_on_a_server_error(app, client, db, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "events.home", broken)
    monkeypatch.setitem(app.view_functions, "api.list_events", broken)
    page = client.get("/", headers={"Accept-Language": "en"})
    assert page.status_code == 500
    assert "Something went wrong" in page.text
    assert "boom" not in page.text
    check_headers(page)
    api = client.get("/api/v1/events")
    assert api.status_code == 500
    assert api.json["error"]["code"] == "server_error"
    check_headers(api)


def test_headers_when_the_login_limit_answers(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "1 per minute")
    client.get("/login")
    client.form_post("/login", {"email": "a@example.test", "password": "wrong-password"})
    limited = client.form_post("/login", {"email": "a@example.test", "password": "wrong"})
    assert limited.status_code == 429
    check_headers(limited)


def test_pages_carry_the_csrf_meta_tag(client, db):
    assert '<meta name="csrf-token" content="' in client.get("/").text


def test_the_session_cookie_is_http_only_and_same_site(client, login, db):
    login(make_user())
    cookie = client.get_cookie("session", domain="localhost")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_production_cookies_are_secure_and_hsts_is_sent(monkeypatch):
    settings = Config(
        {
            "APP_ENV": "production",
            "SECRET_KEY": "k" * 32,
            "DATABASE_URL": "postgres://u@db/x",
        }
    )
    assert settings.SESSION_COOKIE_SECURE
    assert settings.REMEMBER_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_s3_uploads_are_allowed_only_to_the_storage_origin(app):
    from hackathon.security import content_security_policy

    with app.test_request_context("/"):
        app.config.update(STORAGE_BACKEND="s3", S3_ENDPOINT_URL="https://s3.example.test/path")
        try:
            csp = content_security_policy()
        finally:
            app.config.update(STORAGE_BACKEND="local", S3_ENDPOINT_URL=None)
    connect = next(d for d in csp.split("; ") if d.startswith("connect-src"))
    assert "https://s3.example.test" in connect
