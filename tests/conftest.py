"""Shared fixtures: a migrated database (SQLite, or PostgreSQL via DATABASE_URL), the app,
a client that knows CSRF, signing in, and S3 (moto). Their plumbing is in helpers.py."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import TEST_PASSWORD
from tests.helpers import (
    Client,
    S3Server,
    SmtpServer,
    clear_tables,
    free_port,
    has_alembic,
    make_app,
)


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


@pytest.fixture(scope="session")
def _migrated_app(instance_dir: Path) -> Iterator[Flask]:
    """One app for the session, its schema built by running every migration from empty."""
    from flask_migrate import downgrade, upgrade

    from hackathon.extensions import db

    app = make_app(instance_dir)
    with app.app_context():
        # Start from empty even when the database was used before.
        downgrade(revision="base") if has_alembic(db) else None
        upgrade()
    yield app
    with app.app_context():
        # Pooled connections closed before exit, not left to the garbage collector.
        db.engine.dispose()


@pytest.fixture
def app(_migrated_app: Flask) -> Iterator[Flask]:
    from hackathon.extensions import db, limiter
    from hackathon.jobs import wait_idle

    with _migrated_app.app_context():
        yield _migrated_app
        wait_idle(_migrated_app)  # background jobs of this test finish before its rows go
        db.session.rollback()
        clear_tables(db)
        db.session.remove()
    limiter.reset()


@pytest.fixture
def db(app: Flask):
    from hackathon.extensions import db as database

    return database


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
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


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
