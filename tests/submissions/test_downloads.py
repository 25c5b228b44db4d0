"""Downloads: a permission check, then a short-lived attachment URL with the original name."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from hackathon.submissions.demo import minimal_pdf
from hackathon.teams.models import Team, TeamMentor
from tests.factories import grant, make_assignment, make_company, make_track, make_user
from tests.helpers import open_submission, ticket_for, upload

PDF = minimal_pdf(["Slides"])
HANGUL = "발표자료_최종.pdf"


@pytest.fixture
def uploaded(backend, world, login):
    alice = login(world.alice, client=backend.client())
    submission_id = open_submission(alice, world.event)
    record = upload(backend, alice, submission_id, "slides", HANGUL, PDF).json
    return alice, submission_id, record


def _filename_star(disposition: str) -> str:
    assert disposition.startswith("attachment;")
    encoded = disposition.split("filename*=UTF-8''", 1)[1].split(";")[0]
    return unquote(encoded, encoding="utf-8")


def test_a_hangul_name_comes_back_intact(backend, world, uploaded):
    alice, _, record = uploaded
    response = alice.get(record["download_url"])
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "private, no-store"
    status, headers, body = backend.fetch(response.headers["Location"])
    assert status == 200
    assert body == PDF
    assert _filename_star(headers["content-disposition"]) == HANGUL
    assert 'filename="download.pdf"' in headers["content-disposition"]  # old clients
    assert headers["content-type"].startswith("application/pdf")


def test_strangers_and_other_teams_get_404(backend, world, uploaded, login):
    _, submission_id, record = uploaded
    for person in (world.stranger, world.carol):
        client = login(person, client=backend.client())
        assert client.get(record["download_url"]).status_code == 404
        assert client.api("GET", f"/api/v1/submissions/{submission_id}").status_code == 404
    anonymous = backend.client()
    assert anonymous.get(record["download_url"]).status_code == 401
    assert anonymous.get("/api/v1/files/999999/download").status_code == 401


def test_pending_files_cannot_be_downloaded(backend, world, uploaded, db):
    alice, submission_id, _ = uploaded
    ticket = ticket_for(alice, submission_id, "slides", "pending.pdf", PDF).json
    backend.post_file(ticket, PDF)
    from hackathon.submissions.models import SubmissionFile

    db.session.expire_all()
    pending = db.session.query(SubmissionFile).filter_by(upload_id=ticket["upload_id"]).one()
    assert alice.get(f"/api/v1/files/{pending.id}/download").status_code == 404


def test_mentors_company_reps_judges_and_organizers_may_download(
    backend, world, uploaded, login, db
):
    _, submission_id, record = uploaded
    company = make_company()
    track = make_track(world.event, company=company)
    team = db.session.get(Team, world.team.id)
    team.track_id = track.id
    mentor, rep, judge, organizer = (make_user() for _ in range(4))
    other_rep, idle_judge = make_user(), make_user()
    grant(world.event, rep, "company_rep", company)
    grant(world.event, other_rep, "company_rep", make_company())
    grant(world.event, judge, "judge")
    grant(world.event, idle_judge, "judge")
    grant(world.event, organizer, "organizer")
    db.session.add(TeamMentor(team_id=team.id, user_id=mentor.id))
    make_assignment(judge, team, submission_id=submission_id)
    for person, allowed in (
        (mentor, True),
        (rep, True),
        (judge, True),
        (organizer, True),
        (world.bob, True),
        (other_rep, False),
        (idle_judge, False),
    ):
        client = login(person, client=backend.client())
        expected = (302, 200) if allowed else (404, 404)
        got = (
            client.get(record["download_url"]).status_code,
            client.api("GET", f"/api/v1/submissions/{submission_id}").status_code,
        )
        assert got == expected, person.name


def test_the_api_shows_the_submission_to_those_who_may_see_it(backend, world, uploaded, login):
    _, submission_id, record = uploaded
    bob = login(world.bob, client=backend.client())
    body = bob.api("GET", f"/api/v1/submissions/{submission_id}").json
    assert body["team"]["name"] == "팀 하나"
    assert body["editable"] is True
    slides = next(s for s in body["slots"] if s["key"] == "slides")
    assert slides["current"]["receipt"]["sha256"] == record["sha256"]
    assert [s["key"] for s in body["slots"]] == ["slides", "code", "video"]
    assert body["quota"]["used"] == len(PDF)


def test_a_judge_taken_off_the_event_loses_the_files(backend, world, uploaded, login, db):
    from sqlalchemy import delete

    from hackathon.events.models import EventRole

    _, submission_id, record = uploaded
    judge = make_user()
    grant(world.event, judge, "judge")
    make_assignment(judge, world.team, submission_id=submission_id)
    client = login(judge, client=backend.client())
    assert client.get(record["download_url"]).status_code == 302
    db.session.execute(delete(EventRole).where(EventRole.user_id == judge.id))
    db.session.commit()
    assert client.get(record["download_url"]).status_code == 404
    assert client.api("GET", f"/api/v1/submissions/{submission_id}").status_code == 404
    assert client.get(f"/submissions/{submission_id}").status_code == 404


def test_hostile_file_names_are_cleaned_and_never_reach_a_header_raw(backend, world, login):
    alice = login(world.alice, client=backend.client())
    submission_id = open_submission(alice, world.event)
    hostile = '..\\../"보고서"\r\nSet-Cookie: x=1;\u202egnp.pdf'
    record = upload(backend, alice, submission_id, "slides", hostile, PDF).json
    assert record["name"] == '"보고서"Set-Cookie: x=1;gnp.pdf'
    response = alice.get(record["download_url"])
    status, headers, _ = backend.fetch(response.headers["Location"])
    assert status == 200
    disposition = headers["content-disposition"]
    assert disposition.isascii()
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert "set-cookie" not in headers
    assert _filename_star(disposition) == record["name"]
