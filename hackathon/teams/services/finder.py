"""Team finder: people looking for a team, teams with open places, filtered by skill."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from hackathon.accounts.models import User
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.teams import rules
from hackathon.teams.models import Seeker, Team
from hackathon.teams.services.formation import team_sizes

NOTE_MAX = 500


@dataclass(frozen=True)
class OpenTeam:
    team: Team
    size: int
    room: int
    wanted: list[str]


def mark_looking(event: Event, user: User, skills: str, note: str = "") -> Seeker:
    """A participant without a team shows they are looking for one, with their skills."""
    rules.require_participant(user, event)
    rules.require_formation_open(event)
    rules.require_free(user, event)
    tags = rules.split_tags(skills)
    if tags:
        user.skills = ";".join(tags)
    seeker = db.session.scalar(
        select(Seeker).where(Seeker.event_id == event.id, Seeker.user_id == user.id)
    )
    if seeker is None:
        seeker = Seeker(event_id=event.id, user_id=user.id)
        db.session.add(seeker)
    seeker.note = (note or "").strip()[:NOTE_MAX]
    db.session.flush()
    return seeker


def stop_looking(event: Event, user: User) -> None:
    seeker = db.session.scalar(
        select(Seeker).where(Seeker.event_id == event.id, Seeker.user_id == user.id)
    )
    if seeker is not None:
        db.session.delete(seeker)
        db.session.flush()


def seeker_of(event: Event, user: User) -> Seeker | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Seeker).where(Seeker.event_id == event.id, Seeker.user_id == user.id)
    )


def seekers(event: Event, skill: str = "") -> list[Seeker]:
    """People looking for a team, newest first; with a skill, only those who have it."""
    rows = db.session.scalars(
        select(Seeker)
        .join(User, User.id == Seeker.user_id)
        .options(contains_eager(Seeker.user))
        .where(Seeker.event_id == event.id)
        .order_by(Seeker.created_at.desc(), Seeker.id.desc())
    ).all()
    skill = skill.strip().lower()
    return [s for s in rows if not skill or skill in s.user.skill_list]


def open_teams(event: Event, skill: str = "") -> list[OpenTeam]:
    """Teams still open to change that advertise places and have room; optionally by skill."""
    sizes = team_sizes(event)
    teams = db.session.scalars(
        select(Team).where(Team.event_id == event.id, Team.open_places > 0).order_by(Team.name)
    )
    skill = skill.strip().lower()
    found = []
    for team in teams:
        size = sizes.get(team.id, 0)
        room = min(team.open_places, event.team_max - size)
        wanted = [s for s in team.wanted_skills.split(";") if s]
        if room <= 0 or rules.is_locked(team) or (skill and skill not in wanted):
            continue
        found.append(OpenTeam(team, size, room, wanted))
    return found


def known_skills(event: Event) -> list[str]:
    """Every tag used by seekers or wanted by teams, for the filter's choices."""
    tags: set[str] = set()
    for seeker in seekers(event):
        tags.update(seeker.user.skill_list)
    for team in db.session.scalars(select(Team).where(Team.event_id == event.id)):
        tags.update(s for s in team.wanted_skills.split(";") if s)
    return sorted(tags)
