"""Storage down, tickets never completed (`storage gc`), and nothing half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackathon.db import utcnow
from hackathon.storage import StorageError
from hackathon.submissions.demo import minimal_pdf, small_zip
from hackathon.submissions.models import FileStatus, SubmissionFile
from hackathon.submissions.services.slots import ensure_default_slots
from tests.factories import make_event, make_team, make_user
from tests.helpers import (
    MB,
    Client,
    free_port,
    make_app,
    open_submission,
    row_count,
    sha,
    ticket_for,
    upload,
)

PDF = minimal_pdf(["gc"])


def _age(db, upload_id: str, minutes: int) -> None:
    db.session.expire_all()
    row = db.session.query(SubmissionFile).filter_by(upload_id=upload_id).one()
    row.expires_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()


def test_gc_removes_tickets_never_completed_and_their_bytes(backend, world, alice, db):
    kept = upload(backend, alice, alice.submission_id, "slides", "kept.pdf", PDF).json
    abandoned = ticket_for(alice, alice.submission_id, "slides", "gone.pdf", PDF).json
    backend.post_file(abandoned, PDF)
    fresh = ticket_for(alice, alice.submission_id, "code", "c.zip", b"PK\x03\x04").json
    _age(db, abandoned["upload_id"], minutes=120)
    backend.storage.put("events/999/orphan", b"left by a crash", "application/pdf")

    result = backend.app.test_cli_runner().invoke(args=["storage", "gc", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert "expired tickets removed: 1" in result.output
    assert "orphan objects removed: 1" in result.output

    db.session.expire_all()
    remaining = {r.upload_id: r.status for r in db.session.query(SubmissionFile)}
    assert remaining == {
        kept["upload_id"]: FileStatus.READY,
        fresh["upload_id"]: FileStatus.PENDING,
    }
    assert len(backend.object_keys()) == 1


def test_gc_aborts_abandoned_multipart_uploads(backend, world, alice, db, monkeypatch):
    monkeypatch.setitem(backend.app.config, "UPLOAD_MULTIPART_THRESHOLD", 1 * MB)
    monkeypatch.setitem(backend.app.config, "UPLOAD_PART_SIZE", 5 * MB)
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (6 * MB)
    ticket = ticket_for(alice, alice.submission_id, "video", "v.mp4", video).json
    signed = alice.api("POST", ticket["parts_url"], json={"part_numbers": [1]}).json
    backend.put_part(signed["parts"][0]["url"], video[: 5 * MB])
    _age(db, ticket["upload_id"], minutes=120)
    dry = backend.app.test_cli_runner().invoke(args=["storage", "gc", "--dry-run"])
    assert "dry run: expired tickets removed: 1" in dry.output
    assert row_count(db, SubmissionFile) == 1
    backend.app.test_cli_runner().invoke(args=["storage", "gc"])
    assert row_count(db, SubmissionFile) == 0
    assert backend.multipart_uploads() == []


def test_storage_check_command(backend):
    result = backend.app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 0
    assert "ok" in result.output


def test_when_storage_breaks_on_complete_the_ticket_waits(backend, world, alice, db, monkeypatch):
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    backend.post_file(ticket, PDF)

    def down(*args, **kwargs):
        raise StorageError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(type(backend.storage), "head", down)
        refused = alice.api("POST", ticket["complete_url"])
    assert refused.status_code == 503
    assert refused.json["error"]["code"] == "storage_unavailable"
    db.session.expire_all()
    assert db.session.query(SubmissionFile).one().status == FileStatus.PENDING
    assert alice.api("POST", ticket["complete_url"]).json["status"] == "ready"


@pytest.fixture
def unreachable_app(app, instance_dir, monkeypatch):
    """An app whose S3 endpoint is a closed loopback port."""
    port = free_port()
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    down = make_app(
        instance_dir,
        STORAGE_BACKEND="s3",
        S3_BUCKET="nowhere",
        S3_ENDPOINT_URL=f"http://127.0.0.1:{port}",
        S3_REGION="us-east-1",
    )
    from hackathon.extensions import db

    down.test_client_class = Client
    with down.app_context():
        yield down
        db.session.remove()
        db.engine.dispose()


def test_unreachable_storage_gives_a_clear_error_and_writes_nothing(unreachable_app, login, db):
    user = make_user()
    event = make_event(phase="submission")
    make_team(event, members=[user])
    ensure_default_slots(event)
    db.session.commit()
    client = login(user, client=unreachable_app.test_client())
    submission_id = open_submission(client, event)
    for size in (1000, 200 * MB):  # a form POST ticket, and a multipart one
        refused = client.api(
            "POST",
            f"/api/v1/submissions/{submission_id}/uploads",
            json={"slot": "video", "filename": "v.mp4", "size": size, "sha256": sha(b"x")},
        )
        assert refused.status_code == 503
        assert refused.json["error"]["code"] == "storage_unavailable"
        assert (
            "storage" in refused.json["error"]["message"].lower()
            or "저장소" in refused.json["error"]["message"]
        )
    assert row_count(db, SubmissionFile) == 0
    ready = client.get("/readyz")
    assert ready.status_code == 503


def test_storage_failing_while_reading_a_zip_directory_is_not_a_wrong_type(
    backend, world, alice, db, monkeypatch
):
    deck = small_zip({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
    ticket = ticket_for(alice, alice.submission_id, "slides", "deck.pptx", deck).json
    backend.post_file(ticket, deck)
    read_range = type(backend.storage).read_range

    def fails_past_the_head(self, key, start, length):
        if start > 0:  # the zip's directory, read from its end
            raise StorageError("connection reset")
        return read_range(self, key, start, length)

    with monkeypatch.context() as patch:
        patch.setattr(type(backend.storage), "read_range", fails_past_the_head)
        refused = alice.api("POST", ticket["complete_url"])
    assert refused.status_code == 503, refused.json
    assert refused.json["error"]["code"] == "storage_unavailable"
    done = alice.api("POST", ticket["complete_url"])  # the file was kept: it is fine
    assert done.status_code == 200, done.json
    assert done.json["detected_type"] == "pptx"
