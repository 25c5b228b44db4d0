"""Judging rules shared by the pages, the API, the CSV kinds and the demo.

Who may see what: a judge sees only their own assignments (anyone else gets 404, as if the
assignment did not exist), and only while they hold the judge role in an event they may
see: a judge taken off the event keeps their submitted scores counted but can no longer
open or change them. Organizers see every assignment of their events, read-only.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import joinedload

from hackathon.accounts.models import User
from hackathon.accounts.rules import Viewer, signed_in
from hackathon.errors import Conflict, NotFound, PhaseClosed
from hackathon.events.models import Event, EventRole, Phase, Role
from hackathon.events.services import can_view, is_organizer, take_turns
from hackathon.extensions import db
from hackathon.judging.models import (
    Assignment,
    AssignmentPurpose,
    AssignmentStatus,
    Criterion,
    Score,
    ShadowJudge,
)
from hackathon.submissions.models import FileStatus, Submission, SubmissionFile
from hackathon.teams.models import Team


class ScoreRow(NamedTuple):
    """One submitted score, as the leaderboard reads it."""

    judge_id: int
    team_id: int
    criterion_id: int
    value: int


class StaleVersion(Conflict):
    code = "stale_version"
    message = _l(
        "These scores were changed elsewhere (another tab or device). "
        "Reload the page to see the latest version."
    )


class JudgingClosed(PhaseClosed):
    code = "judging_closed"
    message = _l("Scores can be changed only while judging is open.")


# What counts. Every reader of scores for the ranking (the board, its API and CSV, the
# bootstrap, the report, the judging progress, feedback shown to teams) filters assignments
# with `counting` or `ranked_work`, so calibration items and shadow judges are left out in
# one place (docs/scoring.md, "Calibration and shadow judges").


def is_shadow_judge() -> ColumnElement[bool]:
    """Whether the assignment's judge is a shadow (trainee) judge of its event."""
    return exists().where(
        ShadowJudge.event_id == Assignment.event_id, ShadowJudge.judge_id == Assignment.judge_id
    )


def ranked_work(event_id: int | None) -> ColumnElement[bool]:
    """The event's assignments that are work for the ranking, whatever their status: not a
    calibration item, and not a shadow judge's (`None`: of any event, for readers that span
    a program)."""
    work = and_(Assignment.purpose == AssignmentPurpose.RANK, ~is_shadow_judge())
    return work if event_id is None else and_(Assignment.event_id == event_id, work)


def counting(event_id: int | None) -> ColumnElement[bool]:
    """The event's assignments whose scores and feedback count: ranked work, submitted."""
    return and_(ranked_work(event_id), Assignment.status == AssignmentStatus.SUBMITTED)


def shadow_ids(event: Event | int) -> set[int]:
    """The event's shadow judges."""
    event_id = event if isinstance(event, int) else event.id
    return set(
        db.session.scalars(select(ShadowJudge.judge_id).where(ShadowJudge.event_id == event_id))
    )


def criteria_of(event: Event | int, *, lock: bool = False) -> list[Criterion]:
    """The event's rubric in its order.

    With `lock`, a score writer holds the criteria (`FOR KEY SHARE`) until it commits, so an
    organizer's change to a criterion waits for it, and it waits for that change.
    """
    event_id = event if isinstance(event, int) else event.id
    query = (
        select(Criterion)
        .where(Criterion.event_id == event_id)
        .order_by(Criterion.position, Criterion.id)
    )
    if lock:
        query = query.with_for_update(read=True, key_share=True)
    return list(db.session.scalars(query))


def judge_roles(event: Event) -> list[EventRole]:
    return list(
        db.session.scalars(
            select(EventRole)
            .where(EventRole.event_id == event.id, EventRole.role == Role.JUDGE)
            .order_by(EventRole.user_id)
        )
    )


def is_judge(user: Viewer, event: Event) -> bool:
    if not signed_in(user):
        return False
    return bool(
        db.session.scalar(
            select(EventRole.id).where(
                EventRole.event_id == event.id,
                EventRole.user_id == user.id,
                EventRole.role == Role.JUDGE,
            )
        )
    )


def judges_now(user: Viewer, event: Event) -> bool:
    """Whether this person may work as a judge of this event: the role, and an event they
    may see (a draft is hidden from everyone but its organizers)."""
    return can_view(user, event) and is_judge(user, event)


def lock_assignments(event: Event) -> None:
    """Make this transaction the only one changing the event's assignments until it ends.

    A plan reads every assignment and then adds some; two plans made side by side would
    each fill the same gaps. They take turns on the event's row (`take_turns`), which
    score writes pass.
    """
    take_turns(event)


def judging_open(event: Event, now: datetime | None = None) -> bool:
    """Judges score from the close of submissions until judging closes."""
    return (event.phase_at(now) if now else event.phase) == Phase.JUDGING


def require_judging_open(event: Event) -> None:
    if not judging_open(event):
        raise JudgingClosed()


def my_assignments(event: Event, user_id: int) -> list[Assignment]:
    """A judge's queue: calibration items first, then the rest in its recorded order."""
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.event_id == event.id, Assignment.judge_id == user_id)
            .order_by(
                case((Assignment.purpose == AssignmentPurpose.CALIBRATION, 0), else_=1),
                Assignment.position,
                Assignment.id,
            )
        )
    )


