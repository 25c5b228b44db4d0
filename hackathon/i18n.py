"""Language and time: Korean and English, times in the event's time zone."""

from __future__ import annotations

import os
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_skeleton, format_time, get_datetime_format
from babel.numbers import format_decimal
from flask import Flask, current_app, g, has_request_context, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from hackathon.extensions import babel

LANGUAGES = ("ko", "en")


def select_locale() -> str:
    """The user's setting, then `?lang=` in the address, then the language chosen in this
    browser, then Accept-Language (and the response then says `Vary: Accept-Language`).

    `?lang=` is how a visitor without a session picks a language without being given a
    cookie: the page's links carry it on (`keep_language`). Outside a request (the command
    line) it follows the terminal, as command-line tools do.
    """
    if not has_request_context():
        return terminal_locale()
    # A request answered with "the database is down" asks it nothing more (the user's
    # setting is in the database): the browser's language instead.
    if (
        not g.get("unavailable")
        and current_user
        and current_user.is_authenticated
        and current_user.locale in LANGUAGES
    ):
        return current_user.locale
    asked = address_language()
    if asked:
        return asked
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    g.locale_from_header = True
    best = request.accept_languages.best_match(LANGUAGES)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def address_language() -> str | None:
    """The language asked in this request's address (`?lang=en`), if it is one we have."""
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else None


def keep_language(endpoint: str | None, values: dict) -> None:
    """Links on a page opened with `?lang=` keep it, for a visitor who is not signed in
    (a signed-in person's choice is their setting): the language stays without a cookie.
    Static files and links that name a language themselves are left as they are."""
    if not has_request_context() or "lang" in values or g.get("unavailable"):
        return
    if endpoint is None or endpoint == "static" or endpoint.endswith(".static"):
        return
    asked = address_language()
    if asked and not (current_user and current_user.is_authenticated):
        values["lang"] = asked


def terminal_locale() -> str:
    """`ko` when the shell's locale (LC_ALL, LC_MESSAGES, LANG) is Korean, else English.

    A terminal with no language set (`C`, `POSIX`) gets English, the usual fallback of
    command-line tools; `ko_KR.UTF-8` gets Korean.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            code = value.split(".")[0].split("_")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


# CLDR skeletons: the locale decides order and words ("2026년 10월 26일 (월) 오후 6:00",
# "Mon, Oct 26, 2026, 6:00 PM"); seconds are noise on a schedule.
SKELETONS = {"medium": "yMMMEd", "long": "yMMMMEEEEd"}


def format_local(value: datetime | None, tz: str | None = None, fmt: str = "medium") -> str:
    """A UTC datetime shown in the given time zone (the event's), formatted per locale."""
    if value is None:
        return ""
    zone = ZoneInfo(tz or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    locale = str(get_locale())
    if fmt in SKELETONS:
        local = value.astimezone(zone)
        day = format_skeleton(SKELETONS[fmt], local, locale=locale)
        clock = format_time(local, format="short", locale=locale)
        # The pattern is a string such as "{1}, {0}" (Babel annotates it as a DateTimePattern).
        return str(get_datetime_format("medium", locale=locale)).format(clock, day)
    return babel_format_datetime(value, format=fmt, tzinfo=zone, locale=locale)


def language_link(code: str) -> str:
    """This page in another language, by its address: its path and query with `lang` set
    (the home page when this request cannot be repeated as a GET)."""
    if request.method not in ("GET", "HEAD"):
        rule = request.url_rule
        if rule is None or "GET" not in (rule.methods or ()):
            return url_for("events.home", lang=code)
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", code)])


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.url_defaults(keep_language)
    app.add_template_global(language_link)
    app.jinja_env.filters["localtime"] = format_local

    @app.context_processor
    def inject_locale() -> dict:
        return {"current_locale": str(get_locale()), "languages": LANGUAGES}


# Byte counts as people read them.

UNITS = ("B", "KB", "MB", "GB", "TB")


def human_size(size: int) -> str:
    """1536 -> '1.5 KB', 52428800 -> '50 MB' (binary multiples, as file managers show)."""
    value, unit = float(size), 0
    while value >= 1024 and unit < len(UNITS) - 1:
        value /= 1024
        unit += 1
    pattern = "#,##0" if unit == 0 or value >= 100 or value.is_integer() else "#,##0.#"
    try:
        locale = str(get_locale() or "en")
    except RuntimeError:  # outside a request (CLI)
        locale = "en"
    return f"{format_decimal(value, format=pattern, locale=locale)} {UNITS[unit]}"
