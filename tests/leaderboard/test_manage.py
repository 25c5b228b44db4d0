"""Organizers move the board through its states and give awards; all of it recorded."""

from __future__ import annotations

from sqlalchemy import select

from hackathon.audit import AuditEntry
from hackathon.leaderboard.models import Award, Leaderboard, Snapshot
from hackathon.leaderboard.services import board as services
from tests.factories import make_assignment, make_event, make_team, make_user

MANAGE = "/events/hack/leaderboard/manage"
STATE = "/events/hack/leaderboard/state"


def audit_actions(db, event_id):
    return [
        (e.action, e.details)
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.event_id == event_id).order_by(AuditEntry.id)
        )
    ]


def board(db, event_id) -> Leaderboard:
    db.session.expire_all()
    return db.session.scalar(select(Leaderboard).where(Leaderboard.event_id == event_id))


def test_only_organizers_reach_the_controls(client, scored, login):
    assert client.get(MANAGE).status_code == 302  # to the sign-in page
    login(scored.member)
    assert client.get(MANAGE).status_code == 404
    assert client.form_post(STATE, {"state": "live"}).status_code == 404
    assert client.form_post("/events/hack/awards", {"name": "x"}).status_code == 404


def test_states_snapshots_and_their_record(db, organizer_client, scored):
    page = organizer_client.get(MANAGE)
    assert page.status_code == 200
    for state in ("live", "frozen", "published"):
        response = organizer_client.form_post(STATE, {"state": state})
        assert response.status_code == 302
        assert board(db, scored.event.id).state == state
    snaps = db.session.scalars(select(Snapshot).order_by(Snapshot.version)).all()
    assert [(s.version, s.reason, s.mode) for s in snaps] == [
        (1, "freeze", "zscore"),
        (2, "publish", "zscore"),
    ]
    assert board(db, scored.event.id).snapshot_id == snaps[1].id
    changes = [d for a, d in audit_actions(db, scored.event.id) if a == "leaderboard.state"]
    assert [(d["old"], d["new"], d["snapshot"]) for d in changes] == [
        ("hidden", "live", None),
        ("live", "frozen", 1),
        ("frozen", "published", 2),
    ]
    entries = db.session.scalars(select(AuditEntry)).all()
    assert all(e.actor_id == scored.organizer.id for e in entries)
    page = organizer_client.get(MANAGE).get_data(as_text=True)
    assert 'data-state-action="hidden"' in page
    assert 'data-state-action="published"' not in page


def test_same_state_and_bad_state_change_nothing(db, organizer_client, scored):
    organizer_client.form_post(STATE, {"state": "live"})
    revision = board(db, scored.event.id).revision
    response = organizer_client.form_post(STATE, {"state": "live"})
    assert response.status_code == 302
    assert organizer_client.form_post(STATE, {"state": "public"}).status_code == 400
    assert board(db, scored.event.id).revision == revision


def test_every_state_change_bumps_the_revision(db, scored, set_state):
    revisions = []
    for state in ("live", "frozen", "live", "hidden", "published"):
        revisions.append(set_state(state).revision)
    assert revisions == sorted(set(revisions))


def test_scores_changed_bumps_or_creates_the_board(db, scored):
    services.scores_changed(scored.event.id)
    db.session.commit()
    first = board(db, scored.event.id).revision
    services.scores_changed(scored.event.id)
    db.session.commit()
    assert board(db, scored.event.id).revision == first + 1


def test_awards_are_named_given_ordered_and_recorded(db, organizer_client, scored):
    teams = scored.teams
    for name, team in [("대상", teams["A"]), ("우수상", teams["C"]), ("기업상", teams["B"])]:
        response = organizer_client.form_post(
            "/events/hack/awards",
            {"name": name, "name_en": "", "team_id": team.id, "company_id": 0},
        )
        assert response.status_code == 302
    awards = services.awards(scored.event.id)
    assert [(a.name, a.team_id, a.position) for a in awards] == [
        ("대상", teams["A"].id, 1),
        ("우수상", teams["C"].id, 2),
        ("기업상", teams["B"].id, 3),
    ]
    third = awards[2]
    organizer_client.form_post(f"/events/hack/awards/{third.id}/move", {"step": -1})
    assert [a.name for a in services.awards(scored.event.id)] == ["대상", "기업상", "우수상"]
    organizer_client.form_post(
        f"/events/hack/awards/{third.id}",
        {"name": "기업상", "name_en": "Company prize", "team_id": teams["D"].id, "company_id": 0},
    )
    db.session.expire_all()
    assert (third.name_en, third.team_id) == ("Company prize", teams["D"].id)
    organizer_client.form_post(f"/events/hack/awards/{awards[1].id}/delete")
    assert [a.name for a in services.awards(scored.event.id)] == ["대상", "기업상"]
    actions = [a for a, _ in audit_actions(db, scored.event.id) if a.startswith("award.")]
    assert actions == ["award.create"] * 3 + ["award.move", "award.update", "award.delete"]


