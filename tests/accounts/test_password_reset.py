"""A forgotten password against a real SMTP server: the same page for known and unknown
addresses and a mail only for the known one; a reset link that works once and signs
every other browser out."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hackathon.accounts import services
from hackathon.accounts.models import AccountToken, TokenPurpose, User
from hackathon.db import utcnow
from hackathon.extensions import db
from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import (
    NEW_PASSWORD,
    imported_person,
    link_of,
    only_mail,
    path_of,
    received,
    without_csrf,
)


def _forgot(client, email: str, **kwargs):
    client.get("/password/forgot")
    return client.form_post("/password/forgot", {"email": email}, **kwargs)


def _reset(client, path: str, password: str = NEW_PASSWORD):
    client.get(path)
    return client.form_post(path, {"password": password, "confirm": password})


def test_known_and_unknown_addresses_get_the_same_page_and_one_mail(app, smtp_server, new_client):
    known = make_user("known@example.test")
    pages = []
    for email in (known.email, "nobody@example.test", known.email.upper()):
        response = _forgot(new_client(), email, headers={"Accept-Language": "ko"})
        assert response.status_code == 200
        pages.append(without_csrf(response.get_data(as_text=True)))
    assert pages[0] == pages[1] == pages[2]
    assert "메일" in pages[0]
    assert len(received(app, smtp_server, known.email)) == 2
    assert smtp_server.to("nobody@example.test") == []
    assert len(smtp_server.messages) == 2
    # The second request replaced the first link.
    first, second = smtp_server.to(known.email)
    assert new_client().get(path_of(first)).status_code == 410
    assert new_client().get(path_of(second)).status_code == 200


def test_the_reset_link_works_once_and_ends_every_other_session(
    app, smtp_server, client, new_client, login
):
    user = make_user("forgetful@example.test")
    laptop = login(user, client=new_client())  # signed in before, elsewhere
    assert laptop.get("/api/v1/me").status_code == 200
    _forgot(client, user.email)
    message = only_mail(app, smtp_server, user.email)
    path = path_of(message)
    assert path.startswith("/password/reset/")

    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    response = _reset(client, path)
    assert response.status_code == 302
    assert client.get("/api/v1/me").json["email"] == user.email  # this browser: signed in
    assert laptop.get("/api/v1/me").status_code == 401  # the other: signed out

    again = new_client()
    assert again.get(path).status_code == 410
    assert _reset(again, path, "yet-another-password").status_code == 410
    fresh = new_client()
    fresh.get("/login")
    old = fresh.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert old.status_code == 200
    new = fresh.form_post("/login", {"email": user.email, "password": NEW_PASSWORD})
    assert new.status_code == 302
    db.session.expire_all()
    assert services.is_verified(db.session.get(User, user.id))


def test_the_link_lasts_the_configured_minutes(app, smtp_server, client, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MINUTES", 15)
    user = make_user("minutes@example.test")
    _forgot(client, user.email)
    path = path_of(only_mail(app, smtp_server, user.email))
    link = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    assert link.purpose == TokenPurpose.RESET
    lifetime = link.expires_at - link.created_at
    assert timedelta(minutes=15) - timedelta(seconds=5) < lifetime <= timedelta(minutes=15)
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(path).status_code == 410
    assert _reset(client, path).status_code == 410


def test_a_person_without_a_password_gets_a_link_that_sets_one(app, smtp_server, client):
    person = imported_person("imported@example.test", "가져온 사람")
    services.invite(person)  # an invitation they lost
    db.session.commit()
    invitation = path_of(only_mail(app, smtp_server, person.email))
    _forgot(client, person.email)
    reset = path_of(received(app, smtp_server, person.email)[-1])
    assert reset.startswith("/password/reset/")
    assert _reset(client, reset).status_code == 302
    assert client.get("/api/v1/me").json["email"] == person.email
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert services.invitation_state(person) == "accepted"
    assert services.is_verified(person)
    # With a password set, the old invitation cannot set another one.
    assert client.get(invitation).status_code == 410


def test_a_disabled_account_gets_no_mail(app, smtp_server, client):
    user = make_user("off@example.test", disabled=True)
    assert _forgot(client, user.email).status_code == 200
    assert received(app, smtp_server, user.email) == []


def test_the_link_is_on_the_public_address_whatever_the_host_header(
    app, smtp_server, client, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://hack.academy.test/app")
    user = make_user("host@example.test")
    forged = {"Host": "evil.example"}
    client.get("/password/forgot", headers=forged)
    response = client.form_post("/password/forgot", {"email": user.email}, headers=forged)
    assert response.status_code == 200
    link = link_of(only_mail(app, smtp_server, user.email))
    assert link.startswith("https://hack.academy.test/app/password/reset/")
    assert "evil" not in link


def test_a_bad_address_is_refused_next_to_the_field(app, client):
    response = _forgot(client, "not-an-address")
    assert response.status_code == 422
    assert 'id="email-error"' in response.text


def test_the_sign_in_page_links_to_forgot_password(client):
    html = client.get("/login", headers={"Accept-Language": "en"}).text
    assert re.search(r'<a href="/password/forgot">Forgot your password\?</a>', html)
