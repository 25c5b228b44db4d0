"""Who may keep a response, and for how long: HTTP caching of pages and API reads.

A visitor who is not signed in and holds no session cookie gets the public pages (home,
programs, events, the board, the gallery, the schedule, portfolios) and the public API
reads without any cookie: nothing on them writes the session. That is what lets a shared
cache (nginx in front of gunicorn, a CDN) keep them:

- **No token unless needed.** A CSRF token lives in the session, so minting one writes a
  cookie. A page mints one only where a form needs it (sign-in, sign-up, anything for the
  signed-in); `<meta name="csrf-token">` carries that token, or the session's when the
  browser already has one, and is empty otherwise (`page_csrf_token`). Scripts that write
  ask `GET /api/v1/csrf` for a token when the meta is empty (`static/js/app.js`).
- **Language without a cookie.** Accept-Language, or `?lang=` in the address, which the
  page's own links carry on (`hackathon.i18n`); a response chosen by Accept-Language says
  `Vary: Accept-Language`.
- **The view says how long.** A public view picks a `Policy` (`choose`); `finish` turns it
  into `Cache-Control`. Only a response to a cookie-less visitor is `public`: one to a
  browser with a session (signed in, or with a flash message or a language kept in it),
  or one that sets the cookie, is `private` whatever the view chose, and says
  `Vary: Cookie`. A view that chose nothing is left alone (no shared cache keeps it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request, session
from flask_wtf.csrf import generate_csrf

POLICY = "cache_policy"


@dataclass(frozen=True)
class Policy:
    """How long caches may keep a response: `max_age` seconds fresh, then `stale` more while
    they fetch it again in the background; 0 seconds: ask every time (`no-cache`);
    `store=False`: keep it nowhere (`no-store`)."""

    max_age: int = 0
    stale: int = 0
    store: bool = True

    def header(self) -> str:
        if not self.store:
            return "no-store"
        if self.max_age <= 0:
            return "no-cache"
        value = f"public, max-age={self.max_age}"
        return f"{value}, stale-while-revalidate={self.stale}" if self.stale > 0 else value


REVALIDATE = Policy()
NO_STORE = Policy(store=False)


def page_policy() -> Policy:
    """The public pages' policy: `PUBLIC_PAGE_SECONDS` fresh, as long again stale."""
    seconds = int(current_app.config.get("PUBLIC_PAGE_SECONDS", 30))
    return Policy(seconds, seconds)


def choose(policy: Policy) -> None:
    """This response's policy (the view's own choice; `finish` makes it private if need be)."""
    g.cache_policy = policy


def public_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page everyone may see: cached for `PUBLIC_PAGE_SECONDS` by whoever may keep it,
    with an ETag of its body (a second request with it gets 304)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if POLICY not in g:  # the view may choose another one itself
            choose(page_policy())
        g.cache_etag = True
        return view(*args, **kwargs)

    return wrapped


def personal() -> bool:
    """Whether this response belongs to one browser: it came with a session (signed in, a
    flash message, a kept language, a token) or sets one."""
    return bool(session) or session.modified


def finish(response: Response) -> Response:
    """Cache-Control and Vary of a GET's response, from the view's policy and the visitor."""
    if request.method not in ("GET", "HEAD") or request.endpoint == "static":
        return response
    if g.get("locale_from_header"):
        response.vary.add("Accept-Language")
    policy: Policy | None = g.get(POLICY)
    headers = response.headers
    # Only the page itself: a redirect or an error a view answers is nobody's to keep.
    if policy is not None and "Cache-Control" not in headers and response.status_code == 200:
        headers["Cache-Control"] = policy.header()
        if g.get("cache_etag") and not response.is_streamed:
            response.add_etag()
            response.make_conditional(request)
    if g.get("unavailable"):
        return response
    if personal():
        response.vary.add("Cookie")
        given = headers.get("Cache-Control")
        if not given:
            headers["Cache-Control"] = "private, no-cache"
        elif "public" in given:
            headers["Cache-Control"] = given.replace("public", "private")
        elif "private" not in given and "no-store" not in given:
            headers["Cache-Control"] = "private, " + given
    return response


def page_csrf_token() -> str:
    """The token for `<meta name="csrf-token">`: the one this page minted for its forms, or
    the session's when the browser has a session; "" for a cookie-less visitor on a page
    without forms, which would otherwise get a cookie for nothing. Called last on the page
    (base.html renders the body first), so it knows whether the body minted one."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g or bool(session):
        return str(generate_csrf())
    return ""


def csrf_view() -> Response:
    """`GET /api/v1/csrf`: a token for a script that is about to write (its page had none);
    it starts the session that holds it."""
    response = jsonify({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("PUBLIC_PAGE_SECONDS", 30)
    app.add_template_global(page_csrf_token)
    app.after_request(finish)
