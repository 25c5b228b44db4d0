"""The cohort report: per event of a program, who took part, what was submitted, how far
judging got, how the scores spread, and who won; organizers only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select

from hackathon.accounts.rules import Viewer, signed_in
from hackathon.events import services as events
from hackathon.events.models import Event, EventRole, Program, Role
from hackathon.extensions import db
from hackathon.leaderboard.logic.rows import criterion_averages
from hackathon.leaderboard.models import BoardState, Leaderboard, Snapshot
from hackathon.leaderboard.services import board as services
from hackathon.leaderboard.services.inputs import judging_progress
from hackathon.submissions.models import Submission, SubmissionStatus
from hackathon.teams.models import Team, TeamMember


def can_see_report(user: Viewer, program: Program) -> bool:
    """Site admins and the organizers of any of the program's events."""
    if not signed_in(user):
        return False
    if user.is_admin:
        return True
    return bool(
        db.session.scalar(
            select(EventRole.id)
            .join(Event, Event.id == EventRole.event_id)
            .where(
                Event.program_id == program.id,
                EventRole.user_id == user.id,
                EventRole.role == Role.ORGANIZER,
            )
            .limit(1)
        )
    )


@dataclass
class EventReport:
    event: Event
    state: str
    teams: int
    participants: int
    in_teams: int
    submissions: int
    judged: int
    assignments: int
    raw_scores: list[float]
    criteria: list[dict[str, Any]]
    awards: list[dict[str, Any]]
    source: str  # "published" (the publish snapshot), "current" (scores now) or "hidden"
    top: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ProgramReport:
    program: Program
    events: list[EventReport]
    people: int  # distinct participants over the program's events
    teams: int
    submissions: int


def program_report(program: Program, user: Viewer) -> ProgramReport:
    """Every event of the program; scores and awards not yet published only for the
    events this user organizes (organizing one event shows no other's hidden results)."""
    reports = [event_report(e, events.is_organizer(user, e)) for e in program.events]
    event_ids = [e.id for e in program.events] or [-1]
    people = db.session.scalar(
        select(func.count(func.distinct(EventRole.user_id))).where(
            EventRole.event_id.in_(event_ids), EventRole.role == Role.PARTICIPANT
        )
    )
    return ProgramReport(
        program,
        reports,
        int(people or 0),
        sum(r.teams for r in reports),
        sum(r.submissions for r in reports),
    )


def event_report(event: Event, organizer: bool = True) -> EventReport:
    board_row = services.get_board(event.id)
    state = str(board_row.state) if board_row else "hidden"
    board, source = _official_board(event, board_row, organizer)
    done, total = judging_progress(event.id)
    ranked = [r for r in board["rows"] if r["rank"] is not None]
    averages = criterion_averages(board)
    return EventReport(
        event=event,
        state=state,
        teams=_count(select(func.count(Team.id)).where(Team.event_id == event.id)),
        participants=len(events.people(event, [Role.PARTICIPANT])),
        in_teams=_count(select(func.count(TeamMember.id)).where(TeamMember.event_id == event.id)),
        submissions=_count(
            select(func.count(Submission.id)).where(
                Submission.event_id == event.id,
                Submission.status == SubmissionStatus.SUBMITTED,
            )
        ),
        judged=done,
        assignments=total,
        raw_scores=[r["raw_score"] for r in ranked],
        criteria=[
            {"name": c["name"], "name_en": c["name_en"], "average": averages.get(c["name"])}
            for c in board["criteria"]
        ],
        awards=services.award_dicts(event.id) if source != "hidden" else [],
        source=source,
        top=ranked[:5],
    )


def _official_board(
    event: Event, board_row: Leaderboard | None, organizer: bool
) -> tuple[dict[str, Any], str]:
    """The published results when there are some, else the scores as they stand (for the
    event's organizers; "hidden", an empty board, for anyone else)."""
    if board_row is not None and board_row.state == BoardState.PUBLISHED and board_row.snapshot_id:
        snapshot = db.session.get(Snapshot, board_row.snapshot_id)
        if snapshot is not None:
            return snapshot.data, "published"
    if not organizer:
        return {"criteria": [], "rows": []}, "hidden"
    return services.compute_board(event), "current"


def _count(statement: Select[int]) -> int:
    return int(db.session.scalar(statement) or 0)
