"""The submission page, its deadline, handing in, extensions, and the event-page panel."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from hackathon.db import utcnow
from hackathon.submissions.demo import minimal_pdf, small_zip
from hackathon.submissions.models import Submission, SubmissionStatus
from tests.factories import grant, make_user
from tests.helpers import open_submission, upload

pytestmark = pytest.mark.parametrize("backend", ["local"], indirect=True)


def _page(client, submission_id: int) -> str:
    response = client.get(f"/submissions/{submission_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_shows_slots_deadline_and_the_uploader(backend, world, alice):
    html = _page(alice, alice.submission_id)
    for key in ("slides", "code", "video"):
        assert f'data-slot="{key}"' in html
    assert "upload.js" in html
    assert "(Asia/Seoul)" in html
    assert "data-time-left" in html
    messages = json.loads(re.search(r"data-messages='([^']*)'", html).group(1))
    assert messages["hashing"]
    assert 'accept=".pdf,.pptx"' in html


def test_without_a_team_there_is_no_submission(backend, world, login):
    client = login(world.stranger, client=backend.client())
    response = client.get(f"/events/{world.event.slug}/submission")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{world.event.slug}")


def test_details_are_saved_and_the_summary_is_rendered_safely(backend, world, alice, db):
    response = alice.form_post(
        f"/submissions/{alice.submission_id}",
        {
            "title": "뉴스 요약 봇",
            "summary": "**굵게** <script>alert(1)</script>\n\n[click](javascript:alert(2)) "
            "[ok](https://example.test)",
            "repo_url": "https://github.com/example/bot",
            "demo_url": "",
        },
    )
    assert response.status_code == 302
    html = _page(alice, alice.submission_id)
    preview = html[html.index('class="prose"') :]
    assert "<strong>굵게</strong>" in preview
    assert "<script>alert" not in html
    assert 'href="javascript:' not in preview  # left as plain text, never a link
    assert 'href="https://example.test"' in preview
    db.session.expire_all()
    assert db.session.get(Submission, alice.submission_id).title == "뉴스 요약 봇"


def test_a_bad_link_is_a_field_error(backend, world, alice, db):
    response = alice.form_post(
        f"/submissions/{alice.submission_id}",
        {
            "title": "x",
            "summary": "",
            "repo_url": "javascript:alert(1)",
            "demo_url": "",
        },
    )
    assert response.status_code == 422
    assert "https://" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Submission, alice.submission_id).repo_url == ""


def test_handing_in_needs_a_title_and_the_required_files(backend, world, alice, db):
    url = f"/submissions/{alice.submission_id}/submit"
    alice.form_post(url)
    db.session.expire_all()
    assert db.session.get(Submission, alice.submission_id).status == SubmissionStatus.DRAFT
    alice.form_post(
        f"/submissions/{alice.submission_id}",
        {"title": "프로젝트", "summary": "", "repo_url": "", "demo_url": ""},
    )
    upload(backend, alice, alice.submission_id, "slides", "s.pdf", minimal_pdf(["s"]))
    upload(backend, alice, alice.submission_id, "code", "c.zip", small_zip({"a.py": "1"}))
    assert alice.form_post(url).status_code == 302
    db.session.expire_all()
    submission = db.session.get(Submission, alice.submission_id)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_at is not None
    assert 'data-status="submitted"' in _page(alice, alice.submission_id)


def test_after_the_deadline_the_page_is_read_only_with_the_reason(backend, world, alice, db):
    event = db.session.merge(world.event)
    event.submissions_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    html = _page(alice, alice.submission_id)
    assert "data-read-only" in html
    assert "upload.js" not in html
    assert "read-only" in html or "읽기 전용" in html
    alice.form_post(
        f"/submissions/{alice.submission_id}",
        {"title": "late", "summary": "", "repo_url": "", "demo_url": ""},
    )
    db.session.expire_all()
    assert db.session.get(Submission, alice.submission_id).title == ""


def test_an_extension_reopens_one_team(backend, world, alice, login, db):
    event = db.session.merge(world.event)
    event.submissions_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    organizer = make_user()
    grant(world.event, organizer, "organizer")
    staff = login(organizer, client=backend.client())
    later = (utcnow() + timedelta(hours=3)).astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Seoul")
    )
    response = staff.form_post(
        f"/events/{world.event.slug}/teams/{world.team.id}/extension",
        {"until": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    html = _page(alice, alice.submission_id)
    assert "data-read-only" not in html
    assert "upload.js" in html
    carol = login(world.carol, client=backend.client())
    other = open_submission(carol, world.event)
    assert "data-read-only" in _page(carol, other)  # only that team


def test_the_organizer_overview_lists_teams_and_missing_slots(backend, world, alice, login):
    upload(backend, alice, alice.submission_id, "slides", "s.pdf", minimal_pdf(["s"]))
    organizer = make_user()
    grant(world.event, organizer, "organizer")
    staff = login(organizer, client=backend.client())
    html = staff.get(f"/events/{world.event.slug}/submissions").get_data(as_text=True)
    row = html[html.index('data-team="팀 하나"') :]
    row = row[: row.index("</tr>")]
    missing = re.search(r"data-missing>(.*?)</td>", row, re.S).group(1)
    assert "소스 코드" in missing
    assert "발표 자료" not in missing
    assert 'data-team="팀 둘"' in html
    # Participants do not get in.
    assert alice.get(f"/events/{world.event.slug}/submissions").status_code == 404
    assert alice.get(f"/events/{world.event.slug}/slots").status_code == 404
    assert alice.get(f"/events/{world.event.slug}/submissions.zip").status_code == 404


def test_the_event_page_panel_and_me(backend, world, alice, login):
    html = alice.get(f"/events/{world.event.slug}").get_data(as_text=True)
    assert 'data-panel="submissions"' in html
    assert f"/events/{world.event.slug}/submission" in html
    me = alice.api("GET", "/api/v1/me").json
    entry = next(e for e in me["events"] if e["slug"] == world.event.slug)
    assert entry["submission_id"] == alice.submission_id
    assert entry["team_id"] == world.team.id
    stranger = login(world.stranger, client=backend.client())
    html = stranger.get(f"/events/{world.event.slug}").get_data(as_text=True)
    assert 'data-panel="submissions"' not in html


def test_the_openapi_document_describes_the_upload_steps(backend, world, alice):
    paths = alice.get("/api/v1/openapi.json").json["paths"]
    for path, method in [
        ("/submissions/{submission_id}", "get"),
        ("/submissions/{submission_id}/uploads", "post"),
        ("/uploads/{upload_id}/complete", "post"),
        ("/uploads/{upload_id}/parts", "get"),
        ("/uploads/{upload_id}/parts", "post"),
        ("/uploads/{upload_id}", "delete"),
        ("/files/{file_id}/download", "get"),
    ]:
        assert method in paths[path], path
    ticket = paths["/submissions/{submission_id}/uploads"]["post"]
    assert "201" in ticket["responses"]
    assert "requestBody" in ticket
