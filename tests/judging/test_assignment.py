"""Assigning judges: K per team, even loads, no conflict, recorded random order, and the
organizer's tools (button, CLI, add, remove, remove a judge)."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from sqlalchemy import select

from hackathon.audit import AuditEntry
from hackathon.events.models import EventRole, Role
from hackathon.judging.models import Assignment, Criterion
from hackathon.judging.services.assignments import (
    AssignmentImpossible,
    ConflictOfInterest,
    assign_judges,
)
from hackathon.judging.services.reassign import remove_judge
from hackathon.teams.models import TeamMember, TeamMentor
from tests.factories import (
    grant,
    make_company,
    make_submission,
    make_team,
    make_track,
    make_user,
)
from tests.helpers import assign, build_setup


def pairs(db, event):
    db.session.expire_all()
    return db.session.scalars(select(Assignment).where(Assignment.event_id == event.id)).all()


@pytest.fixture
def crowded(db):
    """Six judges and eight submitted teams, with every kind of conflict, plus two teams
    that never submitted."""
    s = build_setup(judges=6, teams=6, k=3)
    acme = make_company("에이크미")
    acme_track = make_track(s.event, "에이크미 과제", company=acme)
    for name, title in (("에이크미 팀 1", "A1"), ("에이크미 팀 2", "A2")):
        s.teams.append(make_team(s.event, name, track=acme_track))
        make_submission(s.teams[-1], title=title)
    # Judges 1 and 2 work for Acme; judge 3 mentors team 1; judge 4 declared team 2.
    for judge in s.judges[:2]:
        role = db.session.scalar(
            select(EventRole).where(
                EventRole.event_id == s.event.id,
                EventRole.user_id == judge.id,
                EventRole.role == Role.JUDGE,
            )
        )
        role.company_id = acme.id
    db.session.add(TeamMentor(team_id=s.teams[0].id, user_id=s.judges[2].id))
    db.session.commit()
    from hackathon.judging.services.reassign import declare_conflict

    declare_conflict(s.event, s.judges[3].id, s.teams[1].id, "전 직장 동료", s.judges[3].id)
    db.session.commit()
    s.extra["forbidden"] = {
        (s.judges[0].id, s.teams[6].id),
        (s.judges[0].id, s.teams[7].id),
        (s.judges[1].id, s.teams[6].id),
        (s.judges[1].id, s.teams[7].id),
        (s.judges[2].id, s.teams[0].id),
        (s.judges[3].id, s.teams[1].id),
    }
    s.extra["unsubmitted"] = [make_team(s.event, "라이브 팀 1"), make_team(s.event, "라이브 팀 2")]
    return s


def test_every_submitted_team_gets_exactly_k_judges_loads_even_and_no_conflict(crowded, db):
    outcome = assign_judges(crowded.event, 3, seed=7)
    db.session.commit()
    rows = pairs(db, crowded.event)
    per_team = Counter(a.team_id for a in rows)
    assert {t.id: per_team[t.id] for t in crowded.teams} == {t.id: 3 for t in crowded.teams}
    assert all(per_team[t.id] == 0 for t in crowded.extra["unsubmitted"])
    loads = Counter(a.judge_id for a in rows)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 3 * len(crowded.teams)
    assert not {(a.judge_id, a.team_id) for a in rows} & crowded.extra["forbidden"]
    assert outcome.created == len(rows)
    assert outcome.connected


def test_all_teams_also_covers_teams_without_a_submission(crowded, db):
    assign_judges(crowded.event, 2, all_teams=True, seed=1)
    db.session.commit()
    per_team = Counter(a.team_id for a in pairs(db, crowded.event))
    for team in crowded.teams + crowded.extra["unsubmitted"]:
        assert per_team[team.id] == 2


def test_each_judge_gets_an_own_random_order_recorded_as_positions(db):
    s = build_setup(judges=4, teams=7, k=4)
    assign_judges(s.event, 4, seed=11)
    db.session.commit()
    queues = defaultdict(list)
    for a in sorted(pairs(db, s.event), key=lambda a: a.position):
        queues[a.judge_id].append(a.team_id)
    assert all(sorted(q) == sorted(t.id for t in s.teams) for q in queues.values())
    for judge_id, queue in queues.items():
        positions = sorted(a.position for a in pairs(db, s.event) if a.judge_id == judge_id)
        assert len(set(positions)) == len(queue)
    assert len({tuple(q) for q in queues.values()}) == 4  # no two judges share an order


def test_an_impossible_request_says_what_is_missing_and_assigns_nothing(crowded, db):
    with pytest.raises(AssignmentImpossible) as caught:
        assign_judges(crowded.event, 5)
    db.session.rollback()
    missing = caught.value.details["missing"]
    # Acme's teams have only four judges without a conflict; team 1 and team 2 five.
    assert any("에이크미 팀 1" in line and "4" in line for line in missing)
    assert not any("팀 3" in line for line in missing)
    assert pairs(db, crowded.event) == []

    with pytest.raises(AssignmentImpossible) as too_many:
        assign_judges(crowded.event, 7)
    db.session.rollback()
    assert any("6" in line for line in too_many.value.details["missing"])
    assert pairs(db, crowded.event) == []


def test_running_again_keeps_what_exists_and_only_fills_gaps(setup, db):
    manual = assign(setup, setup.judges[0], setup.teams[0])
    assign_judges(setup.event, 2, seed=3)
    db.session.commit()
    first = {(a.judge_id, a.team_id) for a in pairs(db, setup.event)}
    assert (manual.judge_id, manual.team_id) in first
    again = assign_judges(setup.event, 2, seed=4)
    db.session.commit()
    assert again.created == 0
    # What it reports is the event as it stands, not only what this run added.
    assert (again.lowest_load, again.highest_load, again.teams) == (2, 2, 4)
    assert {(a.judge_id, a.team_id) for a in pairs(db, setup.event)} == first
    late = make_team(setup.event, "늦은 팀")
    make_submission(late, title="늦게 냄")
    assign_judges(setup.event, 2, seed=5)
    db.session.commit()
    assert Counter(a.team_id for a in pairs(db, setup.event))[late.id] == 2


def test_removing_a_judge_hands_unfinished_work_to_others(db):
    s = build_setup(judges=5, teams=5, k=2)
    assign_judges(s.event, 2, seed=2)
    db.session.commit()
    leaving = s.judges[0]
    theirs = [a for a in pairs(db, s.event) if a.judge_id == leaving.id]
    finished = theirs[0]
    finished.status = "submitted"
    db.session.commit()

    remove_judge(s.event, leaving.id, seed=9)
    db.session.commit()
    rows = pairs(db, s.event)
    assert [(a.judge_id, a.team_id) for a in rows if a.judge_id == leaving.id] == [
        (leaving.id, finished.team_id)
    ]
    assert Counter(a.team_id for a in rows) == {t.id: 2 for t in s.teams}
    others = Counter(a.judge_id for a in rows if a.judge_id != leaving.id)
    assert max(others.values()) - min(others.values()) <= 1
    assert not db.session.scalar(
        select(EventRole.id).where(
            EventRole.event_id == s.event.id,
            EventRole.user_id == leaving.id,
            EventRole.role == Role.JUDGE,
        )
    )
    removed = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "assignment.removed")
    ).all()
    assert len(removed) == len(theirs) - 1


def test_removing_a_judge_nobody_can_replace_changes_nothing(setup, db):
    assign_judges(setup.event, 4, seed=1)  # every judge has every team
    db.session.commit()
    before = {(a.judge_id, a.team_id) for a in pairs(db, setup.event)}
    with pytest.raises(AssignmentImpossible):
        remove_judge(setup.event, setup.judges[0].id)
    db.session.rollback()
    assert {(a.judge_id, a.team_id) for a in pairs(db, setup.event)} == before


def test_organizer_button_assigns_and_reports_infeasible_requests(setup, client, login, db):
    login(setup.organizer)
    page = client.get(f"/events/{setup.event.slug}/judging/assignments?k=9")
    assert page.status_code == 200
    assert "data-infeasible" in page.get_data(as_text=True)
    refused = client.form_post(
        f"/events/{setup.event.slug}/judging/assign", {"k": "9"}, follow_redirects=True
    )
    assert "data-infeasible" in refused.get_data(as_text=True)
    assert pairs(db, setup.event) == []
    done = client.form_post(
        f"/events/{setup.event.slug}/judging/assign", {"k": "2"}, follow_redirects=True
    )
    assert done.status_code == 200
    assert Counter(a.team_id for a in pairs(db, setup.event)) == {t.id: 2 for t in setup.teams}


def test_organizer_pages_are_404_for_everyone_else(setup, client, login, new_client, db):
    a = assign(setup, setup.judges[1], setup.teams[0])
    criterion = setup.criteria[0]
    participant = make_user()
    grant(setup.event, participant, "participant")
    slug = setup.event.slug
    base = f"/events/{slug}/judging"
    posts = {
        f"{base}/assign": {"k": "2"},
        f"{base}/assignments/add": {"judge_id": setup.judges[0].id, "team_id": setup.teams[1].id},
        f"{base}/assignments/{a.id}/remove": {},
        f"{base}/judges/{setup.judges[1].id}/remove": {},
        f"{base}/conflicts/add": {
            "judge_id": setup.judges[1].id,
            "team_id": setup.teams[0].id,
            "reason": "x",
        },
        f"{base}/rubric/new": {"name": "몰래", "weight": "1", "min_score": "1", "max_score": "5"},
        f"{base}/rubric/{criterion.id}/edit": {"name": "몰래"},
        f"{base}/rubric/{criterion.id}/delete": {},
        f"{base}/rubric/{criterion.id}/move": {"direction": "down"},
        f"{base}/rubric/unlock": {"reason": "x"},
        f"{base}/rubric/lock": {},
    }
    for person in (setup.judges[0], participant):
        other = login(person, client=new_client())
        for url in ("assignments", "dashboard", "rubric", "rubric/new"):
            assert other.get(f"{base}/{url}").status_code == 404, url
        for url, data in posts.items():
            assert other.form_post(url, data).status_code == 404, url
    db.session.expire_all()
    assert [(x.judge_id, x.team_id) for x in pairs(db, setup.event)] == [
        (setup.judges[1].id, setup.teams[0].id)
    ]
    rubric = select(Criterion).order_by(Criterion.position, Criterion.id)
    assert [c.name for c in db.session.scalars(rubric)] == ["기획력", "완성도"]


def test_organizer_adds_and_removes_one_assignment(setup, client, login, db):
    login(setup.organizer)
    judge, team = setup.judges[1], setup.teams[2]
    client.get(f"/events/{setup.event.slug}/judging/assignments")
    client.form_post(
        f"/events/{setup.event.slug}/judging/assignments/add",
        {"judge_id": judge.id, "team_id": team.id},
    )
    rows = pairs(db, setup.event)
    assert [(a.judge_id, a.team_id) for a in rows] == [(judge.id, team.id)]
    client.form_post(f"/events/{setup.event.slug}/judging/assignments/{rows[0].id}/remove")
    assert pairs(db, setup.event) == []


def test_organizers_reach_every_assignment_with_its_private_note(setup, client, login, db):
    a = assign(setup, setup.judges[0], setup.teams[0])
    a.status, a.note, a.feedback = "submitted", "발표 중 데모 오류", "좋았습니다"
    db.session.commit()
    login(setup.organizer)
    html = client.get(f"/events/{setup.event.slug}/judging/assignments").get_data(as_text=True)
    assert f'href="/judging/assignments/{a.id}"' in html  # a submitted one too
    page = client.get(f"/judging/assignments/{a.id}").get_data(as_text=True)
    assert "발표 중 데모 오류" in page
    assert "좋았습니다" in page


def test_a_pair_with_a_conflict_cannot_be_added_by_hand(crowded, client, login, db):
    login(crowded.organizer)
    judge, team = crowded.judges[0], crowded.teams[6]  # Acme's judge, Acme's team
    client.get(f"/events/{crowded.event.slug}/judging/assignments")
    response = client.form_post(
        f"/events/{crowded.event.slug}/judging/assignments/add",
        {"judge_id": judge.id, "team_id": team.id},
        follow_redirects=True,
    )
    assert "에이크미" in response.get_data(as_text=True)
    assert pairs(db, crowded.event) == []


def test_cli_assigns_or_explains(setup, app, db):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["judges", "assign", setup.event.slug, "--per-submission", "9"])
    assert refused.exit_code == 1
    assert "9" in refused.output
    assert pairs(db, setup.event) == []
    done = runner.invoke(args=["judges", "assign", setup.event.slug, "--per-submission", "3"])
    assert done.exit_code == 0, done.output
    assert Counter(a.team_id for a in pairs(db, setup.event)) == {t.id: 3 for t in setup.teams}
    live = make_team(setup.event, "현장 발표 팀")
    runner.invoke(args=["judges", "assign", setup.event.slug, "--per-submission", "3"])
    assert Counter(a.team_id for a in pairs(db, setup.event))[live.id] == 0
    runner.invoke(
        args=["judges", "assign", setup.event.slug, "--per-submission", "3", "--all-teams"]
    )
    assert Counter(a.team_id for a in pairs(db, setup.event))[live.id] == 3
    assert runner.invoke(args=["judges", "assign", "no-such-event"]).exit_code != 0


def test_cli_speaks_the_terminals_language(setup, app, db, monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["judges", "assign", setup.event.slug, "--per-submission", "9"])
    assert refused.exit_code == 1
    assert "요청한 대로 심사위원을 배정할 수 없어 아무것도 변경하지 않았습니다." in refused.output
    assert "참여하는 심사위원은 4명뿐이지만 팀마다 9명이 필요합니다." in refused.output
    missing = runner.invoke(args=["judges", "assign", "no-such-event"])
    assert missing.exit_code != 0
    assert "주소가 “no-such-event”인 행사가 없습니다." in missing.output


def test_a_judge_with_no_company_conflict_still_sees_company_conflicts_of_other_roles(db):
    s = build_setup(judges=3, teams=2, k=2)
    acme = make_company()
    track = make_track(s.event, company=acme)
    team = make_team(s.event, "회사 팀", track=track)
    make_submission(team, title="x")
    grant(s.event, s.judges[0], "mentor", acme)  # a judge who is also Acme's mentor
    with pytest.raises(AssignmentImpossible):
        assign_judges(s.event, 3)
    db.session.rollback()
    assign_judges(s.event, 2, seed=1)
    db.session.commit()
    judged_by = {a.judge_id for a in pairs(db, s.event) if a.team_id == team.id}
    assert s.judges[0].id not in judged_by


def test_a_judge_who_is_also_in_a_team_never_judges_it(db):
    from hackathon.judging.services.assignments import add_assignment
    from hackathon.judging.services.conflicts import reasons_between

    s = build_setup(judges=3, teams=2, k=2)
    insider = s.judges[0]  # one person with two rows in the roster: judge and participant
    grant(s.event, insider, "participant")
    db.session.add(TeamMember(event_id=s.event.id, team_id=s.teams[0].id, user_id=insider.id))
    db.session.commit()
    assert [r.kind for r in reasons_between(s.event, insider.id, s.teams[0].id)] == ["member"]
    with pytest.raises(AssignmentImpossible):
        assign_judges(s.event, 3)
    db.session.rollback()
    assign_judges(s.event, 2, seed=1)
    db.session.commit()
    assert insider.id not in {a.judge_id for a in pairs(db, s.event) if a.team_id == s.teams[0].id}
    with pytest.raises(ConflictOfInterest):
        add_assignment(s.event, insider.id, s.teams[0].id)


def test_organizer_removes_a_judge_and_records_a_conflict_from_the_page(setup, client, login, db):
    from hackathon.judging.models import Conflict

    assign_judges(setup.event, 2, seed=8)
    db.session.commit()
    login(setup.organizer)
    slug = setup.event.slug
    client.get(f"/events/{slug}/judging/assignments")
    leaving = setup.judges[0]
    client.form_post(f"/events/{slug}/judging/judges/{leaving.id}/remove")
    rows = pairs(db, setup.event)
    assert leaving.id not in {a.judge_id for a in rows}
    assert Counter(a.team_id for a in rows) == {t.id: 2 for t in setup.teams}

    judge, team = setup.judges[1], setup.teams[0]
    client.get(f"/events/{slug}/judging/assignments")
    client.form_post(
        f"/events/{slug}/judging/conflicts/add",
        {"judge_id": judge.id, "team_id": team.id, "reason": "심사위원의 가족이 팀원"},
    )
    db.session.expire_all()
    conflict = db.session.scalar(select(Conflict).where(Conflict.judge_id == judge.id))
    assert (conflict.team_id, conflict.declared_by) == (team.id, setup.organizer.id)
    assert judge.id not in {a.judge_id for a in pairs(db, setup.event) if a.team_id == team.id}
    html = client.get(f"/events/{slug}/judging/assignments").get_data(as_text=True)
    assert "심사위원의 가족이 팀원" in html
    conflict_id = conflict.id
    client.form_post(f"/events/{slug}/judging/conflicts/{conflict_id}/remove")
    db.session.expire_all()
    assert db.session.scalar(select(Conflict).where(Conflict.id == conflict_id)) is None
