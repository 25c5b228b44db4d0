"""The cohort demo's portfolios: a few trainees of the fintech and news hackathons have
published theirs (a headline, skills, chosen projects, a file and a judge's words), so the
talent view has something to show. Runs after the leaderboard's step; loading twice
changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.cohort.models import Portfolio
from hackathon.cohort.services import portfolio as portfolios
from hackathon.cohort.services import record
from hackathon.events.demo.cohort import DemoContext
from hackathon.extensions import db
from hackathon.leaderboard.models import Award
from hackathon.teams.models import Team

FINTECH, NEWS = "cohort1-fintech", "cohort1-news-bigdata"
HEADLINES = [
    "데이터로 금융 문제를 푸는 엔지니어",
    "자연어 처리와 서비스 기획을 함께 하는 개발자",
    "MLOps와 백엔드를 좋아하는 팀의 해결사",
    "추천 시스템과 시각화에 관심이 많은 분석가",
    "컴퓨터 비전 모델을 제품으로 만드는 개발자",
    "문제를 정의하고 끝까지 가는 팀장",
]


def build(ctx: DemoContext) -> None:
    program = ctx.program
    fintech = ctx.events.get(FINTECH)
    if program is None or fintech is None:
        return
    if db.session.scalar(select(Portfolio.id).where(Portfolio.program_id == program.id)):
        return
    for user, headline in zip(_people(fintech.id), HEADLINES, strict=False):
        _publish(ctx, user, headline)
    db.session.flush()


def _people(event_id: int) -> list[User]:
    """The captains of the fintech teams with a prize, then of the first unprized teams."""
    awarded = list(
        db.session.scalars(
            select(Award.team_id)
            .where(Award.event_id == event_id, Award.team_id.is_not(None))
            .order_by(Award.position)
        )
    )
    teams = list(
        db.session.scalars(select(Team).where(Team.event_id == event_id).order_by(Team.id))
    )
    order = sorted(teams, key=lambda t: (awarded.index(t.id) if t.id in awarded else 99, t.id))
    return [t.captain for t in order if t.captain is not None][: len(HEADLINES)]


def _publish(ctx: DemoContext, user: User, headline: str) -> None:
    assert ctx.program is not None
    own = record.record_of(ctx.program, user.id, record.OWN)
    if own is None:
        return
    projects: dict[int, dict[str, list[Any]]] = {}
    for option in portfolios.project_options(own):
        if option.entry.event.slug not in (FINTECH, NEWS) or option.entry.submission is None:
            continue
        projects[option.entry.event.id] = {
            "files": [f.id for f in option.files[:1]],
            "feedback": option.feedback[:1],
        }
    portfolios.save_portfolio(
        ctx.program,
        user,
        headline=headline,
        about="금융 데이터와 자연어 처리 프로젝트를 주로 했습니다. **팀과 함께** 끝까지 만듭니다.",
        skills=";".join([*user.skill_list, ctx.rng.choice(["sql", "docker", "git"])]),
        links=[f"https://github.com/demo-trainee-{user.id}"],
        public=True,
        projects=projects,
    )
