"""The cohort's part of the demo: two individual awards with citations, and a job fair in
progress (open; trainees opted in and ranking companies; three companies' reps, who are
also their mentors, have ranked trainees)."""

from __future__ import annotations

from hackathon.cohort.models import FairState
from hackathon.cohort.services import awards, jobfair
from hackathon.events.demo.cohort import DemoContext
from hackathon.events.models import Role
from hackathon.events.services import grant_role

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


def build(ctx: DemoContext) -> None:
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
