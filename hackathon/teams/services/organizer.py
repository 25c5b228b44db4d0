"""What organizers do with teams at any phase: move people, lock and unlock, set tracks,
captains and mentors, form teams automatically. Every change is recorded in the audit log."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.errors import Conflict, NotFound, ValidationFailed
from hackathon.events.models import Event, EventRole, Role
from hackathon.events.services import roles_of
from hackathon.extensions import db
from hackathon.teams import rules
from hackathon.teams.logic import autoform as forming
from hackathon.teams.logic import repeats as repeating
from hackathon.teams.models import Team, TeamMember, TeamMentor, Track
from hackathon.teams.services import notices
from hackathon.teams.services.formation import team_sizes
from hackathon.teams.services.tracks import put_on_track

# New teams are named in the language of whoever forms them ("Team 3", "팀 3").
DEFAULT_NAME_FORMAT = _l("Team {n}")


class TrackFull(Conflict):
    code = "track_full"
    message = _l("That track has no place left.")


class CannotAutoform(ValidationFailed):
    code = "cannot_autoform"


class StaleAutoform(Conflict):
    code = "stale_autoform"
    message = _l(
        "The people without a team changed since the preview. Look at the new preview and "
        "confirm again."
    )


# ---------------------------------------------------------------- the board


@dataclass
class TrackLoad:
    track: Track
    teams: int

    @property
    def left(self) -> int:
        return self.track.capacity - self.teams


@dataclass
class TeamRow:
    team: Team
    size: int
    under: bool
    locked: bool


@dataclass
class Board:
    teams: list[TeamRow]
    tracks: list[TrackLoad]
    without_team: list[User]
    members: int
    under_size: int = field(default=0)
    without_track: int = field(default=0)


def team_rows(event: Event, with_members: bool = False) -> list[TeamRow]:
    """Every team of the event with its size, whether it is under-size and locked."""
    sizes = team_sizes(event)
    return [
        TeamRow(t, sizes.get(t.id, 0), sizes.get(t.id, 0) < event.team_min, rules.is_locked(t))
        for t in rules.teams_of(event, with_members)
    ]


def track_loads(event: Event) -> list[TrackLoad]:
    """Each track of the event with the number of teams on it."""
    counts = dict(
        db.session.execute(
            select(Team.track_id, func.count())
            .where(Team.event_id == event.id, Team.track_id.is_not(None))
            .group_by(Team.track_id)
        ).all()
    )
    return [TrackLoad(t, counts.get(t.id, 0)) for t in rules.tracks_of(event)]


def board(event: Event) -> Board:
    """Counts for the organizers: teams and their sizes, under-size teams, people without a
    team, and how full each track is."""
    rows = team_rows(event, with_members=True)
    return Board(
        teams=rows,
        tracks=track_loads(event),
        without_team=people_without_team(event),
        members=sum(r.size for r in rows),
        under_size=sum(1 for r in rows if r.under),
        without_track=sum(1 for r in rows if r.team.track_id is None),
    )


# ---------------------------------------------------------------- people and teams


def people_without_team(event: Event) -> list[User]:
    """Participants of the event who are in no team, by name."""
    in_team = select(TeamMember.user_id).where(TeamMember.event_id == event.id)
    return list(
        db.session.scalars(
            select(User)
            .join(EventRole, EventRole.user_id == User.id)
            .where(
                EventRole.event_id == event.id,
                EventRole.role == Role.PARTICIPANT,
                User.id.not_in(in_team),
            )
            .order_by(User.name, User.id)
        )
    )


def _participant(event: Event, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not rules.is_participant(user, event):
        raise NotFound()
    return user


def move_member(event: Event, user_id: int, team_id: int | None) -> Team | None:
    """Put a participant in another team (or in none). The size limit holds; a team left
    empty disappears."""
    user = _participant(event, user_id)
    target = rules.get_team(event, team_id) if team_id else None
    current = rules.team_of(user, event)
    if current is not None and target is not None and current.id == target.id:
        return target
    if target is not None and rules.member_count(target) >= event.team_max:
        raise rules.TeamFull()
    if current is not None:
        deleted = rules.remove_member(current, user)
        audit.record(
            "team.member_removed",
            event_id=event.id,
            subject=current,
            user_id=user.id,
            team_deleted=deleted,
        )
    if target is not None:
        rules.add_member(target, user)
        audit.record("team.member_added", event_id=event.id, subject=target, user_id=user.id)
    return target


def set_lock(team: Team, locked: bool | None) -> Team:
    """Lock a team before the event-wide lock, unlock it after, or follow the schedule."""
    team.locked = locked
    audit.record("team.lock_set", event_id=team.event_id, subject=team, locked=locked)
    db.session.flush()
    return team


def set_track(team: Team, track_id: int | None) -> Team:
    """Put a team on a track with a place left (or on none)."""
    track = rules.get_track(team.event, track_id) if track_id else None
    if track is not None and team.track_id != track.id:
        # The track row is taken for this transaction first, so that two moves to its last
        # place are counted one after the other (SELECT … FOR UPDATE on PostgreSQL).
        db.session.scalar(select(Track.id).where(Track.id == track.id).with_for_update())
        taken = (
            db.session.scalar(
                select(func.count()).select_from(Team).where(Team.track_id == track.id)
            )
            or 0
        )
        if taken >= track.capacity:
            raise TrackFull()
    put_on_track(team, track.id if track else None, via="board")
    return team


def set_captain(team: Team, user_id: int) -> User:
    user = rules.member_user(team, user_id)
    if team.captain_id != user.id:
        audit.record(
            "team.captain_set",
            event_id=team.event_id,
            subject=team,
            user_id=user.id,
            previous=team.captain_id,
        )
        team.captain_id = user.id
        db.session.flush()
        notices.captain_named(team, user)
    return user


def rename(team: Team, name: str) -> Team:
    name = rules.clean_name(name)
    rules.require_unique_name(team.event, name, team)
    if team.name != name:
        audit.record(
            "team.renamed", event_id=team.event_id, subject=team, name=name, previous=team.name
        )
        rules.store_name(team, name)
    return team


def mentors_available(event: Event) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(EventRole, EventRole.user_id == User.id)
            .where(EventRole.event_id == event.id, EventRole.role == Role.MENTOR)
            .order_by(User.name)
        )
    )


def add_mentor(team: Team, user_id: int) -> User:
    """Make a mentor of the event a mentor of this team (idempotent)."""
    user = db.session.get(User, user_id)
    if user is None or Role.MENTOR not in roles_of(user, team.event):
        raise NotFound()
    exists = db.session.scalar(
        select(TeamMentor.id).where(TeamMentor.team_id == team.id, TeamMentor.user_id == user.id)
    )
    if not exists:
        db.session.add(TeamMentor(team_id=team.id, user_id=user.id))
        audit.record("team.mentor_added", event_id=team.event_id, subject=team, user_id=user.id)
        db.session.flush()
    return user


def remove_mentor(team: Team, user_id: int) -> None:
    row = db.session.scalar(
        select(TeamMentor).where(TeamMentor.team_id == team.id, TeamMentor.user_id == user_id)
    )
    if row is None:
        raise NotFound()
    db.session.delete(row)
    audit.record("team.mentor_removed", event_id=team.event_id, subject=team, user_id=user_id)
    db.session.flush()


# ---------------------------------------------------------------- forming teams in bulk


def free_name(event: Event, name_format: str, start: int = 1) -> tuple[str, int]:
    """The first `name_format` (with `{n}`) from `start` on that no team of the event uses."""
    taken = {
        n.lower() for n in db.session.scalars(select(Team.name).where(Team.event_id == event.id))
    }
    n = start
    while name_format.format(n=n).lower() in taken:
        n += 1
    return name_format.format(n=n), n


def create_teams(
    event: Event,
    groups: list[list[User]],
    names: list[str] | None = None,
    name_format: str | None = None,
) -> list[Team]:
    """Create one team per group, the first person as captain; nobody may be in a team yet."""
    name_format = name_format or str(DEFAULT_NAME_FORMAT)
    teams = []
    number = 0
    for index, group in enumerate(groups):
        if names is not None:
            name = rules.clean_name(names[index])
            rules.require_unique_name(event, name)
        else:
            name, number = free_name(event, name_format, number + 1)
        team = Team(
            event_id=event.id,
            name=name,
            captain_id=group[0].id,
            invite_code=rules.new_invite_code(),
            description="",
            open_places=0,
            wanted_skills="",
        )
        db.session.add(team)
        rules.store_name(team, name)
        for user in group:
            rules.add_member(team, user)
        audit.record(
            "team.created",
            event_id=event.id,
            subject=team,
            name=team.name,
            members=[u.id for u in group],
        )
        teams.append(team)
    return teams


@dataclass(frozen=True)
class AutoformPlan:
    groups: list[list[User]]
    fingerprint: str
    seed: int
    # With `avoid_repeats`: how many pairs were teammates before, and why some remain.
    repeats: repeating.RepeatPlan | None = None

    @property
    def people(self) -> int:
        return sum(len(g) for g in self.groups)


def past_teams(event: Event) -> list[repeating.PastTeam]:
    """The teams of the program's other events that have teams: who was together before.
    An event outside any program has no earlier events."""
    if event.program_id is None:
        return []
    teams = db.session.scalars(
        select(Team)
        .join(Event, Event.id == Team.event_id)
        .where(Event.program_id == event.program_id, Event.id != event.id)
        .options(joinedload(Team.event), selectinload(Team.members))
        .order_by(Team.event_id, Team.name)
    )
    return [
        repeating.PastTeam(
            f"{team.name} · {team.event.display_name}",
            frozenset(m.user_id for m in team.members),
        )
        for team in teams
        if len(team.members) > 1
    ]


def plan_autoform(event: Event, seed: int = 0, avoid_repeats: bool = False) -> AutoformPlan:
    """Group the participants without a team into teams within the size bounds, spreading
    skills evenly; with `avoid_repeats`, keeping apart people who were teammates in the
    program's other events as far as the bounds allow. Nothing is written."""
    people = people_without_team(event)
    by_id = {u.id: u for u in people}
    persons = [forming.Person(u.id, frozenset(u.skill_list)) for u in people]
    repeats = None
    try:
        if avoid_repeats:
            repeats = repeating.avoid_repeats(
                persons, event.team_min, event.team_max, past_teams(event), seed=seed
            )
            groups = repeats.groups
        else:
            groups = forming.autoform(persons, event.team_min, event.team_max, seed=seed)
    except forming.CannotForm:
        raise CannotAutoform(
            _l(
                "%(n)d people without a team cannot be split into teams of %(min)d to %(max)d.",
                n=len(people),
                min=event.team_min,
                max=event.team_max,
            )
        ) from None
    digest = hashlib.sha256(
        f"{event.id}:{event.team_min}:{event.team_max}:{seed}:{avoid_repeats}:{sorted(by_id)}".encode()
    ).hexdigest()[:20]
    return AutoformPlan([[by_id[i] for i in g] for g in groups], digest, seed, repeats)


