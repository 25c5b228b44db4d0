"""The job fair's matching: a proposal from both sides' rankings (stable, within each
company's interview places), reviewed and changed by organizers, then confirmed as
placements. See docs/cohort.md, "Job fair"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.cohort.models import (
    FairChoice,
    FairCompany,
    FairPlacement,
    FairRanking,
    FairState,
    JobFair,
)
from hackathon.cohort.rules import NotClosed, OverCapacity, StalePlan
from hackathon.cohort.services.jobfair import fair_companies, opted_in
from hackathon.db import utcnow
from hackathon.errors import NotFound
from hackathon.extensions import db
from hackathon.teams.logic.matching import TrackSlot, match_mutual

# Why a trainee has no company, as shown on the review page.
REASONS = {
    "no_choices": _l("ranked no company"),
    "not_ranked": _l("none of the companies they chose ranked them"),
    "full": _l("the companies that ranked them are full with trainees they ranked higher"),
    "by_hand": _l("left without a company by hand"),
}


@dataclass
class PlanRow:
    user: User
    choices: list[int]  # company ids, first choice first
    company_id: int | None
    choice: int | None  # the trainee's rank of their company
    company_rank: int | None  # the company's rank of the trainee
    reason: str | None  # a key of REASONS when unmatched


@dataclass
class Plan:
    rows: list[PlanRow]
    companies: list[FairCompany]
    load: dict[int, int]  # company id -> trainees placed
    choice_counts: dict[int | None, int]  # 1, 2, … and None (a company they did not rank)
    unmatched: int

    @property
    def places(self) -> int:
        return sum(c.capacity for c in self.companies)


def _inputs(
    fair: JobFair,
) -> tuple[list[User], list[FairCompany], dict[int, list[int]], dict[int, list[int]]]:
    trainees = opted_in(fair)
    companies = fair_companies(fair)
    known = {u.id for u in trainees}
    taking_part = {c.company_id for c in companies}
    choices: dict[int, list[int]] = {u.id: [] for u in trainees}
    for user_id, company_id in db.session.execute(
        select(FairChoice.user_id, FairChoice.company_id)
        .where(FairChoice.fair_id == fair.id)
        .order_by(FairChoice.user_id, FairChoice.rank)
    ):
        if user_id in known and company_id in taking_part:
            choices[user_id].append(company_id)
    rankings: dict[int, list[int]] = {}
    for company_id, user_id in db.session.execute(
        select(FairRanking.company_id, FairRanking.user_id)
        .where(FairRanking.fair_id == fair.id)
        .order_by(FairRanking.company_id, FairRanking.rank)
    ):
        if user_id in known and company_id in taking_part:
            rankings.setdefault(company_id, []).append(user_id)
    return trainees, companies, choices, rankings


def propose(fair: JobFair) -> Plan:
    """The stable matching every trainee likes best (trainee-proposing deferred acceptance;
    a pair forms only where each side ranked the other)."""
    trainees, companies, choices, rankings = _inputs(fair)
    result = match_mutual(
        [u.id for u in trainees],
        [TrackSlot(c.company_id, c.capacity) for c in companies],
        choices,
        rankings,
    )
    return _plan(trainees, companies, choices, rankings, result.assignment)


def review(fair: JobFair, assignment: Mapping[int, int | None]) -> Plan:
    """Check an assignment (the proposal, perhaps changed by hand): it covers exactly the
    fair's trainees, uses only its companies, and stays within each one's places."""
    trainees, companies, choices, rankings = _inputs(fair)
    if set(assignment) != {u.id for u in trainees}:
        raise StalePlan()
    capacity = {c.company_id: c.capacity for c in companies}
    placed = {u: c for u, c in assignment.items() if c is not None}
    if any(c not in capacity for c in placed.values()):
        raise NotFound()
    load = Counter(placed.values())
    over = [c.company.name for c in companies if load[c.company_id] > c.capacity]
    if over:
        raise OverCapacity(
            _l("More trainees than interview places at %(companies)s.", companies=", ".join(over))
        )
    return _plan(trainees, companies, choices, rankings, placed)


def _plan(
    trainees: list[User],
    companies: list[FairCompany],
    choices: dict[int, list[int]],
    rankings: dict[int, list[int]],
    assignment: Mapping[int, int],
) -> Plan:
    load = Counter(assignment.values())
    capacity = {c.company_id: c.capacity for c in companies}
    rows = []
    for user in trainees:
        mine = choices[user.id]
        company = assignment.get(user.id)
        rows.append(
            PlanRow(
                user=user,
                choices=mine,
                company_id=company,
                choice=mine.index(company) + 1 if company in mine else None,
                company_rank=_position(rankings.get(company or 0, []), user.id),
                reason=None if company else _reason(user.id, mine, rankings, load, capacity),
            )
        )
    counts = Counter(row.choice for row in rows if row.company_id is not None)
    ordered: dict[int | None, int] = {r: counts[r] for r in sorted(k for k in counts if k)}
    if None in counts:
        ordered[None] = counts[None]
    unmatched = sum(1 for row in rows if row.company_id is None)
    return Plan(rows, companies, dict(load), ordered, unmatched)


def _position(order: list[int], user_id: int) -> int | None:
    return order.index(user_id) + 1 if user_id in order else None


def _reason(
    user_id: int,
    mine: list[int],
    rankings: dict[int, list[int]],
    load: Counter[int],
    capacity: dict[int, int],
) -> str:
    if not mine:
        return "no_choices"
    mutual = [c for c in mine if user_id in rankings.get(c, [])]
    if not mutual:
        return "not_ranked"
    if all(load[c] >= capacity[c] for c in mutual):
        return "full"
    return "by_hand"


def confirm(fair: JobFair, assignment: Mapping[int, int | None]) -> Plan:
    """Write the placements (replacing any before) and mark the fair confirmed."""
    if fair.state != FairState.CLOSED:
        raise NotClosed()
    plan = review(fair, assignment)
    db.session.query(FairPlacement).filter(FairPlacement.fair_id == fair.id).delete()
    for row in plan.rows:
        if row.company_id is not None:
            db.session.add(
                FairPlacement(
                    fair_id=fair.id,
                    user_id=row.user.id,
                    company_id=row.company_id,
                    choice=row.choice,
                    company_rank=row.company_rank,
                )
            )
    fair.state = FairState.CONFIRMED
    fair.confirmed_at = utcnow()
    fair.confirmed_by = audit.actor_id()
    db.session.flush()
    audit.record(
        "jobfair.confirm",
        subject=fair,
        placed=len(plan.rows) - plan.unmatched,
        unmatched=plan.unmatched,
        choices={str(k): v for k, v in plan.choice_counts.items()},
    )
    return plan


def placements(fair: JobFair) -> list[FairPlacement]:
    """The confirmed placements, by company then trainee."""
    return list(
        db.session.scalars(
            select(FairPlacement)
            .join(User, User.id == FairPlacement.user_id)
            .where(FairPlacement.fair_id == fair.id)
            .order_by(FairPlacement.company_id, User.name, User.id)
        )
    )


COLUMNS = ("email", "name", "company", "choice", "company_rank")


def placement_rows(fair: JobFair) -> list[dict[str, Any]]:
    """The `placements` CSV: one row per opted-in trainee, by name; `company` empty for a
    trainee left unmatched (or for everyone before the placements are confirmed)."""
    placed = {p.user_id: p for p in placements(fair)} if fair.state == FairState.CONFIRMED else {}
    rows = []
    for user in opted_in(fair):
        placement = placed.get(user.id)
        rows.append(
            {
                "email": user.email,
                "name": user.name,
                "company": placement.company.name if placement else "",
                "choice": placement.choice if placement else "",
                "company_rank": placement.company_rank if placement else "",
            }
        )
    return rows
