"""Read an event's rubric, teams and submitted scores as the ranking module's dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from hackathon.extensions import db
from hackathon.judging.models import Assignment, AssignmentStatus, Score
from hackathon.judging.models import Criterion as CriterionRow
from hackathon.judging.rules import counting, ranked_work
from hackathon.leaderboard.logic import ranking
from hackathon.submissions.models import Submission
from hackathon.teams.models import Team, Track


@dataclass(frozen=True)
class Inputs:
    criteria: list[ranking.Criterion]
    teams: list[ranking.Team]
    scores: list[ranking.Score]
    labels: dict[str, Any]


def load_inputs(event_id: int) -> Inputs:
    """Criteria, every team of the event, and the scores that count only (`counting`)."""
    crit_rows = db.session.scalars(
        select(CriterionRow)
        .where(CriterionRow.event_id == event_id)
        .order_by(CriterionRow.position, CriterionRow.id)
    ).all()
    criteria = [
        ranking.Criterion(c.id, c.name, float(c.weight), c.min_score, c.max_score)
        for c in crit_rows
    ]
    team_rows = db.session.execute(
        select(Team.id, Team.name, Track.name, Submission.submitted_at)
        .outerjoin(Track, Track.id == Team.track_id)
        .outerjoin(Submission, Submission.team_id == Team.id)
        .where(Team.event_id == event_id)
    ).all()
    teams = [ranking.Team(i, name, track, when) for i, name, track, when in team_rows]
    scores = [
        ranking.Score(judge, team, crit, float(value))
        for judge, team, crit, value in db.session.execute(submitted_scores(event_id))
    ]
    tracks = db.session.execute(
        select(Track.id, Track.name, Track.name_en)
        .where(Track.event_id == event_id)
        .order_by(Track.position, Track.name)
    ).all()
    labels = {
        "criteria": {c.name: c.name_en for c in crit_rows},
        "tracks": [tuple(t) for t in tracks],
    }
    return Inputs(criteria, teams, scores, labels)


def submitted_scores(event_id: int) -> Select[int, int, int, int]:
    """(judge, team, criterion, value) of every score that counts: its assignment was
    submitted, for the ranking (not calibration), by a judge who is not a shadow."""
    return (
        select(Assignment.judge_id, Assignment.team_id, Score.criterion_id, Score.value)
        .join(Score, Score.assignment_id == Assignment.id)
        .where(counting(event_id))
    )


def judging_progress(event_id: int) -> tuple[int, int]:
    """(submitted, all) of the event's work for the ranking (`ranked_work`)."""
    done, total = db.session.execute(
        select(
            func.count(Assignment.id).filter(Assignment.status == AssignmentStatus.SUBMITTED),
            func.count(Assignment.id),
        ).where(ranked_work(event_id))
    ).one()
    return int(done or 0), int(total or 0)
