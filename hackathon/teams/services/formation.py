"""Participants forming teams during team formation: create, join by code, ask to join,
leave, remove, hand over the captaincy, rename, new invite code, open places."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.errors import Conflict, NotFound, ValidationFailed
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.teams import rules
from hackathon.teams.models import JoinRequest, RequestStatus, Team, TeamMember
from hackathon.teams.services import notices

MESSAGE_MAX = 1000
PENDING_LIMIT = 5


class RequestNotPending(Conflict):
    code = "request_not_pending"
    message = _l("This request is no longer pending.")


class RequestExists(Conflict):
    code = "request_exists"
    message = _l("You have already asked to join this team.")


class TooManyRequests(Conflict):
    code = "too_many_requests"
    message = _l("You have %(n)d open requests. Wait for an answer or cancel one.", n=PENDING_LIMIT)


class BadOpenPlaces(ValidationFailed):
    code = "bad_open_places"


def create_team(event: Event, user: User, name: str, description: str = "") -> Team:
    """A participant without a team creates one during team formation and becomes captain."""
    rules.require_participant(user, event)
    rules.require_formation_open(event)
    rules.require_free(user, event)
    name = rules.clean_name(name)
    rules.require_unique_name(event, name)
    team = Team(
        event_id=event.id,
        name=name,
        captain_id=user.id,
        invite_code=rules.new_invite_code(),
        description=(description or "").strip()[:2000],
        open_places=0,
        wanted_skills="",
    )
    db.session.add(team)
    rules.store_name(team, name)
    rules.add_member(team, user)
    return team


def join_by_code(event: Event, user: User, code: str) -> Team:
    """A participant joins the team of this event whose invite code they were given."""
    rules.require_participant(user, event)
    code = rules.normalize_code(code)
    team = (
        db.session.scalar(select(Team).where(Team.event_id == event.id, Team.invite_code == code))
        if code
        else None
    )
    if team is None:
        raise rules.BadInviteCode()
    rules.require_unlocked(team)
    rules.require_free(user, event)
    _join(team, user)
    return team


def _join(team: Team, user: User) -> TeamMember:
    member = rules.add_member(team, user)
    if team.open_places:
        team.open_places = max(0, team.open_places - 1)
    return member


def request_to_join(event: Event, team: Team, user: User, message: str = "") -> JoinRequest:
    """A participant without a team asks a team with room to take them."""
    rules.require_participant(user, event)
    rules.require_unlocked(team)
    rules.require_free(user, event)
    if rules.member_count(team) >= event.team_max:
        raise rules.TeamFull()
    pending = [r.team_id for r in rules.pending_requests_of(event, user)]
    if team.id in pending:
        raise RequestExists()
    if len(pending) >= PENDING_LIMIT:
        raise TooManyRequests()
    request = JoinRequest(
        team_id=team.id,
        user_id=user.id,
        message=(message or "").strip()[:MESSAGE_MAX],
        status=RequestStatus.PENDING,
    )
    db.session.add(request)
    db.session.flush()
    notices.request_made(request)
    return request


def _pending_request(team: Team, request_id: int) -> JoinRequest:
    request = db.session.get(JoinRequest, request_id)
    if request is None or request.team_id != team.id:
        raise NotFound()
    if request.status != RequestStatus.PENDING:
        raise RequestNotPending()
    return request


def decide_request(team: Team, actor: User, request_id: int, accept: bool) -> JoinRequest:
    """The captain accepts (the size limit still holds) or declines a request."""
    rules.require_captain(actor, team)
    rules.require_unlocked(team)
    request = _pending_request(team, request_id)
    if accept:
        if rules.team_of(request.user, team.event) is not None:
            raise RequestNotPending()
        _join(team, request.user)
        request.status = RequestStatus.ACCEPTED
    else:
        request.status = RequestStatus.DECLINED
    request.decided_at = utcnow()
    db.session.flush()
    notices.request_decided(request, accepted=accept)
    return request


def cancel_request(event: Event, user: User, request_id: int) -> None:
    """The person who asked withdraws their request."""
    request = db.session.get(JoinRequest, request_id)
    if request is None or request.user_id != user.id or request.team.event_id != event.id:
        raise NotFound()
    if request.status != RequestStatus.PENDING:
        raise RequestNotPending()
    request.status = RequestStatus.CANCELLED
    request.decided_at = utcnow()
    db.session.flush()


def pending_requests(team: Team) -> list[JoinRequest]:
    """Requests waiting for the captain, oldest first."""
    return list(
        db.session.scalars(
            select(JoinRequest)
            .where(JoinRequest.team_id == team.id, JoinRequest.status == RequestStatus.PENDING)
            .order_by(JoinRequest.created_at, JoinRequest.id)
        )
    )


def my_requests(event: Event, user: User) -> list[JoinRequest]:
    """The user's requests in this event that no captain has answered yet."""
    return rules.pending_requests_of(event, user)


def leave_team(team: Team, user: User) -> bool:
    """A member leaves while the team is open; returns True if the team is now gone."""
    if not rules.is_member(user, team):
        raise NotFound()
    rules.require_unlocked(team)
    return rules.remove_member(team, user)


def remove_from_team(team: Team, actor: User, user_id: int) -> User:
    """The captain takes another member out of the team while it is open."""
    rules.require_captain(actor, team)
    rules.require_unlocked(team)
    if user_id == actor.id:
        raise Conflict(_l("To leave the team yourself, use “Leave the team”."))
    user = rules.member_user(team, user_id)
    rules.remove_member(team, user)
    return user


def transfer_captaincy(team: Team, actor: User, user_id: int) -> User:
    """The captain hands the captaincy to another member."""
    rules.require_captain(actor, team)
    rules.require_unlocked(team)
    user = rules.member_user(team, user_id)
    handed_over = team.captain_id != user.id
    team.captain_id = user.id
    db.session.flush()
    if handed_over:
        notices.captain_named(team, user)
    return user


def rename_team(team: Team, actor: User, name: str) -> Team:
    """The captain renames the team; names stay unique in the event."""
    rules.require_captain(actor, team)
    rules.require_unlocked(team)
    name = rules.clean_name(name)
    rules.require_unique_name(team.event, name, team)
    rules.store_name(team, name)
    return team


def regenerate_code(team: Team, actor: User) -> str:
    """The captain replaces the invite code; the old one stops working at once."""
    rules.require_captain(actor, team)
    rules.require_unlocked(team)
    team.invite_code = rules.new_invite_code()
    db.session.flush()
    return team.invite_code


def set_open_places(team: Team, actor: User, open_places: int, wanted_skills: str) -> Team:
    """The captain advertises open places (no more than the team has room for) and skills."""
    rules.require_captain(actor, team)
    rules.require_unlocked(team)
    room = team.event.team_max - rules.member_count(team)
    if open_places < 0 or open_places > room:
        raise BadOpenPlaces(
            _l("Open places must be between 0 and %(room)d (the room left in the team).", room=room)
        )
    team.open_places = open_places
    team.wanted_skills = ";".join(rules.split_tags(wanted_skills))
    db.session.flush()
    return team


def team_sizes(event: Event) -> dict[int, int]:
    """Team id → number of members, for the whole event in one query."""
    rows = db.session.execute(
        select(TeamMember.team_id, func.count())
        .where(TeamMember.event_id == event.id)
        .group_by(TeamMember.team_id)
    )
    return dict(rows.all())
