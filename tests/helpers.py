"""Plain helpers the tests share (fixtures live in the conftest.py files and call these;
test data comes from factories.py):

- the app, a second app on the same database, a clean database, counting SQL statements;
- the test client that carries CSRF tokens, forms posted from a page, the audit log;
- signing a browser page in;
- the judging scenario, and the scored event's record of the leaderboard tests;
- moto's S3, the storage backends and uploads of the submission tests;
- the translation catalogues and the text a page shows.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import io
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from aiosmtpd.controller import Controller
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from config import Config
from hackathon.extensions import db as _db
from hackathon.jobs import wait_idle
from tests.factories import (
    grant,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_user,
)

MB = 1024 * 1024
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The app: its settings for tests, a second app on the same database, a clean database.


def app_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "STORAGE_BACKEND"}}
    env.update(
        {
            "APP_ENV": "testing",
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp),
            "STORAGE_LOCAL_ROOT": str(tmp / "files"),
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'test.sqlite3'}",
            # Tests read the live board right after each score; the ones about computing it
            # at most once in a while set this themselves (tests/leaderboard/test_live_rate.py).
            "LEADERBOARD_LIVE_SECONDS": "0",
        }
    )
    return env


def make_app(instance_dir: Path, **overrides: object) -> Flask:
    """An app on the test settings, with `overrides` set on its config."""
    from hackathon import create_app

    config = Config(app_env(instance_dir))
    for key, value in overrides.items():
        setattr(config, key, value)
    return create_app(config)


@contextmanager
def extra_app(instance_dir: Path, **overrides: object) -> Iterator[Flask]:
    """A second app on the same database (other settings); its connections are closed
    afterwards, so no stray connection outlives the test. The rate limiter is one object
    per process that each app re-binds to its storage: it is given back to the first."""
    from hackathon.extensions import limiter

    saved = vars(limiter).copy()
    other = make_app(instance_dir, **overrides)
    try:
        yield other
    finally:
        with other.app_context():
            from hackathon.extensions import db

            db.session.remove()
            db.engine.dispose()
        vars(limiter).update(saved)


def has_alembic(db) -> bool:
    from sqlalchemy import inspect

    return inspect(db.engine).has_table("alembic_version")


def clear_tables(db) -> None:
    # DELETE in dependency order: on the few rows a test leaves it is far faster than
    # TRUNCATE, which rewrites every table's files (about 0.6 s per test on PostgreSQL).
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    if db.engine.dialect.name == "postgresql":
        # Ids start from 1 again, as they do on SQLite once a table is empty.
        db.session.execute(
            text(
                "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c"
                " WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
            )
        )
    db.session.commit()


@contextmanager
def statements(db) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs."""
    from sqlalchemy import event as sa_event

    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)


# The client: CSRF tokens as a browser has them, forms and JSON calls.


class Client(FlaskClient):
    """A test client that reads the CSRF token from the last page, like a browser would."""

    csrf_token: str | None = None

    def open(self, *args, **kwargs):
        # Each request gets its own app context (its own `g` and database session), as in
        # production, even though the test itself holds one open.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if response.mimetype == "text/html":
            match = CSRF_META.search(response.get_data(as_text=True))
            if match:
                self.csrf_token = match.group(1)
        return response

    def fresh_token(self) -> str:
        self.get("/login")
        assert self.csrf_token
        return self.csrf_token

    def form_post(self, url: str, data: dict | None = None, **kwargs):
        """POST a form with the CSRF token a real page would carry."""
        payload = {"csrf_token": self.csrf_token or self.fresh_token(), **(data or {})}
        return self.post(url, data=payload, **kwargs)

    def api(self, method: str, url: str, json: object = None, **kwargs):
        headers = kwargs.pop("headers", {})
        if method.upper() not in {"GET", "HEAD"}:
            headers.setdefault("X-CSRFToken", self.csrf_token or self.fresh_token())
        return self.open(url, method=method.upper(), json=json, headers=headers, **kwargs)


def post(client, url: str, data: dict | None = None, back: str | None = None):
    """Submit a form from the page `back` (sent as the Referer, as a browser does)."""
    return client.form_post(url, data or {}, headers={"Referer": f"http://localhost{back or url}"})


def landing(client, response) -> str:
    """The page a browser lands on after a redirect, as text."""
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def audit_actions(event) -> list[str]:
    """The actions recorded in the event's audit log, oldest first."""
    from sqlalchemy import select

    from hackathon.audit import AuditEntry
    from hackathon.extensions import db

    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.event_id == event.id).order_by(AuditEntry.id)
        )
    )


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Sign a browser page in through the real form."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


# Judging: an event in judging with a rubric, judges, an organizer and submitted teams.


@dataclass
class Setup:
    event: Any
    organizer: Any
    criteria: list[Any]
    judges: list[Any]
    teams: list[Any]
    extra: dict[str, Any] = field(default_factory=dict)


