"""More judges where the prizes are undecided: N more judges for each team whose rank
interval crosses the prize cut-off (`judges assign SLUG --extra N`, and the button on the
leaderboard's fairness page). docs/scoring.md, "Extra judges".

The ranks are the leaderboard's, a feature above this one: it answers through the
registry's `teams_at_cutoff`, so judging never imports it. The new judges are chosen as
every assignment run chooses them (no conflict of interest, never a judge already on the
team, the least loaded judges first) and told as they are; if any team cannot get N more,
nothing is assigned and each such team is named with the reason.
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.errors import Conflict, ValidationFailed
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.models import Assignment
from hackathon.judging.rules import judge_roles, lock_assignments
from hackathon.judging.services.assignments import (
    AssignmentImpossible,
    pairs_of,
    plan_targets,
    store_plans,
)
from hackathon.judging.services.conflicts import conflict_map
from hackathon.registry import CutoffTeams, get_registry
from hackathon.teams.models import Team


class NoRanking(Conflict):
    code = "no_ranking"
    message = _l("Without the leaderboard the teams at the prize cut-off are unknown.")


class ExtraJudgesImpossible(AssignmentImpossible):
    message = _l(
        "Not every team at the prize cut-off can get that many more judges; nothing was changed."
    )


@dataclass(frozen=True)
class Served:
    """A team at the cut-off, its rank interval and the judges it was given."""

    team_id: int
    name: str
    low: int
    high: int
    judges: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Extra:
    """What an extra-judges run did."""

    n: int
    cut_off: int
    served: list[Served]
    created: int
    seed: int

    def report(self) -> list[tuple[str, str]]:
        """What to tell the organizer, as (message, kind) in the reader's language."""
        if not self.served:
            text = _l(
                "No team's rank interval crosses the prize cut-off (%(cut_off)d); "
                "no judge was added.",
                cut_off=self.cut_off,
            )
            return [(str(text), "info")]
        head = _l(
            "%(created)d assignments made: %(n)d more judge(s) for each of %(teams)d team(s) "
            "at the prize cut-off (%(cut_off)d).",
            created=self.created,
            n=self.n,
            teams=len(self.served),
            cut_off=self.cut_off,
        )
        lines = [(str(head), "success")]
        for team in self.served:
            text = _l(
                "“%(team)s” (ranks %(low)d–%(high)d): %(judges)s",
                team=team.name,
                low=team.low,
                high=team.high,
                judges=", ".join(team.judges),
            )
            lines.append((str(text), "success"))
        return lines


def add_extra_judges(
    event: Event, n: int, cut_off: int | None = None, seed: int | None = None
) -> Extra:
    """Give each team whose rank interval crosses the cut-off (default: the event's prizes)
    N more judges without a conflict of interest, loads as even as conflicts allow; all
    or nothing."""
    if n < 1:
        raise ValidationFailed(_l("At least one more judge per team."), fields={"n": "min"})
    if cut_off is not None and cut_off < 1:
        raise ValidationFailed(
            _l("The prize cut-off is a rank, 1 or more."), fields={"cut_off": "min"}
        )
    find = get_registry().teams_at_cutoff
    if find is None:
        raise NoRanking()
    seed = secrets.randbelow(2**31) if seed is None else seed
    lock_assignments(event)
    near = find(event, cut_off)
    names = dict(
        db.session.execute(select(Team.id, Team.name).where(Team.id.in_(list(near.team_ids)))).all()
    )
    if not near.team_ids:
        return Extra(n, near.cut_off, [], 0, seed)
    _check_enough(event, near, n, names)
    counts = Counter(
        db.session.scalars(
            select(Assignment.team_id).where(
                Assignment.event_id == event.id, Assignment.team_id.in_(list(near.team_ids))
            )
        )
    )
    plans = plan_targets(event, {t: counts[t] + n for t in near.team_ids}, seed)
    created = store_plans(event, plans)
    given: dict[int, list[int]] = defaultdict(list)
    for plan in plans:
        for judge_id, team_id in plan.pairs:
            given[team_id].append(judge_id)
    judge_names = _names({j for judges in given.values() for j in judges})
    served = [
        Served(t, names[t], *near.intervals[t], sorted(judge_names[j] for j in given[t]))
        for t in near.team_ids
    ]
    audit.record(
        "judges.extra",
        event_id=event.id,
        n=n,
        cut_off=near.cut_off,
        teams=list(near.team_ids),
        seed=seed,
        created=created,
    )
    return Extra(n, near.cut_off, served, created, seed)


def _check_enough(event: Event, near: CutoffTeams, n: int, names: dict[int, str]) -> None:
    """Every team needs N judges free of conflicts and not on it already; name those short."""
    judges = [r.user_id for r in judge_roles(event)]
    conflicts = conflict_map(event, judges, near.team_ids)
    taken = set(pairs_of(event))
    short = []
    for team_id in near.team_ids:
        free = [j for j in judges if (j, team_id) not in conflicts and (j, team_id) not in taken]
        if len(free) < n:
            low, high = near.intervals[team_id]
            text = _l(
                "“%(team)s” (ranks %(low)d–%(high)d): only %(free)d judge(s) without a "
                "conflict of interest are not on the team yet; %(n)d needed.",
                team=names.get(team_id, team_id),
                low=low,
                high=high,
                free=len(free),
                n=n,
            )
            short.append(str(text))
    if short:
        message = "\n".join([str(ExtraJudgesImpossible.message), *short])
        raise ExtraJudgesImpossible(message, missing=short)


def _names(user_ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
