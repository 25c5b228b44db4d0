"""Laying out the pitch day: rooms, slots, and the assignments that follow from them.

The pure scheduler (`judging/logic/schedule.py`) decides; this module feeds it the event's
teams, judges and conflicts and stores its timetable as rooms, slots and assignments, in
one transaction. The whole plan is made and checked before anything is written, so an
impossible day, or one that would throw away scores already given, changes nothing and
says why. See docs/judging.md, "Pitch-day schedule".
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.errors import Conflict, ValidationFailed
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.logic import schedule as algo
from hackathon.judging.models import (
    Assignment,
    AssignmentStatus,
    PitchSchedule,
    PitchSlot,
    Room,
    Score,
)
from hackathon.judging.rules import lock_assignments, ranked_work
from hackathon.judging.services.assignments import (
    _judges,
    _slots,
    explain,
    teams_in_scope,
    tell_judges,
)
from hackathon.judging.services.conflicts import conflict_map
from hackathon.judging.services.reassign import remove_assignment
from hackathon.submissions.models import Submission
from hackathon.teams.models import Team

MAX_ROOMS = 20


class ScheduleImpossible(Conflict):
    code = "schedule_infeasible"
    message = _l("The schedule cannot be made as asked; nothing was changed.")


class ScoresInTheWay(Conflict):
    code = "scores_in_the_way"
    message = _l(
        "This schedule would remove assignments that already have scores; nothing was changed."
    )


@dataclass(frozen=True)
class DayShape:
    """What an organizer asks for: the rooms (by name, in order), the first pitch, the slot
    length, a break after every `break_every` slots (0: none) and the seed (None: new)."""

    rooms: list[str]
    starts_at: datetime
    slot_minutes: int
    break_every: int = 0
    break_minutes: int = 0
    seed: int | None = None


@dataclass
class Preview:
    """A timetable with the names to show it, before (or after) it is stored."""

    table: algo.Timetable
    rooms: list[str]
    teams: dict[int, str]
    judges: dict[int, str]
    seed: int
    k: int
    lines: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "room": self.rooms[s.room],
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "team": self.teams[s.team_id],
                "judges": [self.judges.get(j, str(j)) for j in s.judge_ids],
            }
            for s in self.table.slots
        ]


@dataclass(frozen=True)
class Applied:
    """What storing a schedule did."""

    slots: int
    created: int
    kept: int
    removed: int
    connected: bool
    seed: int


def default_room_names(count: int, existing: list[str]) -> list[str]:
    """The event's rooms in order, then new ones named by their number."""
    names = list(existing[:count])
    n = len(names)
    while len(names) < count:
        n += 1
        name = str(_l("Room %(n)d", n=n))
        if name not in names:
            names.append(name)
    return names


def rooms_of(event: Event) -> list[Room]:
    return list(
        db.session.scalars(
            select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)
        )
    )


def settings_of(event: Event) -> PitchSchedule | None:
    return db.session.scalar(select(PitchSchedule).where(PitchSchedule.event_id == event.id))


def check_shape(shape: DayShape) -> None:
    """Refuse settings that cannot describe a day, naming each field."""
    problems: dict[str, Any] = {}
    names = [n.strip() for n in shape.rooms]
    if not names or len(names) > MAX_ROOMS:
        problems["rooms"] = _l("Give between 1 and %(max)d rooms.", max=MAX_ROOMS)
    elif any(not n or len(n) > 100 for n in names) or len(set(names)) != len(names):
        problems["rooms"] = _l("Each room needs its own name (up to 100 characters).")
    if not 1 <= shape.slot_minutes <= 240:
        problems["slot_minutes"] = _l("A slot lasts from 1 to 240 minutes.")
    if not 0 <= shape.break_every <= 100:
        problems["break_every"] = _l("A break comes after 0 (no breaks) to 100 slots.")
    if not 0 <= shape.break_minutes <= 240:
        problems["break_minutes"] = _l("A break lasts from 0 to 240 minutes.")
    if shape.starts_at.tzinfo is None:
        problems["start"] = _l("Give the start with its time zone.")
    if problems:
        message = " ".join(str(m) for m in problems.values())
        raise ValidationFailed(message, fields=problems)


