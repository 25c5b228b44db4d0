"""Taking work away: removing an assignment, a judge (their unfinished teams go to others)
or a team from a judge who declares a conflict. What a removed assignment held is kept in
the audit log; the plan for the replacements is made before anything is removed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.errors import NotFound
from hackathon.events.models import Event, Phase, Role
from hackathon.events.services import revoke_role
from hackathon.extensions import db
from hackathon.judging.models import (
    Assignment,
    AssignmentPurpose,
    AssignmentStatus,
    Score,
    ScoreChange,
)
from hackathon.judging.models import Conflict as DeclaredConflict
from hackathon.judging.rules import judge_roles, lock_assignments, ranked_work
from hackathon.judging.services.assignments import (
    AssignmentImpossible,
    Outcome,
    outcome_of,
    plan_targets,
    store_plans,
)
from hackathon.teams.models import Team


def _delete(assignment: Assignment, reason: str) -> None:
    """Remove an assignment; what it held is kept in the audit log."""
    # Locked and read again, so that a judge's write that lands meanwhile is in the record.
    db.session.refresh(assignment, with_for_update=True)
    held = db.session.execute(
        select(Score.criterion_id, Score.value).where(Score.assignment_id == assignment.id)
    ).all()
    audit.record(
        "assignment.removed",
        event_id=assignment.event_id,
        subject=assignment,
        reason=reason,
        judge_id=assignment.judge_id,
        team_id=assignment.team_id,
        status=str(assignment.status),
        scores={str(criterion_id): value for criterion_id, value in held},
        feedback=assignment.feedback,
        note=assignment.note,
    )
    # The score history goes with its assignment on every database alike (PostgreSQL would
    # cascade it; SQLite does not enforce foreign keys), so replaying the history always
    # gives exactly the scores that remain.
    db.session.execute(delete(ScoreChange).where(ScoreChange.assignment_id == assignment.id))
    db.session.delete(assignment)
    db.session.flush()


def _team_counts(event: Event, team_ids: list[int]) -> dict[int, int]:
    """How many judges each team has for the ranking (calibration and shadows aside)."""
    counts = dict.fromkeys(team_ids, 0)
    for (team_id,) in db.session.execute(
        select(Assignment.team_id).where(ranked_work(event.id), Assignment.team_id.in_(team_ids))
    ):
        counts[team_id] += 1
    return counts


def remove_assignment(assignment: Assignment, reason: str = "organizer") -> None:
    """An organizer takes one team away from one judge."""
    lock_assignments(assignment.event)
    _delete(assignment, reason)


def remove_judge(event: Event, judge_id: int, seed: int | None = None) -> Outcome:
    """Take a judge off the event; their unfinished teams go to others under the same rules.

    Their submitted scores stay and count. If the others cannot take the work, nothing
    changes and the reasons are raised.
    """
    if judge_id not in {r.user_id for r in judge_roles(event)}:
        raise NotFound(_l("This person is not a judge of this event."))
    seed = secrets.randbelow(2**31) if seed is None else seed
    lock_assignments(event)
    # Locked, so that work the judge submits meanwhile stays theirs and is not handed on.
    unfinished = list(
        db.session.scalars(
            select(Assignment)
            .where(
                Assignment.event_id == event.id,
                Assignment.judge_id == judge_id,
                Assignment.status != AssignmentStatus.SUBMITTED,
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    # Their calibration items go without a replacement; a shadow's teams need none either
    # (`_team_counts` and the plan leave shadows out).
    ranked = [a for a in unfinished if a.purpose == AssignmentPurpose.RANK]
    targets = _team_counts(event, [a.team_id for a in ranked])
    plans = plan_targets(event, targets, seed, judge_id, {a.id for a in ranked})
    for assignment in unfinished:
        _delete(assignment, "judge removed")
    revoke_role(event, db.session.get_one(User, judge_id), Role.JUDGE)
    created = store_plans(event, plans)
    audit.record(
        "judge.removed", event_id=event.id, judge_id=judge_id, reassigned=created, seed=seed
    )
    return outcome_of(event, plans, created=created, teams=len(targets), k=0, seed=seed)


@dataclass(frozen=True)
class Declared:
    conflict: DeclaredConflict
    removed: bool
    replaced: bool


def declare_conflict(
    event: Event, judge_id: int, team_id: int, reason: str, declared_by: int | None
) -> Declared:
    """Record that a judge may not judge a team; while judging runs, their assignment for
    that team goes to another judge without a conflict (if one can take it)."""
    lock_assignments(event)
    team = db.session.get(Team, team_id)
    if team is None or team.event_id != event.id:
        raise NotFound()
    reason = (reason or "").strip()[:1000]
    conflict = db.session.scalar(
        select(DeclaredConflict).where(
            DeclaredConflict.event_id == event.id,
            DeclaredConflict.judge_id == judge_id,
            DeclaredConflict.team_id == team_id,
        )
    )
    if conflict is None:
        conflict = DeclaredConflict(
            event_id=event.id,
            judge_id=judge_id,
            team_id=team_id,
            reason=reason,
            declared_by=declared_by,
        )
        db.session.add(conflict)
    elif reason:
        conflict.reason = reason
    db.session.flush()
    audit.record(
        "conflict.declared",
        event_id=event.id,
        subject=conflict,
        judge_id=judge_id,
        team_id=team_id,
        reason=reason,
    )
    held = {
        a.purpose: a
        for a in db.session.scalars(
            select(Assignment).where(
                Assignment.event_id == event.id,
                Assignment.judge_id == judge_id,
                Assignment.team_id == team_id,
            )
        )
    }
    calibration = held.get(AssignmentPurpose.CALIBRATION)
    if calibration is not None:
        _delete(calibration, "conflict declared")  # no stand-in: it never counts
    assignment = held.get(AssignmentPurpose.RANK)
    if assignment is None or event.phase == Phase.RESULTS:
        return Declared(conflict, removed=False, replaced=False)
    target = _team_counts(event, [team_id])
    try:
        plans = plan_targets(event, target, secrets.randbelow(2**31), None, {assignment.id})
    except AssignmentImpossible:
        plans = []
    _delete(assignment, "conflict declared")
    return Declared(conflict, removed=True, replaced=store_plans(event, plans) > 0)


def remove_conflict(event: Event, conflict_id: int) -> None:
    conflict = db.session.get(DeclaredConflict, conflict_id)
    if conflict is None or conflict.event_id != event.id:
        raise NotFound()
    audit.record(
        "conflict.removed",
        event_id=event.id,
        subject=conflict,
        judge_id=conflict.judge_id,
        team_id=conflict.team_id,
    )
    db.session.delete(conflict)
    db.session.flush()
