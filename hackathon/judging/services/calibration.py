"""Calibration items and shadow judges: work that is scored but never counts.

- A **calibration item** is a team's submission that every judge of the event scores
  first, so that organizers see before real scoring starts how far each judge sits from
  the panel. Each judge's work on it is an assignment of its own, with the purpose
  `calibration`; a judge who is also given that team for the ranking has a second, separate
  assignment (`rank`) and scores it afresh there.
- A **shadow judge** (a trainee) scores like the others; their assignments never count and
  never stand in for a counting judge: `judges assign` gives every team its K counting
  judges first and each shadow extra teams after that.

What counts is decided in one place, `rules.counting` (docs/scoring.md, "Calibration and
shadow judges"); the leaderboard's revision watch sees every write here that changes it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hackathon import audit
from hackathon.errors import Conflict, NotFound
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.logic import assign as algo
from hackathon.judging.logic.shadows import shadow_queues
from hackathon.judging.models import (
    Assignment,
    AssignmentPurpose,
    AssignmentStatus,
    CalibrationItem,
    ShadowJudge,
)
from hackathon.judging.rules import judge_roles, lock_assignments, shadow_ids
from hackathon.judging.services import assignments as planning
from hackathon.judging.services.conflicts import conflict_map
from hackathon.judging.services.reassign import remove_assignment
from hackathon.submissions.models import Submission
from hackathon.teams.models import Team

MAX_ITEMS = 5


class TooManyItems(Conflict):
    code = "too_many_calibration_items"
    message = _l("An event has at most %(n)d calibration items.", n=MAX_ITEMS)


def calibration_items(event: Event) -> list[CalibrationItem]:
    """The event's calibration items in their order."""
    return list(
        db.session.scalars(
            select(CalibrationItem)
            .where(CalibrationItem.event_id == event.id)
            .order_by(CalibrationItem.position, CalibrationItem.id)
        )
    )


def mark_calibration(event: Event, team_id: int, actor_id: int | None = None) -> int:
    """Make a team's submission a calibration item and give it to every judge who may
    judge the team; the number of calibration assignments made."""
    lock_assignments(event)
    team = db.session.get(Team, team_id)
    if team is None or team.event_id != event.id:
        raise NotFound()
    items = calibration_items(event)
    if all(item.team_id != team_id for item in items):
        if len(items) >= MAX_ITEMS:
            raise TooManyItems()
        position = max((item.position for item in items), default=0) + 1
        item = CalibrationItem(
            event_id=event.id, team_id=team_id, position=position, created_by=actor_id
        )
        db.session.add(item)
        db.session.flush()
        audit.record("calibration.marked", event_id=event.id, subject=item, team_id=team_id)
    return sync_calibration(event)


def unmark_calibration(event: Event, team_id: int) -> None:
    """The team is no longer a calibration item; its calibration assignments go (what they
    held stays in the audit log), the team's assignments for the ranking stay."""
    lock_assignments(event)
    item = db.session.scalar(
        select(CalibrationItem).where(
            CalibrationItem.event_id == event.id, CalibrationItem.team_id == team_id
        )
    )
    if item is None:
        raise NotFound()
    for assignment in db.session.scalars(
        select(Assignment).where(
            Assignment.event_id == event.id,
            Assignment.team_id == team_id,
            Assignment.purpose == AssignmentPurpose.CALIBRATION,
        )
    ).all():
        remove_assignment(assignment, "calibration item removed")
    audit.record("calibration.unmarked", event_id=event.id, subject=item, team_id=team_id)
    db.session.delete(item)
    db.session.flush()


def sync_calibration(event: Event) -> int:
    """Give every judge of the event (shadows too) each calibration item they have not got
    yet, leaving out the teams a judge may not judge; the number made."""
    items = calibration_items(event)
    judges = [role.user_id for role in judge_roles(event)]
    if not items or not judges:
        return 0
    conflicts = conflict_map(event, judges, [item.team_id for item in items])
    have = set(
        db.session.execute(
            select(Assignment.judge_id, Assignment.team_id).where(
                Assignment.event_id == event.id,
                Assignment.purpose == AssignmentPurpose.CALIBRATION,
            )
        ).all()
    )
    submissions = dict(
        db.session.execute(
            select(Submission.team_id, Submission.id).where(Submission.event_id == event.id)
        ).all()
    )
    made = 0
    for item in items:
        for judge_id in judges:
            pair = (judge_id, item.team_id)
            if pair in have or pair in conflicts:
                continue
            db.session.add(
                Assignment(
                    event_id=event.id,
                    judge_id=judge_id,
                    team_id=item.team_id,
                    submission_id=submissions.get(item.team_id),
                    purpose=AssignmentPurpose.CALIBRATION,
                    status=AssignmentStatus.TO_DO,
                    position=item.position,
                )
            )
            made += 1
    db.session.flush()
    if made:
        audit.record("calibration.assigned", event_id=event.id, created=made)
    return made