def make_plan(event: Event, shape: DayShape) -> Preview:
    """The timetable these settings give, computed in full; raises `ScheduleImpossible`
    with one line per reason. Writes nothing."""
    check_shape(shape)
    seed = secrets.randbelow(2**31) if shape.seed is None else shape.seed
    teams = teams_in_scope(event, all_teams=True)
    judges = _judges(event)
    conflicts = sorted(conflict_map(event, [j.id for j in judges], [t.id for t in teams]))
    settings = algo.Settings(
        rooms=len(shape.rooms),
        k=event.judges_per_submission,
        start=shape.starts_at,
        slot_minutes=shape.slot_minutes,
        break_every=shape.break_every,
        break_minutes=shape.break_minutes,
        seed=seed,
    )
    try:
        table = algo.plan(_slots(teams), judges, settings, conflicts)
    except algo.Infeasible as error:
        lines = _explain(event, error.reasons)
        raise ScheduleImpossible(
            "\n".join([str(ScheduleImpossible.message), *lines]), missing=lines
        ) from None
    names = dict(
        db.session.execute(
            select(User.id, User.name).where(User.id.in_([j.id for j in judges]))
        ).all()
    )
    preview = Preview(
        table=table,
        rooms=[n.strip() for n in shape.rooms],
        teams={t.id: t.name for t in teams},
        judges=names,
        seed=seed,
        k=settings.k,
    )
    if not table.connected and table.slots:
        preview.lines.append(
            str(
                _l(
                    "The panels do not link every judge with every other (too few teams or "
                    "conflicts); normalized scores compare judges only within each group."
                )
            )
        )
    return preview


def _explain(event: Event, reasons: list[algo.Reason]) -> list[str]:
    teams = dict(
        db.session.execute(select(Team.id, Team.name).where(Team.event_id == event.id)).all()
    )
    lines = []
    for reason in reasons:
        if isinstance(reason, algo.TooFewJudgesForRooms):
            lines.append(
                str(
                    _l(
                        "%(rooms)d rooms with %(k)d judges each need %(seats)d judges at the "
                        "same time, but the event has %(judges)d; use at most %(most)d rooms.",
                        rooms=reason.rooms,
                        k=reason.k,
                        seats=reason.rooms * reason.k,
                        judges=reason.judges,
                        most=reason.judges // reason.k,
                    )
                )
            )
        elif isinstance(reason, algo.NoPanelFits):
            names = ", ".join(f"“{teams.get(t, t)}”" for t in reason.team_ids)
            lines.append(
                str(
                    _l(
                        "No room's panel can judge %(teams)s without a conflict of interest; "
                        "try fewer rooms, or add judges.",
                        teams=names,
                    )
                )
            )
        else:
            lines += explain(event, [reason])
    return lines


