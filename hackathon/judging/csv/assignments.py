"""CSV kind `assignments` (judge_email,team): a judging plan, imported and exported."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import csvio
from hackathon.accounts.models import User
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.csv.lookups import (
    assignments_by_pair,
    conflict_problem,
    lookups,
    person_and_team,
)
from hackathon.judging.models import (
    Assignment,
    AssignmentPurpose,
)
from hackathon.judging.services.assignments import add_assignment
from hackathon.judging.services.conflicts import conflict_map
from hackathon.teams.models import Team


def import_assignments(event: Event, rows: list[csvio.Row]) -> csvio.ImportResult:
    """Add the listed (judge, team) pairs; pairs already there are left as they are."""
    judges, teams = lookups(event)
    existing = assignments_by_pair(event)
    conflicts = conflict_map(event)
    problems: list[csvio.RowProblem] = []
    seen: dict[tuple[int, int], int] = {}
    wanted: list[tuple[int, int]] = []
    for row in rows:
        judge, team = person_and_team(row, judges, teams, problems)
        if judge is None or team is None:
            continue
        pair = (judge.id, team.id)
        if pair in seen:
            problems.append(
                csvio.RowProblem(
                    row.number,
                    str(_l("the same judge and team as row %(other)d", other=seen[pair])),
                )
            )
            continue
        seen[pair] = row.number
        if pair in conflicts:
            problems.append(conflict_problem(row.number, conflicts[pair]))
            continue
        wanted.append(pair)
    if problems:
        raise csvio.ImportFailed(problems)
    result = csvio.ImportResult()
    for judge_id, team_id in wanted:
        if (judge_id, team_id) in existing:
            result.unchanged += 1
        else:
            add_assignment(event, judge_id, team_id)
            result.created += 1
    return result


def export_assignments(event: Event) -> Iterable[dict[str, Any]]:
    rows = db.session.execute(
        select(User.email, Team.name)
        .select_from(Assignment)
        .join(User, User.id == Assignment.judge_id)
        .join(Team, Team.id == Assignment.team_id)
        .where(Assignment.event_id == event.id, Assignment.purpose == AssignmentPurpose.RANK)
        .order_by(User.email, Assignment.position, Assignment.id)
    )
    for email, team in rows:
        yield {"judge_email": email, "team": team}
