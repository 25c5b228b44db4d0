"""Team life cycle rules, at the service level."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hackathon.errors import Conflict, NotFound
from hackathon.teams import rules
from hackathon.teams.models import JoinRequest, RequestStatus, Seeker, Team, TeamMember
from hackathon.teams.services import formation, organizer
from tests.factories import make_event, make_team, make_user


@pytest.fixture
def event(db):
    return make_event(phase="team_formation", team_min=2, team_max=3)


def _fresh(obj):
    from hackathon.extensions import db

    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def test_creator_becomes_captain_with_a_long_random_code(event, db):
    alice = make_user(event=event, locale="en")
    team = formation.create_team(event, alice, "  Vision \t\n Crew ")
    db.session.commit()
    assert team.name == "Vision Crew"
    assert team.captain_id == alice.id
    assert [m.user_id for m in team.members] == [alice.id]
    assert len(team.invite_code) >= 10
    other = formation.create_team(event, make_user(event=event, locale="en"), "Other")
    assert other.invite_code != team.invite_code


@pytest.mark.parametrize("phase", ["registration", "submission", "judging", "results"])
def test_teams_are_created_only_during_team_formation(db, phase):
    event = make_event(phase=phase)
    with pytest.raises(rules.FormationClosed):
        formation.create_team(event, make_user(event=event, locale="en"), "Late")


def test_only_participants_create_teams(event, db):
    with pytest.raises(rules.NotParticipant):
        formation.create_team(event, make_user(event=event, role="mentor", locale="en"), "Mentors")
    with pytest.raises(rules.NotParticipant):
        formation.create_team(event, make_user(), "Strangers")


def test_names_are_unique_per_event_ignoring_case(event, db):
    formation.create_team(event, make_user(event=event, locale="en"), "Alpha")
    with pytest.raises(rules.NameTaken):
        formation.create_team(event, make_user(event=event, locale="en"), "ALPHA")
    elsewhere = make_event(phase="team_formation")
    someone = make_user(event=elsewhere, locale="en")
    assert formation.create_team(elsewhere, someone, "Alpha").name == "Alpha"


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "\u200b", "\u200b\u2060 "])
def test_a_name_is_required_and_bounded(event, db, name):
    with pytest.raises(rules.BadTeamName):
        formation.create_team(event, make_user(event=event, locale="en"), name)


def test_one_team_per_person(event, db):
    alice = make_user(event=event, locale="en")
    formation.create_team(event, alice, "First")
    with pytest.raises(rules.AlreadyInTeam):
        formation.create_team(event, alice, "Second")
    other = make_team(event, members=[make_user(event=event, locale="en")])
    with pytest.raises(rules.AlreadyInTeam):
        formation.join_by_code(event, alice, other.invite_code)


def test_the_database_refuses_a_second_membership_too(event, db):
    alice = make_user(event=event, locale="en")
    first = make_team(event, members=[alice])
    second = make_team(event, members=[make_user(event=event, locale="en")])
    db.session.add(TeamMember(event_id=event.id, team_id=second.id, user_id=alice.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert rules.team_of(alice, event).id == first.id


def test_join_by_code_ignores_case_and_spaces(event, db):
    team = make_team(event, members=[make_user(event=event, locale="en")])
    bob = make_user(event=event, locale="en")
    code = team.invite_code.lower()
    joined = formation.join_by_code(event, bob, f" {code[:4]} {code[4:]} ")
    assert joined.id == team.id
    assert rules.team_of(bob, event).id == team.id


def test_a_wrong_code_or_another_events_code_finds_nothing(event, db):
    bob = make_user(event=event, locale="en")
    elsewhere = make_event(phase="team_formation")
    foreign = make_team(elsewhere, members=[make_user(event=elsewhere, locale="en")])
    for code in ("NOPE-NOPE-NOPE", foreign.invite_code, ""):
        with pytest.raises(rules.BadInviteCode):
            formation.join_by_code(event, bob, code)


def test_the_maximum_size_is_enforced(event, db):
    team = make_team(event, members=[make_user(event=event, locale="en") for _ in range(3)])
    with pytest.raises(rules.TeamFull):
        formation.join_by_code(event, make_user(event=event, locale="en"), team.invite_code)
    assert len(_fresh(team).members) == 3


def test_a_team_below_the_minimum_is_flagged_not_blocked(event, db):
    alice = make_user(event=event, locale="en")
    team = formation.create_team(event, alice, "Solo")
    assert rules.under_size(team)
    formation.join_by_code(event, make_user(event=event, locale="en"), team.invite_code)
    assert not rules.under_size(team)


def test_after_the_lock_participants_cannot_change_teams(db):
    event = make_event(phase="submission", team_max=3)
    alice, bob = (make_user(event=event, locale="en") for _ in range(2))
    team = make_team(event, members=[alice, bob])
    newcomer = make_user(event=event, locale="en")
    with pytest.raises(rules.TeamLocked):
        formation.join_by_code(event, newcomer, team.invite_code)
    with pytest.raises(rules.TeamLocked):
        formation.leave_team(team, bob)
    with pytest.raises(rules.TeamLocked):
        formation.remove_from_team(team, alice, bob.id)
    with pytest.raises(rules.TeamLocked):
        formation.rename_team(team, alice, "New name")
    with pytest.raises(rules.TeamLocked):
        formation.regenerate_code(team, alice)
    with pytest.raises(rules.TeamLocked):
        formation.request_to_join(event, team, newcomer)


def test_an_organizer_unlock_after_the_lock_reopens_one_team(db):
    event = make_event(phase="submission", team_max=3)
    alice, bob = (make_user(event=event, locale="en") for _ in range(2))
    team = make_team(event, members=[alice, bob], locked=False)
    locked_team = make_team(event, members=[make_user(event=event, locale="en")])
    newcomer = make_user(event=event, locale="en")
    formation.join_by_code(event, newcomer, team.invite_code)
    assert rules.team_of(newcomer, event).id == team.id
    with pytest.raises(rules.TeamLocked):
        formation.leave_team(locked_team, locked_team.members[0].user)


def test_an_organizer_lock_before_the_deadline_freezes_the_team(event, db):
    team = make_team(event, members=[make_user(event=event, locale="en")], locked=True)
    with pytest.raises(rules.TeamLocked):
        formation.join_by_code(event, make_user(event=event, locale="en"), team.invite_code)


def test_leaving_passes_the_captaincy_on_and_an_empty_team_disappears(event, db):
    alice, bob, carol = (make_user(event=event, locale="en") for _ in range(3))
    team = make_team(event, members=[alice, bob, carol])
    assert formation.leave_team(team, alice) is False
    assert team.captain_id == bob.id  # the longest-standing member left
    formation.request_to_join(event, team, make_user(event=event, locale="en"), "hi")
    formation.leave_team(team, bob)
    assert formation.leave_team(team, carol) is True
    db.session.commit()
    assert db.session.get(Team, team.id) is None
    assert db.session.scalars(select(JoinRequest)).all() == []


def test_someone_outside_the_team_cannot_leave_it(event, db):
    team = make_team(event, members=[make_user(event=event, locale="en")])
    with pytest.raises(NotFound):
        formation.leave_team(team, make_user(event=event, locale="en"))


def test_the_captain_removes_members_and_hands_over(event, db):
    alice, bob, carol = (make_user(event=event, locale="en") for _ in range(3))
    team = make_team(event, members=[alice, bob, carol])
    formation.remove_from_team(team, alice, carol.id)
    assert rules.team_of(carol, event) is None
    formation.transfer_captaincy(team, alice, bob.id)
    assert team.captain_id == bob.id
    with pytest.raises(rules.NotCaptain):
        formation.rename_team(team, alice, "Mine now")


def test_a_member_who_is_not_captain_cannot_manage(event, db):
    alice, bob = (make_user(event=event, locale="en") for _ in range(2))
    team = make_team(event, members=[alice, bob])
    for action in (
        lambda: formation.remove_from_team(team, bob, alice.id),
        lambda: formation.transfer_captaincy(team, bob, bob.id),
        lambda: formation.rename_team(team, bob, "Bob's"),
        lambda: formation.regenerate_code(team, bob),
        lambda: formation.set_open_places(team, bob, 1, "nlp"),
    ):
        with pytest.raises(rules.NotCaptain):
            action()


def test_a_participant_cannot_act_on_another_team(event, db):
    team = make_team(event, members=[make_user(event=event, locale="en") for _ in range(2)])
    outsider = make_user(event=event, locale="en")
    make_team(event, members=[outsider])
    target = team.members[1].user_id
    for action in (
        lambda: formation.remove_from_team(team, outsider, target),
        lambda: formation.rename_team(team, outsider, "Hijacked"),
        lambda: formation.regenerate_code(team, outsider),
        lambda: formation.leave_team(team, outsider),
    ):
        with pytest.raises(NotFound):
            action()


def test_the_captain_cannot_remove_themself(event, db):
    alice = make_user(event=event, locale="en")
    team = make_team(event, members=[alice, make_user(event=event, locale="en")])
    with pytest.raises(Conflict):
        formation.remove_from_team(team, alice, alice.id)


def test_rename_keeps_names_unique(event, db):
    alice = make_user(event=event, locale="en")
    team = make_team(event, "Mine", members=[alice])
    make_team(event, "Taken", members=[make_user(event=event, locale="en")])
    with pytest.raises(rules.NameTaken):
        formation.rename_team(team, alice, "taken")
    formation.rename_team(team, alice, "Mine")  # its own name is fine
    assert formation.rename_team(team, alice, "Better").name == "Better"


def test_a_new_code_replaces_the_old_one(event, db):
    alice = make_user(event=event, locale="en")
    team = make_team(event, members=[alice])
    old = team.invite_code
    new = formation.regenerate_code(team, alice)
    assert new != old
    assert len(new) >= 10
    with pytest.raises(rules.BadInviteCode):
        formation.join_by_code(event, make_user(event=event, locale="en"), old)
    assert formation.join_by_code(event, make_user(event=event, locale="en"), new).id == team.id


def test_requests_are_accepted_or_declined_by_the_captain(event, db):
    alice = make_user(event=event, locale="en")
    team = make_team(event, members=[alice])
    bob, carol = (make_user(event=event, locale="en") for _ in range(2))
    accepted = formation.request_to_join(event, team, bob, "I do NLP")
    declined = formation.request_to_join(event, team, carol)
    with pytest.raises(formation.RequestExists):
        formation.request_to_join(event, team, bob)
    assert formation.pending_requests(team) == [accepted, declined]
    formation.decide_request(team, alice, accepted.id, accept=True)
    formation.decide_request(team, alice, declined.id, accept=False)
    assert rules.team_of(bob, event).id == team.id
    assert rules.team_of(carol, event) is None
    assert (accepted.status, declined.status) == (RequestStatus.ACCEPTED, RequestStatus.DECLINED)
    with pytest.raises(formation.RequestNotPending):
        formation.decide_request(team, alice, declined.id, accept=True)


def test_accepting_still_respects_the_maximum(event, db):
    alice = make_user(event=event, locale="en")
    team = make_team(event, members=[alice, make_user(event=event, locale="en")])
    first = formation.request_to_join(event, team, make_user(event=event, locale="en"))
    second = formation.request_to_join(event, team, make_user(event=event, locale="en"))
    formation.decide_request(team, alice, first.id, accept=True)
    with pytest.raises(rules.TeamFull):
        formation.decide_request(team, alice, second.id, accept=True)


def test_joining_a_team_withdraws_other_requests_and_the_finder_entry(event, db):
    bob = make_user(event=event, locale="en")
    one = make_team(event, members=[make_user(event=event, locale="en")])
    two = make_team(event, members=[make_user(event=event, locale="en")])
    db.session.add(Seeker(event_id=event.id, user_id=bob.id, note=""))
    waiting = formation.request_to_join(event, one, bob)
    formation.join_by_code(event, bob, two.invite_code)
    assert waiting.status == RequestStatus.CANCELLED
    assert db.session.scalar(select(Seeker).where(Seeker.user_id == bob.id)) is None


def test_the_asker_withdraws_a_request_and_nobody_else_can(event, db):
    team = make_team(event, members=[make_user(event=event, locale="en")])
    bob = make_user(event=event, locale="en")
    request = formation.request_to_join(event, team, bob)
    with pytest.raises(NotFound):
        formation.cancel_request(event, make_user(event=event, locale="en"), request.id)
    formation.cancel_request(event, bob, request.id)
    assert request.status == RequestStatus.CANCELLED


def test_open_requests_are_limited(event, db):
    bob = make_user(event=event, locale="en")
    for _ in range(formation.PENDING_LIMIT):
        formation.request_to_join(
            event, make_team(event, members=[make_user(event=event, locale="en")]), bob
        )
    with pytest.raises(formation.TooManyRequests):
        formation.request_to_join(
            event, make_team(event, members=[make_user(event=event, locale="en")]), bob
        )


def test_open_places_fit_the_room_left(event, db):
    alice = make_user(event=event, locale="en")
    team = make_team(event, members=[alice])
    formation.set_open_places(team, alice, 2, "Vision, NLP;  backend")
    assert team.open_places == 2
    assert team.wanted_skills == "vision;nlp;backend"
    with pytest.raises(formation.BadOpenPlaces):
        formation.set_open_places(team, alice, 3, "")
    formation.join_by_code(event, make_user(event=event, locale="en"), team.invite_code)
    assert team.open_places == 1  # a newcomer takes an advertised place


def test_a_name_taken_at_the_same_moment_is_refused_cleanly(event, db, monkeypatch):
    """Two renames (or a rename and a creation) racing for one name: the check before both
    passes, the database's unique constraint refuses the second, and the person is told."""
    alice = make_user(event=event, locale="en")
    team = make_team(event, "Mine", members=[alice])
    make_team(event, "Taken", members=[make_user(event=event, locale="en")])
    monkeypatch.setattr(rules, "require_unique_name", lambda *args, **kwargs: None)
    with pytest.raises(rules.NameTaken):
        formation.rename_team(team, alice, "Taken")
    with pytest.raises(rules.NameTaken):
        organizer.rename(_fresh(team), "Taken")
    assert _fresh(team).name == "Mine"


def test_names_that_look_the_same_are_the_same_name(event, db):
    """Hangul typed on one machine may arrive composed (NFC) and on another decomposed
    (NFD); invisible characters around a name do not make it another name."""
    import unicodedata

    formation.create_team(event, make_user(event=event, locale="en"), "고래")
    for lookalike in (unicodedata.normalize("NFD", "고래"), "\u200b고래", "고래\ufeff"):
        with pytest.raises(rules.NameTaken):
            formation.create_team(event, make_user(event=event, locale="en"), lookalike)
