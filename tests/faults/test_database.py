"""The database restarted under load: judges keep saving scores over real HTTP while a
private PostgreSQL cluster is stopped and started again. While it is down every request
gets a clear 503 (never a 500) and /readyz says so; afterwards the same app, never
restarted, works again; every save that was acknowledged is in the database."""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import force_locale
from flask_migrate import upgrade
from sqlalchemy import select

from config import database_url, engine_options
from hackathon.errors import UNAVAILABLE
from hackathon.extensions import db
from hackathon.judging.models import Assignment, ScoreChange
from tests.factories import TEST_PASSWORD
from tests.faults.conftest import Browser, PgCluster, served
from tests.helpers import HANGUL, assign, build_setup, extra_app

JUDGES = 3


@dataclass
class Judge:
    """One judge saving one assignment's score again and again, each save with its own
    feedback text, and what the server answered."""

    browser: Browser
    assignment_id: int
    criterion_id: int
    version: int
    acknowledged: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    surprises: list[str] = field(default_factory=list)
    last_ok: bool = False

    def save(self, n: int) -> None:
        feedback = f"{self.assignment_id}-{n}"
        try:
            response = self.browser.api(
                "PUT",
                f"/api/v1/assignments/{self.assignment_id}/scores",
                json={
                    "scores": {str(self.criterion_id): 1 + n % 10},
                    "feedback": feedback,
                    "version": self.version,
                },
            )
        except Exception as error:  # the server itself must stay up throughout
            self.surprises.append(f"no answer: {error}")
            self.last_ok = False
            return
        self.statuses.append(response.status_code)
        body = response.json() if "json" in response.headers.get("Content-Type", "") else {}
        self.last_ok = response.status_code == 200
        if response.status_code == 200:
            self.version = body["version"]
            self.acknowledged.append(feedback)
        elif response.status_code == 409 and body["error"]["code"] == "stale_version":
            # A save whose answer was lost may have landed: carry on from where it is.
            self.version = body["error"]["details"]["current_version"]
        elif response.status_code == 503:
            if body.get("error", {}).get("code") != "database_unavailable":
                self.surprises.append(f"503 without the database's error: {body}")
            if not response.headers.get("Retry-After"):
                self.surprises.append("503 without Retry-After")
        else:
            self.surprises.append(f"{response.status_code}: {response.text[:200]}")

    def run(self, stop: threading.Event, abandon: threading.Event) -> None:
        n = 0
        # Until told to stop, and then until the last save was acknowledged.
        while not (stop.is_set() and self.last_ok) and not abandon.is_set():
            n += 1
            self.save(n)
            time.sleep(0.01 if self.last_ok else 0.05)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_database_restarted_under_load(pg_cluster: PgCluster, tmp_path: Path):
    url = database_url(pg_cluster.url)
    with extra_app(
        tmp_path,
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(url),
        RATELIMIT_ENABLED=False,
    ) as app:
        with app.app_context():
            upgrade()
            setup = build_setup(judges=JUDGES, teams=JUDGES)
            plan = [
                (judge.email, assign(setup, judge, team))
                for judge, team in zip(setup.judges, setup.teams, strict=True)
            ]
            idea = setup.criteria[0].id
            slug = setup.event.slug
            plan = [(email, a.id, a.version) for email, a in plan]
            db.session.remove()
        with served(app) as base:
            judges = []
            for email, assignment_id, version in plan:
                browser = Browser(base)
                browser.sign_in(email, TEST_PASSWORD)
                judges.append(Judge(browser, assignment_id, idea, version))
            stop, abandon = threading.Event(), threading.Event()
            threads = [threading.Thread(target=j.run, args=(stop, abandon)) for j in judges]
            for thread in threads:
                thread.start()
            try:
                wait_until(
                    lambda: all(len(j.acknowledged) >= 3 for j in judges), 20, "saves before"
                )
                before = [len(j.acknowledged) for j in judges]

                pg_cluster.stop()
                wait_until(lambda: all(503 in j.statuses for j in judges), 20, "503s")
                down = outage_answers(base, slug, app)

                pg_cluster.start()
                wait_until(
                    lambda: all(
                        len(j.acknowledged) >= b + 3 for j, b in zip(judges, before, strict=True)
                    ),
                    30,
                    "saves after the restart",
                )
                ready = Browser(base).get(base + "/readyz", timeout=10)
            except BaseException:
                abandon.set()  # the test failed: nobody waits for a last acknowledgement
                raise
            finally:
                stop.set()
                for thread in threads:
                    thread.join(30)

        assert [j.surprises for j in judges] == [[] for _ in judges]
        assert not any(500 <= s < 600 and s != 503 for j in judges for s in j.statuses)
        assert down["readyz"] == (503, "unavailable", "unreachable")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["database"] == "ok"

        # Every acknowledged save is in the audit of changes, and the last one is the
        # assignment's feedback now.
        with app.app_context():
            for judge in judges:
                recorded = set(
                    db.session.scalars(
                        select(ScoreChange.new_value).where(
                            ScoreChange.assignment_id == judge.assignment_id,
                            ScoreChange.field == "feedback",
                        )
                    )
                )
                assert set(judge.acknowledged) <= recorded
                row = db.session.get(Assignment, judge.assignment_id)
                assert row is not None
                assert row.feedback == judge.acknowledged[-1]
                assert row.version == judge.version
            db.session.remove()


def outage_answers(base: str, slug: str, app) -> dict:
    """What a visitor gets while the database is down: /readyz, the API in both languages,
    and a page."""
    seen: dict = {}
    ready = Browser(base).get(base + "/readyz", timeout=10)
    body = ready.json()
    seen["readyz"] = (ready.status_code, body["status"], body["checks"]["database"])
    assert body["checks"]["storage"] == "ok"

    code, message = UNAVAILABLE["database"]
    for language in ("ko", "en"):
        with app.test_request_context(), force_locale(language):
            expected = str(message)
        answer = Browser(base, language).get(f"{base}/api/v1/events/{slug}", timeout=10)
        assert answer.status_code == 503, answer.text[:300]
        assert answer.headers["Retry-After"].isdigit()
        assert answer.json()["error"] == {"code": code, "message": expected}
        assert bool(HANGUL.search(expected)) == (language == "ko")

        page = Browser(base, language).get(f"{base}/events/{slug}", timeout=10)
        assert page.status_code == 503
        assert page.headers["Content-Type"].startswith("text/html")
        assert page.headers["Retry-After"].isdigit()
        assert expected in html.unescape(page.text)
    return seen
