"""What organizers watch while judging runs: progress, missing scores, time spent, and how
each judge scores compared with the others (so a harsh or lenient judge shows early): on
the calibration items before real scoring starts, and a shadow judge against the panel.

Progress, team means and bias are of the work that counts (`rules.counting`); a shadow
judge's own work is listed beside it, and calibration items have a section of their own.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.events.models import Company, Event, EventRole, Role
from hackathon.extensions import db
from hackathon.judging.logic import assign as algo
from hackathon.judging.logic import panel, stats
from hackathon.judging.models import Assignment, AssignmentPurpose, AssignmentStatus, Criterion
from hackathon.judging.rules import (
    ScoreRow,
    criteria_of,
    scores_by_assignment,
    shadow_ids,
    submitted_scores,
)
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
    shadow: bool = False
    calibration_done: int = 0
    calibration_total: int = 0
    offset: panel.Offset | None = None
    agreement: panel.Agreement | None = None

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
    shadows: list[tuple[User, str, Assignment]] = field(default_factory=list)
    done: int = 0
    mean: float | None = None
    calibration: bool = False

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
class CalibrationRow:
    team: Team
    done: int = 0
    total: int = 0


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
    items: list[CalibrationRow] = field(default_factory=list)
    notable_offset: float = panel.NOTABLE_OFFSET

    @property
    def shadows(self) -> list[JudgeRow]:
        return [row for row in self.judges if row.shadow]

    @property
    def flagged(self) -> int:
        """Judges far from the panel on the calibration items."""
        return sum(1 for row in self.judges if row.offset is not None and row.offset.flagged)


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
    shadows = shadow_ids(event)
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
    items: dict[int, CalibrationRow] = {}
    for a in assignments:
        user = users[a.judge_id]
        row = judge_rows.setdefault(a.judge_id, JudgeRow(user))
        row.shadow = a.judge_id in shadows
        status = AssignmentStatus(a.status)
        if a.purpose == AssignmentPurpose.CALIBRATION:
            item = items.setdefault(a.team_id, CalibrationRow(team_rows[a.team_id].team))
            item.total += 1
            row.calibration_total += 1
            item.done += status == AssignmentStatus.SUBMITTED
            row.calibration_done += status == AssignmentStatus.SUBMITTED
            continue
        row.assigned += 1
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
        (team_row.shadows if row.shadow else team_row.judges).append((user, str(status), a))
        team_row.done += status == AssignmentStatus.SUBMITTED and not row.shadow
    for judge_id in shadows & judge_rows.keys():
        judge_rows[judge_id].shadow = True
    for team_id in items:
        team_rows[team_id].calibration = True
    _compare(
        event, criteria, judge_rows, team_rows, shadows, _uncounted(assignments, scored, shadows)
    )
    counting = [a for a in assignments if _counts_for_progress(a, shadows)]
    done = sum(a.status == AssignmentStatus.SUBMITTED for a in counting)
    return Dashboard(
        k=event.judges_per_submission,
        criteria=len(criteria),
        judges=list(judge_rows.values()),
        teams=[t for t in team_rows.values() if t.judges]
        + [t for t in team_rows.values() if not t.judges],
        missing=sorted(missing, key=lambda m: (m.judge.name, m.assignment.position)),
        done=done,
        total=len(counting),
        connected=algo.is_connected([(a.judge_id, a.team_id) for a in counting]),
        items=sorted(items.values(), key=lambda i: i.team.name),
    )


def _counts_for_progress(assignment: Assignment, shadows: set[int]) -> bool:
    """Work for the ranking (`rules.ranked_work`, on rows already read)."""
    return assignment.purpose == AssignmentPurpose.RANK and assignment.judge_id not in shadows


def _uncounted(
    assignments: list[Assignment], scored: dict[int, dict[int, int]], shadows: set[int]
) -> dict[str, list[ScoreRow]]:
    """The submitted scores of calibration items and of shadow judges, from rows already
    read (the query the counting scores come from is `rules.submitted_scores`)."""
    found: dict[str, list[ScoreRow]] = {"calibration": [], "shadow": []}
    for a in assignments:
        if a.status != AssignmentStatus.SUBMITTED:
            continue
        if a.purpose == AssignmentPurpose.CALIBRATION:
            kind = "calibration"
        elif a.judge_id in shadows:
            kind = "shadow"
        else:
            continue
        found[kind].extend(
            ScoreRow(a.judge_id, a.team_id, c, v) for c, v in sorted(scored[a.id].items())
        )
    return found


def _compare(
    event: Event,
    criteria: list[Criterion],
    judge_rows: dict[int, JudgeRow],
    team_rows: dict[int, TeamRow],
    shadows: set[int],
    uncounted: dict[str, list[ScoreRow]],
) -> None:
    """Per judge: stats over the work that counts, the offset on the calibration items,
    and for a shadow judge their agreement with the counting judges."""
    scales = [stats.Scale(c.id, c.weight, c.min_score, c.max_score) for c in criteria]
    cells = stats.totals(scales, submitted_scores(event))
    for judge_id, judge_stats in stats.judge_stats(cells).items():
        if judge_id in judge_rows:
            judge_rows[judge_id].stats = judge_stats
    for team_id, mean in stats.team_means(cells).items():
        if team_id in team_rows:
            team_rows[team_id].mean = mean
    counting_judges = set(judge_rows) - shadows
    calibration = stats.totals(scales, uncounted["calibration"])
    for judge_id, offset in panel.calibration_offsets(calibration, counting_judges).items():
        if judge_id in judge_rows:
            judge_rows[judge_id].offset = offset
    if not shadows:
        return
    theirs = stats.totals(scales, uncounted["shadow"])
    agreements = panel.shadow_agreements({**cells, **theirs}, shadows)
    # A shadow's comparison is its agreement, in a section of its own; the per-judge
    # stats (and their harsh / lenient call) are of the counting judges.
    for judge_id in shadows & judge_rows.keys():
        judge_rows[judge_id].agreement = agreements.get(judge_id)