def build_setup(*, judges: int = 4, teams: int = 4, phase: str = "judging", k: int = 2) -> Setup:
    event = make_event(phase=phase, judges_per_submission=k)
    organizer = make_user(name="운영자")
    grant(event, organizer, "organizer")
    criteria = [
        make_criterion(event, "기획력", weight=2, lo=1, hi=10, name_en="Idea"),
        make_criterion(event, "완성도", weight=1, lo=1, hi=5, name_en="Execution"),
    ]
    people = []
    for i in range(judges):
        judge = make_user(name=f"심사위원 {i + 1}")
        grant(event, judge, "judge")
        people.append(judge)
    team_rows = []
    for i in range(teams):
        team = make_team(event, f"팀 {i + 1}")
        make_submission(team, title=f"작품 {i + 1}", summary=f"요약 {i + 1}")
        team_rows.append(team)
    return Setup(event, organizer, criteria, people, team_rows)


def assign(setup: Setup, judge, team):
    """Give one team to one judge through the service, committed."""
    from hackathon.extensions import db
    from hackathon.judging.services.assignments import add_assignment

    assignment = add_assignment(setup.event, judge.id, team.id)
    db.session.commit()
    return assignment


def put_scores(client, assignment_id, **body):
    """`PUT /api/v1/assignments/<id>/scores` with `body` as the JSON."""
    return client.api("PUT", f"/api/v1/assignments/{assignment_id}/scores", json=body)


# Leaderboard: the scored event of tests/leaderboard.


@dataclass
class Scored:
    event: Any
    organizer: Any
    member: Any
    judges: list
    criteria: list
    tracks: list
    teams: dict = field(default_factory=dict)


# S3: moto's server over real HTTP, inspected through boto3.


class S3Server:
    """The endpoint, its bucket, a boto3 client to inspect it, and the s3-configured app."""

    def __init__(self, endpoint: str, bucket: str, boto, app: Flask) -> None:
        self.endpoint, self.bucket, self.boto, self.app = endpoint, bucket, boto, app

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.boto.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return [item["Key"] for item in listing.get("Contents", [])]

    def multipart_uploads(self) -> list[dict]:
        return self.boto.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])

    def client(self) -> Client:
        self.app.test_client_class = Client
        return self.app.test_client()


# Submissions: a storage backend and the browser's side of an upload, tickets and uploads.


