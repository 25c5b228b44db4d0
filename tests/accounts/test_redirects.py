"""`next` after sign-in and after a language switch stays on this site."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.factories import TEST_PASSWORD, make_user

EVIL = [
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\/\\/evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "https:/evil.example",
    "http:evil.example",
    "HTTPS://evil.example/",
    "//evil.example/%2F..",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "//localhost@evil.example",
    "http://localhost@evil.example",
    "/" + "a" * 3000,
]
LOCAL = ["/", "/events", "/events/some-event?tab=teams", "/account#password"]


def stays_on_site(location: str) -> bool:
    """Where a browser goes: it drops tabs and newlines and reads `\\` as `/`."""
    if location != location.strip() or re.search(r"[\t\r\n\\]", location):
        return False
    resolved = urlsplit(urljoin("http://localhost/login", location))
    return resolved.netloc == "localhost" and location.startswith("/")


@pytest.mark.parametrize("payload", EVIL)
def test_sign_in_never_leaves_the_site(client, db, payload):
    user = make_user()
    client.get("/login")
    response = client.form_post(
        "/login", {"email": user.email, "password": TEST_PASSWORD, "next": payload}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("payload", EVIL)
def test_an_unsafe_next_is_not_carried_into_the_form(client, db, payload):
    page = client.get("/login", query_string={"next": payload}).get_data(as_text=True)
    hidden = re.search(r'name="next" type="hidden" value="([^"]*)"', page)
    assert hidden is not None
    assert hidden.group(1) == ""


@pytest.mark.parametrize("payload", EVIL)
def test_the_language_switch_never_leaves_the_site(client, db, payload):
    client.get("/")
    response = client.form_post("/lang/en", {"next": payload})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", LOCAL)
def test_own_paths_are_kept(client, db, target):
    user = make_user()
    client.get("/login")
    response = client.form_post(
        "/login", {"email": user.email, "password": TEST_PASSWORD, "next": target}
    )
    assert response.headers["Location"] == target
    assert stays_on_site(response.headers["Location"])
    client.get("/")  # a new session after sign-in: a new token
    switched = client.form_post("/lang/ko", {"next": target})
    assert switched.headers["Location"] == target


def test_the_language_switch_knows_only_our_languages(client, db):
    client.get("/")
    assert client.form_post("/lang/fr", {"next": "/"}).status_code == 404


def test_the_switch_on_a_post_result_page_does_not_point_at_the_post_target(client, login, db):
    user = make_user()
    login(user)
    client.get("/account")
    page = client.form_post(
        "/account/password", {"current": "wrong-password", "new": "x", "confirm": "y"}
    )
    assert page.status_code == 422
    hidden = re.search(
        r'class="lang-switch".*?name="next" value="([^"]*)"', page.get_data(as_text=True), re.S
    )
    assert hidden is not None
    assert hidden.group(1) == ""


def test_a_refused_action_goes_back_only_to_our_own_pages(app, client, db):
    """A DomainError on a page flashes and goes back to the referring page, if it is ours."""
    from hackathon.errors import back_target

    cases = {
        "http://localhost/events/x?tab=1": "/events/x?tab=1",
        "https://evil.example/phish": "/",
        "http://localhost.evil.example/": "/",
        "//evil.example": "/",
        "http://localhost//evil.example": "/",
        "javascript:alert(1)": "/",
        "": "/",
    }
    for referrer, expected in cases.items():
        headers = {"Referer": referrer} if referrer else {}
        with app.test_request_context("/teams/1/join", method="POST", headers=headers):
            assert back_target() == expected, referrer
