"""Every kind of notification reads wholly in Korean and wholly in English: its title and
text in the app, and its e-mail (subject, plain text, HTML)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from hackathon.notifications import rules
from hackathon.notifications.services import notify, render_mail
from tests.factories import make_event, make_user
from tests.helpers import HANGUL, appears, english_messages, visible_text

DEADLINE = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)  # 18:00 in Seoul
# What each kind's trigger passes (the same names as the services that notify use).
SAMPLES = {
    "team_request": {"team": "Night Owls", "person": "Bob Lee", "message": "I know NLP"},
    "request_accepted": {"team": "Night Owls"},
    "request_declined": {"team": "Night Owls"},
    "captaincy": {"team": "Night Owls"},
    "assignments_ready": {"count": 3},
    "pitch_absent": {"team": "Night Owls", "room": "Hall B", "starts_at": DEADLINE.isoformat()},
    "deadline_24h": {
        "team": "Night Owls",
        "deadline": DEADLINE.isoformat(),
        "missing": "발표 자료, 소스 코드",
        "missing_en": "Slides, Source code",
    },
    "deadline_1h": {
        "team": "Night Owls",
        "deadline": DEADLINE.isoformat(),
        "missing": "소스 코드",
        "missing_en": "Source code",
    },
    "submission_receipt": {
        "team": "Night Owls",
        "title": "Fraud radar",
        "submitted_at": DEADLINE.isoformat(),
    },
    "results_published": {},
    "feedback_available": {"team": "Night Owls"},
    "peer_review_open": {"team": "Night Owls"},
    "peer_review_reminder": {"team": "Night Owls", "missing": 2, "closes": DEADLINE.isoformat()},
}


@pytest.fixture(scope="module")
def english():
    return english_messages()


def test_every_kind_has_a_sample():
    assert set(SAMPLES) == set(rules.KINDS)


@pytest.fixture
def made(db):
    """One notification of each kind, for someone in an event with both names."""
    event = make_event(name="국제 해커톤", name_en="International hackathon")
    user = make_user("reader@example.test", "Reader")
    made = {
        kind: notify(user, kind, event=event, link="/", **params)
        for kind, params in SAMPLES.items()
    }
    db.session.commit()
    return made


def _rendered(notification, locale: str) -> dict[str, str]:
    mail = render_mail(notification, locale)
    with force_locale(locale):
        title, text = rules.title_of(notification), rules.text_of(notification)
    return {
        "title": title,
        "text": text,
        "subject": mail.subject,
        "plain": mail.text,
        "html": visible_text(mail.html, locale),
    }


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_korean_throughout(made, english, kind):
    parts = _rendered(made[kind], "ko")
    for name, value in parts.items():
        leaked = [m for m in english if appears(m, value)]
        assert not leaked, f"{kind} {name}: English text in Korean: {leaked[:5]} in {value!r}"
        assert HANGUL.search(value), f"{kind} {name}: no Korean at all: {value!r}"
    english_parts = _rendered(made[kind], "en")
    # Where Korean is expected the English source must not simply come through.
    assert parts["title"] != english_parts["title"]
    assert parts["text"] != english_parts["text"]
    assert "국제 해커톤" in parts["subject"]


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_english_throughout(made, kind):
    parts = _rendered(made[kind], "en")
    for name, value in parts.items():
        assert not HANGUL.findall(value), f"{kind} {name}: Korean in English: {value!r}"
        assert value.strip()
    assert "International hackathon" in parts["subject"]
    assert parts["title"] in parts["plain"]
    assert parts["text"] in parts["plain"]


def test_values_and_times_read_in_each_language(made):
    ko = _rendered(made["deadline_24h"], "ko")["text"]
    en = _rendered(made["deadline_24h"], "en")["text"]
    assert "발표 자료, 소스 코드" in ko
    assert "오후 6:00" in ko  # the event's time zone (Seoul), in Korean
    assert "Slides, Source code" in en
    assert re.search(r"6:00\s?PM", en)
    assert "Bob Lee" in _rendered(made["team_request"], "en")["text"]
    assert "3 new teams to judge" in _rendered(made["assignments_ready"], "en")["text"]
    assert "I know NLP" in _rendered(made["team_request"], "ko")["plain"]


def test_each_mail_links_back_and_offers_one_click_unsubscribe(made, app):
    notification = made["captaincy"]
    mail = render_mail(notification, "en")
    base = app.config["PUBLIC_URL"]
    assert f"{base}/notifications/{notification.id}" in mail.text
    assert f'href="{base}/notifications/{notification.id}"' in mail.html
    unsubscribe = mail.headers["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{base}/notifications/unsubscribe/")
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in mail.text
    assert f"{base}/notifications/settings" in mail.text
    assert '<html lang="en">' in mail.html
    assert '<html lang="ko">' in render_mail(notification, "ko").html
