"""Submissions are tested on both storage backends: the local folder and S3 (moto over HTTP).

`backend` gives one app and the browser's side of an upload (a real HTTP request to moto,
or the app's own signed URL for the local backend); `world` is an event open for
submissions with its default slots, a team of two, another team and a stranger.
"""

from __future__ import annotations

import hashlib
import io
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import requests

from hackathon.db import utcnow
from hackathon.storage.local import LocalStorage
from hackathon.submissions.services.slots import ensure_default_slots
from tests.factories import make_event, make_team, make_user

MB = 1024 * 1024


class Backend:
    name: str

    def __init__(self, app, make_client, keys, multiparts) -> None:
        self.app, self._make_client, self._keys, self._multiparts = (
            app,
            make_client,
            keys,
            multiparts,
        )

    def client(self):
        return self._make_client()

    def object_keys(self) -> list[str]:
        return sorted(self._keys())

    def multipart_uploads(self) -> list[Any]:
        return list(self._multiparts())

    @property
    def storage(self):
        return self.app.extensions["storage"]

    def post_file(self, ticket: dict, data: bytes, name: str = "file.bin") -> int:
        """What the browser does with a POST ticket: the fields, then the file."""
        if self.name == "s3":
            return requests.post(
                ticket["url"], data=ticket["fields"], files={"file": (name, data)}, timeout=30
            ).status_code
        payload = {**ticket["fields"], "file": (io.BytesIO(data), name)}
        return (
            self.client()
            .post(ticket["url"], data=payload, content_type="multipart/form-data")
            .status_code
        )

    def put_part(self, url: str, data: bytes) -> int:
        if self.name == "s3":
            return requests.put(url, data=data, timeout=30).status_code
        return self.client().put(url, data=data).status_code

    def fetch(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """Follow a download redirect the way a browser would (header names in lowercase)."""
        if self.name == "s3":
            response = requests.get(url, timeout=30)
            return response.status_code, _lower(response.headers), response.content
        response = self.client().get(url)
        body = response.get_data()
        response.close()  # a file-backed response: release the file
        return response.status_code, _lower(response.headers), body


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@pytest.fixture(params=["local", "s3"])
def backend(request, app, tmp_path, monkeypatch) -> Backend:
    if request.param == "s3":
        s3 = request.getfixturevalue("s3_server")
        chosen = Backend(s3.app, s3.client, lambda: s3.keys("events/"), s3.multipart_uploads)
    else:
        # A fresh folder per test: object listings see only this test's files.
        storage = LocalStorage(str(tmp_path / "files"), app.config["SECRET_KEY"])
        monkeypatch.setitem(app.extensions, "storage", storage)
        new_client = request.getfixturevalue("new_client")
        chosen = Backend(
            app,
            new_client,
            lambda: [o.key for o in storage.list_objects("events/")],
            lambda: list(storage.list_multiparts("events/")),
        )
    chosen.name = request.param
    return chosen


@dataclass
class World:
    event: Any
    team: Any
    other_team: Any
    alice: Any
    bob: Any
    carol: Any
    stranger: Any
    slots: dict[str, Any]


@pytest.fixture
def world(backend, db) -> World:
    alice, bob = make_user(name="앨리스"), make_user(name="밥")
    carol, stranger = make_user(name="캐럴"), make_user(name="낯선 사람")
    event = make_event(phase="submission")
    slots = {slot.key: slot for slot in ensure_default_slots(event)}
    db.session.commit()
    team = make_team(event, "팀 하나", members=[alice, bob])
    other_team = make_team(event, "팀 둘", members=[carol])
    return World(event, team, other_team, alice, bob, carol, stranger, slots)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_submission(client, event) -> int:
    """A member opens the team's submission page; returns the submission id."""
    response = client.get(f"/events/{event.slug}/submission")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def ticket_for(
    client,
    submission_id: int,
    slot: str,
    name: str,
    data: bytes,
    *,
    size: int | None = None,
    digest: str | None = None,
):
    return client.api(
        "POST",
        f"/api/v1/submissions/{submission_id}/uploads",
        json={
            "slot": slot,
            "filename": name,
            "size": len(data) if size is None else size,
            "sha256": digest or sha(data),
        },
    )


def upload(
    backend: Backend, client, submission_id: int, slot: str, name: str, data: bytes, **declared
):
    """Ticket, the browser's upload, complete: the complete response."""
    ticket = ticket_for(client, submission_id, slot, name, data, **declared)
    assert ticket.status_code == 201, ticket.json
    backend.post_file(ticket.json, data, name)
    return client.api("POST", ticket.json["complete_url"])


def row_count(db, model) -> int:
    from sqlalchemy import func, select

    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def close_just_now(db, event) -> None:
    """The deadline passes: the next whole second (S3 keeps times to the second), after
    everything sent so far and before anything sent from now on."""
    now = utcnow()
    deadline = now.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((deadline - now).total_seconds() + 0.2)
    event = db.session.merge(event)
    event.submissions_close_at = deadline
    event.grace_minutes = 0
    db.session.commit()
