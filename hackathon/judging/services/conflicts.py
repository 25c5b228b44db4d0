"""Conflicts of interest: who may not judge which team, and why.

A judge may not judge a team on a track of a company they work for (any company on their
judge, mentor or company-rep role in the event), a team they mentor, a team they belong to
(one person may hold a participant and a judge role), or a team they (or an organizer)
declared a conflict with. This module is the one place that answers it; the
assignment algorithm, manual assignment, the CSV imports and the pages all ask here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.events.models import Company, Event, EventRole, Role
from hackathon.extensions import db
from hackathon.judging.models import Conflict
from hackathon.teams.models import Team, TeamMember, TeamMentor, Track

Pair = tuple[int, int]  # (judge_id, team_id)
EMPLOYER_ROLES = (Role.JUDGE, Role.MENTOR, Role.COMPANY_REP)


class ConflictKind(StrEnum):
    COMPANY = "company"
    MENTOR = "mentor"
    MEMBER = "member"
    DECLARED = "declared"


KIND_LABELS = {
    ConflictKind.COMPANY: _l("works for the track's company"),
    ConflictKind.MENTOR: _l("mentors the team"),
    ConflictKind.MEMBER: _l("is a member of the team"),
    ConflictKind.DECLARED: _l("declared a conflict"),
}


@dataclass(frozen=True)
class Reason:
    """Why one judge may not judge one team."""

    kind: ConflictKind
    judge_id: int
    team_id: int
    detail: str = ""  # the company's name, or the declared reason
    conflict_id: int | None = None
    declared_by: str = ""
    declared_at: datetime | None = None

    @property
    def label(self) -> str:
        text = str(KIND_LABELS[self.kind])
        return f"{text}: {self.detail}" if self.detail else text


def judge_companies(event: Event, judge_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """Each person's employers in this event, from their judge, mentor and rep roles."""
    query = select(EventRole.user_id, EventRole.company_id).where(
        EventRole.event_id == event.id,
        EventRole.role.in_(list(EMPLOYER_ROLES)),
        EventRole.company_id.is_not(None),
    )
    if judge_ids is not None:
        query = query.where(EventRole.user_id.in_(list(judge_ids)))
    found: dict[int, set[int]] = defaultdict(set)
    for user_id, company_id in db.session.execute(query):
        if company_id is not None:  # the query leaves out rows without one
            found[user_id].add(company_id)
    return found


def conflict_map(
    event: Event,
    judge_ids: Iterable[int] | None = None,
    team_ids: Iterable[int] | None = None,
) -> dict[Pair, list[Reason]]:
    """Every conflict of the event (optionally only for some judges or teams)."""
    judges = set(judge_ids) if judge_ids is not None else _judge_ids(event)
    team_query = (
        select(Team.id, Track.company_id, Company.name)
        .outerjoin(Track, Track.id == Team.track_id)
        .outerjoin(Company, Company.id == Track.company_id)
        .where(Team.event_id == event.id)
    )
    if team_ids is not None:
        team_query = team_query.where(Team.id.in_(list(team_ids)))
    teams = db.session.execute(team_query).all()
    team_set = {t for t, _c, _n in teams}
    reasons: dict[Pair, list[Reason]] = defaultdict(list)

    employers = judge_companies(event, judges)
    by_company: dict[int, list[int]] = defaultdict(list)
    for judge_id, companies in employers.items():
        for employer_id in companies:
            by_company[employer_id].append(judge_id)
    for team_id, company_id, company_name in teams:
        for judge_id in by_company.get(company_id, []) if company_id else []:
            reasons[judge_id, team_id].append(
                Reason(ConflictKind.COMPANY, judge_id, team_id, company_name or "")
            )

    mentors = db.session.execute(
        select(TeamMentor.user_id, TeamMentor.team_id).where(
            TeamMentor.team_id.in_(team_set), TeamMentor.user_id.in_(judges)
        )
    )
    for judge_id, team_id in mentors:
        reasons[judge_id, team_id].append(Reason(ConflictKind.MENTOR, judge_id, team_id))

    members = db.session.execute(
        select(TeamMember.user_id, TeamMember.team_id).where(
            TeamMember.team_id.in_(team_set), TeamMember.user_id.in_(judges)
        )
    )
    for judge_id, team_id in members:
        reasons[judge_id, team_id].append(Reason(ConflictKind.MEMBER, judge_id, team_id))

    declared = db.session.execute(
        select(Conflict, User.name)
        .outerjoin(User, User.id == Conflict.declared_by)
        .where(Conflict.event_id == event.id, Conflict.team_id.in_(team_set))
        .order_by(Conflict.id)
    )
    for row, declarer in declared:
        if row.judge_id in judges:
            reasons[row.judge_id, row.team_id].append(
                Reason(
                    ConflictKind.DECLARED,
                    row.judge_id,
                    row.team_id,
                    row.reason,
                    row.id,
                    declarer or "",
                    row.created_at,
                )
            )
    return dict(reasons)


def reasons_between(event: Event, judge_id: int, team_id: int) -> list[Reason]:
    return conflict_map(event, [judge_id], [team_id]).get((judge_id, team_id), [])


def _judge_ids(event: Event) -> set[int]:
    return set(
        db.session.scalars(
            select(EventRole.user_id).where(
                EventRole.event_id == event.id, EventRole.role == Role.JUDGE
            )
        )
    )
