"""Team rules shared by every team use case: lookups, who may change a team, the phase and
lock rules, size bounds, and adding or removing one member safely. Who may see a team is
in `access`.

The use cases themselves live beside this module: `formation` (participants forming teams),
`finder` (looking for a team), `tracks`, `preferences` (ranking and matching), `organizer`
(moves, locks, auto-formation).
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from hackathon.accounts.models import User
from hackathon.accounts.rules import Viewer, signed_in
from hackathon.db import utcnow
from hackathon.errors import Conflict, Forbidden, NotFound, PhaseClosed, ValidationFailed
from hackathon.events.models import Event, EventRole, Phase, Role
from hackathon.events.services import can_view, is_organizer, roles_of
from hackathon.extensions import db
from hackathon.registry import get_registry
from hackathon.teams.models import (
    JoinRequest,
    RequestStatus,
    Seeker,
    Team,
    TeamMember,
    TeamMentor,
    Track,
    TrackPreference,
    TrackRanking,
)

# No 0/O, 1/I/L: codes are read aloud and typed from slides.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
NAME_MAX = 100


class TeamFull(Conflict):
    code = "team_full"
    message = _l("This team is full.")


class AlreadyInTeam(Conflict):
    code = "already_in_team"
    message = _l("You are already in a team in this event. Leave it first.")


class NameTaken(Conflict):
    code = "team_name_taken"
    message = _l("Another team in this event already has this name.")


class TeamLocked(PhaseClosed):
    code = "team_locked"
    message = _l("Teams are locked: only the organizers can change them now.")


class FormationClosed(PhaseClosed):
    code = "formation_closed"
    message = _l("Teams can only be formed while team formation is open.")


class NotParticipant(Forbidden):
    code = "not_participant"
    message = _l("Only participants of this event can be in a team.")


class NotCaptain(Forbidden):
    code = "not_captain"
    message = _l("Only the team's captain can do that.")


class BadInviteCode(ValidationFailed):
    code = "bad_invite_code"
    message = _l("No team in this event has that invite code.")


class BadTeamName(ValidationFailed):
    code = "bad_team_name"
    message = _l("Give the team a name of 1 to 100 characters.")


class TeamHasSubmission(Conflict):
    code = "team_has_submission"
    message = _l("This team has a submission, so it cannot be left without members.")


# ---------------------------------------------------------------- lookups


def get_team(event: Event, team_id: int) -> Team:
    """The team with this id in this event, or NotFound."""
    team = db.session.get(Team, team_id)
    if team is None or team.event_id != event.id:
        raise NotFound()
    return team


def get_track(event: Event, track_id: int) -> Track:
    track = db.session.get(Track, track_id)
    if track is None or track.event_id != event.id:
        raise NotFound()
    return track


def team_of(user: Viewer, event: Event) -> Team | None:
    """The user's team in this event, if any."""
    if not signed_in(user):
        return None
    return db.session.scalar(
        select(Team)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.event_id == event.id, TeamMember.user_id == user.id)
    )


def member_user(team: Team, user_id: int) -> User:
    """The member of the team with this user id, or NotFound."""
    user = db.session.get(User, user_id)
    if user is None or not is_member(user, team):
        raise NotFound()
    return user


def member_count(team: Team) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(TeamMember).where(TeamMember.team_id == team.id)
        )
        or 0
    )


def is_member(user: Viewer, team: Team) -> bool:
    if not signed_in(user):
        return False
    return bool(
        db.session.scalar(
            select(TeamMember.id).where(
                TeamMember.team_id == team.id, TeamMember.user_id == user.id
            )
        )
    )


def tracks_of(event: Event) -> list[Track]:
    """The event's tracks in their order, each with its company (no query per track)."""
    return list(
        db.session.scalars(
            select(Track)
            .options(joinedload(Track.company))
            .where(Track.event_id == event.id)
            .order_by(Track.position, Track.id)
        )
    )


def teams_of(event: Event, with_members: bool = False) -> list[Team]:
    """The event's teams by name with their tracks; `with_members` also loads the members and
    their accounts, in two more queries in all, for pages that list people."""
    query = (
        select(Team)
        .options(joinedload(Team.track).joinedload(Track.company))
        .where(Team.event_id == event.id)
        .order_by(Team.name)
    )
    if with_members:
        query = query.options(selectinload(Team.members).selectinload(TeamMember.user))
    return list(db.session.scalars(query))


