"""The organizer's overview and a submission's page cost the same number of queries for 6
teams as for the cohort's 33, and for one version as for many: no query per team or file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackathon.db import utcnow
from hackathon.submissions.demo import minimal_pdf, store_file
from hackathon.submissions.models import Submission
from hackathon.submissions.services.slots import ensure_default_slots
from tests.factories import (
    grant,
    make_company,
    make_event,
    make_submission,
    make_team,
    make_track,
    make_user,
)
from tests.helpers import statements

pytestmark = pytest.mark.parametrize("backend", ["local"], indirect=True)


def _add_teams(db, backend, event, slots, tracks, start: int, count: int) -> list[Submission]:
    submissions = []
    for i in range(start, start + count):
        member = make_user()
        team = make_team(event, f"팀 {i:02d}", members=[member], track=tracks[i % len(tracks)])
        submission = make_submission(team, status="draft", title=f"과제 {i}")
        for version in (1, 2):
            store_file(
                backend.storage,
                submission,
                slots["slides"],
                f"v{version}.pdf",
                minimal_pdf([str(i)]),
                utcnow() - timedelta(hours=1),
                member.id,
                version=version,
            )
        submissions.append(submission)
    db.session.commit()
    return submissions


def _cost(client, url: str, db) -> int:
    with statements(db) as seen:
        response = client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(seen)


def test_the_overview_does_not_query_per_team(backend, db, login):
    event = make_event("big", phase="submission")
    slots = {s.key: s for s in ensure_default_slots(event)}
    tracks = [make_track(event, company=make_company()) for _ in range(11)]
    db.session.commit()
    _add_teams(db, backend, event, slots, tracks, 0, 6)
    organizer = make_user()
    grant(event, organizer, "organizer")
    staff = login(organizer, client=backend.client())
    urls = ("/events/big/submissions", "/events/big")
    small = {url: _cost(staff, url, db) for url in urls}
    _add_teams(db, backend, event, slots, tracks, 6, 27)
    large = {url: _cost(staff, url, db) for url in urls}
    assert large == small  # a track query per team before
    assert large["/events/big/submissions"] <= 12, large


def test_a_submission_page_does_not_query_per_file(backend, db, login):
    event = make_event("one", phase="submission")
    slots = {s.key: s for s in ensure_default_slots(event)}
    track = make_track(event, company=make_company())
    members = [make_user() for _ in range(5)]
    team = make_team(event, "팀", members=members, track=track)
    submission = make_submission(team, status="draft", title="과제")

    def add_versions(first: int, last: int) -> None:
        for version in range(first, last + 1):
            for key in ("slides", "code"):
                store_file(
                    backend.storage,
                    submission,
                    slots[key],
                    f"v{version}.{'pdf' if key == 'slides' else 'zip'}",
                    minimal_pdf([str(version)]),
                    utcnow() - timedelta(hours=1),
                    members[version % len(members)].id,
                    version=version,
                )
        db.session.commit()

    add_versions(1, 1)
    client = login(members[0], client=backend.client())
    urls = (f"/submissions/{submission.id}", f"/api/v1/submissions/{submission.id}")
    small = {url: _cost(client, url, db) for url in urls}
    add_versions(2, 8)
    large = {url: _cost(client, url, db) for url in urls}
    assert large == small  # an uploader query per version in the API before
