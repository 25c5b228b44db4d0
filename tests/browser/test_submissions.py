"""Chromium uploads through the real page straight to S3 (moto's server) and sees the file."""

from __future__ import annotations

import hashlib
import re
import threading
import uuid

import pytest
from werkzeug.serving import make_server

from hackathon.submissions.demo import minimal_pdf
from hackathon.submissions.services.slots import ensure_default_slots
from tests.factories import TEST_PASSWORD, make_event, make_team, make_user
from tests.helpers import MB, free_port, sign_in

PDF = minimal_pdf(["Browser upload"])


@pytest.fixture
def s3_live(s3_server):
    """The s3-configured app over real HTTP; the browser talks to moto directly."""
    server = make_server("127.0.0.1", free_port(), s3_server.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def team_page(s3_server, s3_live, page, db):
    member = make_user("member@example.test", "팀원")
    event = make_event("browser-subs", phase="submission")
    ensure_default_slots(event)
    db.session.commit()
    make_team(event, "브라우저 팀", members=[member])
    sign_in(page, s3_live, member.email, TEST_PASSWORD)
    page.goto(f"{s3_live}/events/{event.slug}/submission")
    assert page.locator("#uploader").count() == 1
    return page


def _pick(page, slot: str, name: str, data: bytes, mime: str) -> None:
    page.locator(f"[data-slot={slot}] input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


def test_a_file_goes_to_s3_and_is_listed(team_page, s3_server):
    page = team_page
    _pick(page, "slides", "발표자료_최종.pdf", PDF, "application/pdf")
    status = page.locator("[data-slot=slides] [data-status].ok")
    status.wait_for(timeout=20_000)
    assert hashlib.sha256(PDF).hexdigest() in status.inner_text()
    assert page.locator("[data-slot=slides] [data-file-name]").inner_text() == "발표자료_최종.pdf"
    assert len(s3_server.keys("events/")) == 1

    page.reload()
    assert page.locator("[data-slot=slides] [data-file-name]").inner_text() == "발표자료_최종.pdf"
    assert page.locator("[data-slot=slides] [data-sha256]").inner_text() == (
        hashlib.sha256(PDF).hexdigest()
    )


def test_a_fake_pdf_gets_a_clear_message_and_nothing_is_kept(team_page, s3_server):
    page = team_page
    _pick(page, "slides", "가짜.pdf", b"<!doctype html><p>not a pdf</p>", "application/pdf")
    error = page.locator("[data-slot=slides] [data-status].error")
    error.wait_for(timeout=20_000)
    assert "PDF" in error.inner_text()
    assert s3_server.keys("events/") == []
    assert page.locator("[data-slot=slides] [data-empty]").count() == 1

    _pick(page, "code", "code.exe", b"MZ", "application/octet-stream")
    assert "zip" in page.locator("[data-slot=code] [data-status].error").inner_text()


def test_a_large_file_goes_up_in_parallel_parts(team_page, s3_server):
    s3_server.app.config.update(UPLOAD_MULTIPART_THRESHOLD=1 * MB, UPLOAD_PART_SIZE=5 * MB)
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * (
        11 * MB // 256
    )
    page = team_page
    _pick(page, "video", "시연.mp4", video, "video/mp4")
    page.locator("[data-slot=video] [data-status].ok").wait_for(timeout=60_000)
    assert page.locator("[data-slot=video] [data-file-name]").inner_text() == "시연.mp4"
    assert s3_server.multipart_uploads() == []


def test_the_scripts_sha256_matches_webcrypto(team_page):
    """The page's checksum (the vendored hash over a file read in chunks) against WebCrypto,
    at the block edges and with chunks that split blocks anywhere."""
    same = team_page.evaluate("""async () => {
        const { fileSha256 } = await import("/static/js/checksum.js");
        const sizes = [0, 1, 55, 56, 63, 64, 65, 1000, 100000];
        for (const size of sizes) {
            const data = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 255);
            const web = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", data)),
                                   b => b.toString(16).padStart(2, "0")).join("");
            for (const chunkBytes of [7, 64, 4096, undefined]) {
                const js = await fileSha256(new Blob([data]), { chunkBytes });
                if (js !== web) return [size, chunkBytes];
            }
        }
        return true;
    }""")
    assert same is True


def test_a_dropped_part_is_resumed_from_where_it_stopped(team_page, s3_server):
    s3_server.app.config.update(UPLOAD_MULTIPART_THRESHOLD=1 * MB, UPLOAD_PART_SIZE=5 * MB)
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * (
        11 * MB // 256
    )
    page = team_page
    dropped = []

    def drop_part_two(route):
        if route.request.method == "PUT" and len(dropped) < 3:  # every retry of the script
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*partNumber=2.*"), drop_part_two)
    _pick(page, "video", "시연.mp4", video, "video/mp4")
    page.locator("[data-slot=video] [data-status].error").wait_for(timeout=60_000)
    assert len(dropped) == 3
    assert page.locator("[data-slot=video] [data-resume]").is_visible()
    uploads = s3_server.multipart_uploads()
    assert len(uploads) == 1  # kept for resuming
    kept = s3_server.boto.list_parts(
        Bucket=s3_server.bucket, Key=uploads[0]["Key"], UploadId=uploads[0]["UploadId"]
    )
    assert 2 not in [p["PartNumber"] for p in kept.get("Parts", [])]

    page.click("[data-slot=video] [data-resume]")
    page.locator("[data-slot=video] [data-status].ok").wait_for(timeout=60_000)
    assert page.locator("[data-slot=video] [data-file-name]").inner_text() == "시연.mp4"
    assert s3_server.multipart_uploads() == []
    assert len(s3_server.keys("events/")) == 1


@pytest.fixture
def held_jobs(s3_server, monkeypatch):
    """Jobs on an RQ queue of this test's own, run only when the test says so."""
    from rq import SimpleWorker

    from hackathon.jobs.queue import RedisRunner
    from tests.helpers import redis_test_url

    app = s3_server.app
    monkeypatch.setitem(app.config, "JOBS_QUEUE", f"hk-browser-{uuid.uuid4().hex}")
    monkeypatch.setitem(app.config, "UPLOAD_INLINE_VERIFY_BYTES", 50_000)
    runner = RedisRunner(app, redis_test_url())
    monkeypatch.setitem(app.extensions, "jobs", runner)

    def run() -> None:
        SimpleWorker([runner.queue], connection=runner.redis).work(burst=True, with_scheduler=False)

    yield run
    runner.queue.delete(delete_jobs=True)
    runner.redis.close()


def test_a_large_file_shows_verifying_until_its_check_is_done(team_page, held_jobs):
    """The team sees that a large file is being verified, on the uploading page and after a
    reload, and both pages show the verdict by themselves once the job has run."""
    deck = minimal_pdf(["A large deck"]) + b"\n%" + b"7" * 120_000
    page = team_page
    _pick(page, "slides", "큰발표.pdf", deck, "application/pdf")
    status = page.locator("[data-slot=slides] [data-status]")
    shown = "document.querySelector('[data-slot=slides] [data-status]').textContent"
    page.wait_for_function(f"() => {shown}.includes('확인')")
    assert "ok" not in (status.get_attribute("class") or "")

    other = page.context.new_page()
    other.goto(page.url)
    box = other.locator("[data-slot=slides] [data-unsettled=verifying]")
    assert "확인 중" in box.inner_text()
    assert "큰발표.pdf" in box.inner_text()

    held_jobs()
    page.locator("[data-slot=slides] [data-status].ok").wait_for(timeout=30_000)
    assert hashlib.sha256(deck).hexdigest() in status.inner_text()
    # The other page reloads itself once the server says the file is settled.
    other.locator("[data-slot=slides] [data-file-name]").wait_for(timeout=30_000)
    assert other.locator("[data-slot=slides] [data-file-name]").inner_text() == "큰발표.pdf"
    assert other.locator("[data-slot=slides] [data-unsettled=verifying]").count() == 0
