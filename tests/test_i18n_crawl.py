"""Walk the demo as each kind of user, in Korean: no page shows English UI text."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.helpers import PLACEHOLDER, appears, english_messages, read_catalog, visible_text

LINK = re.compile(r'href="([^"#]+)"')
SKIP = re.compile(r"(\.csv|\.zip|/download|/logout|/lang/|/static/|/api/|\.json)")
PEOPLE = ["organizer@demo.test", "trainee1@demo.test", "judge1@demo.test", "mentor1@demo.test"]
# The people's choice page of the news hackathon: every demo account holds a role there.
VOTE_PAGE = "/events/cohort1-news-bigdata/vote"


@pytest.fixture(scope="module")
def english():
    return english_messages()


@pytest.fixture
def demo(app):
    from hackathon.events.demo import load_demo

    load_demo()


def crawl(client, start: str, limit: int = 120, lang: str = "ko") -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path, headers={"Accept-Language": lang})
        if response.status_code != 200 or response.mimetype != "text/html":
            seen[path] = ""
            continue
        html = response.get_data(as_text=True)
        seen[path] = html
        for href in LINK.findall(html):
            target = urlsplit(urljoin(path, href.replace("&amp;", "&")))
            if target.netloc or SKIP.search(target.path):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if link not in seen:
                queue.append(link)
    return seen


@pytest.mark.parametrize("email", [None, *PEOPLE])
def test_the_demo_reads_in_korean_throughout(client, login, demo, english, email):
    if email is not None:
        from sqlalchemy import select

        from hackathon.accounts.models import User
        from hackathon.extensions import db

        user = db.session.scalar(select(User).where(User.email == email))
        login(user, password="demo-password")
        client.form_post("/lang/ko")
    pages = crawl(client, "/")
    assert len([p for p in pages.values() if p]) > 5
    if email is not None:  # the bell's page and its settings, with the demo's notifications
        assert pages.get("/notifications")
        assert pages.get("/notifications/settings")
        assert pages.get(VOTE_PAGE)
    leaks = {}
    for path, html in pages.items():
        if not html:
            continue
        text = visible_text(html, "ko")
        found = [m for m in english if appears(m, text)]
        if found:
            leaks[path] = found[:5]
    assert not leaks, f"English UI text on Korean pages: {leaks}"


@pytest.fixture(scope="module")
def korean():
    """Telling pieces of the Korean translations (the demo's own data is Korean too, so
    only longer pieces count)."""
    pieces = []
    for message in read_catalog("ko"):
        if not message.id or not isinstance(message.string, str):
            continue
        pieces += [p.strip() for p in PLACEHOLDER.split(message.string) if len(p.strip()) >= 8]
    return pieces


@pytest.mark.parametrize("email", [None, *PEOPLE])
def test_the_demo_reads_in_english_throughout(client, login, demo, korean, email):
    if email is not None:
        from sqlalchemy import select

        from hackathon.accounts.models import User
        from hackathon.extensions import db

        user = db.session.scalar(select(User).where(User.email == email))
        login(user, password="demo-password")
        client.form_post("/lang/en")
    pages = crawl(client, "/", lang="en")
    if email is not None:
        assert pages.get("/notifications")
        assert pages.get("/notifications/settings")
        assert pages.get(VOTE_PAGE)
    leaks = {}
    for path, html in pages.items():
        if html:
            text = visible_text(html, "en")
            found = [m for m in korean if m in text]
            if found:
                leaks[path] = found[:5]
    assert not leaks, f"Korean UI text on English pages: {leaks}"
