"""The team finder: people looking for a team, teams with open places, filters."""

from __future__ import annotations

import re

import pytest

from hackathon.teams import rules
from hackathon.teams.services import finder
from tests.factories import make_event, make_team, make_user
from tests.helpers import landing, post


@pytest.fixture
def event(db):
    return make_event("find", phase="team_formation", team_min=2, team_max=3)


def _ids(html: str, attribute: str) -> set[int]:
    return {int(i) for i in re.findall(rf'{attribute}="(\d+)"', html)}


def test_a_participant_lists_themself_with_skills_and_can_stop(event, db, signed_in):
    me = make_user(event=event, name="Looking Lee", locale="en")
    client = signed_in(me)
    page = landing(
        client,
        post(client, "/events/find/finder/me", {"skills": "Vision, NLP", "note": "I like maps"}),
    )
    assert "Teams can now see that you are looking for a team." in page
    assert me.id in _ids(page, "data-seeker")
    assert "I like maps" in page
    db.session.expire_all()
    assert db.session.get(type(me), me.id).skill_list == ["vision", "nlp"]
    page = landing(client, post(client, "/events/find/finder/me/stop"))
    assert me.id not in _ids(page, "data-seeker")


def test_filters_by_skill(event, db, signed_in):
    vision = make_user(event=event, skills="vision", locale="en")
    nlp = make_user(event=event, skills="nlp", locale="en")
    for user in (vision, nlp):
        finder.mark_looking(event, user, user.skills)
    wants_vision = make_team(
        event,
        members=[make_user(event=event, locale="en")],
        open_places=1,
        wanted_skills="vision;design",
    )
    wants_nlp = make_team(
        event, members=[make_user(event=event, locale="en")], open_places=2, wanted_skills="nlp"
    )
    db.session.commit()
    client = signed_in(make_user(event=event, locale="en"))
    html = client.get("/events/find/finder").get_data(as_text=True)
    assert _ids(html, "data-seeker") == {vision.id, nlp.id}
    assert _ids(html, "data-team") == {wants_vision.id, wants_nlp.id}
    html = client.get("/events/find/finder?skill=vision").get_data(as_text=True)
    assert _ids(html, "data-seeker") == {vision.id}
    assert _ids(html, "data-team") == {wants_vision.id}
    assert '<option value="design"' in html  # wanted skills are offered as filters


def test_full_or_locked_teams_are_not_offered(event, db):
    open_team = make_team(event, members=[make_user(event=event, locale="en")], open_places=1)
    make_team(event, members=[make_user(event=event, locale="en") for _ in range(3)], open_places=1)
    make_team(event, members=[make_user(event=event, locale="en")], open_places=1, locked=True)
    make_team(event, members=[make_user(event=event, locale="en")], open_places=0)
    assert [item.team.id for item in finder.open_teams(event)] == [open_team.id]


def test_people_in_a_team_or_after_formation_cannot_list_themselves(event, db):
    member = make_user(event=event, locale="en")
    make_team(event, members=[member])
    with pytest.raises(rules.AlreadyInTeam):
        finder.mark_looking(event, member, "vision")
    closed = make_event(phase="submission")
    with pytest.raises(rules.FormationClosed):
        finder.mark_looking(closed, make_user(event=closed, locale="en"), "vision")


def test_only_participants_and_organizers_see_the_finder(event, db, signed_in, client):
    organizer = make_user(event=event, role="organizer", locale="en")
    assert signed_in(organizer).get("/events/find/finder").status_code == 200
    mentor = make_user(event=event, role="mentor", locale="en")
    assert signed_in(mentor).get("/events/find/finder").status_code == 404
    assert client.get("/events/find/finder").status_code == 302
