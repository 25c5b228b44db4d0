"""Every operation of the OpenAPI document, fuzzed from the document itself (schemathesis):
never a 5xx, and every answer one the document describes (its status, its content type,
its body's schema).

The app answers in-process (WSGI) with the demo loaded, to a visitor and to the demo's
organizer, judge and participant, each signed in through the real form and writing with
the `X-CSRFToken` header a page gives. Path parameters are the demo's own (so bodies reach
the services) as often as they are generated. The forms and pages are fuzzed in
tests/test_fuzz_forms.py; the concrete cases the fuzz found are in tests/api/test_limits.py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from tests.helpers import MB, Client, clear_tables, ticket_for

DEMO_PASSWORD = "demo-password"
PEOPLE = {
    "visitor": None,
    "organizer": "organizer@demo.test",
    "judge": "judge1@demo.test",
    "participant": "trainee1@demo.test",
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class World:
    app: Any
    schema: Any
    clients: dict[str, Client]
    params: dict[str, dict[str, Any]]  # per person: path parameter -> a demo value
    seconds: float = 0.0


def _client(app, person: str) -> Client:
    app.test_client_class = Client
    client = app.test_client()
    client.get("/login")
    email = PEOPLE[person]
    if email:
        response = client.form_post("/login", {"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, (person, response.status_code)
        client.get("/")  # a page, for a fresh CSRF token
    return client


def _demo_params(person: str) -> dict[str, Any]:
    """The demo's own values for each path parameter, as `person` would use them."""
    from hackathon.accounts.models import User
    from hackathon.events.models import Event, Program
    from hackathon.extensions import db
    from hackathon.judging.models import Assignment
    from hackathon.submissions.models import FileSlot, Submission, SubmissionFile
    from hackathon.teams.models import Team, TeamMember

    email = PEOPLE[person] or PEOPLE["organizer"]  # a visitor aims at the organizer's things
    me = db.session.scalar(select(User).where(User.email == email))
    team = db.session.scalar(select(Team).join(TeamMember).where(TeamMember.user_id == me.id))
    team = team or db.session.scalar(select(Team).order_by(Team.id))
    mate = db.session.scalar(
        select(TeamMember.user_id).where(TeamMember.team_id == team.id, TeamMember.user_id != me.id)
    )
    assignment = db.session.scalar(
        select(Assignment.id).where(Assignment.judge_id == me.id).order_by(Assignment.id)
    ) or db.session.scalar(select(Assignment.id).order_by(Assignment.id))
    submission = db.session.scalar(
        select(Submission.id).where(Submission.team_id == team.id)
    ) or db.session.scalar(select(Submission.id).order_by(Submission.id))
    other_team = db.session.scalar(
        select(Team.id).where(Team.event_id == team.event_id, Team.id != team.id).order_by(Team.id)
    )
    slot = db.session.scalar(
        select(FileSlot.key).where(FileSlot.event_id == team.event_id).order_by(FileSlot.id)
    )
    return {
        # Values for a body's fields of these names (`_hinted`).
        "body": {"program": None, "team_id": other_team, "slot": slot or "slides"},
        "slug": db.session.scalar(select(Event.slug).where(Event.id == team.event_id)),
        "program": db.session.scalar(select(Program.slug).order_by(Program.id)),
        "team_id": team.id,
        "ratee_id": mate or me.id,
        "user_id": me.id,
        "assignment_id": assignment,
        "submission_id": submission,
        "file_id": db.session.scalar(select(SubmissionFile.id).order_by(SubmissionFile.id)) or 1,
        "upload_id": "no-such-upload",
    }


def _multipart_upload(app, client: Client, demo: dict[str, Any]) -> str:
    """An unfinished multipart upload of the participant's (two parts of 5 MB), for the
    upload endpoints to reach something real: its parts, completing it, cancelling it."""
    app.config.update(UPLOAD_MULTIPART_THRESHOLD=MB, UPLOAD_PART_SIZE=5 * MB)
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (6 * MB)
    response = ticket_for(client, demo["submission_id"], "video", "v.mp4", video)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["multipart"] is True
    return response.get_json()["upload_id"]


