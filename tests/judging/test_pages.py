"""The judge's pages (queue, submission, scoring form without script), conflicts declared by
judges, the event-page panel and the organizer dashboard."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlalchemy import select

from hackathon.db import utcnow
from hackathon.judging.models import Assignment, Conflict, Score
from hackathon.submissions.models import FileSlot, Submission, SubmissionFile
from hackathon.teams.models import Team
from tests.factories import (
    grant,
    make_company,
    make_submission,
    make_team,
    make_track,
    make_user,
)
from tests.helpers import assign, build_setup


def score_form(setup, values: dict, action: str, version: int, feedback: str = "") -> dict:
    data = {f"score-{c.id}": str(v) for c, v in values.items()}
    data.update({"action": action, "version": str(version), "feedback": feedback, "note": ""})
    return data


def checked(html: str) -> dict[int, int]:
    """The radio buttons a page renders as chosen: {criterion id: value}."""
    found = re.findall(r'name="score-(\d+)" value="(\d+)"\s+checked', html)
    return {int(c): int(v) for c, v in found}


def add_file(db, team, name="deck.pdf"):
    submission = db.session.scalar(select(Submission).where(Submission.team_id == team.id))
    slot = FileSlot(
        event_id=team.event_id,
        key="slides",
        label="발표 자료",
        label_en="Slides",
        extensions="pdf",
        max_bytes=10**7,
        position=1,
    )
    db.session.add(slot)
    db.session.flush()
    row = SubmissionFile(
        upload_id=str(uuid.uuid4()),
        submission_id=submission.id,
        slot_id=slot.id,
        version=1,
        status="ready",
        original_name=name,
        size=2048,
        sha256="0" * 64,
        content_type="application/pdf",
        backend="local",
        key=f"k/{uuid.uuid4()}",
        expires_at=utcnow() + timedelta(hours=1),
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_queue_shows_progress_and_my_teams_in_my_order(setup, client, login, db):
    judge = setup.judges[0]
    first, second, third = (assign(setup, judge, t) for t in setup.teams[:3])
    second.status, third.status = "submitted", "in_progress"
    db.session.commit()
    login(judge)
    html = client.get(f"/events/{setup.event.slug}/judging").get_data(as_text=True)
    queue = html[html.index('<ol class="j-queue">') : html.index("</ol>")]
    assert queue.index("팀 1") < queue.index("팀 2") < queue.index("팀 3")
    assert "팀 4" not in queue
    assert 'data-done="1" data-total="3"' in html
    assert f"/judging/assignments/{first.id}" in html  # "continue" points at the first to do


def test_queue_is_404_for_people_who_do_not_judge(setup, client, login, new_client):
    participant, mentor = make_user(), make_user()
    grant(setup.event, participant, "participant")
    grant(setup.event, mentor, "mentor")
    a = assign(setup, setup.judges[0], setup.teams[0])
    slug = setup.event.slug
    for person in (make_user(), participant, mentor):
        other = login(person, client=new_client())
        assert other.get(f"/events/{slug}/judging").status_code == 404
        assert other.get(f"/api/v1/judging/{slug}/queue").status_code == 404
        assert other.get(f"/judging/assignments/{a.id}").status_code == 404
        declared = other.form_post(
            f"/events/{slug}/judging/conflicts", {"team_id": setup.teams[1].id, "reason": "x"}
        )
        assert declared.status_code == 404


def test_submission_page_shows_summary_links_files_and_track(db, client, login):
    s = build_setup()
    company = make_company("데이터랩")
    track = make_track(s.event, "금융 데이터", company=company)
    team = make_team(s.event, "트랙 팀", track=track)
    make_submission(
        team,
        title="대출 심사 도우미",
        summary="신용 평가를 돕는 **모델** <script>alert(1)</script>",
        repo_url="https://git.example.test/loan",
        demo_url="https://demo.example.test/loan",
    )
    file = add_file(db, team)
    a = assign(s, s.judges[0], team)
    login(s.judges[0])
    html = client.get(f"/judging/assignments/{a.id}").get_data(as_text=True)
    assert "<strong>모델</strong>" in html  # the summary's Markdown, rendered
    assert "<script>alert(1)" not in html  # and sanitised
    for text in (
        "대출 심사 도우미",
        "신용 평가를 돕는",
        "https://git.example.test/loan",
        "https://demo.example.test/loan",
        "deck.pdf",
        "금융 데이터",
        "데이터랩",
    ):
        assert text in html
    assert f"/api/v1/files/{file.id}/download" in html
    assert "2 KB" in html  # the file's size (2048 bytes) as people read it, in any language
    assert "Bytes" not in html
    for criterion in s.criteria:
        assert f'name="score-{criterion.id}"' in html
    db.session.expire_all()
    assert db.session.get(Assignment, a.id).opened_at is not None


def test_other_judges_and_strangers_get_404_organizers_read_only(setup, client, login, new_client):
    a = assign(setup, setup.judges[0], setup.teams[0])
    for person in (setup.judges[1], make_user()):
        other = login(person, client=new_client())
        assert other.get(f"/judging/assignments/{a.id}").status_code == 404
        assert (
            other.form_post(f"/judging/assignments/{a.id}", {"action": "save"}).status_code == 404
        )
    login(setup.organizer)
    html = client.get(f"/judging/assignments/{a.id}").get_data(as_text=True)
    assert "작품 1" in html
    assert "data-submit-button" not in html
    assert client.get("/judging/assignments/999999").status_code == 404


def test_plain_form_saves_a_draft_then_submits(setup, client, login, db):
    idea, execution = setup.criteria
    a = assign(setup, setup.judges[0], setup.teams[0])
    login(setup.judges[0])
    client.get(f"/judging/assignments/{a.id}")
    client.form_post(f"/judging/assignments/{a.id}", score_form(setup, {idea: 7}, "save", 1))
    page = client.get(f"/judging/assignments/{a.id}").get_data(as_text=True)
    assert checked(page) == {idea.id: 7}
    incomplete = client.form_post(
        f"/judging/assignments/{a.id}",
        score_form(setup, {idea: 8}, "submit", 2, feedback="초안 피드백"),
    )
    assert incomplete.status_code == 422
    assert "초안 피드백" in incomplete.get_data(as_text=True)  # what was typed is kept
    done = client.form_post(
        f"/judging/assignments/{a.id}",
        score_form(setup, {idea: 8, execution: 4}, "submit", 2, feedback="좋은 발표"),
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/events/{setup.event.slug}/judging")
    db.session.expire_all()
    row = db.session.get(Assignment, a.id)
    assert (row.status, row.feedback) == ("submitted", "좋은 발표")
    assert {s.criterion_id: s.value for s in row.scores} == {idea.id: 8, execution.id: 4}
    page = client.get(f"/judging/assignments/{a.id}").get_data(as_text=True)
    assert "좋은 발표" in page
    assert checked(page) == {idea.id: 8, execution.id: 4}
    reopened = client.form_post(
        f"/judging/assignments/{a.id}", {"action": "reopen", "version": str(row.version)}
    )
    assert reopened.status_code == 302
    db.session.expire_all()
    assert db.session.get(Assignment, a.id).status == "in_progress"


def test_judge_declares_a_conflict_from_the_submission_page(setup, client, login, new_client, db):
    from hackathon.judging.services.assignments import assign_judges

    assign_judges(setup.event, 2, seed=5)
    db.session.commit()
    a = db.session.scalars(
        select(Assignment).where(Assignment.judge_id == setup.judges[0].id)
    ).first()
    a_id, team_id = a.id, a.team_id
    login(setup.judges[0])
    client.get(f"/judging/assignments/{a_id}")
    response = client.form_post(
        f"/events/{setup.event.slug}/judging/conflicts",
        {"team_id": str(team_id), "reason": "팀원이 제 조카입니다"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    conflict = db.session.scalar(select(Conflict).where(Conflict.judge_id == setup.judges[0].id))
    assert (conflict.team_id, conflict.reason) == (team_id, "팀원이 제 조카입니다")
    judges_of_team = db.session.scalars(
        select(Assignment.judge_id).where(Assignment.team_id == team_id)
    ).all()
    assert setup.judges[0].id not in judges_of_team
    assert len(judges_of_team) == 2  # another judge took the team
    assert client.get(f"/judging/assignments/{a_id}").status_code == 404

    organizer = login(setup.organizer, client=new_client())
    html = organizer.get(f"/events/{setup.event.slug}/judging/assignments").get_data(as_text=True)
    assert "팀원이 제 조카입니다" in html
    assert setup.judges[0].name in html


def test_event_page_panel_for_judges_and_organizers_only(setup, client, login, new_client, db):
    a = assign(setup, setup.judges[0], setup.teams[0])
    assign(setup, setup.judges[0], setup.teams[1])
    a.status = "submitted"
    db.session.commit()
    login(setup.judges[0])
    html = client.get(f"/events/{setup.event.slug}").get_data(as_text=True)
    assert 'data-judge-progress data-done="1" data-total="2"' in html
    assert f"/events/{setup.event.slug}/judging" in html
    organizer = login(setup.organizer, client=new_client())
    html = organizer.get(f"/events/{setup.event.slug}").get_data(as_text=True)
    for part in ("rubric", "assignments", "dashboard"):
        assert f"/events/{setup.event.slug}/judging/{part}" in html
    participant = make_user()
    grant(setup.event, participant, "participant")
    html = login(participant, client=new_client()).get(f"/events/{setup.event.slug}")
    assert 'data-panel="judging"' not in html.get_data(as_text=True)


def test_dashboard_shows_harsh_and_lenient_judges_missing_scores_and_time(db, client, login):
    s = build_setup(judges=4, teams=4, k=4)
    idea, execution = s.criteria
    harsh, lenient, fair, late = s.judges
    now = utcnow()
    for team in s.teams:
        base = 5 + s.teams.index(team)  # 5..8 on the 1..10 criterion
        for judge, shift in ((harsh, -4), (lenient, +2), (fair, 0)):
            a = assign(s, judge, team)
            a.status, a.opened_at, a.submitted_at = "submitted", now - timedelta(minutes=12), now
            db.session.add_all(
                [
                    Score(assignment_id=a.id, criterion_id=idea.id, value=base + shift),
                    Score(assignment_id=a.id, criterion_id=execution.id, value=3),
                ]
            )
        assign(s, late, team)
    db.session.commit()
    login(s.organizer)
    html = client.get(f"/events/{s.event.slug}/judging/dashboard").get_data(as_text=True)
    assert f'data-judge="{harsh.id}" data-leaning="harsh"' in html
    assert f'data-judge="{lenient.id}" data-leaning="lenient"' in html
    assert f'data-judge="{fair.id}" data-leaning=""' in html
    assert html.count("data-missing=") == 4  # the late judge's four teams
    assert 'data-overall data-done="12" data-total="16"' in html
    assert f'data-judge="{harsh.id}"' in html
    assert 'data-median="720"' in html  # twelve minutes per team
    # Totals as the ranking shows scores (docs/scoring.md): two decimals. The fair judge's mean of
    # (2·n(idea) + n(execution)) / 3 over idea 5..8 of 10 and execution 3 of 5 is 57.407….
    fair_row = html[html.index(f'data-judge="{fair.id}"') :]
    fair_row = fair_row[: fair_row.index("</tr>")]
    assert ">57.41<" in fair_row
    team_ids = {t.id for t in db.session.scalars(select(Team))}
    assert all(f'data-team="{t}"' in html for t in team_ids)


def test_a_judge_reads_and_downloads_only_assigned_submissions(setup, login, new_client, db):
    file = add_file(db, setup.teams[0])
    assign(setup, setup.judges[0], setup.teams[0])
    submission_id = file.submission_id
    mine = login(setup.judges[0], client=new_client())
    other = login(setup.judges[1], client=new_client())
    assert mine.get(f"/api/v1/submissions/{submission_id}").status_code == 200
    assert other.get(f"/api/v1/submissions/{submission_id}").status_code == 404
    assert other.get(f"/api/v1/files/{file.id}/download").status_code == 404
    assert mine.get(f"/api/v1/files/{file.id}/download").status_code != 404
