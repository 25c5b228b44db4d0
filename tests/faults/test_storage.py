"""Storage down: a private moto S3 server stopped between the steps of uploads and
started again. While it is down a ticket, a completion and a download each get a clear
503 and change nothing, /readyz says storage is unreachable; afterwards the same requests
work, and every acknowledged upload is in storage with its bytes."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import boto3
import requests
from botocore.config import Config as BotoConfig
from sqlalchemy import select

from hackathon.storage.s3 import ANSWERED_SECONDS
from hackathon.submissions.demo import minimal_pdf, small_zip
from hackathon.submissions.models import FileStatus, SubmissionFile
from hackathon.submissions.rules import StorageUnavailable
from hackathon.submissions.services.slots import ensure_default_slots
from tests.factories import TEST_PASSWORD, make_event, make_team, make_user
from tests.faults.conftest import MotoServer
from tests.helpers import Client, extra_app, open_submission, sha, ticket_for


def send(ticket: dict, data: bytes, name: str) -> int:
    """What the browser does with a POST ticket: straight to storage."""
    return requests.post(
        ticket["url"], data=ticket["fields"], files={"file": (name, data)}, timeout=30
    ).status_code


def rows(db) -> dict[str, SubmissionFile]:
    db.session.expire_all()
    return {r.upload_id: r for r in db.session.scalars(select(SubmissionFile))}


def test_storage_down_gives_clear_errors_and_loses_nothing(
    app, db, instance_dir: Path, moto_server: MotoServer
):
    bucket = f"faults-{uuid.uuid4().hex[:12]}"
    boto = boto3.client(
        "s3",
        endpoint_url=moto_server.endpoint,
        region_name="us-east-1",
        config=BotoConfig(signature_version="s3v4", retries={"max_attempts": 1}),
    )
    boto.create_bucket(Bucket=bucket)
    member = make_user(name="앨리스")
    event = make_event(phase="submission")
    ensure_default_slots(event)
    db.session.commit()
    make_team(event, "팀 하나", members=[member])
    slides, slides_again = minimal_pdf(["one"]), minimal_pdf(["two"])
    code = small_zip({"main.py": "print(1)\n"})

    with extra_app(
        instance_dir,
        STORAGE_BACKEND="s3",
        S3_BUCKET=bucket,
        S3_ENDPOINT_URL=moto_server.endpoint,
        S3_REGION="us-east-1",
    ) as s3_app:
        s3_app.test_client_class = Client
        client = s3_app.test_client()
        client.get("/login")
        signed_in = client.form_post("/login", {"email": member.email, "password": TEST_PASSWORD})
        assert signed_in.status_code == 302
        client.get(signed_in.headers["Location"])
        submission_id = open_submission(client, event)
        acknowledged: list[str] = []
        statuses: list[int] = []

        def complete(upload_id: str):
            response = client.api("POST", f"/api/v1/uploads/{upload_id}/complete")
            statuses.append(response.status_code)
            if 200 <= response.status_code < 300:
                acknowledged.append(upload_id)
            return response

        # Up: one file uploaded and acknowledged, a second one sent but not completed yet.
        first = ticket_for(client, submission_id, "slides", "one.pdf", slides).json
        assert send(first, slides, "one.pdf") == 204
        assert complete(first["upload_id"]).status_code == 200
        file_id = rows(db)[first["upload_id"]].id
        second = ticket_for(client, submission_id, "code", "code.zip", code).json
        assert send(second, code, "code.zip") == 204

        moto_server.stop()
        time.sleep(ANSWERED_SECONDS + 0.2)  # what the app last heard from storage is stale
        before = rows(db)

        ticket = ticket_for(client, submission_id, "slides", "two.pdf", slides_again)
        statuses.append(ticket.status_code)
        unavailable(ticket, app)
        completion = complete(second["upload_id"])
        unavailable(completion, app)
        download = client.get(f"/api/v1/files/{file_id}/download")
        statuses.append(download.status_code)
        unavailable(download, app)
        page = client.get(f"/events/{event.slug}/submission")
        statuses.append(page.status_code)
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json["checks"] == {"database": "ok", "storage": "unreachable"}
        # Nothing was written: no new row, and the unfinished file is still only pending.
        after = rows(db)
        assert set(after) == set(before)
        assert after[second["upload_id"]].status == FileStatus.PENDING

        moto_server.start()
        assert client.get("/readyz").status_code == 200
        assert complete(second["upload_id"]).status_code == 200  # the same upload, retried
        download = client.get(f"/api/v1/files/{file_id}/download")
        assert download.status_code == 302
        assert requests.get(download.headers["Location"], timeout=30).content == slides
        third = ticket_for(client, submission_id, "slides", "two.pdf", slides_again).json
        assert send(third, slides_again, "two.pdf") == 204
        assert complete(third["upload_id"]).status_code == 200

        assert not [s for s in statuses if s >= 500 and s != 503]
        # Every acknowledged upload is ready with its bytes in storage, and every ready
        # row points at an object that is there.
        final = rows(db)
        sent = {first["upload_id"]: slides, second["upload_id"]: code}
        sent[third["upload_id"]] = slides_again
        for upload_id in acknowledged:
            row = final[upload_id]
            assert row.status == FileStatus.READY
            body = boto.get_object(Bucket=bucket, Key=row.key)["Body"].read()
            assert sha(body) == row.sha256 == sha(sent[upload_id])
        for row in final.values():
            if row.status == FileStatus.READY:
                assert boto.head_object(Bucket=bucket, Key=row.key)["ContentLength"] == row.size
        assert len(acknowledged) == 3


def unavailable(response, app) -> None:
    """A 503 that says storage is down, in the reader's language, with Retry-After."""
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.headers["Retry-After"].isdigit()
    with app.test_request_context(headers={"Accept-Language": "ko"}):
        expected = str(StorageUnavailable.message)
    assert response.json["error"] == {"code": StorageUnavailable.code, "message": expected}
