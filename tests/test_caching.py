"""`hackathon.caching`: a visitor without a session reads every public page and API read
without being given a cookie, and each response says who may keep it and for how long."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
LINK = re.compile(r'href="([^"#]+)"')
# Not pages: files, downloads, the sign-out; the language links are followed on purpose.
SKIP = re.compile(r"(\.zip|/download|/logout|/static/|/files/)")
# Pages with a form a visitor fills in: they mint a token, so they set the cookie.
FORMS = ("/login", "/signup", "/password/forgot", "/register")
BOARD_API = "/api/v1/events/cohort1-fintech/leaderboard"  # published in the demo


@pytest.fixture
def demo(app):
    from hackathon.events.demo import load_demo

    load_demo()


def _portfolios() -> list[str]:
    from hackathon.cohort.models import Portfolio
    from hackathon.extensions import db

    users = db.session.scalars(select(Portfolio.user_id).where(Portfolio.public)).all()
    return [f"/programs/cohort1/people/{user}" for user in users[:2]]


def _crawl(new_client, start: list[str], limit: int = 150) -> dict[str, object]:
    """Each page from a new browser (no cookie at all), following the links it shows."""
    seen: dict[str, object] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = new_client().get(path, headers={"Accept-Language": "ko"})
        seen[path] = response
        if response.status_code == 200 and response.mimetype == "text/html":
            for href in LINK.findall(response.get_data(as_text=True)):
                target = urlsplit(urljoin(path, href.replace("&amp;", "&")))
                if target.netloc or SKIP.search(target.path):
                    continue
                link = target.path + (f"?{target.query}" if target.query else "")
                if link not in seen:
                    queue.append(link)
    return seen


def test_a_visitor_is_given_no_cookie_on_any_public_page(new_client, demo):
    start = [
        "/",
        "/events/cohort1-fintech/leaderboard",
        "/events/cohort1-news-bigdata/leaderboard",
        "/events/cohort1-fintech/gallery",
        "/events/cohort1-news-bigdata/schedule",
        *_portfolios(),
        BOARD_API,
        BOARD_API + ".csv",
        "/api/v1/events/cohort1-news-bigdata/leaderboard",
        "/api/v1/events",
    ]
    pages = _crawl(new_client, start)
    public = {
        path: r
        for path, r in pages.items()
        if r.status_code == 200 and not urlsplit(path).path.endswith(FORMS)
    }
    # What the crawl must have reached, so that the check below covers them.
    for needed in [
        "/",
        "/programs/cohort1",
        "/events/cohort1-fintech",
        "/events/cohort1-fintech/gallery",
        "/events/cohort1-news-bigdata/schedule",
        "/events/cohort1-fintech/leaderboard?lang=en",
        *_portfolios(),
        BOARD_API,
    ]:
        assert needed in public, needed
    assert len(public) > 30
    cookies = {path: r.headers.getlist("Set-Cookie") for path, r in public.items()}
    assert {path: c for path, c in cookies.items() if c} == {}
    for path, response in public.items():
        if response.mimetype == "text/html":
            # The meta is there for scripts, empty: no token was minted for this visitor.
            assert CSRF_META.search(response.get_data(as_text=True)).group(1) == "", path
            assert response.headers.get("Cache-Control", "").startswith(("public", "no-cache"))
    # A page with a form mints its token, in the meta too, and so sets the cookie.
    login = pages["/login"]
    assert login.headers.getlist("Set-Cookie")
    assert CSRF_META.search(login.get_data(as_text=True)).group(1)
    assert login.headers["Cache-Control"].startswith("private")


def test_a_visitor_picks_the_language_by_the_address_and_keeps_it(new_client, demo):
    browser = new_client()
    korean = browser.get("/events/cohort1-fintech", headers={"Accept-Language": "ko"})
    assert 'lang="ko"' in korean.get_data(as_text=True)
    assert {"Accept-Language", "Cookie"} <= set(korean.headers["Vary"].split(", "))
    switch = re.search(r'href="([^"]+)"[^>]*data-lang="en"', korean.get_data(as_text=True))
    assert switch.group(1) == "/events/cohort1-fintech?lang=en"
    english = browser.get(switch.group(1), headers={"Accept-Language": "ko"})
    html = english.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Accept-Language" not in english.headers["Vary"]  # the address decides
    assert not english.headers.getlist("Set-Cookie")
    # The page's links carry the language on; static files do not.
    assert 'href="/events/cohort1-fintech/leaderboard?lang=en"' in html
    assert re.search(r'href="/static/css/app\.css"', html)
    assert "Hackathon platform" in browser.get("/?lang=en").get_data(as_text=True)
    assert browser.get("/?lang=fr", headers={"Accept-Language": "ko"}).status_code == 200


def test_a_public_page_answers_304_to_its_etag(new_client, demo):
    first = new_client().get("/events/cohort1-fintech", headers={"Accept-Language": "en"})
    assert first.headers["Cache-Control"] == "public, max-age=30, stale-while-revalidate=30"
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    again = new_client().get(
        "/events/cohort1-fintech", headers={"Accept-Language": "en", "If-None-Match": etag}
    )
    assert again.status_code == 304
    other = new_client().get(
        "/events/cohort1-fintech", headers={"Accept-Language": "ko", "If-None-Match": etag}
    )
    assert other.status_code == 200  # another language, other bytes


def test_signed_in_pages_are_private_and_their_forms_still_work(client, login, demo):
    from hackathon.accounts.models import User
    from hackathon.extensions import db

    user = db.session.scalar(select(User).where(User.email == "trainee1@demo.test"))
    login(user, password="demo-password")
    page = client.get("/events/cohort1-fintech")
    assert page.headers["Cache-Control"].startswith("private")
    assert "Cookie" in page.headers["Vary"]
    token = CSRF_META.search(page.get_data(as_text=True)).group(1)
    assert token
    api = client.get(BOARD_API)
    assert api.headers["Cache-Control"] == "private, max-age=30, stale-while-revalidate=60"
    # The header's language form, with the page's token: the account's setting changes.
    switched = client.post("/lang/en", data={"csrf_token": token, "next": "/"})
    assert switched.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"
    # Without the token it is refused.
    assert client.post("/lang/ko", data={"next": "/"}).status_code == 400


def test_a_script_gets_a_token_when_its_page_had_none(new_client, demo):
    from hackathon.accounts.models import User
    from hackathon.extensions import db

    browser = new_client()
    page = browser.get("/events/cohort1-news-bigdata/leaderboard")
    assert CSRF_META.search(page.get_data(as_text=True)).group(1) == ""
    answer = browser.get("/api/v1/csrf")
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert answer.headers.getlist("Set-Cookie")
    token = answer.get_json()["csrf_token"]
    user = db.session.scalar(select(User).where(User.email == "trainee1@demo.test"))
    signed_in = browser.post(
        "/login",
        data={"csrf_token": token, "email": user.email, "password": "demo-password"},
    )
    assert signed_in.status_code == 302
    # Once the browser has a session, every page carries its token.
    page = browser.get("/events/cohort1-news-bigdata/leaderboard")
    assert CSRF_META.search(page.get_data(as_text=True)).group(1)


def test_a_flash_after_signing_out_is_private(client, login, demo):
    from hackathon.accounts.models import User
    from hackathon.extensions import db

    user = db.session.scalar(select(User).where(User.email == "trainee1@demo.test"))
    login(user, password="demo-password")
    out = client.form_post("/logout")
    home = client.get(out.headers["Location"])
    assert "signed out" in home.get_data(as_text=True) or "로그아웃" in home.get_data(as_text=True)
    assert home.headers["Cache-Control"].startswith("private")
