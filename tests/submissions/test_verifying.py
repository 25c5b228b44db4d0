"""Large files are verified off the request: `complete` answers `verifying` at once, a job
copies the file to a key of its own and checks it, and the file ends `ready` or
`rejected`. Over real HTTP against moto, with the jobs on a real Redis queue (so the test
decides when the worker runs), and on the local backend with its job thread."""

from __future__ import annotations

import os
import uuid

import pytest
from rq import SimpleWorker

from hackathon.jobs import wait_idle
from hackathon.jobs.queue import RedisRunner
from hackathon.submissions.demo import minimal_pdf
from hackathon.submissions.models import FileStatus, SubmissionFile
from tests.helpers import redis_test_url, sha, ticket_for

# A real PDF (its type is checked from its head), padded past the test's inline limit.
PDF = minimal_pdf(["A large deck"]) + b"\n%" + os.urandom(200_000).hex().encode()[:200_000]
INLINE_LIMIT = 50_000


@pytest.fixture
def queued(backend, monkeypatch):
    """The backend's app on an RQ queue of its own: jobs wait until `run_worker()`."""
    if backend.name != "s3":
        pytest.skip("the queue is exercised with S3; the local backend runs jobs on a thread")
    monkeypatch.setitem(backend.app.config, "JOBS_QUEUE", f"hk-verify-{uuid.uuid4().hex}")
    runner = RedisRunner(backend.app, redis_test_url())
    monkeypatch.setitem(backend.app.extensions, "jobs", runner)
    yield runner
    runner.queue.delete(delete_jobs=True)
    runner.redis.close()


def run_worker(runner: RedisRunner) -> None:
    """What `flask --app wsgi worker --burst` does, in this process and app context."""
    SimpleWorker([runner.queue], connection=runner.redis).work(burst=True, with_scheduler=False)


@pytest.fixture
def alice(alice, backend, monkeypatch):
    monkeypatch.setitem(backend.app.config, "UPLOAD_INLINE_VERIFY_BYTES", INLINE_LIMIT)
    return alice


def _completed(backend, client, data: bytes = PDF, **declared):
    ticket = ticket_for(client, client.submission_id, "slides", "발표.pdf", data, **declared)
    assert ticket.status_code == 201, ticket.json
    assert backend.post_file(ticket.json, data) == 204
    answered = client.api("POST", ticket.json["complete_url"])
    return ticket.json, answered


def _slides(client) -> dict:
    detail = client.api("GET", f"/api/v1/submissions/{client.submission_id}").json
    return next(s for s in detail["slots"] if s["key"] == "slides")


def _page(client, lang: str) -> str:
    client.form_post(f"/lang/{lang}")
    return client.get(f"/submissions/{client.submission_id}").get_data(as_text=True)


def _downloaded(backend, client, record: dict) -> str:
    response = client.get(record["download_url"])
    assert response.status_code == 302
    status, _headers, body = backend.fetch(response.headers["Location"])
    assert status == 200
    return sha(body)


def _reads(storage, monkeypatch) -> list[str]:
    """The storage calls that read or copy an object's bytes, as they happen."""
    calls: list[str] = []
    for name in ("read_range", "iter_bytes", "sha256", "copy"):
        method = getattr(storage, name)

        def noted(*args, _method=method, _name=name, **kwargs):
            calls.append(_name)
            return _method(*args, **kwargs)

        monkeypatch.setattr(storage, name, noted)
    return calls


@pytest.mark.parametrize("backend", ["s3"], indirect=True)
def test_a_large_file_is_verifying_then_ready_and_the_page_says_so(
    backend, world, alice, queued, monkeypatch
):
    reads = _reads(backend.storage, monkeypatch)
    ticket, answered = _completed(backend, alice)
    assert reads == []  # the complete request neither read nor copied the file
    assert answered.status_code == 202, answered.json
    record = answered.json
    assert (record["status"], record["version"], record["download_url"]) == (
        "verifying",
        None,
        None,
    )
    assert _slides(alice)["current"] is None  # it does not count yet

    english, korean = _page(alice, "en"), _page(alice, "ko")
    assert "Verifying" in english
    assert "this page updates by itself" in english
    assert "확인 중" in korean
    assert "저절로" in korean
    for html in (english, korean):
        assert record["status_url"] in html  # what the page's script polls
        assert "js/verifying.js" in html
    assert alice.api("GET", record["status_url"]).json["status"] == "verifying"

    run_worker(queued)
    # The job copied it; S3 computed the copy's SHA-256, so nobody streamed the file.
    assert "copy" in reads
    assert "sha256" not in reads
    assert "iter_bytes" not in reads
    done = alice.api("GET", record["status_url"]).json
    assert (done["status"], done["version"]) == ("ready", 1)
    assert _slides(alice)["current"]["upload_id"] == ticket["upload_id"]
    assert _downloaded(backend, alice, done) == sha(PDF)
    assert "js/verifying.js" not in _page(alice, "en")
    # Only the final copy is left: the ticket's object was removed.
    assert backend.object_keys() == [k for k in backend.object_keys() if "/files/" in k]
    assert len(backend.object_keys()) == 1

    # The ticket has not expired: different bytes POSTed with it change nothing that counts.
    swapped = b"%PDF-1.4\n" + b"x" * (len(PDF) - 9)
    backend.post_file(ticket, swapped)
    assert alice.api("POST", ticket["complete_url"]).json["status"] == "ready"
    assert _downloaded(backend, alice, done) == sha(PDF)


