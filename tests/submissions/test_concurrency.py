"""Two members complete uploads to one slot at the same moment (PostgreSQL: real row locks)."""

from __future__ import annotations

import threading

import pytest

from hackathon.submissions.demo import minimal_pdf
from hackathon.submissions.services import complete
from tests.helpers import open_submission, ticket_for

pytestmark = pytest.mark.parametrize("backend", ["local"], indirect=True)


@pytest.fixture
def postgres_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SELECT … FOR UPDATE does nothing on SQLite")


@pytest.mark.postgres
def test_simultaneous_completes_get_distinct_versions(
    postgres_only, backend, world, login, monkeypatch
):
    alice = login(world.alice, client=backend.client())
    bob = login(world.bob, client=backend.client())
    submission_id = open_submission(alice, world.event)
    tickets = []
    for client, name in ((alice, "a.pdf"), (bob, "b.pdf")):
        data = minimal_pdf([name])
        ticket = ticket_for(client, submission_id, "slides", name, data).json
        backend.post_file(ticket, data)
        tickets.append((client, ticket))

    # Both requests finish their checks together, then race for the version number.
    barrier = threading.Barrier(2, timeout=10)
    verify = complete.copy_and_verify

    def verify_together(*args, **kwargs):
        result = verify(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(complete, "copy_and_verify", verify_together)
    results: list = [None, None]

    def finish(index: int) -> None:
        client, ticket = tickets[index]
        response = client.api("POST", ticket["complete_url"])
        results[index] = (response.status_code, response.json)

    threads = [threading.Thread(target=finish, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [r[0] for r in results] == [200, 200], results
    assert sorted(r[1]["version"] for r in results) == [1, 2]


class _Held:
    """A job runner that keeps what it is handed, so the test runs the jobs itself."""

    def __init__(self) -> None:
        self.jobs: list[tuple] = []

    def submit(self, name, args, request_id=None) -> None:
        self.jobs.append((name, args))

    def wait(self, timeout: float = 30.0) -> None:
        return None


@pytest.mark.postgres
def test_two_verifications_of_one_file_at_once_make_one_version(
    postgres_only, backend, world, login, monkeypatch
):
    from hackathon.jobs.queue import execute

    monkeypatch.setitem(backend.app.config, "UPLOAD_INLINE_VERIFY_BYTES", 1000)
    held = _Held()
    monkeypatch.setitem(backend.app.extensions, "jobs", held)
    alice = login(world.alice, client=backend.client())
    submission_id = open_submission(alice, world.event)
    data = minimal_pdf(["large"]) + b"\n%" + b"0" * 5000
    ticket = ticket_for(alice, submission_id, "slides", "a.pdf", data).json
    backend.post_file(ticket, data)
    answered = alice.api("POST", ticket["complete_url"])
    assert answered.status_code == 202, answered.json
    [(name, args)] = held.jobs

    # The job and a second one (as gc asks after a worker seemed to die) check together.
    barrier = threading.Barrier(2, timeout=10)
    verify = complete.copy_and_verify

    def verify_together(*a, **kw):
        result = verify(*a, **kw)
        barrier.wait()
        return result

    monkeypatch.setattr(complete, "copy_and_verify", verify_together)
    failures: list = []

    def run() -> None:
        with backend.app.app_context():
            try:
                execute(name, args)
            except Exception as error:  # reported below
                failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    done = alice.api("GET", answered.json["status_url"]).json
    assert (done["status"], done["version"]) == ("ready", 1)
    download = alice.get(done["download_url"])
    assert backend.fetch(download.headers["Location"])[2] == data
