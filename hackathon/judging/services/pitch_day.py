"""The pitch day as it happens: reading the timetable, a team that does not come, a slot
that moves. A slot's judges are always its team's assignments (docs/judging.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.errors import Conflict, NotFound
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.models import (
    Assignment,
    AssignmentStatus,
    PitchSlot,
    Room,
    Score,
    SlotStatus,
)
from hackathon.judging.rules import lock_assignments, ranked_work
from hackathon.judging.services.conflicts import reasons_between
from hackathon.judging.services.reassign import remove_assignment
from hackathon.notifications.services import link_to, notify


class SlotClash(Conflict):
    code = "slot_clash"
    message = _l("The slot cannot move there; nothing was changed.")


@dataclass(frozen=True)
class SlotView:
    """A slot with its room, team and judges (their user ids, by id)."""

    slot: PitchSlot
    judge_ids: list[int]

    @property
    def room(self) -> Room:
        return self.slot.room

    def as_json(self, with_judges: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.slot.id,
            "room": self.room.name,
            "room_id": self.room.id,
            "starts_at": self.slot.starts_at,
            "ends_at": self.slot.ends_at,
            "status": str(self.slot.status),
            "team": {"id": self.slot.team.id, "name": self.slot.team.name},
        }
        if with_judges:
            body["judges"] = self.judge_ids
        return body


def _overlapping(starts_at: datetime, ends_at: datetime) -> Any:
    return (PitchSlot.starts_at < ends_at) & (PitchSlot.ends_at > starts_at)


def timetable(event: Event, room: Room | None = None) -> list[SlotView]:
    """The event's slots in time order (then room order), each with its judges."""
    query = (
        select(PitchSlot)
        .join(Room, Room.id == PitchSlot.room_id)
        .options(joinedload(PitchSlot.room), joinedload(PitchSlot.team))
        .where(PitchSlot.event_id == event.id)
        .order_by(PitchSlot.starts_at, Room.position, PitchSlot.id)
    )
    if room is not None:
        query = query.where(PitchSlot.room_id == room.id)
    slots = list(db.session.scalars(query))
    judges: defaultdict[int, list[int]] = defaultdict(list)
    for judge_id, team_id in db.session.execute(
        select(Assignment.judge_id, Assignment.team_id)
        .where(ranked_work(event.id))
        .order_by(Assignment.judge_id)
    ):
        judges[team_id].append(judge_id)
    return [SlotView(s, judges[s.team_id]) for s in slots]


def slots_by_team(event: Event) -> dict[int, PitchSlot]:
    """Each scheduled team's slot, its room loaded, in one query."""
    rows = db.session.scalars(
        select(PitchSlot).options(joinedload(PitchSlot.room)).where(PitchSlot.event_id == event.id)
    )
    return {s.team_id: s for s in rows}


def event_slot(event: Event, slot_id: int) -> PitchSlot:
    slot = db.session.get(PitchSlot, slot_id)
    if slot is None or slot.event_id != event.id:
        raise NotFound()
    return slot


def event_room(event: Event, room_id: int) -> Room:
    room = db.session.get(Room, room_id)
    if room is None or room.event_id != event.id:
        raise NotFound()
    return room


def mark_absent(slot: PitchSlot, actor_id: int | None = None) -> int:
    """The team does not pitch: its slot is freed, its judges' unscored assignments for it
    go (scored ones stay, they are the judges' work), and each of those judges is told.
    Returns how many assignments went."""
    event = slot.team.event
    lock_assignments(event)
    if slot.status == SlotStatus.ABSENT:
        raise Conflict(_l("This team is already marked absent."))
    slot.status = SlotStatus.ABSENT
    assignments = list(
        db.session.scalars(
            select(Assignment).where(ranked_work(event.id), Assignment.team_id == slot.team_id)
        )
    )
    scored = set(
        db.session.scalars(
            select(Score.assignment_id).where(Score.assignment_id.in_([a.id for a in assignments]))
        )
    )
    freed = [
        a for a in assignments if a.id not in scored and a.status != AssignmentStatus.SUBMITTED
    ]
    judge_ids = [a.judge_id for a in freed]
    for assignment in freed:
        remove_assignment(assignment, "absent")
    for judge in db.session.scalars(select(User).where(User.id.in_(judge_ids))):
        notify(
            judge,
            "pitch_absent",
            event=event,
            link=link_to("judging.queue", slug=event.slug),
            key=f"pitch-absent:{slot.id}",
            team=slot.team.name,
            room=slot.room.name,
            starts_at=slot.starts_at.isoformat(),
        )
    audit.record(
        "schedule.absent",
        event_id=event.id,
        subject=slot,
        actor=actor_id,
        team_id=slot.team_id,
        freed=judge_ids,
    )
    db.session.flush()
    return len(freed)


