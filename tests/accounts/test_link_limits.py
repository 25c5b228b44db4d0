"""Asking for mail and using links are limited like sign-in: per account and per client
address, by the configured limits (LOGIN_LIMIT_PER_ACCOUNT, LOGIN_LIMIT_PER_ADDRESS)."""

from __future__ import annotations

from hackathon.accounts import services
from hackathon.extensions import db
from tests.factories import make_user
from tests.helpers import imported_person, only_mail, path_of, received


def _forgot(client, email: str, address: str):
    env = {"REMOTE_ADDR": address}
    client.get("/password/forgot", environ_base=env)
    return client.form_post(
        "/password/forgot",
        {"email": email},
        environ_base=env,
        headers={"Accept-Language": "en"},
    )


def test_the_nth_request_for_one_account_is_refused(app, smtp_server, new_client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per minute")
    user = make_user("often@example.test")
    # From a new address each time: the per-account limit holds on its own.
    for n in range(3):
        assert _forgot(new_client(), user.email, f"10.1.0.{n + 1}").status_code == 200
    refused = _forgot(new_client(), " OFTEN@example.test ", "10.1.1.1")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text
    assert len(received(app, smtp_server, user.email)) == 3  # none for the refused one
    other = make_user("other@example.test")
    assert _forgot(new_client(), other.email, "10.1.1.1").status_code == 200


def test_the_nth_request_from_one_address_is_refused(app, smtp_server, new_client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ADDRESS", "4 per minute")
    client = new_client()
    for n in range(4):
        assert _forgot(client, f"nobody{n}@example.test", "10.2.0.1").status_code == 200
    user = make_user()
    assert _forgot(client, user.email, "10.2.0.1").status_code == 429
    assert received(app, smtp_server, user.email) == []
    assert _forgot(new_client(), user.email, "10.2.0.2").status_code == 200


def test_the_default_limits_are_the_sign_in_ones(app, new_client):
    user = make_user("default@example.test")
    statuses = [_forgot(new_client(), user.email, f"10.3.0.{n}").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]  # LOGIN_LIMIT_PER_ACCOUNT: 5 per minute


def test_tries_at_a_reset_link_are_limited(app, smtp_server, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per minute")
    user = make_user("tries@example.test")
    services.request_password_reset(user.email)
    db.session.commit()
    path = path_of(only_mail(app, smtp_server, user.email))
    client.get(path)
    for _ in range(2):
        bad = client.form_post(path, {"password": "short", "confirm": "short"})
        assert bad.status_code == 422
    good = "a-good-long-password"
    blocked = client.form_post(path, {"password": good, "confirm": good})
    assert blocked.status_code == 429


def test_sign_ups_that_mail_one_address_are_limited(app, smtp_server, new_client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per minute")
    imported = imported_person("roster@example.test")
    statuses = []
    for n in range(3):
        client = new_client()
        env = {"REMOTE_ADDR": f"10.4.0.{n}"}
        client.get("/signup", environ_base=env)
        data = {"name": "누구", "email": imported.email, "password": "x" * 12, "confirm": "x" * 12}
        statuses.append(client.form_post("/signup", data, environ_base=env).status_code)
    assert statuses == [200, 200, 429]
    # The first sign-up sends an invitation; the second leaves that still-working link alone.
    assert len(received(app, smtp_server, imported.email)) == 1
