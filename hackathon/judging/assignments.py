"""Giving judges their teams: the whole event at once, one pair by hand, or a judge's
unfinished work handed to others; always without a conflict of interest.

The pure algorithm (`judging/assign.py`) decides; this module feeds it the event's rows and
stores its plan. A plan is always computed in full before anything is written, so an
impossible request changes nothing and says what is missing.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.errors import Conflict, NotFound, ValidationFailed
from hackathon.events.models import Event, EventRole, Phase, Role
from hackathon.events.services import revoke_role
from hackathon.extensions import db
from hackathon.judging import assign as algo
from hackathon.judging.conflicts import conflict_map, reasons_between
from hackathon.judging.models import Assignment, AssignmentStatus, ScoreChange
from hackathon.judging.models import Conflict as DeclaredConflict
from hackathon.judging.services import judge_roles
from hackathon.submissions.models import Submission, SubmissionStatus
from hackathon.teams.models import Team, TeamMentor, Track


class AssignmentImpossible(Conflict):
    code = "infeasible"
    message = _l("Judges cannot be assigned as asked; nothing was changed.")


class ConflictOfInterest(Conflict):
    code = "conflict_of_interest"
    message = _l("This judge has a conflict of interest with this team.")


@dataclass(frozen=True)
class Outcome:
    """What an assignment run did."""

    created: int
    teams: int
    judges: int
    k: int
    lowest_load: int
    highest_load: int
    balanced: bool
    connected: bool
    seed: int


def teams_in_scope(event: Event, all_teams: bool = False) -> list[Team]:
    """Teams with a submitted submission, or every team of the event (live judging)."""
    query = select(Team).where(Team.event_id == event.id).order_by(Team.id)
    if not all_teams:
        query = query.join(Submission, Submission.team_id == Team.id).where(
            Submission.event_id == event.id, Submission.status == SubmissionStatus.SUBMITTED
        )
    return list(db.session.scalars(query))


def _slots(teams: list[Team]) -> list[algo.TeamSlot]:
    ids = [t.id for t in teams]
    company = dict(
        db.session.execute(
            select(Team.id, Track.company_id)
            .outerjoin(Track, Track.id == Team.track_id)
            .where(Team.id.in_(ids))
        ).all()
    )
    mentors: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in db.session.execute(
        select(TeamMentor.team_id, TeamMentor.user_id).where(TeamMentor.team_id.in_(ids))
    ):
        mentors[team_id].add(user_id)
    return [algo.TeamSlot(t, company.get(t), frozenset(mentors[t])) for t in ids]


def _judges(event: Event, without: int | None = None) -> list[algo.Judge]:
    return [
        algo.Judge(role.user_id, role.company_id)
        for role in judge_roles(event)
        if role.user_id != without
    ]


def _pairs(event: Event, without: set[int] = frozenset()) -> list[algo.Pair]:
    rows = db.session.execute(
        select(Assignment.id, Assignment.judge_id, Assignment.team_id).where(
            Assignment.event_id == event.id
        )
    )
    return [(judge, team) for aid, judge, team in rows if aid not in without]


def explain(event: Event, reasons: list[Any]) -> list[str]:
    """Each reason of an impossible assignment as a sentence with names."""
    teams = dict(
        db.session.execute(select(Team.id, Team.name).where(Team.event_id == event.id)).all()
    )
    judge_ids = [r.judge_id for r in reasons if isinstance(r, algo.ExistingConflict)]
    judges = dict(
        db.session.execute(select(User.id, User.name).where(User.id.in_(judge_ids))).all()
    )
    return [_sentence(reason, teams, judges) for reason in reasons]


def _sentence(reason: Any, teams: dict[int, str], judges: dict[int, str]) -> str:
    if isinstance(reason, algo.Shortfall):
        text = _l(
            "Team “%(team)s”: only %(eligible)d judge(s) without a conflict of interest, "
            "%(needed)d needed.",
            team=teams.get(reason.team_id, reason.team_id),
            eligible=reason.eligible,
            needed=reason.needed,
        )
    elif isinstance(reason, algo.TooFewJudges):
        text = _l(
            "Only %(judges)d judge(s) take part, but each team needs %(needed)d.",
            judges=reason.judges,
            needed=reason.needed,
        )
    elif isinstance(reason, algo.ExistingConflict):
        text = _l(
            "%(judge)s is assigned to team “%(team)s” despite a conflict of interest; "
            "remove that assignment first.",
            judge=judges.get(reason.judge_id, reason.judge_id),
            team=teams.get(reason.team_id, reason.team_id),
        )
    else:
        text = reason
    return str(text)


def _impossible(event: Event, reasons: list[Any]) -> AssignmentImpossible:
    lines = explain(event, reasons)
    message = "\n".join([str(AssignmentImpossible.message), *lines])
    return AssignmentImpossible(message, missing=lines)


def _conflict_pairs(event: Event, judges: list[algo.Judge], teams: list[Team]) -> list[algo.Pair]:
    found = conflict_map(event, [j.id for j in judges], [t.id for t in teams])
    return sorted(found)


def feasibility(event: Event, k: int | None = None, all_teams: bool = False) -> list[str]:
    """What stops every team in scope from getting K judges (empty when nothing does)."""
    k = k or event.judges_per_submission
    teams = teams_in_scope(event, all_teams)
    if not teams:
        return []
    judges = _judges(event)
    reasons = algo.check(
        _slots(teams), judges, k, _conflict_pairs(event, judges, teams), _pairs(event)
    )
    return explain(event, reasons)


def _plan(
    event: Event,
    targets: dict[int, int],
    seed: int,
    without_judge: int | None = None,
    without_assignments: set[int] = frozenset(),
) -> list[algo.Plan]:
    """Plans bringing each team to its target count, grouped by target; raises if impossible."""
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.id.in_(list(targets))))}
    judges = _judges(event, without_judge)
    conflicts = _conflict_pairs(event, judges, list(teams.values()))
    existing = _pairs(event, without_assignments)
    plans = []
    by_target: dict[int, list[Team]] = defaultdict(list)
    for team_id, k in targets.items():
        if k > 0:
            by_target[k].append(teams[team_id])
    for k, group in sorted(by_target.items()):
        try:
            plan = algo.assign(_slots(group), judges, k, conflicts, existing, seed=seed)
        except algo.Infeasible as error:
            raise _impossible(event, error.reasons) from None
        existing = [*existing, *plan.pairs]
        plans.append(plan)
    return plans


def _store(event: Event, plans: list[algo.Plan]) -> int:
    """Create the planned assignments, each judge's new teams after their current queue."""
    created = 0
    submissions = dict(
        db.session.execute(
            select(Submission.team_id, Submission.id).where(Submission.event_id == event.id)
        ).all()
    )
    for plan in plans:
        for judge_id, queue in plan.queues.items():
            start = _last_position(event, judge_id)
            for offset, team_id in enumerate(queue, start=1):
                db.session.add(
                    Assignment(
                        event_id=event.id,
                        judge_id=judge_id,
                        team_id=team_id,
                        submission_id=submissions.get(team_id),
                        status=AssignmentStatus.TO_DO,
                        position=start + offset,
                    )
                )
                created += 1
            db.session.flush()
    return created


