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
