"""The fairness report (organizers only): each judge's totals by queue position and by
hour, their drift with its interval, and the teams statistically tied at the prize
cut-off; and those teams for `judges assign --extra` (the registry's `teams_at_cutoff`).
The method is in docs/scoring.md, "Position and drift" and "Extra judges".

Scores are read through `load_inputs`, so whatever the board leaves out is left out here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from hackathon.accounts.models import User
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.logic.stats import Scale, totals
from hackathon.judging.models import Assignment
from hackathon.judging.rules import counting
from hackathon.leaderboard.logic import drift, ranking
from hackathon.leaderboard.models import Award
from hackathon.leaderboard.services.board import ScoresDoNotFit
from hackathon.leaderboard.services.inputs import Inputs, load_inputs
from hackathon.registry import CutoffTeams

log = logging.getLogger(__name__)
T = TypeVar("T")
# Without awards, the cut-off is the top three the robustness checks look at.
DEFAULT_CUT_OFF = 3
# Hours before this count as the evening before (an evening session past midnight stays
# one stretch of time): 01:30 is hour 25.5.
DAY_STARTS_AT = 4


@dataclass(frozen=True)
class Tied:
    team_id: int
    name: str
    rank: int | None
    low: int
    high: int
    judges: int


@dataclass(frozen=True)
class Fairness:
    drift: drift.DriftReport
    judge_names: dict[int, str]
    team_names: dict[int, str]
    cut_off: int
    cut_off_source: str  # "awards", "default" or "chosen"
    ranked: int
    tied: list[Tied]
    by_position: list[tuple[int, float, int]]  # (queue place, mean total, cells)
    by_hour: list[tuple[int, float, int]]


def prize_cut_off(event: Event) -> tuple[int, str]:
    """How many places win: the event's awards that are not a company's own prize nor the
    people's choice (the judges' ranking does not give those), else the top three; with
    where the number came from."""
    count = db.session.scalar(
        select(func.count(Award.id)).where(
            Award.event_id == event.id, Award.company_id.is_(None), Award.kind.is_(None)
        )
    )
    return (int(count), "awards") if count else (DEFAULT_CUT_OFF, "default")


def teams_at_cutoff(event: Event, cut_off: int | None = None) -> CutoffTeams:
    """The ranked teams whose bootstrap rank interval crosses the cut-off (ranks 1..cut_off
    win), by their best rank; the cut-off defaults to `prize_cut_off`."""
    cut_off = cut_off if cut_off is not None else prize_cut_off(event)[0]
    intervals = _intervals(event, load_inputs(event.id))
    teams = drift.crossing(intervals, cut_off)
    return CutoffTeams(cut_off, tuple(teams), {t: intervals[t] for t in teams})


def fairness_report(event: Event, cut_off: int | None = None) -> Fairness:
    """Everything the fairness page shows, from the current submitted scores."""
    source = "chosen"
    if cut_off is None:
        cut_off, source = prize_cut_off(event)
    inputs = load_inputs(event.id)
    cells = judged_cells(event, inputs)
    rows = _checked(
        lambda: ranking.compute_leaderboard(
            inputs.criteria, inputs.teams, inputs.scores, str(event.scoring_mode)
        )
    )
    intervals = _intervals(event, inputs)
    by_id = {r.team.id: r for r in rows}
    tied = [
        Tied(t, by_id[t].team.name, by_id[t].rank, *intervals[t], by_id[t].judges)
        for t in drift.crossing(intervals, cut_off)
    ]
    judge_ids = sorted({c.judge_id for c in cells})
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(judge_ids))).all())
    return Fairness(
        drift=drift.drift_report(cells),
        judge_names=names,
        team_names={t.id: t.name for t in inputs.teams},
        cut_off=cut_off,
        cut_off_source=source,
        ranked=sum(1 for r in rows if r.rank is not None),
        tied=tied,
        by_position=drift.mean_by(cells, "position"),
        by_hour=drift.mean_by(cells, "hour"),
    )


def judged_cells(event: Event, inputs: Inputs) -> list[drift.Cell]:
    """Each counted (judge, team) total with its queue position and local hour of scoring."""
    scales = [Scale(c.id, c.weight, c.lo, c.hi) for c in inputs.criteria]
    cell_totals = totals(
        scales, ((s.judge_id, s.team_id, s.criterion_id, s.value) for s in inputs.scores)
    )
    zone = ZoneInfo(event.timezone)
    found = []
    for judge_id, team_id, position, when in db.session.execute(
        select(
            Assignment.judge_id, Assignment.team_id, Assignment.position, Assignment.submitted_at
        ).where(counting(event.id))
    ):
        total = cell_totals.get((judge_id, team_id))
        if total is not None:
            hour = _local_hour(when, zone) if when is not None else None
            found.append(drift.Cell(judge_id, team_id, total, float(position), hour))
    return found


def _local_hour(when: datetime, zone: ZoneInfo) -> float:
    local = when.astimezone(zone)
    hour = local.hour + local.minute / 60 + local.second / 3600
    return hour + 24 if hour < DAY_STARTS_AT else hour


def _intervals(event: Event, inputs: Inputs) -> dict[int, tuple[int, int]]:
    """The board's bootstrap rank intervals (the organizers' board shows the same)."""
    return _checked(
        lambda: ranking.bootstrap_rank_intervals(
            inputs.criteria, inputs.teams, inputs.scores, mode=str(event.scoring_mode)
        )
    )


def _checked(compute: Callable[[], T]) -> T:
    """Scores that no longer fit the rubric are the board's clear error, as on its pages."""
    try:
        return compute()
    except ValueError as error:
        log.error("fairness: inconsistent scores: %s", error)
        raise ScoresDoNotFit() from error