def _last_position(event: Event, judge_id: int) -> int:
    return (
        db.session.scalar(
            select(func.max(Assignment.position)).where(
                Assignment.event_id == event.id, Assignment.judge_id == judge_id
            )
        )
        or 0
    )


def assign_judges(
    event: Event, k: int | None = None, all_teams: bool = False, seed: int | None = None
) -> Outcome:
    """Give every team in scope exactly K judges, loads within one, without conflicts.

    Assignments already made are kept and count; each judge's new teams come in their own
    random order, recorded as queue positions.
    """
    k = k if k is not None else event.judges_per_submission
    if k < 1:
        raise ValidationFailed(_l("At least one judge per team."), fields={"k": "min"})
    seed = secrets.randbelow(2**31) if seed is None else seed
    teams = teams_in_scope(event, all_teams)
    plans = _plan(event, {t.id: k for t in teams}, seed) if teams else []
    created = _store(event, plans)
    loads = plans[-1].loads if plans else {}
    outcome = Outcome(
        created=created,
        teams=len(teams),
        judges=len(judge_roles(event)),
        k=k,
        lowest_load=min(loads.values(), default=0),
        highest_load=max(loads.values(), default=0),
        balanced=all(p.balanced for p in plans),
        connected=algo.is_connected(_pairs(event)),
        seed=seed,
    )
    audit.record(
        "judges.assigned",
        event_id=event.id,
        k=k,
        all_teams=all_teams,
        seed=seed,
        created=created,
    )
    return outcome