def repeat_lines(plan: AutoformPlan) -> list[str]:
    """What the preview says about repeat teammates: how many pairs remain and why."""
    found = plan.repeats
    if found is None:
        return []
    if found.repeats == 0:
        return [
            ngettext(
                "Nobody is placed with a former teammate (plain grouping: %(num)d pair).",
                "Nobody is placed with a former teammate (plain grouping: %(num)d pairs).",
                found.baseline,
            )
        ]
    lines = [
        ngettext(
            "%(num)d pair of new teammates were teammates before (plain grouping: %(baseline)d).",
            "%(num)d pairs of new teammates were teammates before (plain grouping: %(baseline)d).",
            found.repeats,
            baseline=found.baseline,
        )
    ]
    if found.forced == found.repeats:
        lines.append(_("No grouping within the team sizes does better:"))
    else:
        lines.append(
            ngettext(
                "At least %(num)d of them cannot be avoided within the team sizes; the rest "
                "is as far as swapping people gets while keeping skills spread:",
                "At least %(num)d of them cannot be avoided within the team sizes; the rest "
                "is as far as swapping people gets while keeping skills spread:",
                found.forced,
            )
        )
    for reason in found.reasons:
        lines.append(
            ngettext(
                "the %(people)d people of “%(team)s” were together before and can spread "
                "over only %(teams)d new teams, so at least %(num)d pair stays together.",
                "the %(people)d people of “%(team)s” were together before and can spread "
                "over only %(teams)d new teams, so at least %(num)d pairs stay together.",
                reason.pairs,
                people=reason.together,
                team=reason.label,
                teams=reason.teams,
            )
        )
    return lines


def apply_autoform(
    event: Event,
    fingerprint: str | None = None,
    seed: int = 0,
    name_format: str | None = None,
    avoid_repeats: bool = False,
) -> list[Team]:
    """Create the previewed teams; refused if the people without a team changed meanwhile."""
    plan = plan_autoform(event, seed, avoid_repeats)
    if fingerprint is not None and fingerprint != plan.fingerprint:
        raise StaleAutoform()
    teams = create_teams(event, plan.groups, name_format=name_format)
    audit.record(
        "teams.autoformed",
        event_id=event.id,
        teams=len(teams),
        people=plan.people,
        avoid_repeats=avoid_repeats,
        repeats=plan.repeats.repeats if plan.repeats else None,
    )
    return teams
