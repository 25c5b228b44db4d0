"""CSV kinds `assignments` (judge_email,team) and `scores`
(judge_email,team,criterion,score,feedback), for planning and paper judging.

Both check every row first and write nothing on any problem. Imported scores count as
submitted and are audited like a judge's own, with the source "import".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import audit, csvio
from hackathon.accounts.models import User
from hackathon.accounts.services import normalize_email
from hackathon.errors import ValidationFailed
from hackathon.events.models import Event, EventRole, Role
from hackathon.extensions import db
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
from hackathon.judging.services.rubric import (
    RubricLocked,
    add_criterion,
    check_values,
    is_locked,
    update_criterion,
)
from hackathon.judging.services.scoring import ScoreUpdate, parse_value, record_scores
from hackathon.registry import Registry
from hackathon.teams.models import Team

LOCK_ACTIONS = ("rubric.unlocked", "rubric.locked")
LEVEL_LINE = re.compile(r"^\s*(-?\d+)\s*[:.)\-–]\s*(.+?)\s*$")
MAX_WEIGHT = 1000.0


def _lookups(event: Event) -> tuple[dict[str, User], dict[str, Team]]:
    judges = {
        u.email: u
        for u in db.session.scalars(
            select(User)
            .join(EventRole, EventRole.user_id == User.id)
            .where(EventRole.event_id == event.id, EventRole.role == Role.JUDGE)
        )
    }
    teams = {t.name: t for t in db.session.scalars(select(Team).where(Team.event_id == event.id))}
    return judges, teams


def _existing(event: Event) -> dict[tuple[int, int], Assignment]:
    """The event's assignments for the ranking (calibration items are set up apart)."""
    return {
        (a.judge_id, a.team_id): a
        for a in db.session.scalars(
            select(Assignment).where(
                Assignment.event_id == event.id, Assignment.purpose == AssignmentPurpose.RANK
            )
        )
    }


def _person_and_team(
    row: csvio.Row,
    judges: dict[str, User],
    teams: dict[str, Team],
    problems: list[csvio.RowProblem],
) -> tuple[User | None, Team | None]:
    email, name = normalize_email(row.get("judge_email")), row.get("team")
    judge, team = judges.get(email), teams.get(name)
    if judge is None:
        problems.append(
            csvio.RowProblem(
                row.number, str(_l("“%(email)s” is not a judge of this event", email=email))
            )
        )
    if team is None:
        problems.append(
            csvio.RowProblem(
                row.number, str(_l("there is no team “%(team)s” in this event", team=name))
            )
        )
    return judge, team


def _conflict_problem(row: int, reasons: list[Any]) -> csvio.RowProblem:
    labels = "; ".join(r.label for r in reasons)
    return csvio.RowProblem(row, str(_l("conflict of interest: %(why)s", why=labels)))


def import_assignments(event: Event, rows: list[csvio.Row]) -> csvio.ImportResult:
    """Add the listed (judge, team) pairs; pairs already there are left as they are."""
    judges, teams = _lookups(event)
    existing = _existing(event)
    conflicts = conflict_map(event)
    problems: list[csvio.RowProblem] = []
    seen: dict[tuple[int, int], int] = {}
    wanted: list[tuple[int, int]] = []
    for row in rows:
        judge, team = _person_and_team(row, judges, teams, problems)
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
            problems.append(_conflict_problem(row.number, conflicts[pair]))
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
    judges, teams = _lookups(event)
    existing = _existing(event)
    conflicts = conflict_map(event)
    criteria = _criterion_index(event)
    problems: list[csvio.RowProblem] = []
    groups: dict[tuple[int, int], dict[str, Any]] = {}
    seen: dict[tuple[int, int, int], int] = {}
    for row in rows:
        judge, team = _person_and_team(row, judges, teams, problems)
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
            problems.append(_conflict_problem(group["first"], conflicts[pair]))
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


# The `rubric` kind: name,weight,min,max,description.
RUBRIC_COLUMNS = ("name", "weight", "min", "max", "description")


def _number(raw: str, kind: type) -> Any:
    try:
        value = kind(raw)
    except ValueError:
        return None
    return value


def import_rubric(event: Event, rows: list[csvio.Row]) -> csvio.ImportResult:
    """Create or update criteria by name; criteria not in the file are left alone."""
    problems: list[csvio.RowProblem] = []
    if is_locked(event):
        raise csvio.ImportFailed([csvio.RowProblem(1, str(RubricLocked.message))])
    existing = {c.name: c for c in criteria_of(event)}
    seen: dict[str, int] = {}
    cleaned: list[tuple[csvio.Row, dict[str, Any]]] = []
    for row in rows:
        name = row.get("name")
        if name in seen:
            problems.append(
                csvio.RowProblem(
                    row.number, str(_l("the same name as row %(other)d", other=seen[name]))
                )
            )
            continue
        seen[name] = row.number
        values = {
            "name": name,
            "weight": _number(row.get("weight"), float),
            "min_score": _number(row.get("min"), int),
            "max_score": _number(row.get("max"), int),
            "description": row.get("description"),
        }
        current = existing.get(name)
        if current is not None:
            values.update(
                name_en=current.name_en,
                description_en=current.description_en,
                levels=current.levels,
            )
        try:
            cleaned.append((row, check_values(event, values, current)))
        except ValidationFailed as error:
            for message in (error.details.get("fields") or {}).values():
                problems.append(csvio.RowProblem(row.number, message))
    if problems:
        raise csvio.ImportFailed(problems)
    result = csvio.ImportResult()
    for _row, clean in cleaned:
        current = existing.get(clean["name"])
        if current is None:
            add_criterion(event, **clean)
            result.created += 1
        elif any(getattr(current, k) != v for k, v in clean.items()):
            update_criterion(current, **clean)
            result.updated += 1
        else:
            result.unchanged += 1
    db.session.flush()
    return result


def export_rubric(event: Event) -> Iterator[dict[str, Any]]:
    for criterion in criteria_of(event):
        yield {
            "name": criterion.name,
            "weight": f"{criterion.weight:g}",
            "min": criterion.min_score,
            "max": criterion.max_score,
            "description": criterion.description,
        }


def register(registry: Registry) -> None:
    registry.add_csv_kind(
        "assignments",
        ("judge_email", "team"),
        importer=import_assignments,
        exporter=export_assignments,
    )
    registry.add_csv_kind(
        "scores",
        ("judge_email", "team", "criterion", "score", "feedback"),
        required=("judge_email", "team", "criterion", "score"),
        importer=import_scores,
        exporter=export_scores,
    )
    registry.add_csv_kind(
        "rubric",
        RUBRIC_COLUMNS,
        required=("name", "weight", "min", "max"),
        importer=import_rubric,
        exporter=export_rubric,
    )
