"""Shared fixtures: a migrated database (SQLite, or PostgreSQL via DATABASE_URL),
the app, a client that knows CSRF, and sign-in helpers."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from config import Config
from tests.smtp import SmtpServer

TEST_PASSWORD = "correct-horse-battery"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _test_env(tmp: Path) -> dict[str, str]:
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


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """argon2id at its lowest cost: the suite signs in hundreds of times, and each
    verification at the production cost takes a quarter of a second."""
    from argon2 import PasswordHasher

    from hackathon.accounts.logic import passwords

    saved = passwords._hasher, passwords._DUMMY_HASH
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    passwords._DUMMY_HASH = passwords._hasher.hash("not-a-real-password")
    yield
    passwords._hasher, passwords._DUMMY_HASH = saved


@pytest.fixture(scope="session")
def instance_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hackathon-test-") as tmp:
        yield Path(tmp)


def make_app(instance_dir: Path, **overrides: object) -> Flask:
    from hackathon import create_app

    config = Config(_test_env(instance_dir))
    return create_app(config) if not overrides else create_app_with(config, overrides)


def create_app_with(config: Config, overrides: dict) -> Flask:
    from hackathon import create_app

    for key, value in overrides.items():
        setattr(config, key, value)
    return create_app(config)


@pytest.fixture(scope="session")
def _migrated_app(instance_dir: Path) -> Iterator[Flask]:
    """One app for the session, its schema built by running every migration from empty."""
    from flask_migrate import downgrade, upgrade

    from hackathon.extensions import db

    app = make_app(instance_dir)
    with app.app_context():
        # Start from empty even when the database was used before.
        downgrade(revision="base") if _has_alembic(db) else None
        upgrade()
    yield app
    with app.app_context():
        # Pooled connections closed before exit, not left to the garbage collector.
        db.engine.dispose()


def _has_alembic(db) -> bool:
    from sqlalchemy import inspect

    return inspect(db.engine).has_table("alembic_version")


def _clear_tables(db) -> None:
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


@pytest.fixture
def app(_migrated_app: Flask) -> Iterator[Flask]:
    from hackathon.extensions import db, limiter
    from hackathon.jobs import wait_idle

    with _migrated_app.app_context():
        yield _migrated_app
        wait_idle(_migrated_app)  # background jobs of this test finish before its rows go
        db.session.rollback()
        _clear_tables(db)
        db.session.remove()
    limiter.reset()


@pytest.fixture
def db(app: Flask):
    from hackathon.extensions import db as database

    return database


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


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def new_client(app: Flask):
    """Another browser: a separate cookie jar."""

    def make() -> Client:
        app.test_client_class = Client
        return app.test_client()

    return make


@pytest.fixture
def login(client: Client):
    """Sign a client in through the real form: login(user) or login(user, client=other)."""

    def do(user, password: str = TEST_PASSWORD, client: Client = client):
        client.get("/login")
        response = client.form_post("/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        client.get(response.headers["Location"])  # the page a browser lands on (new token)
        return client

    return do


# S3: moto's server over real HTTP, a fresh bucket per test, and an app configured for it.


@pytest.fixture(scope="session")
def _moto_endpoint() -> Iterator[str]:
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


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


@pytest.fixture
def s3_server(app: Flask, instance_dir: Path, _moto_endpoint: str, monkeypatch):
    """An app on STORAGE_BACKEND=s3 against moto, sharing the test database (and its cleanup).

    Its app context sits on top of the shared app's for the test, so factories write
    through it; its connections are closed before the shared app clears the tables.
    """
    import uuid

    import boto3
    from botocore.config import Config as BotoConfig

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    bucket = f"test-{uuid.uuid4().hex[:16]}"
    boto = boto3.client(
        "s3",
        endpoint_url=_moto_endpoint,
        region_name="us-east-1",
        config=BotoConfig(signature_version="s3v4"),
    )
    boto.create_bucket(Bucket=bucket)
    s3_app = make_app(
        instance_dir,
        STORAGE_BACKEND="s3",
        S3_BUCKET=bucket,
        S3_ENDPOINT_URL=_moto_endpoint,
        S3_REGION="us-east-1",
    )
    from hackathon.extensions import db

    with s3_app.app_context():
        yield S3Server(_moto_endpoint, bucket, boto, s3_app)
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port, and the app sending mail to it."""
    server = SmtpServer()
    server.start()
    saved = app.config["MAIL_URL"]
    app.config["MAIL_URL"] = server.url
    try:
        yield server
    finally:
        from hackathon.jobs import wait_idle

        wait_idle(app)
        app.config["MAIL_URL"] = saved
        server.stop()
