"""Organizers: the board, moving people, locks, tracks, captains and mentors, all audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hackathon.teams import rules
from hackathon.teams.models import Team, TeamMentor, Track
from hackathon.teams.services import formation, organizer
from tests.factories import make_company, make_event, make_team, make_track, make_user
from tests.helpers import audit_actions, landing, post


@pytest.fixture
def event(db):
    return make_event("org", phase="team_formation", team_min=2, team_max=3)


ORGANIZER_PAGES = (
    "/events/org/teams/board",
    "/events/org/teams/matching",
    "/events/org/teams/autoform",
    "/events/org/tracks/new",
    "/events/org/teams.csv",
)


def _count(html: str, name: str) -> int:
    match = re.search(rf'data-count="{name}">(\d+)<', html)
    assert match, name
    return int(match.group(1))


def test_the_board_counts_teams_people_and_places(event, db, boss):
    track = make_track(event, "Vision", capacity=2)
    make_team(
        event, "Full", members=[make_user(event=event, locale="en") for _ in range(2)], track=track
    )
    make_team(event, "Small", members=[make_user(event=event, locale="en")])
    waiting = make_user(event=event, name="Waiting Person", locale="en")
    html = boss.get("/events/org/teams/board").get_data(as_text=True)
    assert _count(html, "teams") == 2
    assert _count(html, "members") == 3
    assert _count(html, "without-team") == 1
    assert _count(html, "under-size") == 1
    assert _count(html, "without-track") == 1
    assert waiting.name in html
    row = re.search(rf'<tr data-track="{track.id}">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "2", "1"]  # teams, capacity, left


def test_participants_and_mentors_do_not_see_the_board(event, db, signed_in):
    for role in ("participant", "mentor", "judge"):
        client = signed_in(make_user(event=event, role=role, locale="en"))
        for url in ORGANIZER_PAGES:
            assert client.get(url).status_code == 404, (role, url)


def test_moving_people_respects_the_maximum_and_is_audited(db):
    event = make_event("locked-org", phase="judging", team_max=2)
    alice, bob, carol = (make_user(event=event, locale="en") for _ in range(3))
    one = make_team(event, "One", members=[alice, bob])
    two = make_team(event, "Two", members=[carol])
    organizer.move_member(event, alice.id, two.id)  # after the lock: organizers still can
    assert rules.team_of(alice, event).id == two.id
    assert one.captain_id == bob.id
    with pytest.raises(rules.TeamFull):
        organizer.move_member(event, bob.id, two.id)
    organizer.move_member(event, bob.id, None)
    db.session.commit()
    assert db.session.get(Team, one.id) is None  # left empty, so gone
    assert audit_actions(event) == [
        "team.member_removed",
        "team.member_added",
        "team.member_removed",
    ]


def test_the_move_form_reports_what_happened(event, db, boss):
    alice = make_user(event=event, name="Alice", locale="en")
    team = make_team(event, "Target", members=[make_user(event=event, locale="en")])
    page = landing(
        boss, post(boss, "/events/org/teams/move", {"user_id": alice.id, "team_id": team.id})
    )
    assert "The person is now in “Target”." in page
    full = make_team(event, "Full", members=[make_user(event=event, locale="en") for _ in range(3)])
    page = landing(
        boss,
        post(
            boss,
            "/events/org/teams/move",
            {"user_id": alice.id, "team_id": full.id},
            back="/events/org/teams/board",
        ),
    )
    assert "This team is full." in page
    assert rules.team_of(alice, event).id == team.id


def test_lock_and_unlock_override_the_schedule(event, db, boss):
    alice = make_user(event=event, locale="en")
    team = make_team(event, members=[alice])
    landing(boss, post(boss, f"/events/org/teams/{team.id}/lock", {"state": "locked"}))
    db.session.expire_all()
    assert rules.is_locked(db.session.get(Team, team.id))
    with pytest.raises(rules.TeamLocked):
        formation.join_by_code(event, make_user(event=event, locale="en"), team.invite_code)
    landing(boss, post(boss, f"/events/org/teams/{team.id}/lock", {"state": "schedule"}))
    db.session.expire_all()
    assert db.session.get(Team, team.id).locked is None
    assert audit_actions(event) == ["team.lock_set", "team.lock_set"]


def test_setting_a_track_respects_its_capacity(event, db, boss):
    track = make_track(event, "Tiny", capacity=1)
    first = make_team(event, members=[make_user(event=event, locale="en")])
    second = make_team(event, members=[make_user(event=event, locale="en")])
    landing(boss, post(boss, f"/events/org/teams/{first.id}/track", {"track_id": track.id}))
    page = landing(
        boss,
        post(
            boss,
            f"/events/org/teams/{second.id}/track",
            {"track_id": track.id},
            back="/events/org/teams/board",
        ),
    )
    assert "That track has no place left." in page
    db.session.expire_all()
    assert db.session.get(Team, first.id).track_id == track.id
    assert db.session.get(Team, second.id).track_id is None
    assert audit_actions(event) == ["team.track_set"]


def test_organizers_name_captains_rename_and_remove_at_any_phase(db, signed_in):
    event = make_event("late", phase="results")
    boss = signed_in(make_user(event=event, role="organizer", locale="en"))
    alice, bob = (make_user(event=event, locale="en") for _ in range(2))
    team = make_team(event, "Old", members=[alice, bob])
    base = f"/events/late/teams/{team.id}"
    landing(boss, post(boss, f"{base}/captain", {"user_id": bob.id}))
    landing(boss, post(boss, f"{base}/rename", {"name": "New"}))
    landing(boss, post(boss, f"{base}/members/{alice.id}/remove"))
    db.session.expire_all()
    team = db.session.get(Team, team.id)
    assert (team.name, team.captain_id, [m.user_id for m in team.members]) == (
        "New",
        bob.id,
        [bob.id],
    )
    assert audit_actions(event) == ["team.captain_set", "team.renamed", "team.member_removed"]


def test_mentors_are_added_and_removed(event, db, boss, signed_in):
    mentor = make_user(event=event, role="mentor", name="Mentor Kim", locale="en")
    team = make_team(event, members=[make_user(event=event, locale="en")])
    url = f"/events/org/teams/{team.id}/mentors"
    assert signed_in(mentor).get(f"/events/org/teams/{team.id}").status_code == 404
    page = landing(boss, post(boss, url, {"user_id": mentor.id}))
    assert "Mentor Kim now mentors the team." in page
    assert signed_in(mentor).get(f"/events/org/teams/{team.id}").status_code == 200
    not_a_mentor = make_user(event=event, locale="en")
    assert post(boss, url, {"user_id": not_a_mentor.id}).status_code == 404
    landing(boss, post(boss, url, {"user_id": mentor.id, "action": "remove"}))
    assert db.session.scalar(select(TeamMentor.id)) is None
    assert audit_actions(event) == ["team.mentor_added", "team.mentor_removed"]


def test_tracks_are_added_edited_and_deleted(event, db, boss):
    company = make_company("Hanbit AI")
    form = {
        "name": "금융 챗봇",
        "name_en": "Finance bot",
        "company_id": company.id,
        "capacity": 2,
        "description": "설명",
    }
    page = landing(boss, post(boss, "/events/org/tracks/new", form))
    assert "The track is saved." in page
    assert "Finance bot" in page
    assert "Hanbit AI" in page
    track = db.session.scalar(select(Track))
    again = post(boss, "/events/org/tracks/new", {**form, "name_en": ""})
    assert again.status_code == 200
    assert "Another track in this event already has this name." in again.get_data(as_text=True)

    make_team(event, members=[make_user(event=event, locale="en")], track=track)
    make_team(event, members=[make_user(event=event, locale="en")], track=track)
    lower = post(boss, f"/events/org/tracks/{track.id}/edit", {**form, "capacity": 1})
    assert "2 teams are on this track already" in lower.get_data(as_text=True)
    page = landing(
        boss, post(boss, f"/events/org/tracks/{track.id}/delete", back="/events/org/tracks")
    )
    assert "Teams are on this track." in page
    db.session.expire_all()
    assert db.session.get(Track, track.id).capacity == 2
    assert audit_actions(event) == ["track.created"]


def test_the_teams_csv_download_lists_members(event, db, boss):
    alice = make_user(event=event, email="alice@example.test", locale="en")
    make_team(event, "Solo", members=[alice])
    response = boss.get("/events/org/teams.csv")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines == [
        "team,track,captain_email,members",
        "Solo,,alice@example.test,alice@example.test",
    ]


def test_a_lock_or_track_form_with_a_missing_or_odd_value_changes_nothing(event, db, boss):
    track = make_track(event, "Kept")
    team = make_team(event, members=[make_user(event=event, locale="en")], track=track, locked=True)
    for data in ({}, {"state": "open"}):
        assert post(boss, f"/events/org/teams/{team.id}/lock", data).status_code == 400
    for data in ({}, {"track_id": "abc"}):
        assert post(boss, f"/events/org/teams/{team.id}/track", data).status_code == 400
    db.session.expire_all()
    team = db.session.get(Team, team.id)
    assert (team.locked, team.track_id) == (True, track.id)
    assert audit_actions(event) == []
