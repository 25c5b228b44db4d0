"""A published board through nginx's cache, next to nginx serving a static file of the
same size: requests per second, p50 and p99.

Run from the project root: `python bench/nginx_cache.py`. It seeds a fresh SQLite file in a
temporary directory (or the scratch PostgreSQL database named by BENCH_DATABASE_URL, whose
tables it replaces) with a 2,000-team event whose board is published, starts gunicorn on
a loopback port, and a private nginx (its own prefix, configuration and cache in the same
temporary directory, on another loopback port) with the proxy cache the README describes.
It then drives each URL for BENCH_SECONDS (4 by default) from BENCH_THREADS keep-alive
connections, prints the figures and stops both servers: well under a minute in all.

Without nginx it says how to install it (Debian: `apt-get install -y nginx`, then
`systemctl disable --now nginx` so that the system's own server holds no port) and skips,
so `make bench` goes on.
"""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _common import app_env, free_port, fresh_schema, gunicorn  # noqa: E402
from leaderboard import _seed_event  # noqa: E402

THREADS = int(os.environ.get("BENCH_THREADS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
SLUG, TEAMS, JUDGES, PER_TEAM = "bench-2000", 2000, 200, 5
# The production settings' shape, without restarting workers in the middle of a run.
GUNICORN = ["--workers", "2", "--worker-class", "gthread", "--threads", "4"]
GUNICORN += ["--keep-alive", "30", "--max-requests", "0", "--log-level", "warning"]
BROWSER = {"Accept-Encoding": "gzip", "Accept-Language": "ko"}

NGINX_CONF = """
worker_processes 2;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    types {{ application/octet-stream bin; }}

    upstream app {{
        server 127.0.0.1:{app_port};
        keepalive 16;
    }}
    proxy_cache_path {prefix}/cache levels=1:2 keys_zone=pages:10m max_size=256m
                     inactive=10m use_temp_path=off;

    server {{
        listen 127.0.0.1:{port};
        location /static-bench/ {{
            alias {prefix}/static/;
        }}
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_cache pages;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_revalidate on;
            proxy_cache_use_stale updating error timeout http_502 http_503;
            proxy_cache_background_update on;
            proxy_cache_lock on;
            proxy_no_cache $cookie_session;
            proxy_cache_bypass $cookie_session;
            add_header X-Cache $upstream_cache_status always;
        }}
    }}
}}
"""


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def seed(env: dict[str, str]) -> None:
    """The schema and one 2,000-team event with its scores in, the board published."""
    from hackathon.extensions import db
    from hackathon.leaderboard.services import board as services
    from hackathon.models import Event

    with fresh_schema(env):
        _seed_event(SLUG, TEAMS, JUDGES, PER_TEAM)  # its board live
        db.session.commit()
        event = db.session.query(Event).filter_by(slug=SLUG).one()
        services.set_state(event, "published")
        db.session.commit()


def fetch(port: int, path: str) -> tuple[int, bytes, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=BROWSER)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, {k.lower(): v for k, v in response.getheaders()}


def load(port: int, path: str, seconds: float = SECONDS) -> dict[str, float]:
    """THREADS keep-alive connections asking `path` for `seconds`: requests per second,
    p50 and p99 in milliseconds, and how nginx answered (X-Cache)."""
    times: list[list[float]] = [[] for _ in range(THREADS)]
    caches: Counter[str] = Counter()
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = times[index]
        seen: Counter[str] = Counter()
        try:
            while time.monotonic() < stop:
                began = time.perf_counter()
                conn.request("GET", path, headers=BROWSER)
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - began)
                if response.status != 200:
                    errors.append(f"{path}: HTTP {response.status}")
                    return
                seen[response.getheader("X-Cache") or "-"] += 1
        finally:
            conn.close()
            caches.update(seen)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    if errors:
        raise RuntimeError(errors[0])
    every = sorted(t for mine in times for t in mine)
    if not every:
        raise RuntimeError(f"{path}: no request finished")
    return {
        "rate": len(every) / elapsed,
        "p50": every[len(every) // 2] * 1000,
        "p99": every[min(len(every) - 1, int(len(every) * 0.99))] * 1000,
        "hits": caches.get("HIT", 0) / len(every),
    }


def start_nginx(binary: str, prefix: Path, app_port: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    for sub in ("cache", "tmp", "static"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:  # the workers drop to nobody: they must write the cache
        nobody = pwd.getpwnam("nobody")
        for path in [prefix, *prefix.rglob("*")]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        user = f"user nobody {_group(nobody)};"
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, app_port=app_port, user=user))
    check = subprocess.run(
        [binary, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        capture_output=True,
        text=True,
    )
    if check.returncode:
        raise SystemExit(f"nginx refused the configuration:\n{check.stderr}")
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/static-bench/")
            conn.getresponse().read()
            conn.close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("nginx did not start; see " + str(prefix / "error.log"))


def _group(user: pwd.struct_passwd) -> str:
    import grp

    return grp.getgrgid(user.pw_gid).gr_name


def main() -> None:
    binary = find_nginx()
    if binary is None:
        print(
            "nginx is not installed. On Debian or Ubuntu:\n"
            "  apt-get install -y nginx\n"
            "  systemctl disable --now nginx   # the system's server must hold no port\n"
            "then run this again (it starts a private nginx of its own). Skipped."
        )
        return  # skipped, as the tests skip what needs a program that is not there
    tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    tmp.chmod(0o755)  # nginx's workers (nobody) reach their folder inside
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = app_env(tmp, database) | {"LOG_LEVEL": "WARNING"}
    print(f"seeding {database.split('@')[-1]} ...", flush=True)
    began = time.monotonic()
    seed(env)
    print(f"  seeded in {time.monotonic() - began:.1f} s", flush=True)
    nginx = None
    try:
        with gunicorn(env, GUNICORN) as (app_port, _master):
            nginx, port = start_nginx(binary, tmp / "nginx", app_port)
            print(f"gunicorn {' '.join(GUNICORN)} on :{app_port}; nginx on :{port}", flush=True)
            figures = measure(port, app_port, tmp / "nginx" / "static")
    finally:
        if nginx is not None:
            os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    report(figures)


def measure(port: int, app_port: int, static: Path) -> dict[str, tuple[dict[str, float], int]]:
    page = f"/events/{SLUG}/leaderboard"
    api = f"/api/v1/events/{SLUG}/leaderboard"
    sizes = {}
    for name, path in (("page", page), ("api", api)):
        status, body, headers = fetch(port, path)  # the first one fills the cache
        if status != 200 or "set-cookie" in headers:
            raise SystemExit(f"{path}: HTTP {status}, {headers.get('set-cookie', 'no cookie')}")
        print(
            f"  {path}: {len(body) / 1024:.0f} KiB sent, Cache-Control: "
            f"{headers.get('cache-control')}",
            flush=True,
        )
        sizes[name] = len(body)
        (static / f"{name}.bin").write_bytes(os.urandom(len(body)))  # as large, unpackable
    runs = {
        "page": (port, page),
        "page-static": (port, "/static-bench/page.bin"),
        "api": (port, api),
        "api-static": (port, "/static-bench/api.bin"),
        "api-gunicorn": (app_port, api),
    }
    for which, path in runs.values():  # warm every path once
        load(which, path, seconds=0.3)
    return {
        key: (load(which, path), sizes[key.split("-")[0]]) for key, (which, path) in runs.items()
    }


def report(figures: dict[str, tuple[dict[str, float], int]]) -> None:
    labels = {
        "page": "board page through nginx's cache",
        "page-static": "static file of the page's size",
        "api": "board API through nginx's cache",
        "api-static": "static file of the API's size",
        "api-gunicorn": "board API from gunicorn directly",
    }
    print()
    print(f"  {'what':36s} {'size':>8s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'HIT':>6s}")
    for key, label in labels.items():
        f, size = figures[key]
        hits = f"{f['hits']:6.0%}" if not key.endswith(("static", "gunicorn")) else "     -"
        print(
            f"  {label:36s} {size / 1024:6.0f} KiB {f['rate']:8.0f} {f['p50']:8.2f} "
            f"{f['p99']:8.2f} {hits}"
        )
    for kind in ("page", "api"):
        ratio = figures[kind][0]["rate"] / figures[f"{kind}-static"][0]["rate"]
        print(f"  {kind} through the cache / static file, requests per second: {ratio:.0%}")
    print(
        f"  {THREADS} client threads on this machine; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs (the client shares them: figures are indicative)"
    )


if __name__ == "__main__":
    main()
