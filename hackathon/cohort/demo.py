"""The cohort's part of the demo. Runs after the leaderboard's step; loading twice changes
nothing.

- Two individual awards with citations, and a job fair in progress (open; trainees opted in
  and ranking companies; three companies' reps, who are also their mentors, have ranked
  trainees).
- Peer reviews on the fintech hackathon (one person clearly below their team), milestones
  and check-ins on the company projects (some late, some with mentor comments).
- A few trainees of the fintech and news hackathons have published their portfolios (a
  headline, skills, chosen projects, a file and a judge's words), so the talent view has
  something to show.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.cohort.models import CheckIn, FairState, Milestone, PeerReview, Portfolio
from hackathon.cohort.services import awards, checkins, jobfair, peer, record
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


FINTECH, PROJECTS = "cohort1-fintech", "cohort1-company-projects"

MILESTONES = [
    # title, English title, prompt, due (days from now)
    (
        "문제 정의와 데이터 확보",
        "Problem statement and data",
        "어떤 문제를 풀고, 어떤 데이터를 확보했나요? 기업 멘토와 합의한 범위를 적어 주세요.",
        -12,
    ),
    (
        "중간 점검: 첫 모델",
        "Midpoint: a first model",
        "첫 모델의 결과와 지금 막힌 점, 다음 2주 계획을 적어 주세요.",
        -2,
    ),
    (
        "최종 데모 준비",
        "Ready for the final demo",
        "데모 시나리오와 남은 위험을 적어 주세요.",
        12,
    ),
]
NOTES = [
    "## 진행 상황\n\n- 데이터 **1차 수집 완료** (약 2만 건)\n"
    "- 라벨링 기준을 멘토님과 확정했습니다.\n\n"
    "다음 주에는 전처리 파이프라인을 만듭니다.",
    "첫 베이스라인 모델을 학습했습니다.\n\n1. 정확도 0.78\n2. 클래스 불균형이 문제\n\n"
    "데이터 증강을 시도할 예정입니다.",
    "발표 시나리오 초안을 만들었습니다. [데모 영상 계획](https://example.com/demo)",
]
COMMENTS = [
    "좋은 출발입니다. 라벨 기준 문서를 팀 모두가 공유해 주세요.",
    "불균형 문제는 가중치 손실부터 시도해 보세요. 다음 미팅에서 결과를 같이 봐요.",
    "데이터 출처와 라이선스를 발표 자료에 꼭 넣어 주세요.",
]
PEER_COMMENTS = ["맡은 일을 끝까지 해냈어요.", "발표 준비를 많이 도왔습니다.", "", ""]


def build_peer_and_checkins(ctx: DemoContext) -> None:
    _peer_reviews(ctx)
    _checkins(ctx)
    db.session.flush()


def _peer_reviews(ctx: DemoContext) -> None:
    event = ctx.events.get(FINTECH)
    if event is None or db.session.scalar(
        select(PeerReview.id).where(PeerReview.event_id == event.id).limit(1)
    ):
        return
    team_list = list(
        db.session.scalars(select(Team).where(Team.event_id == event.id).order_by(Team.id))
    )
    # The first team of four or more has one member who did clearly less.
    low = next((t for t in team_list if len(t.members) >= 4), None)
    weak = low.members[-1].user_id if low is not None else None
    for team in team_list:
        for rater in team.members:
            for ratee in team.members:
                if rater.user_id == ratee.user_id:
                    continue
                if ratee.user_id == weak:
                    score = ctx.rng.choice([1, 2, 2])
                    comment = "회의에 자주 빠졌고 맡은 부분이 늦었어요."
                else:
                    score = ctx.rng.choice([4, 4, 5, 5, 3])
                    comment = ctx.rng.choice(PEER_COMMENTS)
                peer.store(event, team, rater.user_id, ratee.user_id, score, comment)


def _checkins(ctx: DemoContext) -> None:
    event = ctx.events.get(PROJECTS)
    if event is None or checkins.milestones_of(event):
        return
    milestones = [
        checkins.save_milestone(
            event,
            title=title,
            title_en=title_en,
            prompt=prompt,
            due_at=ctx.now + timedelta(days=days),
            position=position,
        )
        for position, (title, title_en, prompt, days) in enumerate(MILESTONES)
    ]
    mentors = {c.id: m for m, c in zip(ctx.mentors, ctx.companies, strict=True)}
    team_list = list(
        db.session.scalars(select(Team).where(Team.event_id == event.id).order_by(Team.id))
    )
    for index, team in enumerate(team_list):
        # Most teams posted the first note (a few late), about two in three the second, and
        # two teams already the third; the rest are late or not yet due.
        posts = [index % 11 != 3, index % 3 != 1, index in (0, 5)]
        for step, (milestone, posted) in enumerate(zip(milestones, posts, strict=True)):
            if not posted or not team.members:
                continue
            author = team.members[(index + step) % len(team.members)].user
            note = checkins.post_note(team, milestone, author, NOTES[step])
            late = step == 0 and index % 7 == 2
            _backdate(note, milestone, late, ctx)
            company = team.track.company_id if team.track is not None else None
            mentor = mentors.get(company) if company is not None else None
            if mentor is not None and (index + step) % 2 == 0 and step < 2:
                checkins.add_comment(note, mentor, COMMENTS[step])


def _backdate(note: CheckIn, milestone: Milestone, late: bool, ctx: DemoContext) -> None:
    """A demo note was written a day or two before its due date (or a day after it)."""
    if milestone.due_at > ctx.now:
        return
    offset = timedelta(days=1) if late else -timedelta(days=1 + ctx.rng.randrange(2))
    note.posted_at = note.updated_at = milestone.due_at + offset


def build(ctx: DemoContext) -> None:
    build_awards_and_fair(ctx)
    build_portfolios(ctx)
    build_peer_and_checkins(ctx)
