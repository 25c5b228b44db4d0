"""CSV kind `scores` (judge_email,team,criterion,score,feedback), for paper judging.

Imported scores count as submitted and are audited like a judge's own, with the source
"import"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import audit, csvio
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
    AssignmentStatus,
    Criterion,
    Score,
)
from hackathon.judging.rules import criteria_of
from hackathon.judging.services.assignments import add_assignment
from hackathon.judging.services.conflicts import conflict_map
from hackathon.judging.services.scoring import ScoreUpdate, parse_value, record_scores
from hackathon.teams.models import Team


def _criterion_index(event: Event) -> dict[str, Criterion]:
    index: dict[str, Criterion] = {}
    for criterion in criteria_of(event):
        index[criterion.name.casefold()] = criterion
        if criterion.name_en:
            index.setdefault(criterion.name_en.casefold(), criterion)
    return index


def _check_scores(
    event: Event, rows: list[csvio.Row]
) -> tuple[
    dict[tuple[int, int], dict[str, Any]],
    dict[tuple[int, int], Assignment],
    list[csvio.RowProblem],
]:
    judges, teams = lookups(event)
    existing = assignments_by_pair(event)
    conflicts = conflict_map(event)
    criteria = _criterion_index(event)
    problems: list[csvio.RowProblem] = []
    groups: dict[tuple[int, int], dict[str, Any]] = {}
    seen: dict[tuple[int, int, int], int] = {}
    for row in rows:
        judge, team = person_and_team(row, judges, teams, problems)
        criterion = criteria.get(row.get("criterion").casefold())
        if criterion is None:
            problems.append(
                csvio.RowProblem(
                    row.number,
                    str(
                        _l(
                            "there is no criterion “%(name)s” in the rubric",
                            name=row.get("criterion"),
                        )
                    ),
                )
            )
        value = parse_value(row.get("score"))
        if value is None or value is False:
            problems.append(
                csvio.RowProblem(row.number, str(_l("the score must be a whole number")))
            )
        elif criterion is not None and not criterion.min_score <= value <= criterion.max_score:
            problems.append(
                csvio.RowProblem(
                    row.number,
                    str(
                        _l(
                            "the score must be from %(lo)d to %(hi)d",
                            lo=criterion.min_score,
                            hi=criterion.max_score,
                        )
                    ),
                )
            )
        if judge is None or team is None or criterion is None or not isinstance(value, int):
            continue
        key = (judge.id, team.id, criterion.id)
        if key in seen:
            problems.append(
                csvio.RowProblem(
                    row.number,
                    str(_l("the same judge, team and criterion as row %(other)d", other=seen[key])),
                )
            )
            continue
        seen[key] = row.number
        group = groups.setdefault(
            (judge.id, team.id), {"first": row.number, "scores": {}, "feedback": None}
        )
        group["scores"][criterion.id] = value
        feedback = row.get("feedback")
        if feedback:
            if group["feedback"] not in (None, feedback):
                problems.append(
                    csvio.RowProblem(
                        row.number,
                        str(
                            _l(
                                "a different feedback for this judge and team than row %(other)d",
                                other=group["first"],
                            )
                        ),
                    )
                )
            group["feedback"] = feedback
    all_ids = {c.id for c in criteria.values()}
    for pair, group in groups.items():
        assignment = existing.get(pair)
        if assignment is None and pair in conflicts:
            problems.append(conflict_problem(group["first"], conflicts[pair]))
            continue
        have = {s.criterion_id for s in assignment.scores} if assignment else set()
        missing = all_ids - have - set(group["scores"])
        if missing:
            names = ", ".join(c.name for c in criteria_of(event) if c.id in missing)
            problems.append(
                csvio.RowProblem(
                    group["first"], str(_l("scores are missing for: %(names)s", names=names))
                )
            )
    return groups, existing, sorted(problems, key=lambda p: p.row)


def import_scores(event: Event, rows: list[csvio.Row]) -> csvio.ImportResult:
    """Set the listed scores (paper judging); each judge–team pair becomes submitted."""
    groups, existing, problems = _check_scores(event, rows)
    if problems:
        raise csvio.ImportFailed(problems)
    result = csvio.ImportResult()
    newly_submitted = 0
    for (judge_id, team_id), group in groups.items():
        assignment = existing.get((judge_id, team_id))
        if assignment is None:
            assignment = add_assignment(event, judge_id, team_id)
        locked = db.session.scalars(
            select(Assignment)
            .where(Assignment.id == assignment.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        before = dict(
            db.session.execute(
                select(Score.criterion_id, Score.value).where(Score.assignment_id == locked.id)
            ).all()
        )
        for criterion_id, value in group["scores"].items():
            if criterion_id not in before:
                result.created += 1
            elif before[criterion_id] != value:
                result.updated += 1
            else:
                result.unchanged += 1
        was_submitted = locked.status == AssignmentStatus.SUBMITTED
        changed = record_scores(
            locked,
            ScoreUpdate(scores=group["scores"], feedback=group["feedback"], submit=True),
            actor_id=audit.actor_id(),
            source="import",
            check_phase=False,
        ).changed
        newly_submitted += changed and not was_submitted
    if newly_submitted:
        result.notes.append(str(_l("%(n)d assignment(s) marked as submitted", n=newly_submitted)))
    return result


def export_scores(event: Event) -> Iterable[dict[str, Any]]:
    """The scores of submitted assignments for the ranking (drafts and calibration items
    do not count, so they are not listed; a shadow judge's are, and import as theirs)."""
    rows = db.session.execute(
        select(User.email, Team.name, Criterion.name, Score.value, Assignment.feedback)
        .select_from(Score)
        .join(Assignment, Assignment.id == Score.assignment_id)
        .join(User, User.id == Assignment.judge_id)
        .join(Team, Team.id == Assignment.team_id)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .where(
            Assignment.event_id == event.id,
            Assignment.status == AssignmentStatus.SUBMITTED,
            Assignment.purpose == AssignmentPurpose.RANK,
        )
        .order_by(User.email, Team.name, Criterion.position, Criterion.id)
    )
    for email, team, criterion, value, feedback in rows:
        yield {
            "judge_email": email,
            "team": team,
            "criterion": criterion,
            "score": value,
            "feedback": feedback,
        }
