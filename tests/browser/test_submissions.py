"""Chromium uploads through the real page straight to S3 (moto's server) and sees the file."""

from __future__ import annotations

import hashlib
import re
import threading

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
