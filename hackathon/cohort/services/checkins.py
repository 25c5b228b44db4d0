"""Company-project check-ins: organizers set an event's milestones (a title, a prompt, a
due date); each team posts one progress note per milestone (Markdown, rendered safe),
which its members can edit; the team's mentors comment; organizers see a team × milestone
grid of what is done and what is late. See docs/cohort.md, "Check-ins"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.cohort import rules
from hackathon.cohort.models import CheckIn, CheckInComment, Milestone
from hackathon.db import utcnow
from hackathon.errors import NotFound
from hackathon.events.models import Event, Program
from hackathon.extensions import db
from hackathon.notifications.services.notify import dialect_insert
from hackathon.teams import rules as teams
from hackathon.teams.models import Team, TeamMember

TITLE_MAX = 200
DONE, LATE, DUE = "done", "late", "due"

# ---------------------------------------------------------------- milestones


def milestones_of(event: Event) -> list[Milestone]:
    """The event's milestones in their order (position, then due date)."""
    return list(
        db.session.scalars(
            select(Milestone)
            .where(Milestone.event_id == event.id)
            .order_by(Milestone.position, Milestone.due_at, Milestone.id)
        )
    )


def get_milestone(event: Event, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.event_id != event.id:
        raise NotFound()
    return milestone


def save_milestone(
    event: Event,
    milestone: Milestone | None = None,
    *,
    title: str,
    title_en: str | None = None,
    prompt: str = "",
    due_at: datetime | None,
    position: int | None = None,
) -> Milestone:
    """Create or change a milestone: a Korean title, an optional English one, a due date."""
    problems: dict[str, Any] = {}
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        problems["title"] = _l("Give the milestone a title of 1 to 200 characters.")
    if title_en and len(title_en.strip()) > TITLE_MAX:
        problems["title_en"] = _l("Give the milestone a title of 1 to 200 characters.")
    if due_at is None:
        problems["due_at"] = _l("Give the date and time the note is due.")
    if problems:
        raise rules.BadMilestone(fields=problems)
    assert due_at is not None
    if milestone is None:
        if position is None:
            position = len(milestones_of(event))
        milestone = Milestone(event_id=event.id)
        db.session.add(milestone)
    milestone.title = title
    milestone.title_en = (title_en or "").strip() or None
    milestone.prompt = rules.clean_text(prompt, rules.NOTE_MAX)
    milestone.due_at = due_at
    if position is not None:
        milestone.position = position
    db.session.flush()
    audit.record("checkins.milestone_saved", event_id=event.id, subject=milestone, title=title)
    return milestone


def delete_milestone(event: Event, milestone: Milestone) -> None:
    """Remove a milestone and every note posted for it."""
    audit.record("checkins.milestone_deleted", event_id=event.id, subject=milestone)
    db.session.delete(milestone)
    db.session.flush()


# ---------------------------------------------------------------- notes and comments


def notes_of(team: Team) -> dict[int, CheckIn]:
    """The team's notes by milestone id, with their comments."""
    rows = db.session.scalars(
        select(CheckIn)
        .where(CheckIn.team_id == team.id)
        .options(selectinload(CheckIn.comments).selectinload(CheckInComment.author))
    )
    return {row.milestone_id: row for row in rows}


def get_checkin(event: Event, checkin_id: int) -> CheckIn:
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None or checkin.team.event_id != event.id:
        raise NotFound()
    return checkin


def post_note(team: Team, milestone: Milestone, author: User, body: str) -> CheckIn:
    """Write or rewrite the team's note for a milestone (members only). One note per team
    and milestone, atomically: a second post, even at the same moment, edits it."""
    if milestone.event_id != team.event_id:
        raise NotFound()
    if not teams.is_member(author, team):
        raise rules.NotTeamMember()
    text = rules.clean_text(body, rules.NOTE_MAX)
    if not text:
        raise rules.EmptyText(fields={"body": rules.EmptyText.message})
    now = utcnow()
    row_id = db.session.scalar(
        dialect_insert(CheckIn)
        .values(
            team_id=team.id,
            milestone_id=milestone.id,
            body=text,
            author_id=author.id,
            posted_at=now,
            updated_at=now,
        )
        .on_conflict_do_update(
            index_elements=["team_id", "milestone_id"],
            set_={"body": text, "author_id": author.id, "updated_at": now},
        )
        .returning(CheckIn.id)
    )
    checkin = db.session.get_one(CheckIn, row_id, populate_existing=True)
    audit.record("checkins.note_posted", event_id=team.event_id, subject=checkin, team_id=team.id)
    return checkin


def add_comment(checkin: CheckIn, author: User, body: str) -> CheckInComment:
    """A mentor of the team comments on its note (the track's mentors only)."""
    rules.require_mentor(author, checkin.team)
    text = rules.clean_text(body, rules.COMMENT_MAX)
    if not text:
        raise rules.EmptyText(fields={"body": rules.EmptyText.message})
    comment = CheckInComment(checkin_id=checkin.id, author_id=author.id, body=text)
    db.session.add(comment)
    db.session.flush()
    db.session.expire(checkin, ["comments"])
    return comment


# ---------------------------------------------------------------- the organizers' grid


@dataclass(frozen=True)
class Cell:
    milestone: Milestone
    checkin: CheckIn | None
    state: str  # done, late (due passed, no note) or due (not yet due, no note)
    comments: int


@dataclass(frozen=True)
class GridRow:
    team: Team
    cells: list[Cell]

    @property
    def late(self) -> int:
        return sum(1 for c in self.cells if c.state == LATE)


def cell_state(milestone: Milestone, checkin: CheckIn | None, now: datetime) -> str:
    if checkin is not None:
        return DONE
    return LATE if milestone.due_at <= now else DUE


def grid(event: Event, team_ids: Collection[int] | None = None) -> list[GridRow]:
    """Each team (or those of `team_ids`) against each milestone: done, late or due."""
    now = utcnow()
    milestones = milestones_of(event)
    team_list = [t for t in teams.teams_of(event) if team_ids is None or t.id in team_ids]
    notes: dict[tuple[int, int], CheckIn] = {}
    counts: dict[int, int] = {}
    if milestones and team_list:
        rows = db.session.scalars(
            select(CheckIn).where(CheckIn.milestone_id.in_([m.id for m in milestones]))
        )
        notes = {(c.team_id, c.milestone_id): c for c in rows}
        counts = dict(
            db.session.execute(
                select(CheckInComment.checkin_id, func.count())
                .where(CheckInComment.checkin_id.in_([c.id for c in notes.values()]))
                .group_by(CheckInComment.checkin_id)
            ).all()
        )
    return [
        GridRow(
            team,
            [
                Cell(
                    m,
                    notes.get((team.id, m.id)),
                    cell_state(m, notes.get((team.id, m.id)), now),
                    counts.get(notes[(team.id, m.id)].id, 0) if (team.id, m.id) in notes else 0,
                )
                for m in milestones
            ],
        )
        for team in team_list
    ]


def mentored_team_ids(event: Event, user: User) -> list[int]:
    """The teams of the event this person mentors (see `rules.mentor_ids`)."""
    return [t.id for t in teams.teams_of(event) if user.id in rules.mentor_ids(t)]


# ---------------------------------------------------------------- over a program


def _program_events(program: Program) -> list[Event]:
    return list(
        db.session.scalars(select(Event).where(Event.program_id == program.id).order_by(Event.id))
    )


def checkins_by_person(
    program: Program, user_ids: Collection[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Per person, the check-ins of their teams in the program's events: `{"event" (slug),
    "team", "milestone", "milestone_en", "due_at", "posted_at", "late" (posted after it
    was due), "mentor_commented"}`, by event and milestone order."""
    if user_ids is not None and not user_ids:
        return {}
    event_ids = [e.id for e in _program_events(program)]
    if not event_ids:
        return {}
    query = (
        select(TeamMember.user_id, CheckIn, Milestone, Event.slug, Team.name)
        .join(Team, Team.id == TeamMember.team_id)
        .join(CheckIn, CheckIn.team_id == Team.id)
        .join(Milestone, Milestone.id == CheckIn.milestone_id)
        .join(Event, Event.id == Team.event_id)
        .where(Team.event_id.in_(event_ids))
        .order_by(Event.id, Milestone.position, Milestone.due_at, Milestone.id)
    )
    if user_ids is not None:
        query = query.where(TeamMember.user_id.in_(list(user_ids)))
    rows = db.session.execute(query).all()
    commented = set(
        db.session.scalars(
            select(CheckInComment.checkin_id).where(
                CheckInComment.checkin_id.in_({row[1].id for row in rows})
            )
        )
    )
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for user_id, checkin, milestone, slug, team_name in rows:
        result[user_id].append(
            {
                "event": slug,
                "team": team_name,
                "milestone": milestone.title,
                "milestone_en": milestone.title_en,
                "due_at": milestone.due_at,
                "posted_at": checkin.posted_at,
                "late": checkin.posted_at > milestone.due_at,
                "mentor_commented": checkin.id in commented,
            }
        )
    return dict(result)


def completion(program: Program) -> dict[str, Any]:
    """Notes posted / expected (teams × milestones) per event of the program with
    milestones, and late ones (due passed, no note): `{"events": [{"slug", "posted",
    "expected", "late"}], "posted", "expected", "late"}`."""
    rows = []
    for event in _program_events(program):
        if not milestones_of(event):
            continue
        cells = [c for row in grid(event) for c in row.cells]
        rows.append(
            {
                "slug": event.slug,
                "posted": sum(1 for c in cells if c.state == DONE),
                "expected": len(cells),
                "late": sum(1 for c in cells if c.state == LATE),
            }
        )
    return {
        "events": rows,
        "posted": sum(r["posted"] for r in rows),
        "expected": sum(r["expected"] for r in rows),
        "late": sum(r["late"] for r in rows),
    }