def mentors_of(team: Team) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(TeamMentor, TeamMentor.user_id == User.id)
            .where(TeamMentor.team_id == team.id)
            .order_by(User.name)
        )
    )


def is_participant(user: Viewer, event: Event) -> bool:
    return Role.PARTICIPANT in roles_of(user, event)


# ---------------------------------------------------------------- phase and lock rules


def formation_open(event: Event, now: datetime | None = None) -> bool:
    return event.phase_at(now or utcnow()) == Phase.TEAM_FORMATION


def is_locked(team: Team, now: datetime | None = None) -> bool:
    """An organizer's lock or unlock wins; otherwise a team is open only in team formation."""
    if team.locked is not None:
        return bool(team.locked)
    return not formation_open(team.event, now)


def require_formation_open(event: Event) -> None:
    if not formation_open(event):
        raise FormationClosed()


def require_unlocked(team: Team) -> None:
    if is_locked(team):
        raise TeamLocked()


def require_participant(user: Viewer, event: Event) -> None:
    if not is_participant(user, event):
        raise NotParticipant()


def require_captain(user: Viewer, team: Team) -> None:
    if team.captain_id != getattr(user, "id", None):
        if is_member(user, team):
            raise NotCaptain()
        raise NotFound()


def require_free(user: User, event: Event) -> None:
    if team_of(user, event) is not None:
        raise AlreadyInTeam()


def under_size(team: Team, count: int | None = None) -> bool:
    """Below the event's minimum: flagged, never blocked, while teams can still change."""
    return (member_count(team) if count is None else count) < team.event.team_min


# ---------------------------------------------------------------- names and codes


def clean_name(name: str) -> str:
    """A team name as stored and compared: composed Unicode (Hangul arrives composed from
    one keyboard and decomposed from another), without invisible characters, spaces folded."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(
        ch for ch in name if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise BadTeamName()
    return name


def require_unique_name(event: Event, name: str, team: Team | None = None) -> None:
    query = select(Team.id).where(Team.event_id == event.id, func.lower(Team.name) == name.lower())
    if team is not None:
        query = query.where(Team.id != team.id)
    if db.session.scalar(query):
        raise NameTaken()


def store_name(team: Team, name: str) -> None:
    """Give the team a name checked by `require_unique_name`. Two requests can pass that
    check at once; the database's unique constraint then refuses the second, which is
    reported like any taken name (the aborted transaction is rolled back first)."""
    team.name = name
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise NameTaken() from None


def new_invite_code() -> str:
    """A fresh code of CODE_LENGTH characters from `secrets`, unused by any team."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(select(Team.id).where(Team.invite_code == code)):
            return code


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


# ---------------------------------------------------------------- members


