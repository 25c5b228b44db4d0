"""The fairness report and extra judges at the prize cut-off, on a constructed event.

Four judges score four teams on one 0..100 criterion, so a judge's total is their score.
Every judge gives A 90 and D 10; judges 1 and 3 give B 80 and C 30, judges 2 and 4 the
reverse. Per-judge z-scores are therefore equal for equal values: A always ranks 1, D 4,
and B and C share ranks 2..3 depending on which judges a resample draws. With two awards
(the cut-off) B and C are statistically tied at it; with a cut-off of 3 nobody is.

Judge 1's queue runs D, C, B, A: totals 10, 30, 80, 90 at places 1..4, rising:
x̄ = 2.5, ȳ = 52.5, Sxx = 5, Sxy = 145, slope 29; residuals 1, -8, 13, -6, SSR 270,
SE = √(135 / 5) ≈ 5.20, t(0.975; 2) = 4.303: interval ≈ 6.6 .. 51.4, flagged. The others'
orders give slopes -1, -7 and -23 with intervals around 0. Pooled with one intercept per
judge: Sxy = 145 - 5 - 35 - 115 = -10 over Sxx = 20, slope -0.5, not flagged.

Three more judges have no work yet; judge 5 works for the company of B's track.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hackathon.judging.models import Assignment
from hackathon.leaderboard.services import board as services
from hackathon.registry import get_registry
from tests.factories import (
    grant,
    make_assignment,
    make_company,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_track,
    make_user,
)
from tests.helpers import notifications_of

PAGE = "/events/fair/leaderboard/fairness"
EXTRA = "/events/fair/leaderboard/fairness/extra"
# 10:00 in Seoul, the event's time zone
START = datetime(2024, 5, 1, 1, 0, tzinfo=UTC)
TOTALS = {
    1: {"A": 90, "B": 80, "C": 30, "D": 10},
    2: {"A": 90, "B": 30, "C": 80, "D": 10},
    3: {"A": 90, "B": 80, "C": 30, "D": 10},
    4: {"A": 90, "B": 30, "C": 80, "D": 10},
}
EN = {"Accept-Language": "en"}
QUEUES = {1: "DCBA", 2: "ADBC", 3: "BDAC", 4: "CADB"}


@pytest.fixture
def fair(db):
    event = make_event("fair", phase="judging", name="공정성 해커톤", name_en="Fair hack")
    organizer = make_user("fair-organizer@example.test", "운영자")
    grant(event, organizer, "organizer")
    member = make_user("fair-member@example.test", "참가자")
    acme = make_company("에이크미")
    acme_track = make_track(event, "에이크미 과제", company=acme)
    criterion = make_criterion(event, "종합", lo=0, hi=100)
    teams = {}
    for i, name in enumerate("ABCD"):
        teams[name] = make_team(
            event,
            name,
            track=acme_track if name == "B" else None,
            members=[member] if name == "A" else [],
        )
        make_submission(teams[name], submitted_at=START - timedelta(days=1, minutes=i))
    judges = {}
    for j in range(1, 8):
        judges[j] = make_user(f"fair-judge{j}@example.test", f"심사위원 {j}")
        grant(event, judges[j], "judge", company=acme if j == 5 else None)
    for j, queue in QUEUES.items():
        for place, name in enumerate(queue, start=1):
            make_assignment(
                judges[j],
                teams[name],
                scores={criterion: TOTALS[j][name]},
                status="submitted",
                position=place,
                submitted_at=START + timedelta(minutes=30 * (place - 1)),
            )
    for name in ("대상", "우수상"):
        services.create_award(event, name=name)
    db.session.commit()
    return {"event": event, "organizer": organizer, "member": member}, teams, judges


def assignments(db, event) -> list[tuple[int, int]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Assignment.judge_id, Assignment.team_id).where(Assignment.event_id == event.id)
    )
    return sorted(tuple(r) for r in rows)


def judge_row(html: str, judge) -> str:
    found = re.search(rf'<tr data-judge="{judge.id}".*?</tr>', html, re.S)
    assert found, f"no row for {judge.name}"
    return found.group(0)


def test_the_report_flags_the_judge_whose_totals_rise_and_not_the_others(fair, login, client, db):
    people, _teams, judges = fair
    login(people["organizer"])
    html = client.get(PAGE, headers=EN).get_data(as_text=True)
    rising = judge_row(html, judges[1])
    assert 'data-drifts="yes"' in rising
    assert "+29.00" in rising  # the hand-computed slope, points per queue place
    assert "+58.00" in rising  # one team each half hour: twice that per hour
    low, high = (float(v) for v in re.findall(r"([+-]\d+\.\d\d) … ([+-]\d+\.\d\d)", rising)[0])
    assert low == pytest.approx(29 - 4.303 * (135 / 5) ** 0.5, abs=0.01)
    assert high == pytest.approx(29 + 4.303 * (135 / 5) ** 0.5, abs=0.01)
    for j, slope in ((2, "-1.00"), (3, "-7.00"), (4, "-23.00")):
        row = judge_row(html, judges[j])
        assert 'data-drifts="no"' in row
        assert slope in row
    assert f'data-judge="{judges[5].id}"' not in html  # no scores, no row
    # One judge out of four does not make the event's verdict: pooled slope -0.5.
    assert 'data-pooled-calm="position"' in html
    assert "-0.50" in html
    assert 'data-pooled="position"' not in html
    assert 'data-flagged="1"' in html
    # Place 1 holds D 10 (judge 1), A 90, B 80, C 80: average 65; place 2: 30, 10, 10, 90.
    chart = html[html.index('aria-label="Average total by queue position"') :]
    assert re.findall(r">(\d+\.\d)</text>", chart)[:4] == ["65.0", "35.0", "52.5", "57.5"]


def test_the_report_shows_the_teams_tied_at_the_cut_off(fair, login, client):
    people, teams, _judges = fair
    login(people["organizer"])
    html = client.get(PAGE).get_data(as_text=True)
    assert 'data-tied="2"' in html
    tied = set(map(int, re.findall(r'data-tied-team="(\d+)"', html)))
    assert tied == {teams["B"].id, teams["C"].id}
    assert "2–3" in html
    assert "data-extra-judges" in html
    html = client.get(PAGE + "?cut_off=3").get_data(as_text=True)
    assert 'data-tied="0"' in html
    assert "data-extra-judges" not in html


def test_the_report_speaks_english_too(fair, login, client):
    people, _teams, _judges = fair
    login(people["organizer"])
    html = client.get(PAGE, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Fairness report" in html
    assert "statistically tied at the prize cut-off" in html
    html = client.get(PAGE, headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "공정성 보고서" in html


def test_only_organizers_see_the_report_or_add_judges(fair, client, login, db):
    people, _teams, judges = fair
    before = assignments(db, people["event"])
    assert client.get(PAGE).status_code == 302  # to the sign-in page
    login(people["member"])
    assert client.get(PAGE).status_code == 404
    assert client.form_post(EXTRA, {"n": "1"}).status_code == 404
    login(judges[1])
    assert client.get(PAGE).status_code == 404
    assert client.form_post(EXTRA, {"n": "1"}).status_code == 404
    assert assignments(db, people["event"]) == before


def test_the_manage_page_links_to_the_report(fair, login, client):
    people, _teams, _judges = fair
    login(people["organizer"])
    html = client.get("/events/fair/leaderboard/manage").get_data(as_text=True)
    assert 'href="/events/fair/leaderboard/fairness"' in html


def new_pairs(db, event, before) -> list[tuple[int, int]]:
    return sorted(set(assignments(db, event)) - set(before))


def test_the_button_adds_judges_to_the_teams_at_the_cut_off_only(fair, login, client, db):
    people, teams, judges = fair
    event = people["event"]
    before = assignments(db, event)
    login(people["organizer"])
    response = client.form_post(EXTRA, {"n": "1"}, headers=EN)
    assert response.status_code == 302
    added = new_pairs(db, event, before)
    assert sorted(t for _j, t in added) == sorted([teams["B"].id, teams["C"].id])
    free = {judges[j].id for j in (5, 6, 7)}
    assert {j for j, _t in added} <= free  # the judges with no work yet
    assert len({j for j, _t in added}) == 2  # loads spread: one new team each
    assert (judges[5].id, teams["B"].id) not in added  # judge 5 works for B's company
    html = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "“B” (ranks 2–3)" in html


def test_the_button_changes_nothing_and_says_why_when_judges_run_out(fair, login, client, db):
    people, _teams, judges = fair
    before = assignments(db, people["event"])
    login(people["organizer"])
    response = client.form_post(EXTRA, {"n": "3"}, headers=EN)
    html = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "nothing was changed" in html
    assert "“B” (ranks 2–3): only 2 judge(s)" in html
    assert assignments(db, people["event"]) == before
    assert not any(notifications_of(judges[j]) for j in (5, 6, 7))
    bad = client.form_post(EXTRA, {"n": "0"}, headers=EN)
    assert bad.status_code == 302
    assert assignments(db, people["event"]) == before


def test_extra_judges_are_told_like_any_new_assignment(fair, app, db):
    people, _teams, judges = fair
    result = app.test_cli_runner().invoke(args=["judges", "assign", "fair", "--extra", "1"])
    assert result.exit_code == 0, result.output
    added = new_pairs(db, people["event"], [])
    told = {j for j in (5, 6, 7) if notifications_of(judges[j])}
    assert told == {j for j in (5, 6, 7) if any(a == judges[j].id for a, _t in added)}
    assert len(told) == 2
    assert all(n.kind == "assignments_ready" for j in told for n in notifications_of(judges[j]))
    assert not notifications_of(judges[1])


def test_cli_extra_names_who_went_where(fair, app, db):
    people, teams, judges = fair
    event = people["event"]
    before = assignments(db, event)
    result = app.test_cli_runner().invoke(
        args=["judges", "assign", "fair", "--extra", "2", "--seed", "7"]
    )
    assert result.exit_code == 0, result.output
    added = new_pairs(db, event, before)
    per_team = Counter(t for _j, t in added)
    assert per_team == {teams["B"].id: 2, teams["C"].id: 2}
    # B can only have judges 6 and 7 (5 has a conflict); C takes the rest, and nobody
    # gets a team twice or more than one more than another of the free judges.
    on_b = {j for j, t in added if t == teams["B"].id}
    assert on_b == {judges[6].id, judges[7].id}
    loads = Counter(j for j, _t in added)
    assert max(loads.values()) - min(loads.values()) <= 1
    for name in ("B", "C"):
        line = next(x for x in result.output.splitlines() if x.startswith(f"“{name}”"))
        for j, t in added:
            if t == teams[name].id:
                assert judges[next(k for k in judges if judges[k].id == j)].name in line


def test_cli_extra_is_a_no_op_when_no_team_crosses_the_cut_off(fair, app, db):
    people, _teams, _judges = fair
    before = assignments(db, people["event"])
    result = app.test_cli_runner().invoke(
        args=["judges", "assign", "fair", "--extra", "1", "--cut-off", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "(3)" in result.output
    assert assignments(db, people["event"]) == before


def test_cli_extra_fails_with_nothing_written_when_judges_run_out(fair, app, db):
    people, _teams, judges = fair
    before = assignments(db, people["event"])
    # B may only get judges 6 and 7: three more is impossible; C alone could get them.
    result = app.test_cli_runner().invoke(args=["judges", "assign", "fair", "--extra", "3"])
    assert result.exit_code == 1
    assert "“B” (ranks 2–3)" in result.output
    assert "“C”" not in result.output
    assert assignments(db, people["event"]) == before
    assert not any(notifications_of(judges[j]) for j in (5, 6, 7))


def test_cli_extra_refuses_mixed_options(fair, app):
    runner = app.test_cli_runner()
    mixed = runner.invoke(args=["judges", "assign", "fair", "--extra", "1", "--all-teams"])
    assert mixed.exit_code != 0
    lonely = runner.invoke(args=["judges", "assign", "fair", "--cut-off", "2"])
    assert lonely.exit_code != 0
    assert runner.invoke(args=["judges", "assign", "fair", "--extra", "0"]).exit_code != 0


def test_judging_asks_the_registry_and_says_so_without_a_ranking(fair, app, db, monkeypatch):
    people, _teams, _judges = fair
    monkeypatch.setattr(get_registry(app), "teams_at_cutoff", None)
    before = assignments(db, people["event"])
    result = app.test_cli_runner().invoke(args=["judges", "assign", "fair", "--extra", "1"])
    assert result.exit_code != 0
    assert "leaderboard" in result.output
    assert assignments(db, people["event"]) == before
