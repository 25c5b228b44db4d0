"""GET /api/v1/teams/<id>, the team id in GET /api/v1/me, and the OpenAPI description."""

from __future__ import annotations

import pytest

from hackathon.extensions import db
from hackathon.teams.models import TeamMentor
from tests.factories import (
    grant,
    make_assignment,
    make_company,
    make_event,
    make_team,
    make_track,
    make_user,
)


@pytest.fixture
def setup(db):
    event = make_event("api", phase="team_formation", team_min=3, team_max=4)
    company = make_company("Hanbit AI")
    track = make_track(event, "Chatbot", company=company, name_en="Chatbot EN")
    alice, bob = (
        make_user(event=event, name="Alice", locale="en"),
        make_user(event=event, name="Bob", locale="en"),
    )
    team = make_team(event, "Owls", members=[alice, bob], captain=bob, track=track)
    return event, company, team, alice, bob


def test_a_member_reads_the_team(setup, signed_in):
    event, _company, team, alice, bob = setup
    mentor = make_user(event=event, role="mentor", name="Mentor", locale="en")
    db.session.add(TeamMentor(team_id=team.id, user_id=mentor.id))
    db.session.commit()
    body = signed_in(alice).api("GET", f"/api/v1/teams/{team.id}").json
    assert body["name"] == "Owls"
    assert body["event"] == "api"
    assert body["captain"] == {"id": bob.id, "name": "Bob"}
    assert [(m["name"], m["is_captain"]) for m in body["members"]] == [
        ("Alice", False),
        ("Bob", True),
    ]
    assert body["track"] == {
        "id": team.track_id,
        "name": "Chatbot",
        "name_en": "Chatbot EN",
        "company": "Hanbit AI",
    }
    assert body["mentors"] == [{"id": mentor.id, "name": "Mentor"}]
    assert body["size"] == 2
    assert body["under_size"] is True
    assert "invite_code" not in body


def test_who_may_read_a_team(setup, signed_in, client):
    event, company, team, _alice, _bob = setup
    judge = make_user(event=event, role="judge", locale="en")
    make_assignment(judge, team)
    allowed = [
        make_user(event=event, role="mentor", company=company, locale="en"),
        make_user(event=event, role="company_rep", company=company, locale="en"),
        judge,
        make_user(event=event, role="organizer", locale="en"),
        make_user(is_admin=True),
    ]
    refused = [
        make_user(event=event, locale="en"),
        make_user(event=event, role="judge", locale="en"),
        make_user(event=event, role="mentor", company=make_company(), locale="en"),
        make_user(),
    ]
    url = f"/api/v1/teams/{team.id}"
    for user in allowed:
        assert signed_in(user).api("GET", url).status_code == 200
    for user in refused:
        response = signed_in(user).api("GET", url)
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"
    assert client.api("GET", url).status_code == 404
    assert signed_in(allowed[-1]).api("GET", "/api/v1/teams/424242").status_code == 404


def test_me_carries_the_team_id_per_event(setup, signed_in):
    _event, _company, team, alice, _bob = setup
    other = make_event("api-2", phase="team_formation")
    grant(other, alice, "participant")
    events = {e["slug"]: e for e in signed_in(alice).api("GET", "/api/v1/me").json["events"]}
    assert events["api"]["team_id"] == team.id
    assert events["api-2"]["team_id"] is None


def test_the_openapi_document_describes_the_team_endpoint(client, db):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/teams/{team_id}"]["get"]
    assert set(operation["responses"]) >= {"200", "404"}
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    properties = spec["components"]["schemas"][name]["properties"]
    assert {"members", "captain", "track", "mentors"} <= set(properties)


def test_a_draft_events_teams_and_a_former_judge_get_404(db, signed_in):
    from sqlalchemy import delete

    from hackathon.events.models import EventRole

    draft = make_event("api-draft", phase="draft")
    member = make_user(event=draft, locale="en")
    team = make_team(draft, members=[member])
    url = f"/api/v1/teams/{team.id}"
    assert signed_in(member).api("GET", url).status_code == 404  # drafts: organizers only
    organizer = make_user(event=draft, role="organizer", locale="en")
    assert signed_in(organizer).api("GET", url).status_code == 200

    event = make_event("api-open", phase="judging")
    judged = make_team(event, members=[make_user(event=event, locale="en")])
    judge = make_user(event=event, role="judge", locale="en")
    make_assignment(judge, judged)
    client = signed_in(judge)
    assert client.api("GET", f"/api/v1/teams/{judged.id}").status_code == 200
    db.session.execute(delete(EventRole).where(EventRole.user_id == judge.id))
    db.session.commit()
    assert client.api("GET", f"/api/v1/teams/{judged.id}").status_code == 404
