"""The trainee record: per event of a program the person's team, track, role, submission,
rank and team awards, with their individual awards, peer-review summary and mentor
check-ins. Computed from what the events hold, for many people at once in a fixed number
of queries (one per kind of thing, and one board per event), never one per person.

Who sees which ranks (docs/cohort.md, "Who sees what"): an event's organizers (and site
admins) see its ranks and awards as they stand now; everyone else, the trainee included,
sees them only from a published leaderboard, never from a hidden, live or frozen one.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale
from sqlalchemy import or_, select

from hackathon.accounts.models import User
from hackathon.accounts.rules import Viewer, signed_in
from hackathon.cohort.logic.people import PersonRow
from hackathon.cohort.services.awards import awards_by_person
from hackathon.cohort.services.checkins import checkins_by_person
from hackathon.cohort.services.peer import peer_by_person
from hackathon.errors import DomainError
from hackathon.events.models import Event, EventRole, Phase, Program, Role
from hackathon.extensions import db
from hackathon.leaderboard.models import Award, BoardState, Leaderboard, Snapshot
from hackathon.leaderboard.services import board as boards
from hackathon.submissions.models import Submission
from hackathon.teams.models import Team, TeamMember, Track

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sight:
    """What one reader may see of the records: `current` the events whose ranks and
    awards they see as they stand (the events they organize), `private` whether peer
    review, check-ins and e-mail show (organizers and the trainee themself)."""

    current: frozenset[int] = frozenset()
    private: bool = False
    email: bool = False

    @property
    def public(self) -> bool:
        return not self.private


PUBLIC = Sight()
OWN = Sight(private=True, email=True)


def organized_events(user: Viewer, program: Program) -> frozenset[int]:
    """The program's events this person organizes (all of them for a site admin)."""
    if not signed_in(user):
        return frozenset()
    ids = [e.id for e in program.events]
    if user.is_admin:
        return frozenset(ids)
    return frozenset(
        db.session.scalars(
            select(EventRole.event_id).where(
                EventRole.event_id.in_(ids or [-1]),
                EventRole.user_id == user.id,
                EventRole.role == Role.ORGANIZER,
            )
        )
    )


def organizer_sight(user: Viewer, program: Program) -> Sight:
    return Sight(current=organized_events(user, program), private=True, email=True)


@dataclass
class EventEntry:
    """One event of the record, as plain data."""

    event: Event
    team: dict[str, Any] | None  # {"id", "name"}
    track: str | None
    track_en: str | None
    role: str | None  # "captain", "member", or None without a team
    submission: dict[str, Any] | None  # {"id", "status", "title"}
    rank: int | None
    ranked: int  # how many teams the rank is out of (0: no rank shown)
    source: str  # "current", "published" or "none": where the rank and awards come from
    awards: list[dict[str, Any]] = field(default_factory=list)  # {"id", "name", "name_en"}


@dataclass
class Record:
    user: User
    events: list[EventEntry]
    awards: list[dict[str, Any]]  # individual awards
    peer: dict[str, Any] | None
    checkins: list[dict[str, Any]]

    @property
    def taken_part(self) -> int:
        """Events in which the person was in a team."""
        return sum(1 for e in self.events if e.team is not None)

    @property
    def best_rank(self) -> int | None:
        return min((e.rank for e in self.events if e.rank is not None), default=None)

    @property
    def team_awards(self) -> list[dict[str, Any]]:
        return [a for e in self.events for a in e.awards]

    @property
    def tracks(self) -> set[str]:
        return {t for e in self.events for t in (e.track, e.track_en) if t}


def visible_events(program: Program, sight: Sight) -> list[Event]:
    """The program's events in order; a draft only for its organizers, like the event."""
    return [e for e in program.events if e.phase != Phase.DRAFT or e.id in sight.current]


