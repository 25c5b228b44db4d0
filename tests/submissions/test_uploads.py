"""Uploads on both backends: what is accepted, and that every refusal leaves nothing behind."""

from __future__ import annotations

from datetime import datetime, timedelta

from hackathon.db import utcnow
from hackathon.submissions.demo import minimal_pdf, small_zip
from hackathon.submissions.models import FileStatus, Submission, SubmissionFile
from hackathon.submissions.services.entries import set_extension
from tests.helpers import (
    close_just_now,
    open_submission,
    row_count,
    sha,
    ticket_for,
    upload,
)

PDF = minimal_pdf(["Hello, judges"])
HANGUL = "발표자료_최종.pdf"


def assert_nothing_left(backend, db) -> None:
    assert row_count(db, SubmissionFile) == 0
    assert backend.object_keys() == []


def test_a_valid_upload_becomes_the_current_version(backend, world, alice, db):
    done = upload(backend, alice, alice.submission_id, "slides", HANGUL, PDF)
    assert done.status_code == 200, done.json
    record = done.json
    assert record["status"] == "ready"
    assert record["version"] == 1
    assert record["name"] == HANGUL
    assert record["receipt"] == {
        "file_name": HANGUL,
        "size": len(PDF),
        "sha256": sha(PDF),
        "received_at": record["uploaded_at"],
    }
    second = upload(backend, alice, alice.submission_id, "slides", "v2.pdf", minimal_pdf(["v2"]))
    assert second.json["version"] == 2

    detail = alice.api("GET", f"/api/v1/submissions/{alice.submission_id}").json
    slides = next(s for s in detail["slots"] if s["key"] == "slides")
    assert slides["current"]["name"] == "v2.pdf"
    assert [v["version"] for v in slides["versions"]] == [2, 1]
    assert len(backend.object_keys()) == 2
    # Keys come from our ids only, never from the file name.
    assert all("발표" not in key and key.startswith("events/") for key in backend.object_keys())


