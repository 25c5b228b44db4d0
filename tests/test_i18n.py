"""Every page speaks one language: no English UI text on a Korean page, and back."""

from __future__ import annotations

import re

import pytest

from tests.factories import grant, make_event, make_user
from tests.helpers import appears, english_messages, read_catalog, visible_text

HANGUL = re.compile(r"[\uac00-\ud7a3]+")


def test_every_message_has_a_korean_translation():
    catalog = read_catalog("ko")
    missing = [
        m.id
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    assert not missing, f"{len(missing)} messages have no Korean text, e.g. {missing[:10]}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy[:10]}"


@pytest.fixture
def pages(app):
    organizer = make_user("org@example.test", "Minji Kim", is_admin=True)
    event = make_event("i18n-hack", name="국제 해커톤", name_en="International hackathon")
    grant(event, organizer, "organizer")
    return organizer, event


PUBLIC_PATHS = ["/", "/login", "/signup", "/events/i18n-hack", "/no-such-page"]
ORGANIZER_PATHS = [
    "/account",
    "/events/i18n-hack/edit",
    "/admin/",
    "/admin/users",
    "/admin/mail",
    "/admin/events/new",
    "/admin/programs/new",
    "/admin/companies/new",
]


@pytest.mark.parametrize("signed_in", [False, True])
def test_korean_pages_carry_no_english_ui_text(client, login, pages, signed_in):
    organizer, _event = pages
    paths = PUBLIC_PATHS
    if signed_in:
        login(organizer)
        client.form_post("/lang/ko")
        paths = PUBLIC_PATHS[:1] + ORGANIZER_PATHS
    english = english_messages()
    for path in paths:
        html = client.get(path, headers={"Accept-Language": "ko"}).get_data(as_text=True)
        assert 'lang="ko"' in html
        text = visible_text(html, "ko")
        leaked = [m for m in english if appears(m, text)]
        assert not leaked, f"{path}: English UI text on a Korean page: {leaked[:5]}"


@pytest.mark.parametrize("signed_in", [False, True])
def test_english_pages_carry_no_korean_ui_text(client, login, pages, signed_in):
    organizer, _event = pages
    paths = PUBLIC_PATHS
    if signed_in:
        login(organizer)
        client.form_post("/lang/en")
        paths = PUBLIC_PATHS[:1] + ORGANIZER_PATHS
    for path in paths:
        html = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert 'lang="en"' in html
        # The test data has English names, so any Hangul left is untranslated UI text.
        leaked = HANGUL.findall(visible_text(html, "en"))
        assert not leaked, f"{path}: Korean text on an English page: {leaked[:5]}"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, "ko"),
        ({}, "en"),
    ],
)
def test_the_command_line_speaks_the_terminal_language(app, monkeypatch, environ, expected):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    result = app.test_cli_runner().invoke(args=["export", "no-such-event", "roster", "-"])
    assert result.exit_code != 0
    has_hangul = HANGUL.search(result.output) is not None
    assert has_hangul == (expected == "ko"), result.output
