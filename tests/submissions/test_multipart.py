"""Large files: parallel parts, resuming after a dropped connection, cancelling."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from hackathon.db import utcnow
from hackathon.jobs import wait_idle
from hackathon.submissions.models import FileStatus, SubmissionFile
from tests.helpers import (
    MB,
    close_just_now,
    open_submission,
    row_count,
    sha,
    ticket_for,
)

# A real MP4 head, then noise: 11 MB is three parts of 5 MB (S3's smallest part).
VIDEO = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(11 * MB - 24)


@pytest.fixture
def alice(backend, world, login, monkeypatch):
    monkeypatch.setitem(backend.app.config, "UPLOAD_MULTIPART_THRESHOLD", 1 * MB)
    monkeypatch.setitem(backend.app.config, "UPLOAD_PART_SIZE", 5 * MB)
    client = login(world.alice, client=backend.client())
    client.submission_id = open_submission(client, world.event)
    return client


def _part(data: bytes, number: int, size: int = 5 * MB) -> bytes:
    return data[(number - 1) * size : number * size]


def _send_parts(backend, client, ticket: dict, numbers: list[int]) -> None:
    signed = client.api("POST", ticket["parts_url"], json={"part_numbers": numbers})
    assert signed.status_code == 200, signed.json
    for item in signed.json["parts"]:
        status = backend.put_part(item["url"], _part(VIDEO, item["part_number"]))
        assert status == 200


def test_a_file_of_several_parts_uploads_and_resumes(backend, world, alice, db):
    first = ticket_for(alice, alice.submission_id, "video", "시연 영상.mp4", VIDEO)
    assert first.status_code == 201, first.json
    ticket = first.json
    assert ticket["multipart"] is True
    assert (ticket["method"], ticket["part_count"], ticket["part_size"]) == ("PUT", 3, 5 * MB)

    _send_parts(backend, alice, ticket, [1])
    # The connection drops. The page asks again for the same file and gets the same upload.
    again = ticket_for(alice, alice.submission_id, "video", "시연 영상.mp4", VIDEO).json
    assert again["upload_id"] == ticket["upload_id"]
    assert again["resumed"] is True
    listed = alice.api("GET", again["parts_url"]).json
    assert [p["part_number"] for p in listed["parts"]] == [1]
    assert listed["parts"][0]["size"] == 5 * MB

    early = alice.api("POST", again["complete_url"])
    assert early.status_code == 409
    assert early.json["error"]["code"] == "parts_missing"
    assert early.json["error"]["details"]["missing"] == [2, 3]
    assert row_count(db, SubmissionFile) == 1  # still resumable

    _send_parts(backend, alice, again, [3, 2])
    # 11 MB is over the inline limit (8 MB): the request answers at once, a job checks it.
    answered = alice.api("POST", again["complete_url"])
    assert answered.status_code == 202, answered.json
    assert answered.json["status"] == "verifying"
    assert answered.json["version"] is None
    wait_idle(backend.app)
    done = alice.api("GET", answered.json["status_url"])
    assert done.status_code == 200, done.json
    assert done.json["status"] == "ready"
    assert done.json["version"] == 1
    assert done.json["sha256"] == sha(VIDEO)
    assert done.json["detected_type"] == "mp4"
    assert done.json["size"] == len(VIDEO)
    twice = alice.api("POST", again["complete_url"])  # harmless twice
    assert (twice.status_code, twice.json) == (200, done.json)
    assert backend.multipart_uploads() == []
    assert len(backend.object_keys()) == 1
    download = alice.get(done.json["download_url"])
    assert sha(backend.fetch(download.headers["Location"])[2]) == sha(VIDEO)


def test_cancelling_aborts_the_parts(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "video", "v.mp4", VIDEO).json
    _send_parts(backend, alice, ticket, [1, 2])
    assert len(backend.multipart_uploads()) == 1
    assert alice.api("DELETE", ticket["cancel_url"]).status_code == 204
    assert backend.multipart_uploads() == []
    assert backend.object_keys() == []
    assert row_count(db, SubmissionFile) == 0


def test_a_part_with_the_wrong_bytes_ends_rejected_and_never_counts(backend, world, alice, db):
    small = VIDEO[:100_000]  # one form POST, checked in the request
    first = ticket_for(alice, alice.submission_id, "video", "v1.mp4", small).json
    backend.post_file(first, small)
    assert alice.api("POST", first["complete_url"]).json["status"] == "ready"

    ticket = ticket_for(alice, alice.submission_id, "video", "v.mp4", VIDEO).json
    _send_parts(backend, alice, ticket, [1, 2])
    signed = alice.api("POST", ticket["parts_url"], json={"part_numbers": [3]}).json
    backend.put_part(signed["parts"][0]["url"], b"\xff" * len(_part(VIDEO, 3)))
    answered = alice.api("POST", ticket["complete_url"])
    assert (answered.status_code, answered.json["status"]) == (202, "verifying")
    wait_idle(backend.app)
    refused = alice.api("GET", answered.json["status_url"]).json
    assert refused["status"] == "rejected"
    assert refused["rejected_reason"] == "checksum_mismatch"
    assert "SHA-256" in refused["message"]
    assert refused["version"] is None
    assert refused["download_url"] is None
    # Completing again says why, and the slot still holds the earlier file.
    again = alice.api("POST", ticket["complete_url"])
    assert (again.status_code, again.json["error"]["code"]) == (422, "checksum_mismatch")
    detail = alice.api("GET", f"/api/v1/submissions/{alice.submission_id}").json
    video = next(s for s in detail["slots"] if s["key"] == "video")
    assert video["current"]["name"] == "v1.mp4"
    assert [v["version"] for v in video["versions"]] == [1]
    download = alice.get(video["current"]["download_url"])
    assert sha(backend.fetch(download.headers["Location"])[2]) == sha(small)
    assert len(backend.object_keys()) == 1  # the rejected file's bytes are gone
    assert backend.multipart_uploads() == []


def test_part_numbers_are_checked(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "video", "v.mp4", VIDEO).json
    for numbers in ([], [0], [4], ["1"], list(range(1, 200)), "1"):
        response = alice.api("POST", ticket["parts_url"], json={"part_numbers": numbers})
        assert response.status_code == 422, numbers


def test_small_files_do_not_use_multipart(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "video", "v.mp4", VIDEO[: MB // 2]).json
    assert ticket["multipart"] is False
    assert ticket["method"] == "POST"
    assert ticket["parts_url"] is None
    response = alice.api("GET", f"/api/v1/uploads/{ticket['upload_id']}/parts")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.query(SubmissionFile).one().status == FileStatus.PENDING


def test_parts_sent_before_the_deadline_count_when_completed_just_after(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "video", "v.mp4", VIDEO).json
    _send_parts(backend, alice, ticket, [1, 2, 3])
    close_just_now(db, world.event)
    # Joining the parts makes the object now, after the deadline; its bytes came before it.
    answered = alice.api("POST", ticket["complete_url"])
    assert answered.status_code == 202, answered.json
    wait_idle(backend.app)  # the job runs after the deadline: what counts is the complete
    assert alice.api("GET", answered.json["status_url"]).json["status"] == "ready"


def test_a_part_sent_after_the_deadline_spoils_the_upload(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "video", "v.mp4", VIDEO).json
    _send_parts(backend, alice, ticket, [1, 2])
    close_just_now(db, world.event)
    _send_parts_late(backend, alice, ticket, db, world.event, 3)
    refused = alice.api("POST", ticket["complete_url"])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "deadline_passed"
    assert backend.object_keys() == []
    assert backend.multipart_uploads() == []
    assert row_count(db, SubmissionFile) == 0


def _send_parts_late(backend, client, ticket: dict, db, event, number: int) -> None:
    """A part whose URL was signed before the deadline but whose bytes land after it."""
    event = db.session.merge(event)
    saved = event.submissions_close_at
    event.submissions_close_at = utcnow() + timedelta(minutes=5)
    db.session.commit()
    signed = client.api("POST", ticket["parts_url"], json={"part_numbers": [number]}).json
    event.submissions_close_at = saved
    db.session.commit()
    assert backend.put_part(signed["parts"][0]["url"], _part(VIDEO, number)) == 200


@pytest.mark.parametrize("backend", ["local"], indirect=True)
def test_the_app_takes_no_more_than_a_parts_size(backend, world, alice, db):
    """The local backend receives the bytes itself: a part URL holds one part, not 5 GB."""
    ticket = ticket_for(alice, alice.submission_id, "video", "v.mp4", VIDEO).json
    signed = alice.api("POST", ticket["parts_url"], json={"part_numbers": [1, 3]}).json
    urls = {item["part_number"]: item["url"] for item in signed["parts"]}
    assert backend.put_part(urls[1], _part(VIDEO, 1) + b"x") == 400
    assert backend.put_part(urls[3], _part(VIDEO, 3) + b"x") == 400  # the last part is short
    assert alice.api("GET", ticket["parts_url"]).json["parts"] == []
    assert backend.put_part(urls[1], _part(VIDEO, 1)) == 200