def test_completing_twice_is_harmless(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    backend.post_file(ticket, PDF)
    first = alice.api("POST", ticket["complete_url"])
    again = alice.api("POST", ticket["complete_url"])
    assert first.status_code == again.status_code == 200
    assert first.json == again.json
    assert row_count(db, SubmissionFile) == 1


def test_a_pptx_is_a_zip_with_slides_inside(backend, world, alice, db):
    pptx = small_zip({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
    assert (
        upload(backend, alice, alice.submission_id, "slides", "deck.pptx", pptx).json[
            "detected_type"
        ]
        == "pptx"
    )
    plain_zip = small_zip({"notes.txt": "not slides"})
    refused = upload(backend, alice, alice.submission_id, "slides", "fake.pptx", plain_zip)
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "wrong_type"


def test_over_size_is_refused_before_any_byte_moves(backend, world, alice, db):
    too_big = world.slots["slides"].max_bytes + 1
    response = ticket_for(alice, alice.submission_id, "slides", "big.pdf", PDF, size=too_big)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "too_large"
    assert "50 MB" in response.json["error"]["message"]
    assert_nothing_left(backend, db)


def test_more_bytes_than_announced_are_refused(backend, world, alice, db):
    small, large = PDF, PDF + b"%" * 5000
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", small).json
    backend.post_file(ticket, large)  # moto keeps it (no policy check); local refuses it
    refused = alice.api("POST", ticket["complete_url"])
    expected = "size_mismatch" if backend.name == "s3" else "not_uploaded"
    assert refused.json["error"]["code"] == expected
    assert_nothing_left(backend, db)


def test_an_html_file_named_pdf_is_refused(backend, world, alice, db):
    html = b"<!doctype html><html><script>alert(1)</script></html>"
    refused = upload(backend, alice, alice.submission_id, "slides", "slides.pdf", html)
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "wrong_type"
    assert "PDF" in refused.json["error"]["message"]
    assert_nothing_left(backend, db)


def test_a_wrong_checksum_is_refused(backend, world, alice, db):
    refused = upload(
        backend, alice, alice.submission_id, "slides", "a.pdf", PDF, digest=sha(b"something else")
    )
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "checksum_mismatch"
    assert_nothing_left(backend, db)


def test_a_wrong_extension_is_refused_at_the_ticket(backend, world, alice, db):
    refused = ticket_for(alice, alice.submission_id, "code", "code.tar.gz", b"x")
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "wrong_extension"
    assert_nothing_left(backend, db)


def _close(db, event, *, minutes_ago: int) -> None:
    event = db.session.merge(event)
    event.submissions_close_at = utcnow() - timedelta(minutes=minutes_ago)
    event.grace_minutes = 0
    db.session.commit()


def test_after_the_deadline_no_ticket_is_issued(backend, world, alice, db):
    _close(db, world.event, minutes_ago=1)
    refused = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "deadline_passed"
    assert_nothing_left(backend, db)


def test_bytes_that_arrive_after_the_deadline_do_not_count(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    backend.post_file(ticket, PDF)
    _close(db, world.event, minutes_ago=5)  # the object is newer than the deadline now
    refused = alice.api("POST", ticket["complete_url"])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "deadline_passed"
    assert_nothing_left(backend, db)


def test_bytes_that_arrive_before_the_deadline_count_when_completed_just_after(
    backend, world, alice, db
):
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    assert backend.post_file(ticket, PDF) in (201, 204)
    close_just_now(db, world.event)
    done = alice.api("POST", ticket["complete_url"])
    assert done.status_code == 200, done.json
    late = ticket_for(alice, alice.submission_id, "slides", "b.pdf", PDF)
    assert late.json["error"]["code"] == "deadline_passed"  # no new ticket now


def test_a_complete_long_after_the_deadline_is_refused(backend, world, alice, db, monkeypatch):
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    backend.post_file(ticket, PDF)
    close_just_now(db, world.event)
    monkeypatch.setitem(backend.app.config, "UPLOAD_COMPLETE_WINDOW_SECONDS", 0)
    refused = alice.api("POST", ticket["complete_url"])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "deadline_passed"
    assert_nothing_left(backend, db)


def test_the_ticket_never_outlives_the_deadline(backend, world, alice, db):
    event = db.session.merge(world.event)
    event.submissions_close_at = utcnow() + timedelta(seconds=90)
    db.session.commit()
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    assert datetime.fromisoformat(ticket["expires_at"]) <= event.submissions_deadline


def test_over_the_quota_is_refused(backend, world, alice, db):
    event = db.session.merge(world.event)
    event.team_quota_bytes = len(PDF) + 10
    db.session.commit()
    assert upload(backend, alice, alice.submission_id, "slides", "a.pdf", PDF).status_code == 200
    refused = ticket_for(alice, alice.submission_id, "code", "b.zip", PDF)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "quota_exceeded"
    assert row_count(db, SubmissionFile) == 1
    assert len(backend.object_keys()) == 1


def test_a_team_at_its_quota_can_still_replace_a_file(backend, world, alice, db):
    event = db.session.merge(world.event)
    event.team_quota_bytes = len(PDF) + 10
    db.session.commit()
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        done = upload(backend, alice, alice.submission_id, "slides", name, PDF)
        assert done.status_code == 200, done.json
    assert row_count(db, SubmissionFile) == 3  # every version kept as the record
    state = alice.api("GET", f"/api/v1/submissions/{alice.submission_id}").json
    assert state["quota"]["used"] == len(PDF)  # only the current version counts


def test_the_quota_is_checked_again_on_complete(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    backend.post_file(ticket, PDF)
    event = db.session.merge(world.event)
    event.team_quota_bytes = len(PDF) - 1  # lowered by organizers meanwhile
    db.session.commit()
    refused = alice.api("POST", ticket["complete_url"])
    assert refused.json["error"]["code"] == "quota_exceeded"
    assert_nothing_left(backend, db)


def test_another_teams_submission_is_out_of_reach(backend, world, alice, login, db):
    carol = login(world.carol, client=backend.client())
    theirs = open_submission(carol, world.event)
    refused = ticket_for(alice, theirs, "slides", "a.pdf", PDF)
    assert refused.status_code == 404
    assert refused.json["error"]["code"] == "not_found"
    assert_nothing_left(backend, db)

    # Nor can anyone complete or cancel a ticket of another team.
    ticket = ticket_for(carol, theirs, "slides", "c.pdf", PDF).json
    assert alice.api("POST", ticket["complete_url"]).status_code == 404
    assert alice.api("DELETE", ticket["cancel_url"]).status_code == 404
    db.session.expire_all()
    assert db.session.query(SubmissionFile).one().status == FileStatus.PENDING


def test_a_cancelled_upload_leaves_nothing(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    backend.post_file(ticket, PDF)
    assert alice.api("DELETE", ticket["cancel_url"]).status_code == 204
    assert_nothing_left(backend, db)
    assert alice.api("POST", ticket["complete_url"]).status_code == 404


def test_complete_without_the_bytes_says_so(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    refused = alice.api("POST", ticket["complete_url"])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "not_uploaded"
    assert_nothing_left(backend, db)


def test_bad_requests_get_clear_field_errors(backend, world, alice, db):
    url = f"/api/v1/submissions/{alice.submission_id}/uploads"
    cases = [
        ({"slot": "nope", "filename": "a.pdf", "size": 10, "sha256": sha(b"")}, "slot"),
        ({"slot": "slides", "filename": "", "size": 10, "sha256": sha(b"")}, "filename"),
        ({"slot": "slides", "filename": "a.pdf", "size": 0, "sha256": sha(b"")}, "size"),
        ({"slot": "slides", "filename": "a.pdf", "size": "10", "sha256": sha(b"")}, "size"),
        ({"slot": "slides", "filename": "a.pdf", "size": 10, "sha256": "xyz"}, "sha256"),
        ({"slot": ["slides"], "filename": "a.pdf", "size": 10, "sha256": sha(b"")}, "slot"),
        ({"slot": {"k": 1}, "filename": "a.pdf", "size": 10, "sha256": sha(b"")}, "slot"),
        ({"slot": "slides", "filename": ["a.pdf"], "size": 10, "sha256": sha(b"")}, "filename"),
    ]
    for body, field in cases:
        response = alice.api("POST", url, json=body)
        assert response.status_code == 422, body
        assert field in response.json["error"]["details"]["fields"], body
    assert alice.api("POST", url, json=["not", "an", "object"]).status_code == 422
    assert_nothing_left(backend, db)


def test_writes_need_the_csrf_header(backend, world, alice, db):
    response = alice.post(
        f"/api/v1/submissions/{alice.submission_id}/uploads",
        json={"slot": "slides", "filename": "a.pdf", "size": 1, "sha256": sha(b"x")},
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"


def test_a_used_ticket_cannot_replace_a_verified_file(backend, world, alice, db):
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF).json
    assert backend.post_file(ticket, PDF) == 204
    assert alice.api("POST", ticket["complete_url"]).json["status"] == "ready"
    swapped = b"<html>" + b" " * (len(PDF) - 6)  # same size, never verified
    # The ticket has not expired: storage may well take the bytes (S3 does), but they
    # land under the ticket's key, which no longer counts for anything.
    backend.post_file(ticket, swapped)
    download = alice.get(f"/api/v1/files/{_file_id(db, ticket)}/download")
    assert sha(backend.fetch(download.headers["Location"])[2]) == sha(PDF)
    again = alice.api("POST", ticket["complete_url"])
    assert again.json["status"] == "ready"
    download = alice.get(f"/api/v1/files/{_file_id(db, ticket)}/download")
    assert sha(backend.fetch(download.headers["Location"])[2]) == sha(PDF)


def _file_id(db, ticket: dict) -> int:
    db.session.expire_all()
    return db.session.query(SubmissionFile).filter_by(upload_id=ticket["upload_id"]).one().id


def test_the_grace_and_a_teams_extension_keep_uploads_open(backend, world, alice, login, db):
    _close(db, world.event, minutes_ago=1)
    event = db.session.merge(world.event)
    event.grace_minutes = 5
    db.session.commit()
    ticket = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF)
    assert ticket.status_code == 201, ticket.json
    assert datetime.fromisoformat(ticket.json["expires_at"]) <= event.submissions_deadline
    backend.post_file(ticket.json, PDF)
    assert alice.api("POST", ticket.json["complete_url"]).json["status"] == "ready"

    event.grace_minutes = 0
    db.session.commit()
    carol = login(world.carol, client=backend.client())
    theirs = open_submission(carol, world.event)
    set_extension(db.session.get(Submission, theirs), utcnow() + timedelta(hours=1))
    db.session.commit()
    assert ticket_for(alice, alice.submission_id, "slides", "b.pdf", PDF).status_code == 409
    done = upload(backend, carol, theirs, "slides", "c.pdf", PDF)
    assert done.status_code == 200, done.json


def test_no_ticket_before_submissions_open(backend, world, alice, db):
    event = db.session.merge(world.event)
    event.submissions_open_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    refused = ticket_for(alice, alice.submission_id, "slides", "a.pdf", PDF)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "submissions_not_open"
    assert_nothing_left(backend, db)
