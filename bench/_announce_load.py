"""The load of `bench/announce.py`: viewers, judges and an organizer as locust users in
one gevent process. It is started by that bench with its settings as JSON, and writes what
it measured (latencies per kind of request, errors, when each viewer saw the publication)
to the file the settings name."""

from __future__ import annotations

# ruff: noqa: I001

# locust patches the standard library for gevent when it is imported: before anything else.
import locust
from locust import FastHttpUser, between, constant_pacing, task
from locust.env import Environment

import json
import logging
import random
import re
import resource
import sys
import time
from typing import Any

import gevent
from gevent.event import Event

CONFIG: dict[str, Any] = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
# The evening's clock starts once every judge is at their scoring page (`READY`): judges
# sign in before the results go out, not while the cohort watches the board. Until then
# START is the process's start, and viewers and the organizer wait.
START = time.monotonic()
READY = Event()
JUDGES_SET_UP = [0]
TIMES: dict[str, list[float]] = {}
# (seconds into the evening, milliseconds) per kind, for the report's timeline.
TIMELINE: dict[str, list[tuple[float, float]]] = {}
ERRORS: dict[str, int] = {}
VIEWERS: list[Viewer] = []
STATE: dict[str, float | None] = {"freeze_ack": None, "publish_ack": None}
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
PUBLISHED = b'"state":"published"'
JSON = {"Accept": "application/json"}


def on_request(
    request_type: str, name: str, response_time: float, response: Any, exception: Any, **_: Any
) -> None:
    """Every request lands here: its time under its kind, or an error."""
    status = getattr(response, "status_code", 0)
    kind = f"viewer {status}" if name == "viewer" else name
    if exception is not None:
        ERRORS[f"{name}: {exception}"[:160]] = ERRORS.get(f"{name}: {exception}"[:160], 0) + 1
        return
    TIMES.setdefault(kind, []).append(response_time)
    if READY.is_set():
        at = time.monotonic() - START - response_time / 1000
        TIMELINE.setdefault(kind, []).append((round(at, 3), response_time))


def until(offset: float) -> None:
    gevent.sleep(max(0.0, START + offset - time.monotonic()))


def sign_in(user: FastHttpUser, email: str) -> None:
    page = user.client.get("/login", name="sign-in page")
    token = CSRF_INPUT.search(page.text or "")
    if token is None:
        raise RuntimeError("no CSRF token on /login")
    form = {"email": email, "password": CONFIG["password"], "csrf_token": token.group(1)}
    with user.client.post(
        "/login",
        data=form_body(form),
        name="sign-in",
        allow_redirects=False,
        catch_response=True,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ) as response:
        if response.status_code != 302:
            response.failure(f"sign-in answered HTTP {response.status_code}")