def test_an_award_for_another_events_team_is_refused(db, organizer_client, scored):
    other = make_event("other")
    stranger = make_team(other, "남의 팀")
    response = organizer_client.form_post(
        "/events/hack/awards", {"name": "대상", "team_id": stranger.id, "company_id": 0}
    )
    assert response.status_code == 302
    assert db.session.scalars(select(Award)).all() == []
    assert (
        organizer_client.form_post(
            "/events/hack/awards", {"name": "", "team_id": 0, "company_id": 0}
        ).status_code
        == 302
    )
    assert db.session.scalars(select(Award)).all() == []


def test_robustness_warns_when_the_top_differs(db, scored):
    """Raw mode, three judges: P gets 10, 10, 1 (mean 70, median 100) and Q 8, 8, 8
    (mean 77.8, median 77.8): the mean puts Q first, the median P."""
    idea, tech = scored.criteria
    p, q = make_team(scored.event, "P"), make_team(scored.event, "Q")
    for i, (vp, vq) in enumerate([(10, 8), (10, 8), (1, 8)]):
        judge = make_user(f"strict{i}@example.test")
        for team, value in ((p, vp), (q, vq)):
            make_assignment(
                judge,
                team,
                scores={idea: value, tech: round((value - 1) * 5 / 9)},
                status="submitted",
            )
    checks = services.robustness(scored.event, "raw", rounds=50)
    assert checks["top_differs"] is True
    assert checks["median"][p.id] < checks["median"][q.id]
    assert all(lo <= hi for lo, hi in checks["intervals"].values())


def test_manage_page_shows_checks_snapshots_and_awards(organizer_client, scored, set_state):
    set_state("frozen")
    page = organizer_client.get(MANAGE + "?mode=raw").get_data(as_text=True)
    assert "?snapshot=1" in page
    assert scored.teams["A"].name in page
    assert organizer_client.get(MANAGE + "?mode=nope").status_code == 404
    snap = organizer_client.get("/events/hack/leaderboard?snapshot=1")
    assert snap.status_code == 200
    assert organizer_client.get("/events/hack/leaderboard?snapshot=7").status_code == 404


def test_scores_that_no_longer_fit_the_rubric_are_a_clear_error(
    db, client, organizer_client, scored, set_state
):
    set_state("live")
    idea, _tech = scored.criteria
    idea.max_score = 5  # narrowed after judges gave up to 9
    db.session.commit()
    response = client.get("/api/v1/events/hack/leaderboard")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "scores_do_not_fit"
    page = organizer_client.get(MANAGE, headers={"Accept-Language": "en"})
    assert page.status_code == 409  # a page saying why, not a redirect to itself
    assert "rubric" in page.get_data(as_text=True)
    assert client.get("/events/hack/leaderboard").status_code == 409


def test_scores_that_do_not_fit_show_no_judge_or_score_to_the_public(db, client, scored, set_state):
    set_state("live")
    idea, _tech = scored.criteria
    idea.max_score = 5
    db.session.commit()
    body = client.get("/api/v1/events/hack/leaderboard").get_data(as_text=True)
    assert "scores_do_not_fit" in body
    assert "judge" not in body
    assert "Score(" not in body


def test_a_refused_form_never_sends_the_organizer_to_another_site(db, organizer_client, scored):
    stranger = make_team(make_event("other"), "남의 팀")
    evil = {"Referer": "https://evil.test/phish"}
    response = organizer_client.form_post(
        "/events/hack/awards",
        {"name": "대상", "team_id": stranger.id, "company_id": 0},
        headers=evil,
    )
    assert response.status_code == 302
    assert "evil.test" not in response.headers["Location"]
    response = organizer_client.get("/events/hack/leaderboard?source=current&mode=x", headers=evil)
    assert "evil.test" not in response.headers.get("Location", "")


def test_snapshot_modes_are_named_in_the_readers_language(db, organizer_client, scored, set_state):
    scored.event.scoring_mode = "raw"
    db.session.commit()
    set_state("frozen")
    page = organizer_client.get(MANAGE, headers={"Accept-Language": "ko"}).get_data(as_text=True)
    snapshots = page[page.index('id="lb-snap-h"') :]
    assert "<td>raw</td>" not in snapshots
    assert "<td>원점수</td>" in snapshots