class Backend:
    """One app on one storage backend ("local" or "s3") and what a browser does with it."""

    name: str

    def __init__(self, app, make_client, keys, multiparts) -> None:
        self.app, self._make_client, self._keys, self._multiparts = (
            app,
            make_client,
            keys,
            multiparts,
        )

    def client(self):
        return self._make_client()

    def object_keys(self) -> list[str]:
        return sorted(self._keys())

    def multipart_uploads(self) -> list[Any]:
        return list(self._multiparts())

    @property
    def storage(self):
        return self.app.extensions["storage"]

    def post_file(self, ticket: dict, data: bytes, name: str = "file.bin") -> int:
        """What the browser does with a POST ticket: the fields, then the file."""
        if self.name == "s3":
            return requests.post(
                ticket["url"], data=ticket["fields"], files={"file": (name, data)}, timeout=30
            ).status_code
        payload = {**ticket["fields"], "file": (io.BytesIO(data), name)}
        return (
            self.client()
            .post(ticket["url"], data=payload, content_type="multipart/form-data")
            .status_code
        )

    def put_part(self, url: str, data: bytes) -> int:
        if self.name == "s3":
            return requests.put(url, data=data, timeout=30).status_code
        return self.client().put(url, data=data).status_code

    def fetch(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """Follow a download redirect the way a browser would (header names in lowercase)."""
        if self.name == "s3":
            response = requests.get(url, timeout=30)
            return response.status_code, _lower(response.headers), response.content
        response = self.client().get(url)
        body = response.get_data()
        response.close()  # a file-backed response: release the file
        return response.status_code, _lower(response.headers), body


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@dataclass
class World:
    event: Any
    team: Any
    other_team: Any
    alice: Any
    bob: Any
    carol: Any
    stranger: Any
    slots: dict[str, Any]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_submission(client, event) -> int:
    """A member opens the team's submission page; returns the submission id."""
    response = client.get(f"/events/{event.slug}/submission")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def ticket_for(
    client,
    submission_id: int,
    slot: str,
    name: str,
    data: bytes,
    *,
    size: int | None = None,
    digest: str | None = None,
):
    return client.api(
        "POST",
        f"/api/v1/submissions/{submission_id}/uploads",
        json={
            "slot": slot,
            "filename": name,
            "size": len(data) if size is None else size,
            "sha256": digest or sha(data),
        },
    )


def upload(
    backend: Backend, client, submission_id: int, slot: str, name: str, data: bytes, **declared
):
    """Ticket, the browser's upload, complete: the complete response."""
    ticket = ticket_for(client, submission_id, slot, name, data, **declared)
    assert ticket.status_code == 201, ticket.json
    backend.post_file(ticket.json, data, name)
    return client.api("POST", ticket.json["complete_url"])


def row_count(db, model) -> int:
    from sqlalchemy import func, select

    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def close_just_now(db, event) -> None:
    """The deadline passes: the next whole second (S3 keeps times to the second), after
    everything sent so far and before anything sent from now on."""
    from hackathon.db import utcnow

    now = utcnow()
    deadline = now.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((deadline - now).total_seconds() + 0.2)
    event = db.session.merge(event)
    event.submissions_close_at = deadline
    event.grace_minutes = 0
    db.session.commit()


# Translations: the catalogues, and the text a page shows in its language.

TRANSLATIONS = Path(__file__).resolve().parent.parent / "hackathon" / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def read_catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


def fragments(text: str) -> list[str]:
    """The literal pieces of a message around its placeholders, long enough to be telling."""
    return [p.strip() for p in PLACEHOLDER.split(text) if len(p.strip()) >= 4]


def appears(fragment: str, text: str) -> bool:
    """Whether the fragment is in the text as whole words."""
    return re.search(rf"(?<![\w]){re.escape(fragment)}(?![\w])", text) is not None


def english_messages() -> list[str]:
    """Telling pieces of the English messages, less those the Korean text keeps too
    (technical names such as "CSV" or "z-score")."""
    catalog = read_catalog("ko")
    korean = " ".join(
        m.string if isinstance(m.string, str) else " ".join(m.string) for m in catalog if m.id
    )
    return [
        f
        for m in catalog
        if m.id
        for f in fragments(m.id if isinstance(m.id, str) else m.id[0])
        if not appears(f, korean)
    ]


class _VisibleText(HTMLParser):
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
    parser = _VisibleText(lang)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


# A real SMTP server on loopback for the mail tests (aiosmtpd); it can be stopped and
# started again on the same port to play a mail server that is down.
class _Collect:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.server.lock:
            self.server.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller = Controller(_Collect(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        """The messages received for `address`, oldest first."""
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


def redis_test_url() -> str:
    """The Redis database the tests may use (`REDIS_TEST_URL`); the test is skipped when no
    Redis answers there, unless REDIS_TEST_URL was set on purpose (then it fails)."""
    import pytest
    import redis

    url = os.environ.get("REDIS_TEST_URL") or "redis://127.0.0.1:6379/15"
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REDIS_TEST_URL"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379 (set REDIS_TEST_URL)")
    finally:
        client.close()
    return url


# Mailed links: the people they go to, the mail that arrives at the test SMTP server and
# the links in it, and pages compared without their CSRF token.

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LINK = re.compile(r"https?://\S+/(?:invite|password/reset|verify)/[A-Za-z0-9_-]+")
CSRF = re.compile(r'(csrf[-_]token"[^>]*?(?:content|value)=")[^"]+')
NEW_PASSWORD = "a-brand-new-password"


def imported_person(email: str, name: str = "가져온 사람", **fields):
    """Someone an organizer added from a roster: an account with no password yet."""
    user = make_user(email, name, **fields)
    user.password_hash = None
    _db.session.commit()
    return user


def received(app, smtp_server: SmtpServer, address: str) -> list[EmailMessage]:
    """What the SMTP server has received for `address`, once the outbox has sent it."""
    wait_idle(app)
    return smtp_server.to(address)


def only_mail(app, smtp_server: SmtpServer, address: str) -> EmailMessage:
    messages = received(app, smtp_server, address)
    assert len(messages) == 1, [m["Subject"] for m in messages]
    return messages[0]


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "no HTML part"
    return part.get_content()


def link_of(message: EmailMessage) -> str:
    """The one account link in the mail's plain text, which the HTML part carries too."""
    text = SmtpServer.text(message)
    found = set(LINK.findall(text))
    assert len(found) == 1, text
    link = found.pop()
    assert link in html_part(message)
    return link


def path_of(message: EmailMessage) -> str:
    return urlsplit(link_of(message)).path


def without_csrf(html: str) -> str:
    return CSRF.sub(r"\1…", html)


# Notifications: what reached a person, the outbox and a page's bell.


def notifications_of(user) -> list:
    from hackathon.notifications.models import Notification

    _db.session.expire_all()
    return list(
        _db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def outbox_count(address: str | None = None) -> int:
    from hackathon.mail import OutboxMessage

    _db.session.expire_all()
    query = select(func.count()).select_from(OutboxMessage)
    if address is not None:
        query = query.where(OutboxMessage.to_address == address)
    return int(_db.session.scalar(query) or 0)


def bell(html: str) -> int:
    """The number on the bell of a page (0 when it shows none)."""
    found = re.search(r'class="bell" data-unread="(\d+)"', html)
    assert found, "no bell on the page"
    return int(found.group(1))
