"""The cohort's part of the demo.

Peer review and check-ins (`build_peer_and_checkins`): every member of the fintech
hackathon's teams has rated their teammates (its results are published, so the ratings
are final), one person clearly below their team so the organizers' flag shows; the
company projects have three milestones, two of them past, with notes from most teams
(some late, some missing) and mentors' comments on several. Runs after the teams and
leaderboard steps; a second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hackathon.cohort.models import CheckIn, Milestone, PeerReview
from hackathon.cohort.services import checkins, peer
from hackathon.events.demo.cohort import DemoContext
from hackathon.extensions import db
from hackathon.teams.models import Team

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
