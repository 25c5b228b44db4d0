"""Every page speaks one language: no English UI text on a Korean page, and back."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.factories import grant, make_event, make_user

TRANSLATIONS = Path(__file__).resolve().parent.parent / "hackathon" / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def _catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


def _fragments(text: str) -> list[str]:
    """The literal pieces of a message around its placeholders, long enough to be telling."""
    return [p.strip() for p in PLACEHOLDER.split(text) if len(p.strip()) >= 4]


def _found(fragment: str, text: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(fragment)}(?![\w])", text) is not None


class _Text(HTMLParser):
    """Visible text and labels, leaving out scripts, styles and anything marked as written
    in another language (`lang="en"` on the language switch of a Korean page)."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col"})

    def __init__(self, page_lang: str) -> None:
        super().__init__()
        self.page_lang = page_lang
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        lang = values.get("lang")
        # A textarea holds what people typed (an English description), not UI text.
        hidden = tag in {"script", "style", "textarea"} or (
            lang is not None and tag != "html" and lang != self.page_lang
        )
        if not hidden and not self._hidden():
            for name in ("title", "aria-label", "placeholder", "alt"):
                if values.get(name):
                    self.parts.append(values[name])
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _hidden = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def visible_text(html: str, lang: str) -> str:
    parser = _Text(lang)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


HANGUL = re.compile(r"[\uac00-\ud7a3]+")


def test_every_message_has_a_korean_translation():
    catalog = _catalog("ko")
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


def _english_messages() -> list[str]:
    """Telling pieces of the English messages, less those the Korean text keeps too
    (technical names such as "CSV" or "z-score")."""
    catalog = _catalog("ko")
    korean = " ".join(
        m.string if isinstance(m.string, str) else " ".join(m.string) for m in catalog if m.id
    )
    return [
        f
        for m in catalog
        if m.id
        for f in _fragments(m.id if isinstance(m.id, str) else m.id[0])
        if not _found(f, korean)
    ]


@pytest.mark.parametrize("signed_in", [False, True])
def test_korean_pages_carry_no_english_ui_text(client, login, pages, signed_in):
    organizer, _event = pages
    paths = PUBLIC_PATHS
    if signed_in:
        login(organizer)
        client.form_post("/lang/ko")
        paths = PUBLIC_PATHS[:1] + ORGANIZER_PATHS
    english = _english_messages()
    for path in paths:
        html = client.get(path, headers={"Accept-Language": "ko"}).get_data(as_text=True)
        assert 'lang="ko"' in html
        text = visible_text(html, "ko")
        leaked = [m for m in english if _found(m, text)]
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
