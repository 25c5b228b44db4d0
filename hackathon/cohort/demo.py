"""The cohort's part of the demo. Runs after the leaderboard's step; loading twice changes
nothing.

- Two individual awards with citations, and a job fair in progress (open; trainees opted in
  and ranking companies; three companies' reps, who are also their mentors, have ranked
  trainees).
- A few trainees of the fintech and news hackathons have published their portfolios (a
  headline, skills, chosen projects, a file and a judge's words), so the talent view has
  something to show.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.cohort.models import FairState, Portfolio
from hackathon.cohort.services import awards, jobfair, record
from hackathon.cohort.services import portfolio as portfolios
from hackathon.events.demo.cohort import DemoContext
from hackathon.events.models import Role
from hackathon.events.services import grant_role
from hackathon.extensions import db
from hackathon.leaderboard.models import Award
from hackathon.teams.models import Team

AWARDS = (
    (
        0,
        "우수교육생상",
        "Excellent Trainee Award",
        "핀테크 해커톤에서 팀을 이끌고 기업 프로젝트에서도 꾸준히 성장한 모범 교육생입니다.",
    ),
    (
        1,
        "협업상",
        "Teamwork Award",
        "동료 평가에서 가장 높은 기여도를 받았고, 팀원들의 학습을 적극적으로 도왔습니다.",
    ),
)
FAIR_COMPANIES = 6  # the first six partner companies take part
OPTED_IN = 24  # trainee1 … trainee24
REPS = 3  # mentor1 … mentor3 also represent their companies at the fair


def build_awards_and_fair(ctx: DemoContext) -> None:
    """Two individual awards with citations, and a job fair in progress."""
    program = ctx.program
    assert program is not None  # the events step comes first
    if awards.program_awards(program):
        return  # loaded before
    for index, name, name_en, citation in AWARDS:
        awards.give_award(
            program, ctx.trainees[index].id, name=name, name_en=name_en, citation=citation
        )
    fair = jobfair.ensure_fair(program)
    companies = ctx.companies[:FAIR_COMPANIES]
    for position, company in enumerate(companies):
        jobfair.set_company(fair, company.id, 2 + position % 3)
    jobfair.set_state(fair, FairState.OPEN)
    trainees = ctx.trainees[:OPTED_IN]
    for trainee in trainees:
        jobfair.opt_in(fair, program, trainee)
    for trainee in trainees[:20]:  # four have opted in but not ranked yet
        picked = ctx.rng.sample(companies, ctx.rng.choice([2, 3, 3, 4]))
        jobfair.set_choices(fair, trainee, [c.id for c in picked])
    event = ctx.events["cohort1-company-projects"]
    for mentor, company in zip(ctx.mentors[:REPS], companies[:REPS], strict=True):
        grant_role(event, mentor, Role.COMPANY_REP, company)
        wanted = ctx.rng.sample(trainees, 8)
        jobfair.set_company_ranking(fair, program, company.id, mentor, [t.id for t in wanted])


FINTECH, NEWS = "cohort1-fintech", "cohort1-news-bigdata"
HEADLINES = [
    "데이터로 금융 문제를 푸는 엔지니어",
    "자연어 처리와 서비스 기획을 함께 하는 개발자",
    "MLOps와 백엔드를 좋아하는 팀의 해결사",
    "추천 시스템과 시각화에 관심이 많은 분석가",
    "컴퓨터 비전 모델을 제품으로 만드는 개발자",
    "문제를 정의하고 끝까지 가는 팀장",
]


def build_portfolios(ctx: DemoContext) -> None:
    """A few published portfolios for the talent view."""
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


def build(ctx: DemoContext) -> None:
    build_awards_and_fair(ctx)
    build_portfolios(ctx)