def trainee_ids(program: Program) -> set[int]:
    """Everyone who takes part in one of the program's events (a participant, or in a team)."""
    ids = [e.id for e in program.events] or [-1]
    return set(
        db.session.scalars(
            select(EventRole.user_id).where(
                EventRole.event_id.in_(ids), EventRole.role == Role.PARTICIPANT
            )
        )
    ) | set(db.session.scalars(select(TeamMember.user_id).where(TeamMember.event_id.in_(ids))))


def records(
    program: Program, sight: Sight, user_ids: Collection[int] | None = None
) -> list[Record]:
    """The records of the program's trainees (or of those among `user_ids`), by name."""
    events = visible_events(program, sight)
    event_ids = [e.id for e in events] or [-1]
    wanted = list(user_ids) if user_ids is not None else None
    entered: dict[int, set[int]] = {}
    role_rows = select(EventRole.user_id, EventRole.event_id).where(
        EventRole.event_id.in_(event_ids), EventRole.role == Role.PARTICIPANT
    )
    member_rows = select(
        TeamMember.user_id,
        TeamMember.event_id,
        Team.id,
        Team.name,
        Team.captain_id,
        Track.name,
        Track.name_en,
    ).join(Team, Team.id == TeamMember.team_id)
    member_rows = member_rows.outerjoin(Track, Track.id == Team.track_id).where(
        TeamMember.event_id.in_(event_ids)
    )
    if wanted is not None:
        role_rows = role_rows.where(EventRole.user_id.in_(wanted or [-1]))
        member_rows = member_rows.where(TeamMember.user_id.in_(wanted or [-1]))
    for user_id, event_id in db.session.execute(role_rows):
        entered.setdefault(user_id, set()).add(event_id)
    teams: dict[tuple[int, int], tuple[Any, ...]] = {}
    for user_id, event_id, *team in db.session.execute(member_rows):
        entered.setdefault(user_id, set()).add(event_id)
        teams[(user_id, event_id)] = tuple(team)
    if not entered:
        return []
    users = db.session.scalars(
        select(User).where(User.id.in_(list(entered))).order_by(User.name, User.id)
    ).all()
    team_ids = {t[0] for t in teams.values()}
    submissions = _submissions(team_ids)
    ranks = _ranks(events, sight)
    team_awards = _team_awards(events, sight)
    ids = [u.id for u in users]
    individual = awards_by_person(program, ids)
    peer = peer_by_person(program, ids) if sight.private else {}
    checkins = checkins_by_person(program, ids) if sight.private else {}
    out = []
    for user in users:
        entries = [
            _entry(event, teams.get((user.id, event.id)), user.id, submissions, ranks, team_awards)
            for event in events
            if event.id in entered[user.id]
        ]
        out.append(
            Record(
                user,
                entries,
                individual.get(user.id, []),
                peer.get(user.id),
                checkins.get(user.id, []),
            )
        )
    return out


def record_of(program: Program, user_id: int, sight: Sight) -> Record | None:
    """One person's record, or None when they take part in none of the program's events."""
    found = records(program, sight, [user_id])
    return found[0] if found else None


def _entry(
    event: Event,
    team: tuple[Any, ...] | None,
    user_id: int,
    submissions: dict[int, dict[str, Any]],
    ranks: dict[int, tuple[str, dict[int, int | None], int]],
    team_awards: dict[int, list[dict[str, Any]]],
) -> EventEntry:
    source, by_team, ranked = ranks.get(event.id, ("none", {}, 0))
    if team is None:
        return EventEntry(event, None, None, None, None, None, None, 0, source)
    team_id, name, captain_id, track, track_en = team
    return EventEntry(
        event=event,
        team={"id": team_id, "name": name},
        track=track,
        track_en=track_en,
        role="captain" if captain_id == user_id else "member",
        submission=submissions.get(team_id),
        rank=by_team.get(team_id),
        ranked=ranked,
        source=source,
        awards=team_awards.get(team_id, []),
    )


