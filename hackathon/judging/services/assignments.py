"""Giving judges their teams: the whole event at once, one pair by hand, or a judge's
unfinished work handed to others; always without a conflict of interest.

The pure algorithm (`judging/logic/assign.py`) decides; this module feeds it the event's rows and
stores its plan. A plan is always computed in full before anything is written, so an
impossible request changes nothing and says what is missing.
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter, defaultdict
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.errors import Conflict, NotFound, ValidationFailed
from hackathon.events.models import Event, EventRole, Role
from hackathon.extensions import db
from hackathon.judging.logic import assign as algo
from hackathon.judging.models import Assignment, AssignmentPurpose, AssignmentStatus
from hackathon.judging.rules import judge_roles, lock_assignments, ranked_work, shadow_ids
from hackathon.judging.services.conflicts import conflict_map, reasons_between
from hackathon.notifications.services import link_to, notify
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

    def report(self) -> list[tuple[str, str]]:
        """What to tell the organizer, as (message, kind) in the reader's language."""
        lines = [
            (
                str(
                    _l(
                        "%(created)d assignments made; every team in scope has %(k)d judges; "
                        "loads from %(lo)d to %(hi)d.",
                        created=self.created,
                        k=self.k,
                        lo=self.lowest_load,
                        hi=self.highest_load,
                    )
                ),
                "success",
            )
        ]
        if not self.connected:
            lines.append(
                (
                    str(
                        _l(
                            "Conflicts split the judges into separate groups; normalized "
                            "scores compare judges only within each group."
                        )
                    ),
                    "info",
                )
            )
        return lines


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


team_slots = _slots  # for the feature's other planner (calibration: shadow judges)


def _judges(event: Event, without: int | None = None) -> list[algo.Judge]:
    """The counting judges: a shadow judge never stands in for one (services/calibration)."""
    shadows = shadow_ids(event)
    return [
        algo.Judge(role.user_id, role.company_id)
        for role in judge_roles(event)
        if role.user_id != without and role.user_id not in shadows
    ]


def pairs_of(event: Event, without: Set[int] = frozenset()) -> list[algo.Pair]:
    """The (judge, team) pairs of the event's work for the ranking (`rules.ranked_work`):
    calibration items and shadow judges neither cover a team nor load a judge."""
    rows = db.session.execute(
        select(Assignment.id, Assignment.judge_id, Assignment.team_id).where(ranked_work(event.id))
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


def feasibility(
    event: Event,
    k: int | None = None,
    all_teams: bool = False,
    conflicts: dict[algo.Pair, Any] | None = None,
) -> list[str]:
    """What stops every team in scope from getting K judges (empty when nothing does).

    `conflicts`: the event's conflict map, when the caller has read it already.
    """
    k = k or event.judges_per_submission
    teams = teams_in_scope(event, all_teams)
    if not teams:
        return []
    judges = _judges(event)
    pairs = sorted(conflicts) if conflicts is not None else _conflict_pairs(event, judges, teams)
    reasons = algo.check(_slots(teams), judges, k, pairs, pairs_of(event))
    return explain(event, reasons)


def plan_targets(
    event: Event,
    targets: dict[int, int],
    seed: int,
    without_judge: int | None = None,
    without_assignments: Set[int] = frozenset(),
) -> list[algo.Plan]:
    """Plans bringing each team to its target count, grouped by target; raises if impossible."""
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.id.in_(list(targets))))}
    judges = _judges(event, without_judge)
    conflicts = _conflict_pairs(event, judges, list(teams.values()))
    existing = pairs_of(event, without_assignments)
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


def store_plans(event: Event, plans: list[algo.Plan]) -> int:
    """Create the planned assignments, each judge's new teams after their current queue;
    each judge with new teams is told once for the whole run."""
    created = 0
    new_work: Counter[int] = Counter()
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
                new_work[judge_id] += 1
            db.session.flush()
    tell_judges(event, new_work)
    return created


def tell_judges(event: Event, new_work: Counter[int]) -> None:
    """One notification per judge with new teams; the run's own key makes it once only."""
    if not new_work:
        return
    run = uuid.uuid4().hex[:16]
    for judge in db.session.scalars(select(User).where(User.id.in_(list(new_work)))):
        notify(
            judge,
            "assignments_ready",
            event=event,
            link=link_to("judging.queue", slug=event.slug),
            key=f"assignments:{event.id}:{run}",
            count=new_work[judge.id],
        )


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
    lock_assignments(event)
    teams = teams_in_scope(event, all_teams)
    plans = plan_targets(event, {t.id: k for t in teams}, seed) if teams else []
    created = store_plans(event, plans)
    outcome = outcome_of(event, plans, created=created, teams=len(teams), k=k, seed=seed)
    audit.record(
        "judges.assigned",
        event_id=event.id,
        k=k,
        all_teams=all_teams,
        seed=seed,
        created=created,
    )
    return outcome


def outcome_of(
    event: Event, plans: list[algo.Plan], *, created: int, teams: int, k: int, seed: int
) -> Outcome:
    """What a run did: the loads its last plan left (none without a plan), and whether the
    judge–team graph is now one piece."""
    loads = plans[-1].loads if plans else {}
    return Outcome(
        created=created,
        teams=teams,
        judges=len(judge_roles(event)),
        k=k,
        lowest_load=min(loads.values(), default=0),
        highest_load=max(loads.values(), default=0),
        balanced=all(p.balanced for p in plans),
        connected=algo.is_connected(pairs_of(event)),
        seed=seed,
    )


def add_assignment(event: Event, judge_id: int, team_id: int) -> Assignment:
    """Give one team to one judge by hand, at the end of the judge's queue."""
    lock_assignments(event)
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
            Assignment.purpose == AssignmentPurpose.RANK,
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
