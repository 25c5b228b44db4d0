"""The profile: name, language (with "automatic"), password change; the language switch."""

from __future__ import annotations

import re

from tests.factories import TEST_PASSWORD, make_user


def _selected_locale(html: str) -> str | None:
    select = re.search(r'<select id="locale".*?</select>', html, re.S)
    assert select is not None
    chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"', select.group(0))
    return chosen.group(1) if chosen else None


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_an_unset_language_shows_as_automatic(client, login, db):
    login(make_user(locale=None))
    assert _selected_locale(client.get("/account").get_data(as_text=True)) == ""


def test_saving_the_profile(client, login, db):
    user = make_user(locale=None)
    login(user)
    client.get("/account")
    response = client.form_post("/account", {"name": "  새 이름 ", "locale": "en"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.locale) == ("새 이름", "en")
    page = client.get("/account").get_data(as_text=True)
    assert _lang(page) == "en"
    assert _selected_locale(page) == "en"


def test_automatic_follows_the_browser(client, login, db):
    user = make_user(locale="en")
    login(user)
    client.get("/account")
    client.form_post("/account", {"name": user.name, "locale": ""})
    db.session.refresh(user)
    assert user.locale is None
    assert _lang(client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9"}).text) == "ko"
    assert _lang(client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text) == "en"


def test_a_bad_profile_is_refused_next_to_the_field(client, login, db):
    user = make_user()
    login(user)
    client.get("/account")
    response = client.form_post("/account", {"name": "", "locale": "xx"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="name-error"' in html
    assert 'id="locale-error"' in html
    db.session.refresh(user)
    assert user.name != ""


def test_changing_the_password(client, login, new_client, db):
    user = make_user()
    login(user)
    client.get("/account")
    response = client.form_post(
        "/account/password",
        {"current": TEST_PASSWORD, "new": "another-password-1", "confirm": "another-password-1"},
    )
    assert response.status_code == 302
    fresh = new_client()
    fresh.get("/login")
    old = fresh.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert old.status_code == 200
    new = fresh.form_post("/login", {"email": user.email, "password": "another-password-1"})
    assert new.status_code == 302


def test_a_wrong_current_password_changes_nothing(client, login, db):
    user = make_user()
    login(user)
    before = user.password_hash
    client.get("/account")
    response = client.form_post(
        "/account/password",
        {
            "current": "not-my-password",
            "new": "another-password-1",
            "confirm": "another-password-1",
        },
    )
    assert response.status_code == 422
    assert 'id="current-error"' in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == before
    assert user.session_version == 1


def test_a_short_new_password_is_refused(client, login, db):
    login(make_user())
    client.get("/account")
    response = client.form_post(
        "/account/password", {"current": TEST_PASSWORD, "new": "short", "confirm": "short"}
    )
    assert response.status_code == 422
    assert 'id="new-error"' in response.get_data(as_text=True)


def test_the_switch_for_a_visitor_lasts_for_the_browser(client, db):
    client.get("/")
    response = client.form_post("/lang/en", {"next": "/events"})
    assert response.headers["Location"] == "/events"
    assert _lang(client.get("/", headers={"Accept-Language": "ko"}).text) == "en"
    client.form_post("/lang/ko", {"next": "/"})
    assert _lang(client.get("/", headers={"Accept-Language": "en"}).text) == "ko"


def test_the_switch_for_a_signed_in_user_is_saved_to_the_account(client, login, new_client, db):
    user = make_user(locale=None)
    login(user)
    client.form_post("/lang/en", {"next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"
    laptop = login(user, client=new_client())
    assert _lang(laptop.get("/", headers={"Accept-Language": "ko"}).text) == "en"


def test_pages_in_each_language_set_html_lang(client, db):
    assert _lang(client.get("/", headers={"Accept-Language": "en"}).text) == "en"
    assert _lang(client.get("/", headers={"Accept-Language": "ko"}).text) == "ko"
    assert _lang(client.get("/", headers={"Accept-Language": "fr"}).text) == "ko"  # default
