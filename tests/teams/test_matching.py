"""Matching teams to tracks and forming teams automatically: previews, confirmation, the CLI."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from hackathon.extensions import db
from hackathon.teams import rules
from hackathon.teams.logic import matching
from hackathon.teams.models import Team
from hackathon.teams.services import organizer, preferences
from tests.factories import make_company, make_event, make_team, make_track, make_user
from tests.helpers import audit_actions, landing, post


@pytest.fixture
def event(db):
    return make_event("match", phase="team_formation", team_min=2, team_max=3)


def _ranked_teams(event, tracks, choices):
    """One two-person team per list of track indexes, ranked first choice first."""
    teams = []
    for ranked in choices:
        team = make_team(event, members=[make_user(event=event, locale="en") for _ in range(2)])
        preferences.replace_preferences(team, [tracks[i].id for i in ranked])
        teams.append(team)
    db.session.commit()
    return teams


def _tracks_of(teams):
    db.session.expire_all()
    return [db.session.get(Team, t.id).track_id for t in teams]


def test_minimum_total_rank_with_ties_to_the_lower_team_id(event, db):
    a, b = make_track(event, "A", capacity=1), make_track(event, "B", capacity=2)
    teams = _ranked_teams(event, [a, b], [[0, 1], [0, 1], [1, 0]])
    plan = preferences.plan_matching(event)
    assert plan.mode == "min_rank"
    assert sum(plan.ranks.values()) == 4  # one of the first two must take its 2nd choice
    assert plan.assignment == {teams[0].id: a.id, teams[1].id: b.id, teams[2].id: b.id}
    assert plan.choice_counts == {1: 2, 2: 1}
    assert _tracks_of(teams) == [None, None, None]  # a plan writes nothing


def test_too_little_capacity_is_a_clear_error_not_a_dropped_team(event, db, boss):
    a = make_track(event, "A", capacity=1)
    teams = _ranked_teams(event, [a], [[0], [0], [0]])
    with pytest.raises(preferences.NotEnoughCapacity) as caught:
        preferences.plan_matching(event)
    assert "3 teams but only 1 places on 1 tracks: add 2 places" in str(caught.value.message)
    response = boss.get("/events/match/teams/matching")
    assert response.status_code == 409
    assert "add 2 places or fewer teams" in response.get_data(as_text=True)
    assert _tracks_of(teams) == [None, None, None]


def test_preview_then_confirm_assigns_every_team_and_audits(event, db, boss):
    a, b = make_track(event, "Alpha", capacity=1), make_track(event, "Beta", capacity=1)
    teams = _ranked_teams(event, [a, b], [[1, 0], [1, 0]])
    html = boss.get("/events/match/teams/matching").get_data(as_text=True)
    assert 'data-rank="1"' in html
    assert 'data-rank="2"' in html
    assert _tracks_of(teams) == [None, None]
    form = {f"track_{teams[0].id}": b.id, f"track_{teams[1].id}": a.id, "action": "confirm"}
    page = landing(boss, post(boss, "/events/match/teams/matching", form))
    assert "Tracks are assigned to 2 teams." in page
    assert _tracks_of(teams) == [b.id, a.id]
    assert audit_actions(event) == ["team.track_set", "team.track_set", "teams.matched"]


def test_organizers_adjust_by_hand_before_confirming(event, db, boss):
    a, b = make_track(event, "Alpha", capacity=2), make_track(event, "Beta", capacity=1)
    teams = _ranked_teams(event, [a, b], [[0, 1], [0, 1]])
    swapped = {f"track_{teams[0].id}": b.id, f"track_{teams[1].id}": a.id}
    review = post(boss, "/events/match/teams/matching", {**swapped, "action": "review"})
    html = review.get_data(as_text=True)
    assert '<li data-rank="2">' in html  # the adjusted plan gives one team its 2nd choice
    assert _tracks_of(teams) == [None, None]
    overfull = {f"track_{teams[0].id}": b.id, f"track_{teams[1].id}": b.id}
    html = post(boss, "/events/match/teams/matching", {**overfull, "action": "review"})
    assert "Too many teams on Beta for its capacity." in html.get_data(as_text=True)
    refused = post(
        boss,
        "/events/match/teams/matching",
        {**overfull, "action": "confirm"},
        back="/events/match/teams/matching",
    )
    assert "Too many teams on Beta" in landing(boss, refused)
    assert _tracks_of(teams) == [None, None]
    landing(boss, post(boss, "/events/match/teams/matching", {**swapped, "action": "confirm"}))
    assert _tracks_of(teams) == [b.id, a.id]


def test_a_team_created_after_the_preview_makes_the_confirmation_stale(event, db):
    a = make_track(event, "A", capacity=3)
    teams = _ranked_teams(event, [a], [[0]])
    plan = preferences.plan_matching(event)
    make_team(event, members=[make_user(event=event, locale="en")])
    with pytest.raises(preferences.StaleMatching):
        preferences.apply_matching(event, plan.assignment)
    assert _tracks_of(teams) == [None]


def test_company_rankings_switch_to_the_stable_assignment(event, db, signed_in):
    company = make_company()
    a = make_track(event, "Wanted", capacity=1, company=company)
    b = make_track(event, "Other", capacity=1)
    first, second = _ranked_teams(event, [a, b], [[0, 1], [0, 1]])
    rep = signed_in(make_user(event=event, role="company_rep", company=company, locale="en"))
    page = rep.get("/events/match/company-teams").get_data(as_text=True)
    assert "Wanted" in page
    assert "Other" not in page
    stranger = signed_in(
        make_user(event=event, role="company_rep", company=make_company(), locale="en")
    )
    assert (
        post(stranger, f"/events/match/tracks/{a.id}/ranking", {f"rank_{second.id}": 1}).status_code
        == 404
    )
    landing(
        rep,
        post(
            rep,
            f"/events/match/tracks/{a.id}/ranking",
            {f"rank_{second.id}": "1", f"rank_{first.id}": "2"},
        ),
    )
    plan = preferences.plan_matching(event)
    assert plan.mode == "stable"
    assert plan.assignment == {first.id: b.id, second.id: a.id}
    prefs = {first.id: [a.id, b.id], second.id: [a.id, b.id]}
    result = matching.Matching(plan.assignment, plan.choice_counts, [])
    assert (
        matching.blocking_pairs(result, prefs, {a.id: [second.id, first.id]}, {a.id: 1, b.id: 1})
        == []
    )


def test_autoform_previews_then_creates_balanced_teams(event, db, boss):
    people = [
        make_user(event=event, skills="vision" if i < 2 else "backend", locale="en")
        for i in range(6)
    ]
    make_team(event, "Existing", members=[make_user(event=event, locale="en") for _ in range(2)])
    html = boss.get("/events/match/teams/autoform").get_data(as_text=True)
    assert html.count("data-group=") == 2
    assert db.session.scalar(select(Team.id).where(Team.name != "Existing")) is None
    plan = organizer.plan_autoform(event)
    page = landing(
        boss,
        post(boss, "/events/match/teams/autoform", {"fingerprint": plan.fingerprint, "seed": 0}),
    )
    assert "2 new teams are formed." in page
    new_teams = [rules.team_of(p, event) for p in people]
    assert all(t is not None for t in new_teams)
    sizes = {t.id: len(t.members) for t in new_teams}
    assert sorted(sizes.values()) == [3, 3]
    vision_teams = {rules.team_of(p, event).id for p in people[:2]}
    assert len(vision_teams) == 2  # the two vision people are spread out
    for team in {t.id: t for t in new_teams}.values():
        assert team.captain_id == team.members[0].user_id
    assert audit_actions(event).count("team.created") == 2
    assert audit_actions(event)[-1] == "teams.autoformed"


def test_autoform_refuses_a_stale_preview(event, db, boss):
    for _ in range(4):
        make_user(event=event, locale="en")
    plan = organizer.plan_autoform(event)
    make_user(event=event, locale="en")  # someone registers after the preview
    page = landing(
        boss,
        post(
            boss,
            "/events/match/teams/autoform",
            {"fingerprint": plan.fingerprint},
            back="/events/match/teams/autoform",
        ),
    )
    assert "changed since the preview" in page
    assert db.session.scalar(select(Team.id)) is None


def test_autoform_explains_when_the_bounds_cannot_be_met(db, signed_in):
    event = make_event("bounds", phase="team_formation", team_min=3, team_max=3)
    boss = signed_in(make_user(event=event, role="organizer", locale="en"))
    for _ in range(4):
        make_user(event=event, locale="en")
    response = boss.get("/events/bounds/teams/autoform")
    assert response.status_code == 409
    assert "4 people without a team cannot be split into teams of 3 to 3." in (
        response.get_data(as_text=True)
    )


def test_cli_match_assigns_and_prints_the_choices(event, db, app):
    a, b = make_track(event, "A", capacity=1), make_track(event, "B", capacity=2)
    teams = _ranked_teams(event, [a, b], [[0, 1], [0, 1], [1, 0]])
    result = app.test_cli_runner().invoke(args=["teams", "match", "match"])
    assert result.exit_code == 0, result.output
    assert "2 teams get their choice no. 1" in result.output
    assert "1 team gets its choice no. 2" in result.output
    assert "Tracks are assigned to 3 teams." in result.output
    assert None not in _tracks_of(teams)


def test_cli_match_dry_run_and_errors(event, db, app):
    a = make_track(event, "A", capacity=1)
    teams = _ranked_teams(event, [a], [[0]])
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["teams", "match", "match", "--dry-run"])
    assert "Dry run: nothing was saved." in dry.output
    assert _tracks_of(teams) == [None]
    _ranked_teams(event, [a], [[0]])
    short = runner.invoke(args=["teams", "match", "match"])
    assert short.exit_code != 0
    assert "2 teams but only 1 places" in short.output
    unknown = runner.invoke(args=["teams", "match", "nope"])
    assert unknown.exit_code != 0
    assert "No event has the address “nope”." in unknown.output


def test_cli_autoform_places_everyone_and_previews_on_request(event, db, app):
    people = [make_user(event=event, locale="en") for _ in range(5)]
    runner = app.test_cli_runner()
    preview = runner.invoke(args=["teams", "autoform", "match", "--dry-run"])
    assert preview.exit_code == 0, preview.output
    assert "5 participants without a team would form 2 new teams of 2 to 3." in preview.output
    assert "run again without --dry-run" in preview.output
    assert db.session.scalar(select(Team.id)) is None
    applied = runner.invoke(args=["teams", "autoform", "match"])
    assert "2 new teams are formed." in applied.output
    assert all(rules.team_of(p, event) is not None for p in people)


def test_the_cli_speaks_the_terminal_language(event, db, app):
    a, b = make_track(event, "A", capacity=1), make_track(event, "B", capacity=2)
    _ranked_teams(event, [a, b], [[0, 1], [0, 1], [1, 0]])
    for _ in range(4):
        make_user(event=event, locale="en")
    runner = app.test_cli_runner()
    with force_locale("ko"):
        matched = runner.invoke(args=["teams", "match", "match"])
        formed = runner.invoke(args=["teams", "autoform", "match"])
        unknown = runner.invoke(args=["teams", "match", "nope"])
    assert "2팀이 1지망 트랙에 배정됨" in matched.output
    assert "새 팀 2개를 구성했습니다." in formed.output
    assert {t.name for t in rules.teams_of(event)} >= {"팀 1", "팀 2"}
    assert "주소가 “nope”인 행사가 없습니다." in unknown.output
