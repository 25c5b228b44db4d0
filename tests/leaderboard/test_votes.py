"""People's choice: who may vote, one vote per person that a second one replaces, never
for one's own team, only while voting is open, counts for organizers only, and the award
the vote gives at publication (and not before)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from hackathon.events.models import Program
from hackathon.extensions import db as _db
from hackathon.leaderboard.models import Award, Vote, VotingWindow
from hackathon.leaderboard.services import board as services
from hackathon.leaderboard.services import votes
from tests.factories import make_event, make_team, make_user
from tests.helpers import audit_actions, landing, post

API = "/api/v1/events/hack/votes"
PAGE = "/events/hack/vote"
WINDOW = "/events/hack/vote/window"


@dataclass
class Cohort:
    """The scored event `hack` in a program, with people of a sister event and an outsider."""

    scored: object
    sister_member: object  # a participant of another event of the program only
    sister_team: object  # a team of that other event
    outsider: object  # a participant of an event of another program


@pytest.fixture
def cohort(scored) -> Cohort:
    program = Program(slug="cohort9", name="9기", name_en="Cohort 9")
    elsewhere = Program(slug="other", name="다른 과정", name_en="Other program")
    _db.session.add_all([program, elsewhere])
    _db.session.flush()
    scored.event.program_id = program.id
    _db.session.commit()
    sister = make_event("sister", phase="team_formation", program_id=program.id)
    member = make_user("sister@example.test", "자매 행사 참가자", event=sister, locale="en")
    team = make_team(sister, "Sister team", members=[make_user(event=sister)])
    outside = make_event("outside", phase="team_formation", program_id=elsewhere.id)
    outsider = make_user("outsider@example.test", "외부인", event=outside, locale="en")
    return Cohort(scored, member, team, outsider)


@pytest.fixture
def voting(cohort):
    """Voting opened by the organizers (a committed service call, like the button)."""
    votes.set_voting(cohort.scored.event, True)
    _db.session.commit()
    return cohort


@pytest.fixture
def as_(login, new_client):
    def sign_in(user, lang: str = "en"):
        """A new browser signed in as the person, reading the site in `lang`."""
        browser = login(user, client=new_client())
        browser.form_post(f"/lang/{lang}")
        return browser

    return sign_in


def rows(event_id: int) -> list[tuple[int, int]]:
    _db.session.expire_all()
    return list(
        _db.session.execute(
            select(Vote.voter_id, Vote.team_id).where(Vote.event_id == event_id)
        ).all()
    )


def vote(client, team, **kwargs):
    return client.api("POST", API, {"team_id": team.id}, **kwargs)


# Who may vote ---------------------------------------------------------------------------


def test_anonymous_callers_are_asked_to_sign_in(client, voting):
    team = voting.scored.teams["B"]
    for response in (client.get(API), client.api("POST", API, {"team_id": team.id})):
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
    assert rows(voting.scored.event.id) == []


def test_a_person_outside_the_program_is_told_nothing_exists(as_, voting):
    outsider = as_(voting.outsider)
    for response in (outsider.get(API), vote(outsider, voting.scored.teams["B"])):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    assert outsider.get(PAGE).status_code == 404
    assert rows(voting.scored.event.id) == []
    # The same answer as for an event that does not exist at all.
    assert outsider.get("/api/v1/events/nowhere/votes").get_json() == outsider.get(API).get_json()


def test_anyone_with_a_role_in_the_program_votes_even_from_another_event(as_, voting):
    sister = as_(voting.sister_member)
    team = voting.scored.teams["C"]
    response = vote(sister, team)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["team_id"], body["open"], body["may_vote"]) == (team.id, True, True)
    assert "counts" not in body
    judge = as_(voting.scored.judges[0])  # any role counts, a judge's too
    assert vote(judge, team).status_code == 200
    assert sorted(rows(voting.scored.event.id)) == sorted(
        [(voting.sister_member.id, team.id), (voting.scored.judges[0].id, team.id)]
    )


def test_never_for_ones_own_team(as_, voting):
    member = as_(voting.scored.member)  # a member of team A
    response = vote(member, voting.scored.teams["A"])
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "own_team"
    assert error["message"] == "You cannot vote for your own team."
    assert "team_id" in error["details"]["fields"]
    assert rows(voting.scored.event.id) == []


def test_the_refusal_reads_in_korean_for_a_korean_reader(as_, voting):
    member = as_(voting.scored.member, lang="ko")
    response = vote(member, voting.scored.teams["A"])
    assert response.get_json()["error"]["message"] == "자기 팀에는 투표할 수 없습니다."


def test_only_a_team_of_this_event(as_, voting):
    member = as_(voting.scored.member)
    for team_id in (voting.sister_team.id, 999_999):
        response = member.api("POST", API, {"team_id": team_id})
        assert response.status_code == 422
        assert response.get_json()["error"]["code"] == "unknown_team"
    for body in ({}, {"team_id": "2"}, {"team_id": None}, [1]):
        response = member.api("POST", API, body)
        assert response.status_code == 422, body
    assert rows(voting.scored.event.id) == []


def test_a_write_without_the_csrf_header_is_refused(as_, voting):
    member = as_(voting.scored.member)
    response = member.post(API, json={"team_id": voting.scored.teams["B"].id})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert rows(voting.scored.event.id) == []


# One vote, changeable while open --------------------------------------------------------


def test_a_second_vote_replaces_the_first(as_, voting):
    member = as_(voting.scored.member)
    b, c = voting.scored.teams["B"], voting.scored.teams["C"]
    assert vote(member, b).get_json()["team_id"] == b.id
    assert vote(member, c).get_json()["team_id"] == c.id
    assert rows(voting.scored.event.id) == [(voting.scored.member.id, c.id)]
    mine = member.get(API).get_json()
    assert (mine["team_id"], mine["open"]) == (c.id, True)
    assert mine["voted_at"]


def test_no_vote_while_voting_is_closed(as_, cohort):
    member = as_(cohort.scored.member)
    team = cohort.scored.teams["B"]
    never_opened = vote(member, team)
    assert never_opened.status_code == 409
    assert never_opened.get_json()["error"]["code"] == "voting_closed"
    assert member.get(API).get_json() == {
        "event": "hack",
        "open": False,
        "may_vote": True,
        "team_id": None,
        "voted_at": None,
    }
    votes.set_voting(cohort.scored.event, True)
    _db.session.commit()
    assert vote(member, team).status_code == 200
    votes.set_voting(cohort.scored.event, False)
    _db.session.commit()
    closed = vote(member, cohort.scored.teams["C"])
    assert closed.status_code == 409
    assert closed.get_json()["error"]["message"] == "Voting is closed for this event."
    assert rows(cohort.scored.event.id) == [(cohort.scored.member.id, team.id)]


def test_votes_are_limited_per_person(as_, voting):
    member = as_(voting.scored.member)
    b, c = voting.scored.teams["B"], voting.scored.teams["C"]
    answers = [vote(member, (b, c)[i % 2]).status_code for i in range(11)]
    assert answers == [200] * 10 + [429]
    limited = vote(member, b)
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "rate_limited"
    # Someone else, from the same address, still votes.
    assert vote(as_(voting.sister_member), b).status_code == 200


# Pages ----------------------------------------------------------------------------------


def test_the_page_votes_and_changes_the_vote_without_a_script(as_, voting):
    member = as_(voting.scored.member)
    page = member.get(PAGE).get_data(as_text=True)
    b, c = voting.scored.teams["B"], voting.scored.teams["C"]
    assert f'data-team="{b.id}"' in page
    assert "data-count" not in page  # no counts for voters
    landed = landing(member, post(member, PAGE, {"team_id": b.id}))
    assert "Your vote for “B” is saved." in landed
    landing(member, post(member, PAGE, {"team_id": c.id}))
    assert rows(voting.scored.event.id) == [(voting.scored.member.id, c.id)]
    page = member.get(PAGE).get_data(as_text=True)
    chosen = page[page.index(f'data-team="{c.id}"') - 60 :][:200]
    assert "lb-voted" in chosen
    refused = landing(member, post(member, PAGE, {"team_id": voting.scored.teams["A"].id}, PAGE))
    assert "You cannot vote for your own team." in refused
    assert rows(voting.scored.event.id) == [(voting.scored.member.id, c.id)]


def test_the_event_page_shows_the_vote_to_voters(as_, voting):
    member = as_(voting.scored.member)
    vote(member, voting.scored.teams["B"])
    page = member.get("/events/hack").get_data(as_text=True)
    assert 'data-panel="votes"' in page
    assert "Your vote: B" in page
    assert "votes so far" not in page
    outsider_page = as_(voting.outsider).get("/events/hack").get_data(as_text=True)
    assert 'data-panel="votes"' not in outsider_page


def test_counts_are_for_organizers_only(as_, voting):
    b = voting.scored.teams["B"]
    for person in (voting.sister_member, voting.scored.judges[0], voting.scored.judges[1]):
        assert vote(as_(person), b).status_code == 200
    vote(as_(voting.scored.member), voting.scored.teams["C"])
    boss = as_(voting.scored.organizer)
    body = boss.get(API).get_json()
    assert body["counts"] == sorted(
        [{"team_id": b.id, "votes": 3}, {"team_id": voting.scored.teams["C"].id, "votes": 1}],
        key=lambda row: row["team_id"],
    )
    assert body["total"] == 4
    page = boss.get(PAGE).get_data(as_text=True)
    card = page[page.index(f'data-team="{b.id}"') :]
    assert "<strong data-count>3</strong>" in card[: card.index("</li>")]
    assert "4 votes so far" in boss.get("/events/hack").get_data(as_text=True)
    member = as_(voting.scored.member)
    assert "counts" not in member.get(API).get_json()
    assert "data-count" not in member.get(PAGE).get_data(as_text=True)
    # Nothing public tells the counts either: the board and the event page.
    services.set_state(voting.scored.event, "live")
    _db.session.commit()
    board = member.get("/api/v1/events/hack/leaderboard").get_json()
    assert board["awards"] == []


def test_organizers_open_and_close_voting_from_the_page(as_, cohort):
    member = as_(cohort.scored.member)
    assert member.form_post(WINDOW, {"open": "1"}).status_code == 404
    boss = as_(cohort.scored.organizer)
    assert "Voting is open." in landing(boss, post(boss, WINDOW, {"open": "1"}, PAGE))
    assert votes.is_open(cohort.scored.event)
    assert "Voting is closed." in landing(boss, post(boss, WINDOW, {"open": "0"}, PAGE))
    _db.session.expire_all()
    assert not votes.is_open(cohort.scored.event)
    again = landing(boss, post(boss, WINDOW, {"open": "0"}, PAGE))
    assert "Voting is already in that state." in again
    assert [a for a in audit_actions(cohort.scored.event) if a.startswith("votes.")] == [
        "votes.open",
        "votes.close",
    ]


# The award at publication ---------------------------------------------------------------


def _award_rows(event_id: int) -> list[tuple[str, str | None, int | None]]:
    _db.session.expire_all()
    return list(
        _db.session.execute(
            select(Award.name, Award.name_en, Award.team_id)
            .where(Award.event_id == event_id, Award.kind == votes.PEOPLES_CHOICE)
            .order_by(Award.team_id)
        ).all()
    )


def test_the_vote_becomes_an_award_at_publication_and_only_then(
    as_, new_client, voting, set_state, awards
):
    b, c = voting.scored.teams["B"], voting.scored.teams["C"]
    vote(as_(voting.sister_member), b)
    vote(as_(voting.scored.judges[0]), b)
    vote(as_(voting.scored.member), c)
    reader = as_(voting.outsider)
    set_state("live")
    assert [
        a["name"] for a in reader.get("/api/v1/events/hack/leaderboard").get_json()["awards"]
    ] == []
    assert _award_rows(voting.scored.event.id) == []
    set_state("published")
    assert _award_rows(voting.scored.event.id) == [("인기상", "People's choice award", b.id)]
    assert not votes.is_open(voting.scored.event)  # publishing closed the vote
    board = reader.get("/api/v1/events/hack/leaderboard").get_json()
    names = [(a["name_en"], a["team"]["id"]) for a in board["awards"]]
    assert names[-1] == ("People's choice award", b.id)  # after the organizers' prizes
    assert len(names) == 3
    gallery = reader.get("/events/hack/gallery", headers={"Accept-Language": "en"})
    card = gallery.get_data(as_text=True)
    card = card[card.index(f'data-team="{b.id}"') :]
    assert "People's choice award" in card[: card.index("</li>")].replace("&#39;", "'")
    public = new_client().get("/events/hack", headers={"Accept-Language": "ko"})
    assert "인기상" in public.get_data(as_text=True)


def test_republishing_replaces_the_award_and_a_tie_shares_it(as_, voting, set_state):
    b, c = voting.scored.teams["B"], voting.scored.teams["C"]
    vote(as_(voting.sister_member), b)
    set_state("published")
    assert _award_rows(voting.scored.event.id) == [("인기상", "People's choice award", b.id)]
    set_state("live")
    votes.set_voting(voting.scored.event, True)
    _db.session.commit()
    vote(as_(voting.scored.member), c)
    set_state("published")
    assert [team for *_names, team in _award_rows(voting.scored.event.id)] == sorted([b.id, c.id])
    audit = [a for a in audit_actions(voting.scored.event) if a == "award.peoples_choice"]
    assert len(audit) == 2


def test_no_votes_no_award(voting, set_state):
    set_state("published")
    assert _award_rows(voting.scored.event.id) == []
    count = _db.session.scalar(select(func.count(Award.id)))
    assert count == 0


def test_voting_cannot_reopen_while_the_results_are_published(as_, voting, set_state):
    set_state("published")
    boss = as_(voting.scored.organizer)
    refused = landing(boss, post(boss, WINDOW, {"open": "1"}, PAGE))
    assert "The results are published" in refused
    _db.session.expire_all()
    assert _db.session.scalar(select(VotingWindow.is_open)) is False


def test_a_vote_for_a_team_one_has_since_joined_does_not_count(as_, voting):
    from hackathon.teams.models import TeamMember

    b = voting.scored.teams["B"]
    vote(as_(voting.scored.judges[0]), b)
    _db.session.add(
        TeamMember(
            event_id=voting.scored.event.id, team_id=b.id, user_id=voting.scored.judges[0].id
        )
    )
    _db.session.commit()
    assert votes.counts(voting.scored.event) == {}
