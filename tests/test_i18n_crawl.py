"""Walk the demo as each kind of user, in Korean: no page shows English UI text."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.helpers import PLACEHOLDER, appears, english_messages, read_catalog, visible_text

LINK = re.compile(r'href="([^"#]+)"')
SKIP = re.compile(r"(\.csv|\.zip|/download|/logout|/lang/|/static/|/api/|\.json)")
PEOPLE = ["organizer@demo.test", "trainee1@demo.test", "judge1@demo.test", "mentor1@demo.test"]


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
    leaks = {}
    for path, html in pages.items():
        if html:
            text = visible_text(html, "en")
            found = [m for m in korean if m in text]
            if found:
                leaks[path] = found[:5]
    assert not leaks, f"Korean UI text on English pages: {leaks}"


# The pitch day's pages (docs/judging.md), which the walk from "/" may not reach within its
# limit: each reader starts there, and the organizer also previews a new day.
SCHEDULE_PAGES = [
    "/events/cohort1-news-bigdata/schedule",
    "/events/cohort1-news-bigdata/judging",
    "/events/cohort1-news-bigdata/judging/schedule",
]


@pytest.mark.parametrize("email", [None, "organizer@demo.test", "judge1@demo.test"])
def test_the_pitch_day_reads_in_each_language(new_client, login, demo, english, korean, email):
    from sqlalchemy import select

    from hackathon.accounts.models import User
    from hackathon.extensions import db

    for lang, foreign in (("ko", english), ("en", korean)):
        client = new_client()  # a fresh session: no message left over from the other language
        if email is not None:
            user = db.session.scalar(select(User).where(User.email == email))
            login(user, password="demo-password", client=client)
        client.form_post(f"/lang/{lang}")
        pages: dict[str, str] = {}
        for start in SCHEDULE_PAGES:
            pages.update(crawl(client, start, limit=12, lang=lang))
        assert any("/schedule/rooms/" in path and html for path, html in pages.items())
        if email == "organizer@demo.test":
            preview = client.form_post(
                SCHEDULE_PAGES[2],
                {
                    "rooms": "A홀\nB홀\nC홀",
                    "start": "2026-03-14T10:00",
                    "slot_minutes": "20",
                    "break_every": "2",
                    "break_minutes": "10",
                },
                headers={"Accept-Language": lang},
            )
            assert "data-preview" in preview.get_data(as_text=True)
            pages["preview"] = preview.get_data(as_text=True)
        leaks = {}
        for path, html in pages.items():
            if html:
                text = visible_text(html, lang)
                found = [m for m in foreign if (appears(m, text) if lang == "ko" else m in text)]
                if found:
                    leaks[path] = found[:5]
        assert not leaks, f"{lang}: foreign UI text: {leaks}"