def own_assignment(user: Viewer, assignment_id: int, *, lock: bool = False) -> Assignment:
    """The signed-in judge's assignment, locked for update if asked; 404 for anyone else."""
    if not signed_in(user):
        raise NotFound()
    query = (
        select(Assignment)
        .options(joinedload(Assignment.event, innerjoin=True))  # read with it: one query
        .where(Assignment.id == assignment_id, Assignment.judge_id == user.id)
    )
    if lock:  # the assignment's row only: every judge of the event reads the event's
        query = query.with_for_update(of=Assignment).execution_options(populate_existing=True)
    assignment = db.session.scalar(query)
    if assignment is None or not judges_now(user, assignment.event):
        raise NotFound()
    return assignment


def visible_assignment(user: Viewer, assignment_id: int) -> Assignment:
    """An assignment its judge or one of the event's organizers may look at; else 404."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not signed_in(user):
        raise NotFound()
    if is_organizer(user, assignment.event):
        return assignment
    if assignment.judge_id != user.id or not judges_now(user, assignment.event):
        raise NotFound()
    return assignment


def teams_of(assignments: list[Assignment]) -> dict[int, Team]:
    """The teams of these assignments by id, in one query."""
    ids = {a.team_id for a in assignments}
    if not ids:
        return {}
    return {t.id: t for t in db.session.scalars(select(Team).where(Team.id.in_(ids)))}


def submissions_by_team(event: Event) -> dict[int, Submission]:
    """Each team's submission in this event, in one query."""
    return {
        s.team_id: s
        for s in db.session.scalars(select(Submission).where(Submission.event_id == event.id))
    }


def team_and_submission(team_id: int) -> tuple[Team, Submission | None]:
    """A team and its submission in its event (None before it hands one in), in one query."""
    row = db.session.execute(
        select(Team, Submission)
        .outerjoin(
            Submission, and_(Submission.team_id == Team.id, Submission.event_id == Team.event_id)
        )
        .where(Team.id == team_id)
    ).one()
    return row[0], row[1]


def submission_of(team: Team) -> Submission | None:
    return db.session.scalar(
        select(Submission).where(
            Submission.event_id == team.event_id, Submission.team_id == team.id
        )
    )


def current_files(submission: Submission | None) -> list[SubmissionFile]:
    """The newest ready version of each file slot of a submission."""
    if submission is None:
        return []
    newest = (
        select(SubmissionFile.slot_id, func.max(SubmissionFile.version).label("version"))
        .where(
            SubmissionFile.submission_id == submission.id,
            SubmissionFile.status == FileStatus.READY,
        )
        .group_by(SubmissionFile.slot_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(SubmissionFile).join(
                newest,
                (SubmissionFile.slot_id == newest.c.slot_id)
                & (SubmissionFile.version == newest.c.version)
                & (SubmissionFile.submission_id == submission.id),
            )
        )
    )


def split_queue(assignments: list[Assignment]) -> tuple[list[Assignment], list[Assignment]]:
    """A judge's queue as (work for the ranking, calibration items)."""
    calibration = [a for a in assignments if a.purpose == AssignmentPurpose.CALIBRATION]
    return [a for a in assignments if a.purpose != AssignmentPurpose.CALIBRATION], calibration


def progress(assignments: list[Assignment]) -> dict[str, int]:
    counts = dict.fromkeys(AssignmentStatus, 0)
    for assignment in assignments:
        counts[AssignmentStatus(assignment.status)] += 1
    return {
        "done": counts[AssignmentStatus.SUBMITTED],
        "in_progress": counts[AssignmentStatus.IN_PROGRESS],
        "to_do": counts[AssignmentStatus.TO_DO],
        "total": len(assignments),
    }


def scores_by_assignment(assignment_ids: list[int]) -> dict[int, dict[int, int]]:
    found: dict[int, dict[int, int]] = {i: {} for i in assignment_ids}
    if not assignment_ids:
        return found
    rows = db.session.execute(
        select(Score.assignment_id, Score.criterion_id, Score.value).where(
            Score.assignment_id.in_(assignment_ids)
        )
    )
    for assignment_id, criterion_id, value in rows:
        found[assignment_id][criterion_id] = value
    return found


def submitted_scores(event: Event) -> list[ScoreRow]:
    """Every score that counts (`counting`): drafts, calibration and shadows never do."""
    return _score_rows(counting(event.id))


def _score_rows(where: ColumnElement[bool]) -> list[ScoreRow]:
    rows = db.session.execute(
        select(Assignment.judge_id, Assignment.team_id, Score.criterion_id, Score.value)
        .join(Score, Score.assignment_id == Assignment.id)
        .where(where)
        .order_by(Assignment.judge_id, Assignment.team_id, Score.criterion_id)
    )
    return [ScoreRow(*row) for row in rows]


def score_count(event: Event) -> int:
    return (
        db.session.scalar(
            select(func.count(Score.id))
            .join(Assignment, Assignment.id == Score.assignment_id)
            .where(Assignment.event_id == event.id)
        )
        or 0
    )


def judges_team(user: User, team: Team) -> bool:
    """Assigned to judge the team, and still a judge of the event: a judge taken off the
    event no longer sees the teams they were given. (Who may see a team, from judging.)"""
    assigned = db.session.scalar(
        select(Assignment.id).where(Assignment.team_id == team.id, Assignment.judge_id == user.id)
    )
    return bool(assigned) and judges_now(user, team.event)
