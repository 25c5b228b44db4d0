"""The deadline reminders: a periodic job (every few minutes) that tells the members of
each team whose required files are still missing, 24 hours and 1 hour before the team's
deadline."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.notifications.services import link_to, notify
from hackathon.submissions.models import FileSlot, Submission
from hackathon.submissions.services.entries import ready_files
from hackathon.submissions.services.slots import event_slots
from hackathon.teams.models import Team, TeamMember

# The reminders, the most urgent first: a team gets the most urgent one that is due, so a
# job that ran late never sends the day-before reminder an hour before the deadline.
REMINDERS = (("deadline_1h", timedelta(hours=1)), ("deadline_24h", timedelta(hours=24)))
REMIND_EVERY = timedelta(minutes=5)


def team_deadline(event: Event, submission: Submission | None) -> datetime | None:
    """When the team's submission closes: the event's close, or its extension if later.
    (The grace period is slack for late uploads, not a deadline anyone is told about.)"""
    close = event.submissions_close_at
    extended = submission.extended_until if submission is not None else None
    if close is None:
        return None
    return max(close, extended) if extended else close


def send_reminders(now: datetime) -> None:
    """The periodic job: 24 hours and 1 hour before a team's deadline, each member of a
    team with an empty required file slot is reminded, once per team and reminder (the
    notification's key); nothing once the deadline has passed."""
    horizon = now + max(lead for _kind, lead in REMINDERS)
    extended = select(Submission.event_id).where(
        Submission.extended_until > now, Submission.extended_until <= horizon
    )
    events = db.session.scalars(
        select(Event).where(
            Event.submissions_open_at.is_not(None),
            Event.submissions_close_at.is_not(None),
            or_(
                (Event.submissions_close_at > now) & (Event.submissions_close_at <= horizon),
                Event.id.in_(extended),
            ),
        )
    ).all()
    for event in events:
        _remind(event, now)


def _remind(event: Event, now: datetime) -> None:
    required = [slot for slot in event_slots(event) if slot.required]
    if not required:
        return
    submissions = {
        s.team_id: s
        for s in db.session.scalars(select(Submission).where(Submission.event_id == event.id))
    }
    filled: dict[int, set[int]] = defaultdict(set)
    for row in ready_files([s.id for s in submissions.values()]):
        filled[row.submission_id].add(row.slot_id)
    teams = db.session.scalars(
        select(Team)
        .where(Team.event_id == event.id)
        .options(selectinload(Team.members).selectinload(TeamMember.user))
        .order_by(Team.id)
    )
    for team in teams:
        submission = submissions.get(team.id)
        deadline = team_deadline(event, submission)
        if deadline is None or now >= deadline:
            continue
        have = filled.get(submission.id, set()) if submission is not None else set()
        missing = [slot for slot in required if slot.id not in have]
        kind = next((k for k, lead in REMINDERS if deadline - lead <= now), None)
        if missing and kind is not None:
            _remind_team(event, team, kind, deadline, missing)


def _remind_team(
    event: Event, team: Team, kind: str, deadline: datetime, missing: list[FileSlot]
) -> None:
    for member in team.members:
        notify(
            member.user,
            kind,
            event=event,
            link=link_to("submissions.mine", slug=event.slug),
            key=f"{kind.replace('_', '-')}:{event.id}:{team.id}",
            team=team.name,
            deadline=deadline.isoformat(),
            missing=", ".join(slot.label for slot in missing),
            missing_en=", ".join(slot.label_en or slot.label for slot in missing),
        )
