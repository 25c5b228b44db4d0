"""Demo results: the fintech hackathon published with its awards (grand prize, excellence
award and two partner companies' prizes); the news hackathon's board live while judging,
with its people's choice vote open and about two thirds of the trainees' votes in.

Runs after the teams, submissions and judging steps and copes with any of them missing:
if the fintech event has teams but no submitted score, a small rubric and scores are made
here so that its results can still be published.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from hackathon.events.demo.cohort import DemoContext
from hackathon.events.models import Company, Event
from hackathon.extensions import db
from hackathon.judging.models import Assignment, AssignmentStatus, Criterion, Score
from hackathon.leaderboard.models import BoardState
from hackathon.leaderboard.services import board as services
from hackathon.leaderboard.services import votes
from hackathon.teams.models import Team, TeamMember

PUBLISHED, LIVE = "cohort1-fintech", "cohort1-news-bigdata"
PRIZES = [("대상", "Grand prize"), ("최우수상", "Excellence award")]


def build(ctx: DemoContext) -> None:
    for event in ctx.events.values():
        services.ensure_board(event)
    fintech = ctx.events.get(PUBLISHED)
    if fintech is not None:
        _ensure_scores(ctx, fintech)
        services.set_state(fintech, BoardState.LIVE)
        services.set_state(fintech, BoardState.FROZEN)
        _give_awards(ctx, fintech)
        services.set_state(fintech, BoardState.PUBLISHED)
    news = ctx.events.get(LIVE)
    if news is not None:
        services.set_state(news, BoardState.LIVE)
        _cast_votes(ctx, news)
    db.session.flush()


def _cast_votes(ctx: DemoContext, event: Event) -> None:
    """Voting open; about two thirds of the trainees vote, a few teams drawing most of
    the votes, nobody for their own team. Cast through the service, so every rule holds;
    a second run only rewrites the same votes."""
    teams = votes.votable_teams(event)
    if not teams:
        return
    if not votes.is_open(event):
        votes.set_voting(event, True)
    rng = random.Random("cohort1-peoples-choice")  # its own: the other steps' draws stay
    appeal = [rng.paretovariate(1.5) for _ in teams]
    own = dict(
        db.session.execute(
            select(TeamMember.user_id, TeamMember.team_id).where(TeamMember.event_id == event.id)
        ).all()
    )
    for trainee in ctx.trainees:
        if rng.random() > 0.65:
            continue
        choices = [
            (t, w) for t, w in zip(teams, appeal, strict=True) if t.id != own.get(trainee.id)
        ]
        if choices:
            pick = rng.choices([t for t, _w in choices], weights=[w for _t, w in choices])[0]
            votes.cast_vote(event, trainee, pick.id)


def _give_awards(ctx: DemoContext, event: Event) -> None:
    rows = [r for r in services.compute_board(event)["rows"] if r["rank"] is not None]
    if not rows:
        return
    given: set[int] = set()

    def best(track: str | None = None) -> dict[str, Any] | None:
        pool = [r for r in rows if r["team"]["id"] not in given]
        in_track = [r for r in pool if track is None or r["track"] == track]
        pick = (in_track or pool or [None])[0]
        if pick is not None:
            given.add(pick["team"]["id"])
        return pick

    for name, name_en in PRIZES:
        row = best()
        services.create_award(
            event, name=name, name_en=name_en, team_id=row["team"]["id"] if row else None
        )
    tracks = [t["name"] for t in services.compute_board(event)["tracks"]]
    for i, company in enumerate(_partner_companies(ctx)[:2]):
        row = best(tracks[i] if i < len(tracks) else None)
        services.create_award(
            event,
            name=f"{company.name} 상",
            name_en=f"{company.name} Prize",
            team_id=row["team"]["id"] if row else None,
            company_id=company.id,
        )


def _partner_companies(ctx: DemoContext) -> list[Company]:
    """Companies whose people judge (they fund a prize), then the other partners."""
    judging = list(dict.fromkeys(ctx.judge_company.values()))
    return judging + [c for c in ctx.companies if c not in judging]


def _ensure_scores(ctx: DemoContext, event: Event) -> None:
    """A fallback for a demo built without the judging step: one criterion, three judges a
    team, every assignment submitted."""
    submitted = db.session.scalar(
        select(func.count(Assignment.id)).where(
            Assignment.event_id == event.id, Assignment.status == AssignmentStatus.SUBMITTED
        )
    )
    teams = list(db.session.scalars(select(Team).where(Team.event_id == event.id)))
    if submitted or not teams or not ctx.judges:
        return
    criteria = list(db.session.scalars(select(Criterion).where(Criterion.event_id == event.id)))
    if not criteria:
        criteria = [
            Criterion(
                event_id=event.id,
                name="종합",
                name_en="Overall",
                weight=1.0,
                min_score=1,
                max_score=10,
                position=1,
            )
        ]
        db.session.add_all(criteria)
        db.session.flush()
    rng = random.Random("cohort1-leaderboard")
    when = ctx.now - timedelta(days=1)
    for index, team in enumerate(teams):
        level = rng.uniform(0.3, 0.95)
        for k in range(min(3, len(ctx.judges))):
            judge = ctx.judges[(index + k * 4) % len(ctx.judges)]
            if db.session.scalar(
                select(Assignment.id).where(
                    Assignment.event_id == event.id,
                    Assignment.judge_id == judge.id,
                    Assignment.team_id == team.id,
                )
            ):
                continue
            assignment = Assignment(
                event_id=event.id,
                judge_id=judge.id,
                team_id=team.id,
                status=AssignmentStatus.SUBMITTED,
                submitted_at=when,
            )
            db.session.add(assignment)
            db.session.flush()
            for c in criteria:
                value = c.min_score + (c.max_score - c.min_score) * (level + rng.gauss(0, 0.08))
                db.session.add(
                    Score(
                        assignment_id=assignment.id,
                        criterion_id=c.id,
                        value=max(c.min_score, min(c.max_score, round(value))),
                    )
                )
    db.session.flush()
    services.scores_changed(event.id)
