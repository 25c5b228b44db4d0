"""Plain helpers the tests share: the app and its test client, forms as
a page posts them, signing a browser in, and S3.

Fixtures live in the conftest.py files and call these; test data comes from factories.py.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from config import Config

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
