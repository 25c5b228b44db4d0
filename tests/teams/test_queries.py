"""The team pages cost the same number of queries for 6 teams as for the cohort's 33: no
query per team, member or track."""

from __future__ import annotations

from sqlalchemy import select

from hackathon.extensions import db
from hackathon.teams.models import Seeker, Team, TeamMentor
from hackathon.teams.services import preferences
from tests.factories import make_company, make_event, make_team, make_track, make_user
from tests.helpers import statements

PAGES = {
    "organizer": (
        "/events/big/teams",
        "/events/big/teams/board",
        "/events/big/tracks",
        "/events/big/teams/matching",
        "/events/big/company-teams",
        "/events/big/finder",
        "/events/big/teams.csv",
    ),
    "mentor": ("/events/big/company-teams",),
    "participant": ("/events/big/teams", "/events/big/finder"),
}


def _add_teams(event, tracks, count: int, start: int) -> None:
    """Teams of 4-5 with ranked tracks, 3 to a track, a few with open places."""
    for i in range(start, start + count):
        members = [
            make_user(event=event, skills="vision;nlp", locale="en")
            for _ in range(5 if i % 3 else 4)
        ]
        team = make_team(
            event,
            members=members,
            track=tracks[i // 3],
            open_places=1 if i % 3 == 0 else 0,
            wanted_skills="nlp",
        )
        preferences.replace_preferences(team, [tracks[(i + k) % len(tracks)].id for k in range(3)])
        preferences.set_company_ranking(
            tracks[i // 3], make_user(event=event, role="organizer", locale="en"), [team.id]
        )
        seeker = make_user(event=event, skills="backend", locale="en")
        db.session.add(Seeker(event_id=event.id, user_id=seeker.id))
    db.session.commit()


def _costs(clients) -> dict[tuple[str, str], int]:
    costs = {}
    for who, client in clients.items():
        for url in PAGES[who]:
            with statements(db) as seen:
                response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            costs[(who, url)] = len(seen)
    return costs


def test_team_pages_do_not_query_per_team(db, signed_in):
    event = make_event("big", phase="team_formation", team_min=4, team_max=5)
    companies = [make_company() for _ in range(11)]
    tracks = [make_track(event, company=c, capacity=3) for c in companies]
    _add_teams(event, tracks, 6, 0)
    mentor = make_user(event=event, role="mentor", company=companies[0], locale="en")
    first_team = db.session.scalar(select(Team).order_by(Team.id))
    db.session.add(TeamMentor(team_id=first_team.id, user_id=mentor.id))
    db.session.commit()
    clients = {
        "organizer": signed_in(make_user(event=event, role="organizer", locale="en")),
        "mentor": signed_in(mentor),
        "participant": signed_in(make_user(event=event, locale="en")),
    }
    small = _costs(clients)
    _add_teams(event, tracks, 33 - 6, 6)
    large = _costs(clients)
    assert large == small
    assert max(large.values()) <= 20, large