def add_assignment(event: Event, judge_id: int, team_id: int) -> Assignment:
    """Give one team to one judge by hand, at the end of the judge's queue."""
    team = db.session.get(Team, team_id)
    if team is None or team.event_id != event.id:
        raise NotFound()
    role = db.session.scalar(
        select(EventRole.id).where(
            EventRole.event_id == event.id,
            EventRole.user_id == judge_id,
            EventRole.role == Role.JUDGE,
        )
    )
    if role is None:
        raise NotFound(_l("This person is not a judge of this event."))
    if db.session.scalar(
        select(Assignment.id).where(
            Assignment.event_id == event.id,
            Assignment.judge_id == judge_id,
            Assignment.team_id == team_id,
        )
    ):
        raise Conflict(_l("This judge already has this team."))
    reasons = reasons_between(event, judge_id, team_id)
    if reasons:
        raise ConflictOfInterest(
            "; ".join([str(ConflictOfInterest.message), *(r.label for r in reasons)])
        )
    submission = db.session.scalar(
        select(Submission.id).where(Submission.event_id == event.id, Submission.team_id == team_id)
    )
    assignment = Assignment(
        event_id=event.id,
        judge_id=judge_id,
        team_id=team_id,
        submission_id=submission,
        status=AssignmentStatus.TO_DO,
        position=_last_position(event, judge_id) + 1,
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        "assignment.added",
        event_id=event.id,
        subject=assignment,
        judge_id=judge_id,
        team_id=team_id,
    )
    return assignment


def _delete(assignment: Assignment, reason: str) -> None:
    """Remove an assignment; what it held is kept in the audit log."""
    audit.record(
        "assignment.removed",
        event_id=assignment.event_id,
        subject=assignment,
        reason=reason,
        judge_id=assignment.judge_id,
        team_id=assignment.team_id,
        status=str(assignment.status),
        scores={str(s.criterion_id): s.value for s in assignment.scores},
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
    counts = dict.fromkeys(team_ids, 0)
    for (team_id,) in db.session.execute(
        select(Assignment.team_id).where(
            Assignment.event_id == event.id, Assignment.team_id.in_(team_ids)
        )
    ):
        counts[team_id] += 1
    return counts


def remove_assignment(assignment: Assignment, reason: str = "organizer") -> None:
    """An organizer takes one team away from one judge."""
    _delete(assignment, reason)


def remove_judge(event: Event, judge_id: int, seed: int | None = None) -> Outcome:
    """Take a judge off the event; their unfinished teams go to others under the same rules.

    Their submitted scores stay and count. If the others cannot take the work, nothing
    changes and the reasons are raised.
    """
    if judge_id not in {r.user_id for r in judge_roles(event)}:
        raise NotFound(_l("This person is not a judge of this event."))
    seed = secrets.randbelow(2**31) if seed is None else seed
    unfinished = list(
        db.session.scalars(
            select(Assignment).where(
                Assignment.event_id == event.id,
                Assignment.judge_id == judge_id,
                Assignment.status != AssignmentStatus.SUBMITTED,
            )
        )
    )
    targets = _team_counts(event, [a.team_id for a in unfinished])
    plans = _plan(event, targets, seed, judge_id, {a.id for a in unfinished})
    for assignment in unfinished:
        _delete(assignment, "judge removed")
    revoke_role(event, db.session.get(User, judge_id), Role.JUDGE)
    created = _store(event, plans)
    audit.record(
        "judge.removed", event_id=event.id, judge_id=judge_id, reassigned=created, seed=seed
    )
    loads = plans[-1].loads if plans else {}
    return Outcome(
        created,
        len(targets),
        len(judge_roles(event)),
        0,
        min(loads.values(), default=0),
        max(loads.values(), default=0),
        all(p.balanced for p in plans),
        algo.is_connected(_pairs(event)),
        seed,
    )


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
    assignment = db.session.scalar(
        select(Assignment).where(
            Assignment.event_id == event.id,
            Assignment.judge_id == judge_id,
            Assignment.team_id == team_id,
        )
    )
    if assignment is None or event.phase == Phase.RESULTS:
        return Declared(conflict, removed=False, replaced=False)
    target = _team_counts(event, [team_id])
    try:
        plans = _plan(event, target, secrets.randbelow(2**31), None, {assignment.id})
    except AssignmentImpossible:
        plans = []
    _delete(assignment, "conflict declared")
    return Declared(conflict, removed=True, replaced=_store(event, plans) > 0)


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
