"""Sign-up, sign-in, sign-out, and the session version that ends old cookies."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import TEST_PASSWORD, make_user


def _flash(html: str) -> str:
    start = html.index('class="flash flash-error"')
    return html[start : html.index("</p>", start)]


def _replay(new_client, cookie_value: str):
    """A different browser that presents a copied session cookie."""
    other = new_client()
    other.set_cookie("session", cookie_value, domain="localhost")
    return other


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session", domain="localhost")
    assert cookie is not None
    return cookie.value


def test_sign_up_creates_the_account_and_signs_in(client, db):
    from hackathon.accounts.models import User

    client.get("/signup")
    response = client.form_post(
        "/signup",
        {
            "name": " 김하나 ",
            "email": "Hana.Kim@Example.test",
            "password": "long-enough-password",
            "confirm": "long-enough-password",
        },
    )
    assert response.status_code == 302
    me = client.get("/api/v1/me").json
    assert me["email"] == "hana.kim@example.test"
    assert me["name"] == "김하나"
    user = db.session.scalar(db.select(User).where(User.email == "hana.kim@example.test"))
    assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("fields", "field_with_error"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"password": "short", "confirm": "short"}, "password"),
        ({"confirm": "something-else-entirely"}, "confirm"),
        ({"name": "   "}, "name"),
        ({"name": "가" * 101}, "name"),
    ],
)
def test_sign_up_refuses_bad_input_next_to_the_field(client, db, fields, field_with_error):
    from hackathon.accounts.models import User

    data = {
        "name": "김하나",
        "email": "hana@example.test",
        "password": "long-enough-password",
        "confirm": "long-enough-password",
        **fields,
    }
    client.get("/signup")
    response = client.form_post("/signup", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field_with_error}-error"' in html
    assert f'aria-describedby="{field_with_error}-error"' in html
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_sign_up_with_a_taken_address_in_any_case(client, db):
    make_user("taken@example.test")
    client.get("/signup")
    response = client.form_post(
        "/signup",
        {
            "name": "다른 사람",
            "email": "TAKEN@example.test",
            "password": "long-enough-password",
            "confirm": "long-enough-password",
        },
    )
    assert response.status_code == 200
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert client.get("/api/v1/me").status_code == 401


def test_sign_up_can_be_closed(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNUP_ENABLED", False)
    assert client.get("/signup").status_code == 404


def test_sign_in_and_out(client, login, db):
    user = make_user()
    login(user)
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json["email"] == user.email
    response = client.form_post("/logout")
    assert response.status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_sign_in_ignores_the_case_of_the_address(client, db):
    user = make_user("mixed@example.test")
    client.get("/login")
    response = client.form_post(
        "/login", {"email": " MIXED@Example.TEST ", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me").json["id"] == user.id


def test_wrong_password_and_unknown_email_look_the_same(client, db):
    user = make_user()
    client.get("/login")
    wrong = client.form_post("/login", {"email": user.email, "password": "nope-nope-nope"})
    unknown = client.form_post("/login", {"email": "ghost@example.test", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 200
    assert _flash(wrong.get_data(as_text=True)) == _flash(unknown.get_data(as_text=True))


def test_a_disabled_account_cannot_sign_in(client, db):
    user = make_user(disabled=True)
    client.get("/login")
    response = client.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "flash-error" in response.get_data(as_text=True)
    assert client.get("/api/v1/me").status_code == 401


def test_an_imported_account_without_password_cannot_sign_in(client, db):
    user = make_user()
    user.password_hash = None
    db.session.commit()
    client.get("/login")
    response = client.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_a_replayed_cookie_after_sign_out_is_refused(client, login, new_client, db):
    user = make_user()
    login(user)
    stolen = _session_cookie(client)
    assert _replay(new_client, stolen).get("/api/v1/me").status_code == 200
    client.form_post("/logout")
    replayed = _replay(new_client, stolen)
    assert replayed.get("/api/v1/me").status_code == 401
    page = replayed.get("/account")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/login")


def test_sign_out_ends_the_other_devices_too(client, login, new_client, db):
    user = make_user()
    login(user)
    phone = login(user, client=new_client())
    client.form_post("/logout")
    assert phone.get("/api/v1/me").status_code == 401


def test_a_replayed_cookie_after_a_password_change_is_refused(client, login, new_client, db):
    user = make_user()
    login(user)
    stolen = _session_cookie(client)
    client.get("/account")
    response = client.form_post(
        "/account/password",
        {
            "current": TEST_PASSWORD,
            "new": "a-brand-new-password",
            "confirm": "a-brand-new-password",
        },
    )
    assert response.status_code == 302
    # This browser stays signed in; the copied cookie does not.
    assert client.get("/api/v1/me").status_code == 200
    assert _replay(new_client, stolen).get("/api/v1/me").status_code == 401


def test_a_replayed_cookie_after_the_account_is_disabled_is_refused(client, login, new_client, db):
    user = make_user()
    admin = make_user(is_admin=True)
    victim = login(user, client=new_client())
    stolen = _session_cookie(victim)
    login(admin)
    client.get("/admin/users")
    response = client.form_post(f"/admin/users/{user.id}/disabled", {"disabled": "1"})
    assert response.status_code == 302
    assert _replay(new_client, stolen).get("/api/v1/me").status_code == 401
    assert victim.get("/api/v1/me").status_code == 401


def test_a_tampered_session_is_refused(client, login, new_client, db):
    user = make_user()
    login(user)
    value = _session_cookie(client)
    tampered = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    assert _replay(new_client, tampered).get("/api/v1/me").status_code == 401


def test_a_page_that_needs_sign_in_comes_back_after_it(client, db):
    user = make_user()
    first = client.get("/account?tab=1")
    assert first.status_code == 302
    target = urlsplit(first.headers["Location"])
    assert target.path == "/login"
    assert parse_qs(target.query) == {"next": ["/account?tab=1"]}
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/account?tab=1"' in page
    response = client.form_post(
        "/login", {"email": user.email, "password": TEST_PASSWORD, "next": "/account?tab=1"}
    )
    assert response.headers["Location"] == "/account?tab=1"


def test_the_next_target_survives_a_failed_attempt(client, db):
    user = make_user()
    client.get("/login?next=/events")
    failed = client.form_post(
        "/login", {"email": user.email, "password": "wrong-password", "next": "/events"}
    )
    assert 'name="next" type="hidden" value="/events"' in failed.get_data(as_text=True)
    response = client.form_post(
        "/login", {"email": user.email, "password": TEST_PASSWORD, "next": "/events"}
    )
    assert response.headers["Location"] == "/events"


def test_the_chosen_language_survives_sign_in(client, db):
    user = make_user()
    client.get("/")
    client.form_post("/lang/en", {"next": "/"})
    client.get("/login")
    client.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_the_chosen_language_survives_sign_out(client, login, db):
    login(make_user(locale=None))
    client.form_post("/lang/en", {"next": "/"})
    client.get("/")
    client.form_post("/logout")
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "ko"}).text
