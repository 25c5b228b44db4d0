"""What organizers watch while judging runs: progress, missing scores, time spent, and how
each judge scores compared with the others (so a harsh or lenient judge shows early)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.events.models import Company, Event, EventRole, Role
from hackathon.extensions import db
from hackathon.judging.logic import assign as algo
from hackathon.judging.logic import stats
from hackathon.judging.models import Assignment, AssignmentStatus
from hackathon.judging.rules import criteria_of, scores_by_assignment, submitted_scores
from hackathon.teams.models import Team, Track


@dataclass
class JudgeRow:
    user: User
    company: str = ""
    assigned: int = 0
    done: int = 0
    in_progress: int = 0
    to_do: int = 0
    missing_scores: int = 0
    durations: list[timedelta] = field(default_factory=list)
    stats: stats.JudgeStats | None = None

    @property
    def median_time(self) -> timedelta | None:
        if not self.durations:
            return None
        return timedelta(seconds=statistics.median(d.total_seconds() for d in self.durations))

    @property
    def total_time(self) -> timedelta:
        return sum(self.durations, timedelta())


@dataclass
class TeamRow:
    team: Team
    track: str = ""
    judges: list[tuple[User, str, Assignment]] = field(default_factory=list)
    done: int = 0
    mean: float | None = None

    @property
    def assigned(self) -> int:
        return len(self.judges)


@dataclass
class Missing:
    assignment: Assignment
    judge: User
    team: Team
    scored: int


@dataclass
class Dashboard:
    k: int
    criteria: int
    judges: list[JudgeRow]
    teams: list[TeamRow]
    missing: list[Missing]
    done: int
    total: int
    connected: bool


def _durations(assignment: Assignment) -> timedelta | None:
    if assignment.status != AssignmentStatus.SUBMITTED:
        return None
    if assignment.opened_at is None or assignment.submitted_at is None:
        return None
    spent = assignment.submitted_at - assignment.opened_at
    return spent if spent >= timedelta() else None


def build(event: Event) -> Dashboard:
    """Everything on the organizer dashboard in a handful of queries."""
    criteria = criteria_of(event)
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.event_id == event.id)
            .order_by(Assignment.judge_id, Assignment.position)
        )
    )
    scored = scores_by_assignment([a.id for a in assignments])
    judge_rows: dict[int, JudgeRow] = {}
    for _role, user, company in db.session.execute(
        select(EventRole, User, Company)
        .join(User, User.id == EventRole.user_id)
        .outerjoin(Company, Company.id == EventRole.company_id)
        .where(EventRole.event_id == event.id, EventRole.role == Role.JUDGE)
        .order_by(User.name)
    ):
        judge_rows[user.id] = JudgeRow(user, company.name if company else "")
    team_rows: dict[int, TeamRow] = {}
    for team, track in db.session.execute(
        select(Team, Track)
        .outerjoin(Track, Track.id == Team.track_id)
        .where(Team.event_id == event.id)
        .order_by(Team.name)
    ):
        team_rows[team.id] = TeamRow(team, track.display_name if track else "")
    users = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({a.judge_id for a in assignments}))
        )
    }
    missing = []
    for a in assignments:
        user = users[a.judge_id]
        row = judge_rows.setdefault(a.judge_id, JudgeRow(user))
        row.assigned += 1
        status = AssignmentStatus(a.status)
        if status == AssignmentStatus.SUBMITTED:
            row.done += 1
        else:
            row.missing_scores += len(criteria) - len(scored[a.id])
            if status == AssignmentStatus.IN_PROGRESS:
                row.in_progress += 1
            else:
                row.to_do += 1
            missing.append(Missing(a, user, team_rows[a.team_id].team, len(scored[a.id])))
        spent = _durations(a)
        if spent is not None:
            row.durations.append(spent)
        team_row = team_rows[a.team_id]
        team_row.judges.append((user, str(status), a))
        team_row.done += status == AssignmentStatus.SUBMITTED

    scales = [stats.Scale(c.id, c.weight, c.min_score, c.max_score) for c in criteria]
    cells = stats.totals(scales, submitted_scores(event))
    for judge_id, judge_stats in stats.judge_stats(cells).items():
        if judge_id in judge_rows:
            judge_rows[judge_id].stats = judge_stats
    for team_id, mean in stats.team_means(cells).items():
        if team_id in team_rows:
            team_rows[team_id].mean = mean
    pairs = [(a.judge_id, a.team_id) for a in assignments]
    done = sum(a.status == AssignmentStatus.SUBMITTED for a in assignments)
    return Dashboard(
        k=event.judges_per_submission,
        criteria=len(criteria),
        judges=list(judge_rows.values()),
        teams=[t for t in team_rows.values() if t.judges]
        + [t for t in team_rows.values() if not t.judges],
        missing=sorted(missing, key=lambda m: (m.judge.name, m.assignment.position)),
        done=done,
        total=len(assignments),
        connected=algo.is_connected(pairs),
    )
