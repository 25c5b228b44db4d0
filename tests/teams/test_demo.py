"""The demo's teams : 33 teams on 11 briefs matched from their
preferences, and an art-data event in the middle of team formation."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from hackathon.events.models import Event
from hackathon.teams import rules
from hackathon.teams.services import finder, formation, preferences


def test_the_demo_teams(app, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    events = {e.slug: e for e in db.session.scalars(select(Event))}

    projects = events["cohort1-company-projects"]
    teams = rules.teams_of(projects, with_members=True)
    tracks = rules.tracks_of(projects)
    assert len(teams) == 33
    assert {len(t.members) for t in teams} <= {4, 5}
    assert sum(len(t.members) for t in teams) == 155
    assert len(tracks) == 11
    assert all(t.capacity == 3 and t.company is not None for t in tracks)
    assert Counter(t.track_id for t in teams) == {t.id: 3 for t in tracks}
    ranked = preferences.ranked_tracks(projects)
    assert all(len(ranked[t.id]) == 5 for t in teams)
    # Matched from the preferences: the stored tracks are the minimum-total-rank plan.
    assert preferences.plan_matching(projects).assignment == {t.id: t.track_id for t in teams}

    art = events["cohort1-art-data"]
    assert rules.formation_open(art)
    open_teams = finder.open_teams(art)
    assert len(open_teams) >= 3
    assert len(finder.seekers(art)) >= 5
    assert any(formation.pending_requests(item.team) for item in open_teams)
