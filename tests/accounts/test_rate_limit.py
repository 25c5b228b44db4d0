"""Sign-in is limited per account and per address; only failures count; Redis shares it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD, make_user
from tests.helpers import Client, extra_app

ROOT = Path(__file__).resolve().parents[2]


def attempt(client, email: str, password: str, address: str = "127.0.0.1"):
    client.get("/login", environ_base={"REMOTE_ADDR": address})
    return client.form_post(
        "/login",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers={"Accept-Language": "en"},
    )


def test_an_account_is_limited_after_repeated_failures(app, new_client, db):
    user = make_user()
    per_account = 5
    # From a different address each time: the per-account limit holds on its own.
    for n in range(per_account):
        response = attempt(new_client(), user.email, "wrong-password", f"10.0.0.{n + 1}")
        assert response.status_code == 200
    blocked = attempt(new_client(), user.email, TEST_PASSWORD, "10.0.1.1")
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    other = make_user()
    assert attempt(new_client(), other.email, TEST_PASSWORD, "10.0.1.1").status_code == 302


def test_the_account_key_ignores_case_and_spaces(app, new_client, db):
    user = make_user("casey@example.test")
    spellings = ["casey@example.test", "CASEY@example.test", " Casey@Example.Test "]
    for n in range(5):
        email = spellings[n % len(spellings)]
        attempt(new_client(), email, "wrong-password", f"10.0.2.{n + 1}")
    assert attempt(new_client(), user.email, TEST_PASSWORD, "10.0.3.1").status_code == 429


def test_an_address_is_limited_after_repeated_failures(app, new_client, db):
    per_address = 20
    client = new_client()
    for n in range(per_address):
        response = attempt(client, f"nobody{n}@example.test", "wrong-password", "10.9.9.9")
        assert response.status_code == 200
    user = make_user()
    assert attempt(client, user.email, TEST_PASSWORD, "10.9.9.9").status_code == 429
    assert attempt(new_client(), user.email, TEST_PASSWORD, "10.9.9.10").status_code == 302


def test_successful_sign_ins_are_not_counted(app, new_client, db):
    user = make_user()
    for _ in range(12):  # more than both allowances
        assert attempt(new_client(), user.email, TEST_PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt(new_client(), user.email, "wrong-password").status_code == 200
    assert attempt(new_client(), user.email, TEST_PASSWORD).status_code == 302


def test_the_limits_come_from_the_settings(app, new_client, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per minute")
    user = make_user()
    for _ in range(2):
        attempt(new_client(), user.email, "wrong-password")
    assert attempt(new_client(), user.email, TEST_PASSWORD).status_code == 429


# --- shared through Redis: two app instances (two processes) see one count -------------

INSTANCE = textwrap.dedent(
    """
    import json, re, sys
    from config import Config
    from hackathon import create_app

    app = create_app(Config())
    client = app.test_client()
    statuses = []
    for _ in range(int(sys.argv[2])):
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        response = client.post(
            "/login",
            data={"email": sys.argv[1], "password": "wrong-password", "csrf_token": token},
        )
        statuses.append(response.status_code)
    print(json.dumps(statuses))
    """
)


def _redis_url() -> str:
    return os.environ.get("REDIS_TEST_URL") or "redis://127.0.0.1:6379/15"


class RedisKeys:
    """This test's own keys in the test database (test runs may share the server)."""

    def __init__(self, client, prefix: str) -> None:
        self.client, self.prefix = client, prefix

    def keys(self) -> list[bytes]:
        return list(self.client.scan_iter(match=f"*{self.prefix}*"))

    def flush(self) -> None:
        for key in self.keys():
            self.client.delete(key)


@pytest.fixture
def redis_keys():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(_redis_url())
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REDIS_TEST_URL"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379 (set REDIS_TEST_URL)")
    keys = RedisKeys(client, f"hk-test-{uuid.uuid4().hex}")
    keys.flush()
    yield keys
    keys.flush()
    client.close()


def _instance(app, instance_dir: Path, prefix: str, email: str, attempts: int) -> list[int]:
    env = {
        **os.environ,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(instance_dir),
        "STORAGE_LOCAL_ROOT": str(instance_dir / "files"),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": _redis_url(),
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    env.pop("STORAGE_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-c", INSTANCE, email, str(attempts)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_instances_share_the_count_through_redis(app, db, redis_keys, instance_dir):
    email = "shared@example.test"
    assert _instance(app, instance_dir, redis_keys.prefix, email, 3) == [200, 200, 200]
    assert redis_keys.keys()  # the count lives in Redis, not in the process
    assert _instance(app, instance_dir, redis_keys.prefix, email, 3) == [200, 200, 429]


def test_sign_in_still_works_when_redis_is_down(app, instance_dir, db):
    user = make_user()
    with extra_app(instance_dir, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0") as down:
        down.test_client_class = Client
        client = down.test_client()
        client.get("/login")
        response = client.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