def lock_team_row(team: Team) -> Team:
    """Take the team row for this transaction (SELECT … FOR UPDATE on PostgreSQL) and read it
    afresh, so that counting its members afterwards cannot race another join."""
    locked = db.session.scalar(
        select(Team)
        .where(Team.id == team.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked is None:
        raise NotFound()
    return locked


def add_member(team: Team, user: User) -> TeamMember:
    """Put a person in a team: the team row is locked and its members re-counted inside the
    transaction, so two people racing for the last place cannot both get it."""
    team = lock_team_row(team)
    if member_count(team) >= team.event.team_max:
        raise TeamFull()
    if team_of(user, team.event) is not None:
        raise AlreadyInTeam()
    member = TeamMember(event_id=team.event_id, team_id=team.id, user_id=user.id)
    db.session.add(member)
    try:
        db.session.flush()
    except IntegrityError:
        # The unique (event, user) constraint: the same person joined another team in a
        # concurrent transaction. The database has aborted this one; roll it back so the
        # refusal can still be explained to the user.
        db.session.rollback()
        raise AlreadyInTeam() from None
    if team.captain_id is None:
        team.captain_id = user.id
    _settle_after_joining(team.event, user)
    db.session.flush()
    return member


def pending_requests_of(event: Event, user: User) -> list[JoinRequest]:
    """The user's requests to join teams of this event that no captain has answered yet."""
    return list(
        db.session.scalars(
            select(JoinRequest)
            .join(Team, Team.id == JoinRequest.team_id)
            .where(
                Team.event_id == event.id,
                JoinRequest.user_id == user.id,
                JoinRequest.status == RequestStatus.PENDING,
            )
            .order_by(JoinRequest.created_at, JoinRequest.id)
        )
    )


def _settle_after_joining(event: Event, user: User) -> None:
    """Someone in a team is no longer looking for one, nor asking other teams."""
    db.session.execute(delete(Seeker).where(Seeker.event_id == event.id, Seeker.user_id == user.id))
    for request in pending_requests_of(event, user):
        request.status = RequestStatus.CANCELLED
        request.decided_at = utcnow()


def remove_member(team: Team, user: User) -> bool:
    """Take a person out of a team. The captaincy passes to the longest-standing member; an
    empty team disappears. Returns True if the team was deleted.

    The team row is locked first and its members read afresh: someone joining at the same
    moment either is seen here or waits, so the team is never deleted under a newcomer."""
    team = lock_team_row(team)
    db.session.expire(team, ["members"])
    member = next((m for m in team.members if m.user_id == user.id), None)
    if member is None:
        raise NotFound()
    remaining = [m for m in team.members if m.user_id != user.id]
    if not remaining:
        delete_team(team)
        return True
    team.members.remove(member)
    db.session.delete(member)
    if team.captain_id == user.id:
        team.captain_id = remaining[0].user_id
    db.session.flush()
    return False


def delete_team(team: Team) -> None:
    """Remove a team and the rows that only make sense with it."""
    if get_registry().held_teams([team.id]):  # a submission, for one
        raise TeamHasSubmission()
    for model in (JoinRequest, TeamMentor, TrackPreference, TrackRanking):
        db.session.execute(delete(model).where(model.team_id == team.id))
    db.session.delete(team)  # its members go with it (the relationship's cascade)
    db.session.flush()


def split_tags(raw: str) -> list[str]:
    """Skill tags from free text: `;`, `,` or spaces between them; lowercase, no repeats."""
    seen: dict[str, None] = {}
    for part in (raw or "").replace(",", ";").replace(" ", ";").split(";"):
        tag = part.strip().lower()[:30]
        if tag:
            seen[tag] = None
    return list(seen)[:12]


# Who may see a team: its members and mentors, the mentors and representatives of its
# track's company, the judges assigned to it, and the organizers. Everyone else gets 404.


def company_ids_of(user: Viewer, event: Event) -> set[int]:
    """Companies the user works for as a mentor or company rep in this event."""
    if not signed_in(user):
        return set()
    rows = db.session.scalars(
        select(EventRole.company_id).where(
            EventRole.event_id == event.id,
            EventRole.user_id == user.id,
            EventRole.role.in_([Role.MENTOR, Role.COMPANY_REP]),
            EventRole.company_id.is_not(None),
        )
    )
    return {company_id for company_id in rows if company_id is not None}


def can_view_team(user: Viewer, team: Team) -> bool:
    """Members, its mentors, its track company's mentors and reps, its assigned judges and
    the organizers; nobody else learns that the team's details exist. A draft event's teams
    are its organizers' alone, like the event itself."""
    if not signed_in(user):
        return False
    event = team.event
    if is_organizer(user, event):
        return True
    if not can_view(user, event):
        return False
    if is_member(user, team):
        return True
    if db.session.scalar(
        select(TeamMentor.id).where(TeamMentor.team_id == team.id, TeamMentor.user_id == user.id)
    ):
        return True
    if team.track is not None and team.track.company_id in company_ids_of(user, event):
        return True
    # Others who may see it, added by the features above (judging: its assigned judges).
    return any(may_see(user, team) for may_see in get_registry().team_viewers)


def visible_team(user: Viewer, event: Event, team_id: int) -> Team:
    """The team if the user may see it; NotFound otherwise (no hint that it exists)."""
    team = get_team(event, team_id)
    if not can_view_team(user, team):
        raise NotFound()
    return team