def form_body(fields: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(fields)


class Viewer(FastHttpUser):
    """Someone with the live board open: polls the board's API, as the page's script polls
    its fragment, and keeps the ETag of what it holds."""

    fixed_count = CONFIG.get("viewers", 0)
    wait_time = constant_pacing(CONFIG.get("poll", 10))
    concurrency = 1
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.etag: str | None = None
        self.seen: float | None = None
        self.misses = 0  # polls after the publication was acknowledged that missed it
        VIEWERS.append(self)
        READY.wait()
        gevent.sleep(random.uniform(0, CONFIG["poll"]))  # viewers arrive at any moment

    @task
    def poll(self) -> None:
        headers = {"Accept": "application/json", "Accept-Encoding": "gzip"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        asked = time.monotonic()
        path = f"/api/v1/events/{CONFIG['slug']}/leaderboard"
        with self.client.get(path, headers=headers, name="viewer", catch_response=True) as r:
            if r.status_code == 200:
                self.etag = r.headers.get("ETag")
                if self.seen is None and PUBLISHED in (r.content or b""):
                    self.seen = time.monotonic()
            elif r.status_code != 304:
                r.failure(f"HTTP {r.status_code}")
                return
            ack = STATE["publish_ack"]
            if self.seen is None and ack is not None and asked > ack:
                self.misses += 1
            r.success()


JUDGE_EMAILS = iter(CONFIG.get("judges", []))


class Judge(FastHttpUser):
    """A judge at the scoring page: each save sets one criterion (the page's autosave);
    a complete assignment is submitted, then the next one; after the last, back to the
    first to change a score and submit it again."""

    fixed_count = len(CONFIG.get("judges", []))
    wait_time = between(*CONFIG.get("save_wait", (2, 6)))
    concurrency = 1
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.work: list[dict[str, Any]] = []
        try:
            self.set_up()
        finally:
            JUDGES_SET_UP[0] += 1
            if JUDGES_SET_UP[0] >= Judge.fixed_count:
                start_evening()
        READY.wait()
        # Judges are at their pages already, each at their own point of their work: not
        # two hundred saves at the first instant.
        gevent.sleep(random.uniform(0, CONFIG["save_wait"][1]))

    def set_up(self) -> None:
        email = next(JUDGE_EMAILS, None)
        if email is None:
            return
        gevent.sleep(random.uniform(0, CONFIG["sign_in_over"]))  # judges arrive over a while
        sign_in(self, email)
        queue = self.client.get(
            f"/api/v1/judging/{CONFIG['slug']}/queue", name="judge setup", headers=JSON
        )
        if queue.status_code != 200:
            return
        data = queue.json()
        self.criteria = [(c["id"], c["min"], c["max"]) for c in data["criteria"]]
        self.work = [a for a in data["assignments"] if a["counts"]]
        self.at = next((i for i, a in enumerate(self.work) if a["status"] != "submitted"), 0)
        if not self.work:
            return
        first = self.work[self.at]["id"]
        page = self.client.get(f"/judging/assignments/{first}", name="judge setup")
        token = CSRF_META.search(page.text or "")
        self.csrf = token.group(1) if token else ""

    @task
    def save(self) -> None:
        if not self.work:
            gevent.sleep(60)
            return
        item = self.work[self.at]
        scores = item["scores"]
        missing = [c for c in self.criteria if str(c[0]) not in scores]
        body: dict[str, Any] = {"version": item["version"]}
        if missing:
            cid, lo, hi = missing[0]
            body |= {"scores": {str(cid): random.randint(lo, hi)}, "submit": False}
            kind = "judge draft"
        elif item["status"] != "submitted":
            body |= {"submit": True}
            kind = "judge submit"
        else:  # a second look at a submitted one: a changed score reopens it
            cid, lo, hi = random.choice(self.criteria)
            value = scores[str(cid)]
            body |= {"scores": {str(cid): lo if value != lo else hi}, "submit": False}
            kind = "judge draft"
        with self.client.put(
            f"/api/v1/assignments/{item['id']}/scores",
            json=body,
            headers={"X-CSRFToken": self.csrf, **JSON},
            name=kind,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:80]}")
                return
            saved = response.json()
            response.success()
        self.work[self.at] = saved
        if saved["status"] == "submitted":
            self.at = (self.at + 1) % len(self.work)


class Organizer(FastHttpUser):
    """Opens the board's page, freezes it; later opens it again and publishes."""

    fixed_count = 1
    wait_time = constant_pacing(1)
    concurrency = 1
    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.done = False
        sign_in(self, CONFIG["organizer"])
        READY.wait()

    @task
    def announce(self) -> None:
        if self.done:
            gevent.sleep(60)
            return
        self.done = True
        for state, offset in (("frozen", "freeze_at"), ("published", "publish_at")):
            until(CONFIG[offset])
            page = self.client.get(
                f"/events/{CONFIG['slug']}/leaderboard/manage", name="organizer page"
            )
            token = CSRF_INPUT.search(page.text or "")
            kind = "organizer freeze" if state == "frozen" else "organizer publish"
            with self.client.post(
                f"/events/{CONFIG['slug']}/leaderboard/state",
                data=form_body({"state": state, "csrf_token": token.group(1) if token else ""}),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                name=kind,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"HTTP {response.status_code}")
                    continue
                response.success()
            ack = "freeze_ack" if state == "frozen" else "publish_ack"
            STATE[ack] = time.monotonic()


EVENING_CPU: list[float] = []  # this process's CPU seconds when the evening began


def start_evening() -> None:
    """Every judge is set up: the measured window starts now. The bench is told by a file
    beside the results, so that it can measure the server's CPU over the evening alone."""
    global START
    if not READY.is_set():
        START = time.monotonic()
        used = resource.getrusage(resource.RUSAGE_SELF)
        EVENING_CPU.append(used.ru_utime + used.ru_stime)
        with open(CONFIG["out"] + ".evening", "w") as marker:
            marker.write(str(START))
        READY.set()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="  load: %(message)s")
    environment = Environment(
        user_classes=[Organizer, Judge, Viewer], host=CONFIG["host"], events=locust.events
    )
    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    users = Viewer.fixed_count + Judge.fixed_count + Organizer.fixed_count
    runner.start(users, spawn_rate=300)

    def stop_after_the_evening() -> None:
        READY.wait(timeout=CONFIG["sign_in_over"] + 120)  # (a server that never answers)
        start_evening()
        gevent.sleep(CONFIG["seconds"])
        runner.quit()

    gevent.spawn(stop_after_the_evening)
    runner.greenlet.join()
    used = resource.getrusage(resource.RUSAGE_SELF)
    ack = STATE["publish_ack"]
    for error in runner.exceptions.values():
        ERRORS[f"exception: {error['msg']}"[:160]] = error["count"]
    result = {
        "times": TIMES,
        "timeline": TIMELINE,
        "errors": ERRORS,
        "publish_ack": ack,
        "freeze_ack": STATE["freeze_ack"],
        "delays": [
            None if v.seen is None or ack is None else max(0.0, v.seen - ack) for v in VIEWERS
        ],
        "misses": [v.misses for v in VIEWERS],
        "elapsed": time.monotonic() - START,  # the evening, without the judges' set-up
        "client_cpu": used.ru_utime + used.ru_stime - (EVENING_CPU or [0.0])[0],
        "client_saturated": bool(runner.cpu_warning_emitted),
    }
    with open(CONFIG["out"], "w") as out:
        json.dump(result, out)


if __name__ == "__main__" and CONFIG:
    main()
