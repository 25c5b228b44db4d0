"""Check-ins: organizers set milestones; a team posts one note per milestone (Markdown,
rendered safe), editable by its members; only the track's mentors comment; the
organizers' grid shows what is done and what is late."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hackathon.cohort.models import CheckIn, CheckInComment, Milestone
from hackathon.cohort.services import checkins
from hackathon.db import utcnow
from hackathon.events.models import Program
from tests.factories import make_company, make_event, make_team, make_track, make_user


def _project(db):
    event = make_event("proj", phase="submission", kind="company_project")
    company = make_company("한빛AI")
    track = make_track(event, "금융 챗봇", company=company)
    members = [make_user(name=f"팀원{i}", event=event, locale="en") for i in range(3)]
    team = make_team(event, "Night Owls", members=members, track=track)
    other = make_team(event, "Early Birds", members=[make_user(event=event, locale="en")])
    mentor = make_user(name="멘토", event=event, role="mentor", company=company, locale="en")
    stranger = make_user(name="다른 멘토", event=event, role="mentor", company=make_company())
    boss = make_user(event=event, role="organizer", locale="en")
    now = utcnow()
    past = checkins.save_milestone(event, title="1차", due_at=now - timedelta(days=1))
    ahead = checkins.save_milestone(event, title="2차", due_at=now + timedelta(days=5))
    db.session.commit()
    return event, team, other, members, mentor, stranger, boss, past, ahead


def _note(browser, team, milestone, body):
    return browser.form_post(
        f"/events/proj/teams/{team.id}/checkins/{milestone.id}", {f"m{milestone.id}-body": body}
    )


def test_organizers_set_milestones_in_the_events_time_zone(db, signed_in):
    event = make_event("proj", phase="submission", kind="company_project")
    boss = signed_in(make_user(event=event, role="organizer", locale="en"))
    response = boss.form_post(
        "/events/proj/milestones",
        {
            "title": "중간 점검",
            "title_en": "Midpoint",
            "prompt": "어디까지?",
            "due_at": "2026-11-02T18:00",
        },
    )
    assert response.status_code == 302
    milestone = db.session.scalar(select(Milestone))
    assert milestone.due_at.isoformat() == "2026-11-02T09:00:00+00:00"  # 18:00 in Seoul
    bad = boss.form_post("/events/proj/milestones", {"title": "", "due_at": ""})
    assert bad.status_code == 422
    assert "Give the date and time the note is due." in bad.get_data(as_text=True)
    assert len(db.session.scalars(select(Milestone)).all()) == 1
    member = signed_in(make_user(event=event, locale="en"))
    assert member.get("/events/proj/milestones").status_code == 404


def test_a_team_posts_one_note_per_milestone_rendered_safe_and_members_edit_it(db, signed_in):
    _event, team, _other, members, *_rest, past, _ahead = _project(db)
    first = signed_in(members[0])
    body = "**진행** 완료 <script>alert(1)</script> [link](javascript:alert(2))"
    assert _note(first, team, past, body).status_code == 302
    assert _note(signed_in(members[1]), team, past, "수정된 *노트*").status_code == 302
    notes = db.session.scalars(select(CheckIn)).all()
    assert len(notes) == 1
    assert notes[0].body == "수정된 *노트*"
    assert notes[0].author_id == members[1].id
    _note(first, team, past, body)
    html = first.get(f"/events/proj/teams/{team.id}/checkins").get_data(as_text=True)
    shown = html.split("data-note>")[1].split("</div>")[0]
    assert "<strong>진행</strong>" in shown
    assert "<script" not in shown
    assert 'href="javascript' not in shown
    assert "<script>alert" not in html
    empty = _note(first, team, past, "   ")
    assert empty.status_code == 422
    assert db.session.scalar(select(CheckIn.body)) == body


def test_only_the_tracks_mentors_comment(db, signed_in):
    _event, team, other, members, mentor, stranger, boss, past, _ahead = _project(db)
    _note(signed_in(members[0]), team, past, "노트")
    note = db.session.scalar(select(CheckIn))
    url = f"/events/proj/checkins/{note.id}/comments"
    ok = signed_in(mentor).form_post(url, {"body": "좋아요"})
    assert ok.status_code == 302
    for person in (members[1], stranger, boss):
        browser = signed_in(person)
        response = browser.form_post(
            url, {"body": "나도"}, headers={"Referer": "http://localhost/"}
        )
        assert response.status_code in (302, 403, 404)
    db.session.expire_all()
    assert [c.body for c in db.session.scalars(select(CheckInComment))] == ["좋아요"]
    html = (
        signed_in(members[0]).get(f"/events/proj/teams/{team.id}/checkins").get_data(as_text=True)
    )
    assert "좋아요" in html
    assert "멘토" in html
    # A team mentor (TeamMentor) of a team without a company track may comment too.
    from hackathon.teams.services.organizer import add_mentor

    add_mentor(other, stranger.id)
    db.session.commit()
    _note(signed_in(other.members[0].user), other, past, "우리 노트")
    theirs = db.session.scalar(select(CheckIn).where(CheckIn.team_id == other.id))
    assert (
        signed_in(stranger)
        .form_post(f"/events/proj/checkins/{theirs.id}/comments", {"body": "확인"})
        .status_code
        == 302
    )
    assert (
        db.session.scalar(select(CheckInComment.body).where(CheckInComment.checkin_id == theirs.id))
        == "확인"
    )


def test_the_grid_shows_what_is_done_and_what_is_late(db, signed_in):
    _event, team, other, members, mentor, _s, boss, past, ahead = _project(db)
    _note(signed_in(members[0]), team, past, "노트")
    html = signed_in(boss).get("/events/proj/checkins/grid").get_data(as_text=True)
    ours = html.split(f'data-team="{team.id}"')[1].split("</tr>")[0]
    theirs = html.split(f'data-team="{other.id}"')[1].split("</tr>")[0]
    assert f'data-cell="{past.id}" data-state="done"' in ours
    assert f'data-cell="{ahead.id}" data-state="due"' in ours
    assert f'data-cell="{past.id}" data-state="late"' in theirs
    assert '<dd data-count="late">1</dd>' in html
    assert signed_in(members[0]).get("/events/proj/checkins/grid").status_code == 404
    mentor_page = signed_in(mentor).get("/events/proj/checkins/mentor").get_data(as_text=True)
    assert f'data-team="{team.id}"' in mentor_page
    assert f'data-team="{other.id}"' not in mentor_page


def test_checkins_by_person_and_completion_over_the_program(db, signed_in):
    event, team, _other, members, mentor, _s, _b, past, _ahead = _project(db)
    program = Program(slug="prog", name="1기", description="")
    db.session.add(program)
    db.session.flush()
    event.program_id = program.id
    db.session.commit()
    note = checkins.post_note(team, past, members[0], "노트")
    note.posted_at = past.due_at + timedelta(hours=2)  # posted after it was due
    checkins.add_comment(note, mentor, "좋아요")
    db.session.commit()
    found = checkins.checkins_by_person(program)
    assert set(found) == {m.id for m in members}
    entry = found[members[2].id][0]
    assert (entry["event"], entry["milestone"], entry["late"], entry["mentor_commented"]) == (
        "proj",
        "1차",
        True,
        True,
    )
    assert checkins.checkins_by_person(program, [members[0].id]).keys() == {members[0].id}
    assert checkins.completion(program) == {
        "events": [{"slug": "proj", "posted": 1, "expected": 4, "late": 1}],
        "posted": 1,
        "expected": 4,
        "late": 1,
    }
