"""Calibration items and shadow judges in judging: the judge's queue (page and API), the
organizer's tools, `judges assign` with shadows, and the dashboard's comparisons."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from hackathon.events.models import EventRole, Role
from hackathon.extensions import db
from hackathon.judging.models import Assignment, AssignmentPurpose, CalibrationItem
from hackathon.judging.services import calibration
from hackathon.judging.services.assignments import assign_judges
from hackathon.judging.services.reassign import declare_conflict, remove_judge
from tests.factories import make_company, make_event, make_team, make_track, make_user
from tests.helpers import assign, audit_actions, build_setup, post, put_scores


def work(event, purpose=None):
    db.session.expire_all()
    query = select(Assignment).where(Assignment.event_id == event.id)
    if purpose:
        query = query.where(Assignment.purpose == purpose)
    return list(db.session.scalars(query))


def mark(s, team, actor=None):
    made = calibration.mark_calibration(s.event, team.id, actor)
    db.session.commit()
    return made


def submit(client, assignment, values):
    """The judge submits `values` (criterion -> value) for an assignment through the API."""
    body = {str(c.id): v for c, v in values.items()}
    response = put_scores(
        client, assignment.id, scores=body, submit=True, version=assignment.version
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def setup(db):
    return build_setup(judges=4, teams=4, k=2)


def test_every_judge_gets_the_item_first_in_the_page_and_the_api(setup, login):
    s = setup
    assign(s, s.judges[0], s.teams[2])
    assert mark(s, s.teams[0]) == 4
    client = login(s.judges[0])
    body = client.get(f"/api/v1/judging/{s.event.slug}/queue").get_json()
    first, second = body["assignments"]
    assert (first["team"]["name"], first["purpose"], first["counts"]) == (
        "팀 1",
        "calibration",
        False,
    )
    assert (second["team"]["name"], second["purpose"], second["counts"]) == ("팀 3", "rank", True)
    assert body["progress"]["total"] == 1  # the queue for the ranking, as before
    assert body["calibration"] == {"done": 0, "in_progress": 0, "to_do": 1, "total": 1}
    assert body["shadow"] is False
    page = client.get(f"/events/{s.event.slug}/judging").get_data(as_text=True)
    assert page.index('data-purpose="calibration"') < page.index("팀 3")
    assert "보정" in page  # labelled, in Korean by default
    # "Continue" opens the calibration item first.
    assert f'/judging/assignments/{first["id"]}"' in page.split("j-next")[1][:300]


def test_the_english_queue_says_calibration(setup, login):
    s = setup
    mark(s, s.teams[0])
    client = login(s.judges[1])
    page = client.get(
        f"/events/{s.event.slug}/judging", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "Calibration first" in page
    assert "never count in the ranking" in page


def test_a_real_team_as_item_is_scored_twice_apart_and_counts_once(setup, login):
    """The hard case: judge 1 is assigned team 1 for real and team 1 is the calibration
    item. Two assignments, each scored on its own; only the real one counts."""
    s = setup
    idea, execution = s.criteria
    real = assign(s, s.judges[0], s.teams[0])
    mark(s, s.teams[0])
    held = {a.purpose: a for a in work(s.event) if a.judge_id == s.judges[0].id}
    assert set(held) == {"rank", "calibration"}
    client = login(s.judges[0])
    page = client.get(f"/judging/assignments/{held['calibration'].id}").get_data(as_text=True)
    assert "data-calibration-note" in page
    assert "data-calibration" in page
    submit(client, held["calibration"], {idea: 10, execution: 5})
    submit(client, real, {idea: 2, execution: 1})
    from hackathon.leaderboard.services.board import compute_board

    row = next(r for r in compute_board(s.event)["rows"] if r["team"]["name"] == "팀 1")
    assert row["judges"] == 1
    assert row["raw_score"] == pytest.approx(100 * (2 * 1 / 9 + 0) / 3)


def test_a_judge_with_a_conflict_is_not_given_the_item(setup):
    s = setup
    declare_conflict(s.event, s.judges[3].id, s.teams[0].id, "친구", s.judges[3].id)
    db.session.commit()
    assert mark(s, s.teams[0]) == 3
    assert s.judges[3].id not in {a.judge_id for a in work(s.event, "calibration")}


def test_declaring_a_conflict_takes_the_item_away(setup):
    s = setup
    mark(s, s.teams[1])
    declare_conflict(s.event, s.judges[2].id, s.teams[1].id, "동료", s.judges[2].id)
    db.session.commit()
    assert s.judges[2].id not in {a.judge_id for a in work(s.event, "calibration")}


def test_assign_counts_no_shadow_and_gives_shadows_extra_teams(setup):
    s = setup
    shadow = s.judges[3]
    calibration.set_shadow(s.event, shadow.id, True)
    mark(s, s.teams[0])
    outcome = calibration.assign_panel(s.event, 2, seed=7)
    db.session.commit()
    ranked = work(s.event, "rank")
    counting = Counter(a.team_id for a in ranked if a.judge_id != shadow.id)
    assert set(counting.values()) == {2}  # K counting judges per team, the shadow aside
    loads = Counter(a.judge_id for a in ranked if a.judge_id != shadow.id)
    assert sorted(loads.values()) == [2, 3, 3]  # 8 places over the 3 counting judges
    shadows_teams = [a.team_id for a in ranked if a.judge_id == shadow.id]
    assert len(shadows_teams) == max(loads.values()) == len(set(shadows_teams))
    assert outcome.shadows == len(shadows_teams)
    assert {a.judge_id for a in work(s.event, "calibration")} == {j.id for j in s.judges}
    # A second run changes nothing: shadows are never counted towards K.
    again = calibration.assign_panel(s.event, 2, seed=8)
    assert (again.outcome.created, again.shadows, again.calibration) == (0, 0, 0)


def test_a_judge_made_a_shadow_leaves_a_gap_the_next_run_fills(setup):
    s = setup
    assign_judges(s.event, 2, seed=1)
    db.session.commit()
    shadow = s.judges[0]
    theirs = {a.team_id for a in work(s.event) if a.judge_id == shadow.id}
    calibration.set_shadow(s.event, shadow.id, True)
    run = calibration.assign_panel(s.event, 2, seed=2)
    db.session.commit()
    assert run.outcome.created == len(theirs)  # someone else covers each of their teams
    counting = Counter(a.team_id for a in work(s.event, "rank") if a.judge_id != shadow.id)
    assert set(counting.values()) == {2}
    assert {a.team_id for a in work(s.event) if a.judge_id == shadow.id} >= theirs


def test_removing_a_judge_hands_on_only_their_real_work(setup):
    s = setup
    assign_judges(s.event, 2, seed=3)
    mark(s, s.teams[0])
    gone = s.judges[1]
    real = [a for a in work(s.event, "rank") if a.judge_id == gone.id]
    outcome = remove_judge(s.event, gone.id, seed=4)
    db.session.commit()
    assert outcome.created == len(real)
    assert gone.id not in {a.judge_id for a in work(s.event)}
    assert len(work(s.event, "calibration")) == 3


def test_removing_a_shadow_hands_nothing_on(setup):
    s = setup
    assign_judges(s.event, 2, seed=3)
    shadow = make_user(name="수습")
    db.session.add(EventRole(event_id=s.event.id, user_id=shadow.id, role=Role.JUDGE))
    db.session.commit()
    calibration.set_shadow(s.event, shadow.id, True)
    assert calibration.assign_shadows(s.event, seed=1) > 0
    db.session.commit()
    before = len(work(s.event, "rank"))
    assert remove_judge(s.event, shadow.id, seed=5).created == 0
    db.session.commit()
    assert len(work(s.event, "rank")) < before


def test_the_dashboard_shows_offsets_before_real_scoring(setup, login):
    s = setup
    idea, execution = s.criteria
    mark(s, s.teams[0])
    items = {a.judge_id: a for a in work(s.event, "calibration")}
    values = [(5, 3), (5, 3), (5, 3), (2, 2)]  # judge 4 far below the others
    for judge, (a, b) in zip(s.judges, values, strict=True):
        submit(login(judge), items[judge.id], {idea: a, execution: b})
    page = login(s.organizer).get(f"/events/{s.event.slug}/judging/dashboard")
    text = page.get_data(as_text=True)
    assert f'data-offset-judge="{s.judges[3].id}" data-flagged="true"' in text
    assert f'data-offset-judge="{s.judges[0].id}" data-flagged="false"' in text
    assert "data-overall" in text
    assert 'data-done="0" data-total="0"' in text
    from hackathon.judging.services.dashboard import build

    db.session.expire_all()  # the requests wrote in sessions of their own
    rows = {r.user.id: r for r in build(s.event).judges}
    totals = [100 * (2 * (a - 1) / 9 + (b - 1) / 4) / 3 for a, b in values]
    mean = sum(totals) / 4
    assert rows[s.judges[3].id].offset.offset == pytest.approx(totals[3] - mean)
    assert rows[s.judges[3].id].offset.items == 1
    assert rows[s.judges[0].id].stats is None  # nothing counting scored yet


def test_the_dashboard_compares_a_shadow_with_the_panel(setup, login):
    s = setup
    idea, execution = s.criteria
    shadow = s.judges[3]
    calibration.set_shadow(s.event, shadow.id, True)
    for team in s.teams:
        for judge in s.judges[:2]:
            assign(s, judge, team)
        assign(s, shadow, team)
    db.session.commit()
    order = {"팀 1": 9, "팀 2": 7, "팀 3": 5, "팀 4": 3}
    for a in work(s.event, "rank"):
        value = order[a.team.name]
        if a.judge_id == shadow.id:
            value = 11 - value  # the reverse order
        submit(login(db.session.get(type(shadow), a.judge_id)), a, {idea: value, execution: 3})
    page = (
        login(s.organizer).get(f"/events/{s.event.slug}/judging/dashboard").get_data(as_text=True)
    )
    assert f'data-shadow-judge="{shadow.id}"' in page
    from hackathon.judging.services.dashboard import build

    db.session.expire_all()  # the requests wrote in sessions of their own
    data = build(s.event)
    row = next(r for r in data.judges if r.user.id == shadow.id)
    assert row.shadow
    assert row.agreement.shared == 4
    assert row.agreement.spearman == pytest.approx(-1)
    assert row.agreement.kendall == pytest.approx(-1)
    assert (data.done, data.total) == (8, 8)  # the shadow's four are not counted
    assert all(len(t.judges) == 2 and len(t.shadows) == 1 for t in data.teams)


def test_organizers_mark_unmark_and_toggle_from_the_page(setup, login):
    s = setup
    client = login(s.organizer)
    back = f"/events/{s.event.slug}/judging/assignments"
    response = post(
        client, f"/events/{s.event.slug}/judging/calibration", {"team_id": s.teams[1].id}, back
    )
    assert response.status_code == 302
    page = client.get(back).get_data(as_text=True)
    assert f'data-calibration-item="{s.teams[1].id}"' in page
    post(
        client,
        f"/events/{s.event.slug}/judging/judges/{s.judges[0].id}/shadow",
        {"shadow": "1"},
        back,
    )
    assert calibration.shadow_ids(s.event) == {s.judges[0].id}
    assert "data-shadow" in client.get(back).get_data(as_text=True)
    post(
        client,
        f"/events/{s.event.slug}/judging/judges/{s.judges[0].id}/shadow",
        {"shadow": "0"},
        back,
    )
    assert calibration.shadow_ids(s.event) == set()
    post(client, f"/events/{s.event.slug}/judging/calibration/{s.teams[1].id}/remove", {}, back)
    assert work(s.event, "calibration") == []
    assert db.session.scalar(select(CalibrationItem.id)) is None
    actions = audit_actions(s.event)
    for action in (
        "calibration.marked",
        "judge.shadow",
        "calibration.unmarked",
        "assignment.removed",
    ):
        assert action in actions


def test_bad_requests_change_nothing(setup, login, new_client):
    s = setup
    client = login(s.organizer)
    back = f"/events/{s.event.slug}/judging/assignments"
    response = post(client, f"/events/{s.event.slug}/judging/calibration", {"team_id": "x"}, back)
    assert "보정" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert work(s.event, "calibration") == []
    stranger = make_user(name="타인")
    elsewhere = make_team(make_event(phase="judging"), "다른 행사의 팀")
    post(
        client,
        f"/events/{s.event.slug}/judging/calibration",
        {"team_id": elsewhere.id},
        back,
    )
    assert work(s.event, "calibration") == []
    not_a_judge = post(
        client, f"/events/{s.event.slug}/judging/judges/{stranger.id}/shadow", {"shadow": "1"}, back
    )
    assert not_a_judge.status_code == 404
    judge = login(s.judges[0], client=new_client())
    for url in (
        f"/events/{s.event.slug}/judging/calibration",
        f"/events/{s.event.slug}/judging/judges/{s.judges[0].id}/shadow",
    ):
        assert post(judge, url, {"team_id": s.teams[0].id, "shadow": "1"}).status_code == 404
    assert calibration.shadow_ids(s.event) == set()


def test_an_event_has_a_few_items_at_most(db):
    s = build_setup(judges=2, teams=calibration.MAX_ITEMS + 1)
    for team in s.teams[:-1]:
        mark(s, team)
    with pytest.raises(calibration.TooManyItems):
        calibration.mark_calibration(s.event, s.teams[-1].id)
    db.session.rollback()
    assert len(calibration.calibration_items(s.event)) == calibration.MAX_ITEMS


def test_a_shadow_is_told_on_their_queue_and_in_the_api(setup, login):
    s = setup
    assign(s, s.judges[2], s.teams[0])
    calibration.set_shadow(s.event, s.judges[2].id, True)
    db.session.commit()
    client = login(s.judges[2])
    body = client.get(f"/api/v1/judging/{s.event.slug}/queue").get_json()
    assert body["shadow"] is True
    assert [a["counts"] for a in body["assignments"]] == [False]
    assert "data-shadow" in client.get(f"/events/{s.event.slug}/judging").get_data(as_text=True)


def test_company_judges_get_no_item_of_their_company(setup):
    s = setup
    acme = make_company("에이크미")
    track = make_track(s.event, "에이크미 과제", company=acme)
    s.teams[0].track_id = track.id
    role = db.session.scalar(
        select(EventRole).where(EventRole.user_id == s.judges[0].id, EventRole.role == Role.JUDGE)
    )
    role.company_id = acme.id
    db.session.commit()
    assert mark(s, s.teams[0]) == 3
    assert AssignmentPurpose.CALIBRATION == "calibration"


def test_the_scores_and_assignments_csv_hold_no_calibration_work(setup, login):
    """Exported and imported again, the work for the ranking is what it was; calibration
    is set up by marking items, never by these kinds."""
    from hackathon.judging.csv import export_assignments, export_scores, import_scores

    s = setup
    idea, execution = s.criteria
    real = assign(s, s.judges[0], s.teams[0])
    mark(s, s.teams[0])
    client = login(s.judges[0])
    held = next(a for a in work(s.event, "calibration") if a.judge_id == s.judges[0].id)
    submit(client, held, {idea: 10, execution: 5})
    submit(client, real, {idea: 3, execution: 2})
    scores = list(export_scores(s.event))
    assert sorted(r["score"] for r in scores) == [2, 3]
    assert list(export_assignments(s.event)) == [{"judge_email": s.judges[0].email, "team": "팀 1"}]
    from hackathon import csvio

    rows = [csvio.Row(n + 2, {k: str(v) for k, v in r.items()}) for n, r in enumerate(scores)]
    result = import_scores(s.event, rows)
    db.session.commit()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert len(work(s.event, "calibration")) == 4
    db.session.refresh(held)
    assert {x.value for x in held.scores} == {10, 5}


def test_the_event_page_counts_only_the_work_for_the_ranking(setup, login, new_client):
    s = setup
    idea, execution = s.criteria
    real = assign(s, s.judges[0], s.teams[1])
    shadow = s.judges[3]
    calibration.set_shadow(s.event, shadow.id, True)
    assign(s, shadow, s.teams[1])
    mark(s, s.teams[0])
    client = login(s.judges[0])
    held = next(a for a in work(s.event, "calibration") if a.judge_id == s.judges[0].id)
    submit(client, held, {idea: 4, execution: 2})
    page = client.get(f"/events/{s.event.slug}").get_data(as_text=True)
    assert 'data-judge-progress data-done="0" data-total="1"' in page
    submit(client, real, {idea: 4, execution: 2})
    organizer = login(s.organizer, client=new_client())
    text = organizer.get(f"/events/{s.event.slug}", headers={"Accept-Language": "en"})
    assert "1 of 1 assignments submitted" in text.get_data(as_text=True)
