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
            # The language switch (a form, or for visitors a ?lang= link) is not followed.
            if target.netloc or SKIP.search(target.path) or "lang=" in target.query:
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


# The program's people pages (individual awards, the job fair, the report's people side),
# crawled from where each kind of person starts, in both languages.
COHORT_STARTS = {
    "organizer@demo.test": [
        "/programs/cohort1/report",
        "/programs/cohort1/awards",
        "/programs/cohort1/jobfair/manage",
        "/programs/cohort1/jobfair/matching",
    ],
    "trainee1@demo.test": ["/programs/cohort1/jobfair"],
    "mentor1@demo.test": ["/programs/cohort1/jobfair"],
}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("email", sorted(COHORT_STARTS))
def test_the_cohort_pages_read_in_one_language(client, login, demo, english, korean, email, lang):
    from sqlalchemy import select

    from hackathon.accounts.models import User
    from hackathon.extensions import db

    login(db.session.scalar(select(User).where(User.email == email)), password="demo-password")
    client.form_post(f"/lang/{lang}")
    pages: dict[str, str] = {}
    for start in COHORT_STARTS[email]:
        found = crawl(client, start, limit=12, lang=lang)
        assert found[start], start
        pages.update(found)
    leaks = {}
    for path, html in pages.items():
        if not html or not path.startswith("/programs/"):
            continue
        text = visible_text(html, lang)
        found = (
            [m for m in english if appears(m, text)]
            if lang == "ko"
            else [m for m in korean if m in text]
        )
        if found:
            leaks[path] = found[:5]
    assert not leaks, f"UI text of the other language: {leaks}"


# The cohort pages: a program's trainees, a record, a portfolio and its editor, the talent
# view; read by the organizer, a trainee whose portfolio is published, and a mentor.
COHORT_PAGES = {
    "organizer@demo.test": ["/programs/cohort1/people", "/programs/cohort1/people?sort=rank"],
    "mentor1@demo.test": ["/programs/cohort1/talent"],
}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_records_and_portfolios_read_in_one_language(client, login, new_client, demo, lang):
    from sqlalchemy import select

    from hackathon.accounts.models import User
    from hackathon.cohort.models import Portfolio
    from hackathon.extensions import db

    published = db.session.scalar(select(Portfolio).where(Portfolio.public.is_(True)))
    owner = db.session.get(User, published.user_id)
    person = f"/programs/cohort1/people/{owner.id}"
    pages = dict(COHORT_PAGES)
    pages[owner.email] = [person, person + "?view=portfolio", "/programs/cohort1/portfolio"]
    pages["organizer@demo.test"] = [*pages["organizer@demo.test"], person]
    pages[None] = [person]
    words = english_messages() if lang == "ko" else _korean_pieces_of_catalog()
    leaks = {}
    for email, paths in pages.items():
        reader = new_client()
        if email is not None:
            user = db.session.scalar(select(User).where(User.email == email))
            login(user, password="demo-password", client=reader)
            reader.form_post(f"/lang/{lang}")
        for path in paths:
            response = reader.get(path, headers={"Accept-Language": lang})
            assert response.status_code == 200, (email, path)
            text = visible_text(response.get_data(as_text=True), lang)
            found = [m for m in words if (appears(m, text) if lang == "ko" else m in text)]
            if found:
                leaks[(email, path)] = found[:5]
    assert not leaks, f"UI text of the other language: {leaks}"


def _korean_pieces_of_catalog() -> list[str]:
    pieces = []
    for message in read_catalog("ko"):
        if message.id and isinstance(message.string, str):
            pieces += [p.strip() for p in PLACEHOLDER.split(message.string) if len(p.strip()) >= 8]
    return pieces


def _cohort_pages(email: str) -> list[str]:
    """Peer review and check-in pages of the demo for one person (the crawl above may not
    reach them within its limit)."""
    from sqlalchemy import select

    from hackathon.accounts.models import User
    from hackathon.events.models import Event
    from hackathon.extensions import db
    from hackathon.teams.rules import team_of

    user = db.session.scalar(select(User).where(User.email == email))
    fintech = db.session.scalar(select(Event).where(Event.slug == "cohort1-fintech"))
    projects = db.session.scalar(select(Event).where(Event.slug == "cohort1-company-projects"))
    if email.startswith("organizer"):
        trainee = db.session.scalar(select(User).where(User.email == "trainee1@demo.test"))
        first = team_of(trainee, projects)
        return [
            "/events/cohort1-fintech/peer-review/summary",
            "/events/cohort1-company-projects/checkins/grid",
            "/events/cohort1-company-projects/milestones",
            f"/events/cohort1-company-projects/teams/{first.id}/checkins",
        ]
    if email.startswith("mentor"):
        return ["/events/cohort1-company-projects/checkins/mentor"]
    pages = [f"/events/cohort1-company-projects/teams/{team_of(user, projects).id}/checkins"]
    if team_of(user, fintech) is not None:
        pages.append("/events/cohort1-fintech/peer-review")
    return pages


@pytest.mark.parametrize("email", [*PEOPLE[:2], "mentor1@demo.test"])
def test_peer_review_and_checkin_pages_read_in_one_language(
    client, login, demo, english, korean, email
):
    from sqlalchemy import select

    from hackathon.accounts.models import User
    from hackathon.events.models import Event
    from hackathon.extensions import db
    from hackathon.teams.rules import team_of

    if email == "trainee1@demo.test":  # someone of a fintech team, to see the peer form
        fintech = db.session.scalar(select(Event).where(Event.slug == "cohort1-fintech"))
        trainees = db.session.scalars(select(User).where(User.email.like("trainee%"))).all()
        email = next(u.email for u in trainees if team_of(u, fintech) is not None)
    user = db.session.scalar(select(User).where(User.email == email))
    login(user, password="demo-password")
    leaks = {}
    for lang, path in [(lang, p) for lang in ("ko", "en") for p in _cohort_pages(email)]:
        client.form_post(f"/lang/{lang}")
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.get_data(as_text=True), lang)
        found = (
            [m for m in english if appears(m, text)]
            if lang == "ko"
            else [m for m in korean if m in text]
        )
        if found:
            leaks[f"{lang} {path}"] = found[:5]
    assert not leaks, f"Wrong-language UI text: {leaks}"


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