def set_shadow(event: Event, judge_id: int, shadow: bool, actor_id: int | None = None) -> bool:
    """Make a judge of the event a shadow judge (their scores stop counting) or a counting
    judge again; True if anything changed. Their assignments stay as they are: run
    `judges assign` again to give every team its K counting judges."""
    if judge_id not in {role.user_id for role in judge_roles(event)}:
        raise NotFound(_l("This person is not a judge of this event."))
    lock_assignments(event)
    row = db.session.scalar(
        select(ShadowJudge).where(
            ShadowJudge.event_id == event.id, ShadowJudge.judge_id == judge_id
        )
    )
    if shadow == (row is not None):
        return False
    if row is None:
        db.session.add(ShadowJudge(event_id=event.id, judge_id=judge_id, created_by=actor_id))
    else:
        db.session.delete(row)
    db.session.flush()
    audit.record("judge.shadow", event_id=event.id, judge_id=judge_id, shadow=shadow)
    return True


def assign_shadows(event: Event, all_teams: bool = False, seed: int | None = None) -> int:
    """Give each shadow judge extra teams up to the counting judges' highest load (their
    kept teams count), fewest-shadowed teams first, never a team with a conflict; the
    number of assignments made. No counting judge's work or team's K changes."""
    shadows = shadow_ids(event)
    teams = planning.teams_in_scope(event, all_teams)
    if not shadows or not teams:
        return 0
    seed = secrets.randbelow(2**31) if seed is None else seed
    loads = dict(
        db.session.execute(
            select(Assignment.judge_id, func.count(Assignment.id))
            .where(
                Assignment.event_id == event.id,
                Assignment.purpose == AssignmentPurpose.RANK,
                Assignment.judge_id.not_in(sorted(shadows)),
            )
            .group_by(Assignment.judge_id)
        ).all()
    )
    load = max(loads.values(), default=0)
    judges = [
        algo.Judge(role.user_id, role.company_id)
        for role in judge_roles(event)
        if role.user_id in shadows
    ]
    existing = db.session.execute(
        select(Assignment.judge_id, Assignment.team_id).where(
            Assignment.event_id == event.id,
            Assignment.purpose == AssignmentPurpose.RANK,
            Assignment.judge_id.in_(sorted(shadows)),
        )
    ).all()
    conflicts = conflict_map(event, sorted(shadows), [t.id for t in teams])
    queues = shadow_queues(
        planning.team_slots(teams), judges, load, conflicts, [(j, t) for j, t in existing], seed
    )
    plan = algo.Plan(
        pairs=sorted((j, t) for j, queue in queues.items() for t in queue),
        queues=queues,
        loads={},
        bounds=(load, load),
        balanced=True,
        connected=True,
    )
    return planning.store_plans(event, [plan])


@dataclass(frozen=True)
class PanelOutcome:
    """What `judges assign` did: the counting judges' run, and the extra work."""

    outcome: planning.Outcome
    shadows: int
    calibration: int

    def report(self) -> list[tuple[str, str]]:
        lines = self.outcome.report()
        if self.shadows:
            lines.append(
                (
                    str(_l("%(n)d extra assignments for shadow judges.", n=self.shadows)),
                    "success",
                )
            )
        if self.calibration:
            lines.append(
                (
                    str(_l("%(n)d calibration assignments made.", n=self.calibration)),
                    "success",
                )
            )
        return lines


def assign_panel(
    event: Event, k: int | None = None, all_teams: bool = False, seed: int | None = None
) -> PanelOutcome:
    """`judges assign`: K counting judges per team (`assign_judges`), then each shadow
    judge's extra teams, then every judge's calibration items."""
    outcome = planning.assign_judges(event, k, all_teams, seed)
    return PanelOutcome(
        outcome,
        shadows=assign_shadows(event, all_teams, outcome.seed),
        calibration=sync_calibration(event),
    )
