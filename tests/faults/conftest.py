"""Private servers that the fault tests stop and start again: a PostgreSQL cluster
(`initdb`/`pg_ctl`), a `redis-server` and moto's S3, each on a free loopback port in a
temporary folder, never the machine's shared ones; and the app served over real HTTP.

PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user. Where
neither works the test is skipped, with the reason, unless CI is set (then it fails).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from flask import Flask
from werkzeug.serving import make_server

from tests.helpers import CSRF_META, free_port


def missing(reason: str) -> None:
    """Skip the test for want of a server, or fail it under CI, where it must run."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


# PostgreSQL


class PgCluster:
    """A throwaway cluster: `stop()` shuts it down (fast: open connections are cut, as in
    a crash or a failover), `start()` brings it back with the same data."""

    def __init__(self, root: Path, user: str | None) -> None:
        self.root, self.user = root, user
        self.data, self.log = root / "data", root / "server.log"
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)

    def init(self) -> None:
        options = ["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"]
        done = self._run("initdb", "-D", str(self.data), *options)
        if done.returncode != 0:
            missing(f"initdb could not create a cluster: {done.stderr.strip()[-300:]}")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        done = self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start"
        )
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr}{done.stdout}\n{log[-2000:]}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


def _postgres_user() -> str | None:
    """None to run the server as this user; the `postgres` account when this is root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        missing("running as root and there is no postgres user to run PostgreSQL as")
    if not shutil.which("runuser"):
        missing("running as root and runuser is missing (PostgreSQL refuses to run as root)")
    return "postgres"


@pytest.fixture
def pg_cluster() -> Iterator[PgCluster]:
    for tool in ("initdb", "pg_ctl"):
        if not shutil.which(tool):
            missing(f"{tool} is not on PATH: the database fault test needs a private cluster")
    user = _postgres_user()
    root = Path(tempfile.mkdtemp(prefix="hk-pg-"))
    if user:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    cluster = PgCluster(root, user)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


# Redis


class RedisServer:
    """A `redis-server` without persistence: `kill()` is a crash, `start()` a restart
    on the same port (empty, as a cache is after a restart)."""

    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.root)]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def client(self):  # a redis.Redis on this server
        import redis

        return redis.Redis.from_url(self.url)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if not shutil.which("redis-server"):
        missing("redis-server is not on PATH: the Redis fault test needs a private server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


# moto's S3, private to the test so that stopping it disturbs no other test.


class MotoServer:
    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.running = False

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.server.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.server.stop()
            self.running = False


@pytest.fixture
def moto_server(monkeypatch) -> Iterator[MotoServer]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    server = MotoServer()
    server.start()
    yield server
    server.stop()


# The app over real HTTP, and a browser's session with it.


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """The app on a threaded WSGI server on a free loopback port; its base URL."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


class Browser(requests.Session):
    """A requests session that keeps the CSRF token of the last page, as a browser does."""

    def __init__(self, base: str, language: str = "ko") -> None:
        super().__init__()
        self.base = base
        self.token = ""
        self.headers["Accept-Language"] = language

    def page(self, path: str) -> requests.Response:
        response = self.get(self.base + path, timeout=30)
        found = CSRF_META.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def sign_in(self, email: str, password: str) -> None:
        self.page("/login")
        response = self.post(
            self.base + "/login",
            data={"csrf_token": self.token, "email": email, "password": password},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text[:300]
        target = response.headers["Location"]
        self.page(target if target.startswith("/") else "/" + target.split("/", 3)[-1])

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-CSRFToken": self.token, **kwargs.pop("headers", {})}
        return self.request(method, self.base + path, headers=headers, timeout=30, **kwargs)