def apply_schedule(event: Event, shape: DayShape) -> Applied:
    """Make the pitch day the event's assignments: rooms, one slot per team, and each team's
    panel as its judges, every judge's queue in pitch order.

    Assignments the day keeps (same judge, same team) stay with their scores; the others
    are removed, and if any of those has scores the whole change is refused. Judges with
    new teams are told once.
    """
    lock_assignments(event)
    preview = make_plan(event, shape)
    table = preview.table
    wanted = set(table.pairs)
    # The pitch panels are the ranking work: calibration copies and shadows sit beside them.
    current = list(db.session.scalars(select(Assignment).where(ranked_work(event.id))))
    going = [a for a in current if (a.judge_id, a.team_id) not in wanted]
    _refuse_scored(event, going)
    for assignment in going:
        remove_assignment(assignment, "schedule")
    kept = {(a.judge_id, a.team_id): a for a in current if (a.judge_id, a.team_id) in wanted}
    rooms = _store_rooms(event, preview.rooms)
    for slot in table.slots:
        db.session.add(
            PitchSlot(
                event_id=event.id,
                room_id=rooms[slot.room].id,
                team_id=slot.team_id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
            )
        )
    submissions = dict(
        db.session.execute(
            select(Submission.team_id, Submission.id).where(Submission.event_id == event.id)
        ).all()
    )
    new_work: Counter[int] = Counter()
    for judge_id, queue in table.queues.items():
        for position, team_id in enumerate(queue, start=1):
            found = kept.get((judge_id, team_id))
            if found is not None:
                found.position = position
                continue
            db.session.add(
                Assignment(
                    event_id=event.id,
                    judge_id=judge_id,
                    team_id=team_id,
                    submission_id=submissions.get(team_id),
                    status=AssignmentStatus.TO_DO,
                    position=position,
                )
            )
            new_work[judge_id] += 1
    _store_settings(event, shape, preview.seed)
    db.session.flush()
    tell_judges(event, new_work)
    applied = Applied(
        slots=len(table.slots),
        created=sum(new_work.values()),
        kept=len(kept),
        removed=len(going),
        connected=table.connected,
        seed=preview.seed,
    )
    audit.record(
        "schedule.applied",
        event_id=event.id,
        rooms=preview.rooms,
        starts_at=shape.starts_at.isoformat(),
        slot_minutes=shape.slot_minutes,
        break_every=shape.break_every,
        break_minutes=shape.break_minutes,
        seed=preview.seed,
        slots=applied.slots,
        created=applied.created,
        kept=applied.kept,
        removed=applied.removed,
    )
    return applied


def _refuse_scored(event: Event, going: list[Assignment]) -> None:
    ids = [a.id for a in going]
    scored = set(
        db.session.scalars(
            select(Score.assignment_id)
            .where(Score.assignment_id.in_(ids))
            .group_by(Score.assignment_id)
            .having(func.count(Score.id) > 0)
        )
    )
    blocked = [a for a in going if a.id in scored or a.status == AssignmentStatus.SUBMITTED]
    if not blocked:
        return
    lines = [
        str(
            _l(
                "%(judge)s has already scored team “%(team)s”.",
                judge=a.judge.name,
                team=a.team.name,
            )
        )
        for a in sorted(blocked, key=lambda a: (a.judge.name, a.team.name))
    ]
    raise ScoresInTheWay("\n".join([str(ScoresInTheWay.message), *lines]), missing=lines)


def _store_rooms(event: Event, names: list[str]) -> list[Room]:
    """The event's rooms become `names`, in order; a room keeps its id (and its projector
    address) when its name stays, or else takes the place of one that goes."""
    existing = rooms_of(event)
    by_name = {r.name: r for r in existing}
    spare = [r for r in existing if r.name not in names]
    rooms: list[Room] = []
    for position, name in enumerate(names):
        room = by_name.get(name) or (spare.pop(0) if spare else None)
        if room is None:
            room = Room(event_id=event.id, name=name)
            db.session.add(room)
        rooms.append(room)
        room.position = position
    for room in rooms:  # two steps, so that swapping two names never breaks uniqueness
        if room.name != names[room.position] and room.id is not None:
            room.name = f"~{room.id}~"
    db.session.flush()
    for room in rooms:
        room.name = names[room.position]
    db.session.execute(delete(PitchSlot).where(PitchSlot.event_id == event.id))
    for room in spare:
        db.session.delete(room)
    db.session.flush()
    return rooms


def _store_settings(event: Event, shape: DayShape, seed: int) -> None:
    found = settings_of(event) or PitchSchedule(event_id=event.id)
    found.starts_at = shape.starts_at
    found.slot_minutes = shape.slot_minutes
    found.break_every = shape.break_every
    found.break_minutes = shape.break_minutes
    found.seed = seed
    db.session.add(found)
