"""Participants' pages: forming a team in the browser's terms, and who sees what."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hackathon.db import utcnow
from hackathon.teams import rules
from hackathon.teams.models import Team
from tests.factories import (
    make_assignment,
    make_company,
    make_event,
    make_team,
    make_track,
    make_user,
)
from tests.helpers import landing, post


@pytest.fixture
def event(db):
    return make_event("hack", phase="team_formation", team_min=2, team_max=3)


def test_my_team_offers_create_and_join_with_the_lock_time_in_the_event_zone(event, db, signed_in):
    lock = (utcnow() + timedelta(days=2)).replace(minute=37, second=0, microsecond=0)
    event.teams_lock_at = lock
    event.submissions_open_at = lock
    db.session.commit()
    client = signed_in(make_user(event=event, locale="en"))
    html = client.get("/events/hack/my-team").get_data(as_text=True)
    assert 'name="name"' in html
    assert 'name="code"' in html
    assert '<label for="name">Team name</label>' in html
    seoul = lock.astimezone(ZoneInfo("Asia/Seoul"))
    assert f"{seoul.hour % 12 or 12}:37" in html


def test_create_then_join_with_the_code_from_another_browser(event, db, signed_in):
    alice, bob = (
        make_user(event=event, name="Alice", locale="en"),
        make_user(event=event, name="Bob", locale="en"),
    )
    first = signed_in(alice)
    page = landing(first, post(first, "/events/hack/teams/new", {"name": "Night Owls"}))
    assert "Night Owls" in page
    assert "Captain" in page
    team = db.session.scalar(select(Team).where(Team.name == "Night Owls"))
    assert team.invite_code in page

    second = signed_in(bob)
    page = landing(second, post(second, "/events/hack/teams/join", {"code": team.invite_code}))
    assert "You joined “Night Owls”." in page
    assert "Alice" in page
    assert "Bob" in page


def test_an_empty_name_is_shown_next_to_the_field(event, db, signed_in):
    client = signed_in(make_user(event=event, locale="en"))
    response = post(client, "/events/hack/teams/new", {"name": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    assert 'id="name-error"' in html
    assert db.session.scalar(select(Team.id)) is None


def test_refusals_are_explained(event, db, signed_in):
    make_team(event, "Taken", members=[make_user(event=event, locale="en")])
    full = make_team(event, "Full", members=[make_user(event=event, locale="en") for _ in range(3)])
    client = signed_in(make_user(event=event, locale="en"))
    page = landing(
        client,
        post(client, "/events/hack/teams/new", {"name": "taken"}, back="/events/hack/my-team"),
    )
    assert "Another team in this event already has this name." in page
    page = landing(
        client,
        post(
            client, "/events/hack/teams/join", {"code": "WRONGCODE12"}, back="/events/hack/my-team"
        ),
    )
    assert "No team in this event has that invite code." in page
    page = landing(
        client,
        post(
            client,
            "/events/hack/teams/join",
            {"code": full.invite_code},
            back="/events/hack/my-team",
        ),
    )
    assert "This team is full." in page


def test_after_the_lock_the_page_says_so_and_refuses(db, signed_in):
    event = make_event("locked", phase="submission")
    alice = make_user(event=event, locale="en")
    team = make_team(event, members=[alice, make_user(event=event, locale="en")])
    client = signed_in(alice)
    html = client.get(f"/events/locked/teams/{team.id}").get_data(as_text=True)
    assert "only the organizers can change it" in html
    assert "Leave the team" not in html
    page = landing(
        client,
        post(
            client, f"/events/locked/teams/{team.id}/leave", back=f"/events/locked/teams/{team.id}"
        ),
    )
    assert "Teams are locked" in page
    assert rules.team_of(alice, event) is not None

    newcomer = signed_in(make_user(event=event, locale="en"))
    assert "only be formed while team formation is open" in newcomer.get(
        "/events/locked/my-team"
    ).get_data(as_text=True)


def test_a_team_page_is_404_for_those_who_may_not_see_it(event, db, signed_in, client):
    company, other_company = make_company(), make_company()
    track = make_track(event, company=company)
    team = make_team(event, members=[make_user(event=event, locale="en")], track=track)
    url = f"/events/hack/teams/{team.id}"
    outsiders = [
        make_user(event=event, locale="en"),  # another participant
        make_user(event=event, role="mentor", company=other_company, locale="en"),
        make_user(event=event, role="judge", locale="en"),  # not assigned to this team
        make_user(),
    ]
    for user in outsiders:
        assert signed_in(user).get(url).status_code == 404
    assert client.get(url).status_code == 302  # anonymous: sign in first
    insiders = [
        make_user(event=event, role="mentor", company=company, locale="en"),
        make_user(event=event, role="company_rep", company=company, locale="en"),
        make_user(event=event, role="organizer", locale="en"),
        make_user(is_admin=True),
    ]
    for user in insiders:
        assert signed_in(user).get(url).status_code == 200
    assert signed_in(user).get("/events/hack/teams/99999").status_code == 404


def test_an_assigned_judge_and_a_team_mentor_see_the_team(event, db, signed_in):
    from hackathon.teams.models import TeamMentor

    team = make_team(event, members=[make_user(event=event, locale="en")])
    judge, mentor = (
        make_user(event=event, role="judge", locale="en"),
        make_user(event=event, role="mentor", locale="en"),
    )
    make_assignment(judge, team)
    db.session.add(TeamMentor(team_id=team.id, user_id=mentor.id))
    db.session.commit()
    for user in (judge, mentor):
        html = signed_in(user).get(f"/events/hack/teams/{team.id}").get_data(as_text=True)
        assert team.name in html
        assert team.invite_code not in html  # the code is for members and organizers


def test_a_participant_cannot_act_on_another_team(event, db, signed_in):
    victim_captain, victim = (make_user(event=event, locale="en") for _ in range(2))
    team = make_team(event, "Theirs", members=[victim_captain, victim])
    code = team.invite_code
    request = post(
        signed_in(make_user(event=event, locale="en")), f"/events/hack/teams/{team.id}/requests"
    )
    assert request.status_code == 302
    pending = db.session.scalars(select(rules.JoinRequest)).one()
    client = signed_in(make_user(event=event, locale="en"))
    base = f"/events/hack/teams/{team.id}"
    for url, data in [
        (f"{base}/rename", {"name": "Mine"}),
        (f"{base}/code", {}),
        (f"{base}/leave", {}),
        (f"{base}/captain", {"user_id": victim.id}),
        (f"{base}/members/{victim.id}/remove", {}),
        (f"{base}/open-places", {"open_places": 1}),
        (f"{base}/requests/{pending.id}/accept", {}),
        (f"{base}/preferences", {}),
    ]:
        assert post(client, url, data).status_code == 404, url
    db.session.expire_all()
    team = db.session.get(Team, team.id)
    assert (team.name, team.invite_code, team.captain_id) == ("Theirs", code, victim_captain.id)
    assert len(team.members) == 2


def test_a_member_who_is_not_captain_is_told_so(event, db, signed_in):
    team = make_team(
        event,
        "Ours",
        members=[make_user(event=event, locale="en"), (bob := make_user(event=event, locale="en"))],
    )
    client = signed_in(bob)
    page = landing(
        client,
        post(
            client,
            f"/events/hack/teams/{team.id}/rename",
            {"name": "Bob's"},
            back=f"/events/hack/teams/{team.id}",
        ),
    )
    assert "Only the team&#39;s captain can do that." in page
    assert "Make captain" not in page


def test_the_captain_manages_the_team_from_its_page(event, db, signed_in):
    alice, bob, carol = (
        make_user(event=event, locale="en"),
        make_user(event=event, name="Bob", locale="en"),
        make_user(event=event, name="Carol", locale="en"),
    )
    team = make_team(event, "Ours", members=[alice, bob, carol])
    client = signed_in(alice)
    base = f"/events/hack/teams/{team.id}"
    old_code = team.invite_code
    assert "A new invite code" in landing(client, post(client, f"{base}/code", back=base))
    page = landing(client, post(client, f"{base}/members/{carol.id}/remove", back=base))
    assert "Carol is no longer in the team." in page
    page = landing(client, post(client, f"{base}/rename", {"name": "Renamed"}, back=base))
    assert "The team is now called “Renamed”." in page
    page = landing(client, post(client, f"{base}/captain", {"user_id": bob.id}, back=base))
    assert "Bob is now the captain." in page
    db.session.expire_all()
    team = db.session.get(Team, team.id)
    assert team.invite_code != old_code
    assert team.captain_id == bob.id
    assert rules.team_of(carol, event) is None


def test_leaving_the_last_place_removes_the_team(event, db, signed_in):
    alice = make_user(event=event, locale="en")
    team = make_team(event, "Lonely", members=[alice])
    client = signed_in(alice)
    page = landing(client, post(client, f"/events/hack/teams/{team.id}/leave"))
    assert "It had no other members, so it is gone." in page
    assert db.session.scalar(select(Team.id)) is None


def test_requests_from_the_directory_reach_the_captain(event, db, signed_in):
    alice = make_user(event=event, locale="en")
    team = make_team(event, "Open", members=[alice], open_places=2, wanted_skills="nlp")
    bob = make_user(event=event, name="Bob", locale="en")
    seeker = signed_in(bob)
    directory = seeker.get("/events/hack/teams").get_data(as_text=True)
    assert "Open" in directory
    assert "Ask to join" in directory
    page = landing(
        seeker, post(seeker, f"/events/hack/teams/{team.id}/requests", {"message": "I know NLP"})
    )
    assert "Your request to join “Open” is sent to its captain." in page
    assert "Withdraw" in page

    captain = signed_in(alice)
    page = captain.get(f"/events/hack/teams/{team.id}").get_data(as_text=True)
    assert "Bob" in page
    assert "I know NLP" in page
    request = db.session.scalars(select(rules.JoinRequest)).one()
    page = landing(
        captain, post(captain, f"/events/hack/teams/{team.id}/requests/{request.id}/accept")
    )
    assert "Bob joined the team." in page
    assert rules.team_of(bob, event).id == team.id


def test_the_captain_ranks_the_tracks(event, db, signed_in):
    event.preferences_to_rank = 2
    tracks = [make_track(event, f"Track {i}") for i in range(3)]
    alice = make_user(event=event, locale="en")
    team = make_team(event, members=[alice, (bob := make_user(event=event, locale="en"))])
    client = signed_in(alice)
    url = f"/events/hack/teams/{team.id}/preferences"
    html = client.get(url).get_data(as_text=True)
    assert "Choice 1" in html
    assert "Choice 2" in html
    assert "Choice 3" not in html
    page = landing(client, post(client, url, {"choice_1": tracks[2].id, "choice_2": tracks[0].id}))
    assert "Your track preferences are saved." in page
    assert page.index("Track 2") < page.index("Track 0")
    refused = post(client, url, {"choice_1": tracks[1].id, "choice_2": tracks[1].id}, back=url)
    assert "Choose each track only once." in landing(client, refused)
    member = signed_in(bob)
    read_only = member.get(url).get_data(as_text=True)
    assert "Only the team's captain can change the ranking" in read_only
    assert 'name="choice_1"' not in read_only
    assert "Only the team&#39;s captain" in landing(
        member, post(member, url, {"choice_1": tracks[1].id, "choice_2": tracks[0].id}, back=url)
    )


def test_the_event_page_shows_each_person_their_team_section(event, db, signed_in, client):
    alice = make_user(event=event, locale="en")
    team = make_team(event, "Shown", members=[alice])
    in_team = signed_in(alice).get("/events/hack").get_data(as_text=True)
    assert f'data-my-team="{team.id}"' in in_team
    newcomer = (
        signed_in(make_user(event=event, locale="en")).get("/events/hack").get_data(as_text=True)
    )
    assert "Create or join a team" in newcomer
    assert "Team finder" in newcomer
    organizer = (
        signed_in(make_user(event=event, role="organizer", locale="en"))
        .get("/events/hack")
        .get_data(as_text=True)
    )
    assert "Team board" in organizer
    mentor = signed_in(make_user(event=event, role="mentor", company=make_company(), locale="en"))
    assert "Teams on my company's tracks" in mentor.get("/events/hack").get_data(as_text=True)
    anonymous = client.get("/events/hack", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Create or join a team" not in anonymous
    assert "All teams" in anonymous


def test_pages_render_in_korean_and_fit_a_phone(event, db, signed_in):
    user = make_user(event=event, locale="ko")
    team = make_team(event, members=[user])
    client = signed_in(user)
    for url in (f"/events/hack/teams/{team.id}", "/events/hack/teams", "/events/hack/finder"):
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="ko">' in html
        assert 'name="viewport"' in html


def test_guessing_invite_codes_is_rate_limited_per_person(event, db, signed_in, monkeypatch, app):
    monkeypatch.setitem(app.config, "TEAM_JOIN_LIMIT", "3 per minute")
    team = make_team(event, "Guarded", members=[make_user(event=event, locale="en")])
    guesser = make_user(event=event, locale="en")
    client = signed_in(guesser)
    for guess in ("AAAAAAAAAAAA", "BBBBBBBBBBBB", "CCCCCCCCCCCC"):
        refused = post(client, "/events/hack/teams/join", {"code": guess}, back="/events/hack")
        assert refused.status_code == 302
    blocked = post(client, "/events/hack/teams/join", {"code": team.invite_code})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert rules.team_of(guesser, event) is None

    # Someone else on the same address (one classroom's network) is not held up, and
    # joining with the right code does not use up the allowance.
    bob = make_user(event=event, locale="en")
    other = signed_in(bob)
    base = f"/events/hack/teams/{team.id}"
    for _ in range(4):
        joined = post(other, "/events/hack/teams/join", {"code": team.invite_code})
        assert joined.headers["Location"].endswith(base)
        post(other, f"{base}/leave", back=base)
    assert rules.team_of(bob, event) is None