@pytest.mark.parametrize("backend", ["s3"], indirect=True)
def test_bytes_swapped_while_verifying_end_rejected(backend, world, alice, queued):
    first = ticket_for(alice, alice.submission_id, "slides", "v1.pdf", minimal_pdf(["v1"])).json
    backend.post_file(first, minimal_pdf(["v1"]))
    assert alice.api("POST", first["complete_url"]).json["status"] == "ready"  # inline

    ticket, answered = _completed(backend, alice)
    assert answered.json["status"] == "verifying"
    swapped = b"%PDF-1.4\n" + b"x" * (len(PDF) - 9)  # same size, another SHA-256
    backend.post_file(ticket, swapped)
    run_worker(queued)

    refused = alice.api("GET", answered.json["status_url"]).json
    assert refused["status"] == "rejected"
    # Real S3 refuses the copy (CopySourceIfMatch); moto copies, and the SHA-256 differs.
    assert refused["rejected_reason"] in {"changed_after_complete", "checksum_mismatch"}
    slides = _slides(alice)
    assert slides["current"]["name"] == "v1.pdf"
    assert [v["version"] for v in slides["versions"]] == [1]
    assert _downloaded(backend, alice, slides["current"]) == sha(minimal_pdf(["v1"]))
    english = _page(alice, "en")
    message = alice.api("GET", answered.json["status_url"]).json["message"]
    assert "Rejected" in english
    assert message in english
    assert "거부됨" in _page(alice, "ko")
    assert alice.api("GET", answered.json["status_url"]).json["message"] not in (message, None)


@pytest.mark.parametrize("backend", ["s3"], indirect=True)
def test_a_lost_job_is_asked_again_by_gc_and_gives_up_in_the_end(
    backend, world, alice, queued, monkeypatch, db
):
    _ticket, answered = _completed(backend, alice)
    queued.queue.empty()  # the worker died with the job: nothing will run it
    monkeypatch.setitem(backend.app.config, "UPLOAD_VERIFY_RETRY_SECONDS", 0)
    gc = backend.app.test_cli_runner().invoke(args=["storage", "gc"])
    assert gc.exit_code == 0, gc.output
    assert "verifications asked again: 1" in gc.output
    run_worker(queued)
    assert alice.api("GET", answered.json["status_url"]).json["status"] == "ready"

    _ticket, again = _completed(backend, alice, minimal_pdf(["v2"]) + b"\n%" + b"0" * 60_000)
    queued.queue.empty()
    monkeypatch.setitem(backend.app.config, "UPLOAD_VERIFY_ATTEMPTS", 1)
    gc = backend.app.test_cli_runner().invoke(args=["storage", "gc"])
    assert "given up: 1" in gc.output
    refused = alice.api("GET", again.json["status_url"]).json
    assert (refused["status"], refused["rejected_reason"]) == ("rejected", "verify_failed")
    assert _slides(alice)["current"]["upload_id"] == answered.json["upload_id"]


def test_both_backends_verify_a_large_file_in_the_background(backend, world, alice, db):
    ticket, answered = _completed(backend, alice)
    assert (answered.status_code, answered.json["status"]) == (202, "verifying")
    wait_idle(backend.app)
    done = alice.api("GET", answered.json["status_url"]).json
    assert done["status"] == "ready"
    assert _downloaded(backend, alice, done) == sha(PDF)
    backend.post_file(ticket, b"%PDF-1.4\n" + b"x" * (len(PDF) - 9))  # the ticket again
    assert _downloaded(backend, alice, done) == sha(PDF)


def test_bytes_that_differ_from_the_declared_sha256_end_rejected(backend, world, alice, db):
    # (Real S3 would refuse the POST itself: its ticket carries x-amz-checksum-sha256.
    # moto and the local backend take the bytes, so the job's own check must catch them.)
    _ticket, answered = _completed(backend, alice, digest=sha(b"another file"))
    assert answered.status_code == 202, answered.json
    wait_idle(backend.app)
    refused = alice.api("GET", answered.json["status_url"]).json
    assert (refused["status"], refused["rejected_reason"]) == ("rejected", "checksum_mismatch")
    assert _slides(alice)["current"] is None
    assert backend.object_keys() == []
    db.session.expire_all()
    row = db.session.query(SubmissionFile).one()
    assert (row.status, row.version) == (FileStatus.REJECTED, None)


def test_small_files_are_still_checked_in_the_request(backend, world, alice, db):
    _ticket, answered = _completed(backend, alice, minimal_pdf(["small"]))
    assert (answered.status_code, answered.json["status"]) == (200, "ready")
    assert "/files/" in db.session.query(SubmissionFile.key).scalar()


@pytest.mark.parametrize("backend", ["s3"], indirect=True)
def test_a_job_asked_for_twice_does_the_work_once(backend, world, alice, queued, monkeypatch):
    _ticket, answered = _completed(backend, alice)
    monkeypatch.setitem(backend.app.config, "UPLOAD_VERIFY_RETRY_SECONDS", 0)
    gc = backend.app.test_cli_runner().invoke(args=["storage", "gc"])
    assert "verifications asked again: 1" in gc.output
    assert queued.queue.count == 2  # the first job and the one gc asked for
    run_worker(queued)
    done = alice.api("GET", answered.json["status_url"]).json
    assert (done["status"], done["version"]) == ("ready", 1)
    assert [v["version"] for v in _slides(alice)["versions"]] == [1]
    assert len(backend.object_keys()) == 1
    assert _downloaded(backend, alice, done) == sha(PDF)
