"""Submissions are tested on both storage backends: the local folder and S3 (moto over HTTP).

`backend` gives one app and the browser's side of an upload (a real HTTP request to moto,
or the app's own signed URL for the local backend); `world` is an event open for
submissions with its default slots, a team of two, another team and a stranger.
"""

from __future__ import annotations

import pytest

from hackathon.storage.local import LocalStorage
from hackathon.submissions.services.slots import ensure_default_slots
from tests.factories import make_event, make_team, make_user
from tests.helpers import Backend, World, open_submission


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


@pytest.fixture
def alice(backend, world, login):
    """Alice signed in on the backend's app, her team's submission opened (its id on the
    client as `submission_id`)."""
    client = login(world.alice, client=backend.client())
    client.submission_id = open_submission(client, world.event)
    return client