def move_slot(slot: PitchSlot, room: Room, starts_at: datetime) -> None:
    """Move a pitch to another room or time, same length, same judges: refused when the room
    is taken then, when one of its judges is in another pitch then, or when one of them
    now has a conflict of interest with the team."""
    event = slot.team.event
    lock_assignments(event)
    if room.event_id != slot.event_id:
        raise NotFound()
    if slot.status == SlotStatus.ABSENT:
        raise SlotClash(_l("An absent team's slot cannot be moved."))
    ends_at = starts_at + (slot.ends_at - slot.starts_at)
    live = (PitchSlot.id != slot.id) & (PitchSlot.status != SlotStatus.ABSENT)
    taken = db.session.scalar(
        select(PitchSlot).where(
            PitchSlot.room_id == room.id, live, _overlapping(starts_at, ends_at)
        )
    )
    if taken is not None:
        raise SlotClash(
            _l("%(room)s is taken by “%(team)s” then.", room=room.name, team=taken.team.name)
        )
    judge_ids = list(
        db.session.scalars(
            select(Assignment.judge_id).where(
                ranked_work(event.id), Assignment.team_id == slot.team_id
            )
        )
    )
    busy = db.session.execute(
        select(User.name, PitchSlot)
        .join(Assignment, Assignment.team_id == PitchSlot.team_id)
        .join(User, User.id == Assignment.judge_id)
        .where(
            PitchSlot.event_id == event.id,
            ranked_work(event.id),
            Assignment.judge_id.in_(judge_ids),
            live,
            _overlapping(starts_at, ends_at),
        )
    ).first()
    if busy is not None:
        name, other = busy
        raise SlotClash(
            _l(
                "%(judge)s judges “%(team)s” in %(room)s then.",
                judge=name,
                team=other.team.name,
                room=other.room.name,
            )
        )
    for judge_id in judge_ids:
        if reasons_between(event, judge_id, slot.team_id):
            judge = db.session.get(User, judge_id)
            raise SlotClash(
                _l(
                    "%(judge)s has a conflict of interest with this team; remove that "
                    "assignment first.",
                    judge=judge.name if judge else judge_id,
                )
            )
    was = {"room_id": slot.room_id, "starts_at": slot.starts_at.isoformat()}
    slot.room_id, slot.starts_at, slot.ends_at = room.id, starts_at, ends_at
    db.session.flush()
    db.session.expire(slot, ["room"])
    reorder_queues(event, judge_ids)
    audit.record(
        "schedule.moved",
        event_id=event.id,
        subject=slot,
        was=was,
        room_id=room.id,
        starts_at=starts_at.isoformat(),
    )


def reorder_queues(event: Event, judge_ids: list[int]) -> None:
    """Each judge's queue in pitch order; teams without a slot after, as they were."""
    if not judge_ids:
        return
    times = dict(
        db.session.execute(
            select(PitchSlot.team_id, PitchSlot.starts_at).where(PitchSlot.event_id == event.id)
        ).all()
    )
    mine: defaultdict[int, list[Assignment]] = defaultdict(list)
    for assignment in db.session.scalars(
        select(Assignment)
        .where(ranked_work(event.id), Assignment.judge_id.in_(judge_ids))
        .order_by(Assignment.position, Assignment.id)
    ):
        mine[assignment.judge_id].append(assignment)
    for queue in mine.values():
        timed = sorted((a for a in queue if a.team_id in times), key=lambda a: times[a.team_id])
        rest = [a for a in queue if a.team_id not in times]
        for position, assignment in enumerate([*timed, *rest], start=1):
            assignment.position = position
    db.session.flush()