def _submissions(team_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = list(team_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Submission.team_id, Submission.id, Submission.status, Submission.title).where(
            Submission.team_id.in_(ids)
        )
    )
    return {
        team_id: {"id": sid, "status": str(status), "title": title}
        for team_id, sid, status, title in rows
    }


def published_events(event_ids: Collection[int]) -> dict[int, int]:
    """The events among these whose results are published, with their publish snapshot."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(Leaderboard.event_id, Leaderboard.snapshot_id).where(
            Leaderboard.event_id.in_(list(event_ids)),
            Leaderboard.state == BoardState.PUBLISHED,
            Leaderboard.snapshot_id.is_not(None),
        )
    )
    return {event_id: snapshot_id for event_id, snapshot_id in rows if snapshot_id is not None}


def _ranks(events: list[Event], sight: Sight) -> dict[int, tuple[str, dict[int, int | None], int]]:
    """Per event: where its ranks come from, each team's rank, and how many are ranked."""
    out: dict[int, tuple[str, dict[int, int | None], int]] = {}
    for event in events:
        if event.id in sight.current:
            try:
                board = boards.compute_board(event)
            except DomainError:  # scores that no longer fit the rubric: no ranks, no crash
                log.warning("cohort record: no ranks for %s", event.slug)
                continue
            out[event.id] = ("current", *_rank_map(board))
    published = published_events([e.id for e in events if e.id not in sight.current])
    if published:
        snapshots = db.session.execute(
            select(Snapshot.event_id, Snapshot.data).where(Snapshot.id.in_(published.values()))
        )
        for event_id, data in snapshots:
            out[event_id] = ("published", *_rank_map(data))
    return out


def _rank_map(board: dict[str, Any]) -> tuple[dict[int, int | None], int]:
    ranks = {r["team"]["id"]: r["rank"] for r in board["rows"]}
    return ranks, sum(1 for rank in ranks.values() if rank is not None)


def _team_awards(events: list[Event], sight: Sight) -> dict[int, list[dict[str, Any]]]:
    """Team awards, for the events whose results this reader may see (as the boards show
    them: only once published to anyone but the event's organizers)."""
    shown = set(sight.current) | set(
        published_events([e.id for e in events if e.id not in sight.current])
    )
    if not shown:
        return {}
    rows = db.session.execute(
        select(Award.team_id, Award.id, Award.name, Award.name_en)
        .where(Award.event_id.in_(shown), Award.team_id.is_not(None))
        .order_by(Award.position, Award.id)
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for team_id, award_id, name, name_en in rows:
        if team_id is None:
            continue
        out.setdefault(team_id, []).append({"id": award_id, "name": name, "name_en": name_en})
    return out


def is_trainee(program: Program, user_id: int) -> bool:
    """Whether the person takes part in one of the program's events."""
    ids = [e.id for e in program.events] or [-1]
    role = select(EventRole.id).where(
        EventRole.event_id.in_(ids),
        EventRole.user_id == user_id,
        EventRole.role == Role.PARTICIPANT,
    )
    member = select(TeamMember.id).where(
        TeamMember.event_id.in_(ids), TeamMember.user_id == user_id
    )
    return bool(db.session.scalar(select(or_(role.exists(), member.exists()))))


def award_label(award: dict[str, Any]) -> str:
    """An award's name in the reader's language (the Korean one when it has no other)."""
    if award.get("name_en") and str(get_locale()) == "en":
        return str(award["name_en"])
    return str(award["name"])


def person_row(record: Record) -> PersonRow:
    """The record as the lists sort and filter it."""
    awards = [*record.team_awards, *record.awards]
    return PersonRow(
        id=record.user.id,
        name=record.user.name,
        events=record.taken_part,
        best_rank=record.best_rank,
        awards=len(awards),
        peer_mean=record.peer["mean"] if record.peer else None,
        tracks=frozenset(record.tracks),
        award_names=frozenset(n for a in awards for n in (a.get("name"), a.get("name_en")) if n),
        skills=frozenset(record.user.skill_list),
    )
