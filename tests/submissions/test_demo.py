"""The demo's submissions (issue 4, item 8): the two past hackathons have handed-in
projects with small real files in storage; the company-projects round is open, with drafts."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from sqlalchemy import select

from hackathon.events.models import Event
from hackathon.submissions.logic.filetypes import detect
from hackathon.submissions.models import Submission, SubmissionFile, SubmissionStatus
from hackathon.submissions.services.entries import edit_state, missing_slots, versions_by_slot
from hackathon.submissions.services.slots import event_slots
from hackathon.teams.models import Team

pytestmark = pytest.mark.parametrize("backend", ["local"], indirect=True)


def _submissions(db, event: Event) -> list[Submission]:
    return list(db.session.scalars(select(Submission).where(Submission.event_id == event.id)))


def _zip_names(data: bytes):
    return lambda: zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_the_demo_submissions(backend, app, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    events = {e.slug: e for e in db.session.scalars(select(Event))}
    storage = backend.storage

    for slug in ("cohort1-fintech", "cohort1-news-bigdata"):
        event = events[slug]
        teams = db.session.scalars(select(Team.id).where(Team.event_id == event.id)).all()
        handed_in = _submissions(db, event)
        assert teams, slug
        assert len(handed_in) == len(teams), slug
        for submission in handed_in:
            assert submission.status == SubmissionStatus.SUBMITTED
            assert submission.submitted_at <= event.submissions_deadline
            assert missing_slots(submission, event_slots(event)) == []
        for row in db.session.scalars(
            select(SubmissionFile).where(
                SubmissionFile.submission_id.in_([s.id for s in handed_in])
            )
        ):
            data = b"".join(storage.iter_bytes(row.key))
            assert hashlib.sha256(data).hexdigest() == row.sha256
            assert detect(data[:4096], _zip_names(data)) == row.detected_type  # real files

    projects = events["cohort1-company-projects"]
    drafts = _submissions(db, projects)
    assert drafts
    assert all(s.status == SubmissionStatus.DRAFT for s in drafts)
    assert all(edit_state(s).open for s in drafts)
    assert any(versions_by_slot(s) for s in drafts)  # some have begun uploading

    again = app.test_cli_runner().invoke(args=["demo"])
    assert again.exit_code == 0
    assert len(_submissions(db, projects)) == len(drafts)