@pytest.fixture(scope="module")
def world(_migrated_app) -> Iterator[World]:
    from hackathon.events.demo import load_demo
    from hackathon.extensions import db, limiter
    from hackathon.jobs import wait_idle

    app = _migrated_app
    started = time.perf_counter()
    with app.app_context():
        load_demo()
        limiter.enabled = False  # the fuzz votes far more often than a person may
        saved = {k: app.config.get(k) for k in ("UPLOAD_MULTIPART_THRESHOLD", "UPLOAD_PART_SIZE")}
        clients = {person: _client(app, person) for person in PEOPLE}
        params = {person: _demo_params(person) for person in PEOPLE}
        upload_id = _multipart_upload(app, clients["participant"], params["participant"])
        for demo in params.values():
            demo["body"]["program"] = demo["program"]
            demo["upload_id"] = upload_id  # the participant's; anyone else's 404
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        yield World(app, schema, clients, params, time.perf_counter() - started)
        for key, value in saved.items():
            app.config.pop(key) if value is None else app.config.update({key: value})
        limiter.enabled = True
        wait_idle(app)
        db.session.rollback()
        clear_tables(db)
        db.session.remove()
        limiter.reset()


@dataclass
class Tally:
    operations: int = 0
    examples: int = 0
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)  # per operation
    failures: dict[str, str] = field(default_factory=dict)


def _path_values(operation, demo: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for parameter in operation.path_parameters:
        name = parameter.name
        if name == "slug" and operation.path.startswith("/programs"):
            values[name] = demo["program"]
        elif name in demo:
            values[name] = demo[name]
    return values


def _hinted(case, demo: dict[str, Any]) -> None:
    """Give a generated body's fields the demo's values where it has them (the program, a
    team to vote for, a file slot, the assignment's current version), so that it reaches
    the service rather than stopping at "not found"; the other fields stay generated."""
    from hackathon.extensions import db
    from hackathon.judging.models import Assignment

    if not isinstance(case.body, dict):
        return
    for name, value in demo["body"].items():
        if name in case.body:
            case.body[name] = value
    assignment_id = (case.path_parameters or {}).get("assignment_id")
    if "version" in case.body and isinstance(assignment_id, int):
        current = db.session.scalar(
            select(Assignment.version).where(Assignment.id == assignment_id)
        )
        db.session.rollback()  # no transaction of the test's own stays open
        if current is not None:
            case.body["version"] = current


def _fuzzing(world: World, operation, person: str, tally: Tally):
    client = world.clients[person]
    demo = _path_values(operation, world.params[person])
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=demo),
        operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=demo),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]

    @SETTINGS
    # One write in four goes without its CSRF token (a 400).
    @given(
        case=st.one_of(strategies),
        hint=st.booleans(),
        token=st.sampled_from([True, True, True, False]),
    )
    def call(case, hint, token):
        tally.examples += 1
        if hint:
            _hinted(case, world.params[person])
        # The board is gzipped for whoever takes it; the fuzz reads it as sent.
        headers = {
            "Accept-Language": "ko" if tally.examples % 2 else "en",
            "Accept-Encoding": "identity",
        }
        if token and case.method.upper() not in {"GET", "HEAD"}:  # without it: a 400
            headers["X-CSRFToken"] = client.csrf_token or client.fresh_token()
        response = case.call(session=client, headers=headers)
        seen = tally.statuses.setdefault(f"{case.method.upper()} {operation.path}", {})
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        case.validate_response(response, checks=CHECKS)

    return call


def test_every_api_operation_answers_as_documented_to_anything(world: World):
    tally, started = Tally(), time.perf_counter()
    operations = [result.ok() for result in world.schema.get_all_operations()]
    # Cancelling the upload last, so that its parts and completion are fuzzed while it lasts.
    for operation in sorted(operations, key=lambda op: (op.method.upper() == "DELETE", op.path)):
        tally.operations += 1
        for person in PEOPLE:
            label = f"{operation.method.upper()} {operation.path} as {person}"
            try:
                _fuzzing(world, operation, person, tally)()
            except (Exception, BaseExceptionGroup) as error:  # named by its operation
                tally.failures[label] = f"{type(error).__name__}: {str(error)[:1500]}"
    seconds = time.perf_counter() - started
    print(
        f"\napi: {tally.operations} operations x {len(PEOPLE)} people, {tally.examples} "
        f"requests in {seconds:.1f} s (demo {world.seconds:.1f} s); statuses:"
    )
    for label, seen in tally.statuses.items():
        print(f"  {label}: " + " ".join(f"{k}x{n}" for k, n in sorted(seen.items())))
    assert tally.operations >= 15
    assert not tally.failures, "\n\n".join(f"{k}\n{v}" for k, v in tally.failures.items())
