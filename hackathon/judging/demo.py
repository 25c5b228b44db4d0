"""Demo judging: a rubric on every event; the fintech hackathon fully scored; the news
hackathon's pitch day under way in three rooms (its schedule is its assignments), about half
scored, with one noticeably harsh and one noticeably lenient judge, one calibration item (a
real team's submission) every judge scored first, and one shadow judge (judge12) whose
scores are compared with the panel's and never count."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from hackathon.db import utcnow
from hackathon.errors import DomainError
from hackathon.events.demo.cohort import DemoContext
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.judging.models import Assignment, AssignmentPurpose, Criterion, PitchSlot
from hackathon.judging.rules import criteria_of, shadow_ids
from hackathon.judging.services.assignments import add_assignment, tell_judges
from hackathon.judging.services.calibration import (
    assign_panel,
    mark_calibration,
    set_shadow,
    sync_calibration,
)
from hackathon.judging.services.reassign import declare_conflict
from hackathon.judging.services.rubric import add_criterion
from hackathon.judging.services.schedule import DayShape, apply_schedule
from hackathon.judging.services.scoring import ScoreUpdate, record_scores
from hackathon.teams.models import Team

# name, English name, weight, scale, description (ko, en), levels {score: (ko, en)}
RUBRIC = [
    (
        "문제 정의",
        "Problem definition",
        2.0,
        (1, 10),
        ("해결하려는 문제가 분명하고 풀 가치가 있는가", "Is the problem clear and worth solving?"),
        {
            1: ("문제가 불분명함", "The problem is unclear"),
            5: ("문제는 분명하나 근거가 약함", "Clear problem, weak evidence"),
            10: ("근거가 탄탄한 중요한 문제", "An important problem, well evidenced"),
        },
    ),
    (
        "기술 완성도",
        "Technical quality",
        3.0,
        (1, 10),
        (
            "모델과 구현이 제대로 동작하고 검증되었는가",
            "Do the model and the code work, and are they tested?",
        ),
        {
            1: ("동작하지 않음", "Does not work"),
            5: ("주요 기능이 동작함", "The main features work"),
            10: ("견고하고 성능이 검증됨", "Robust, with measured performance"),
        },
    ),
    (
        "데이터 활용",
        "Use of data",
        2.0,
        (1, 10),
        (
            "데이터를 적절히 모으고 정제하고 해석했는가",
            "Was the data gathered, cleaned and read well?",
        ),
        {
            1: ("데이터 활용이 거의 없음", "Hardly any use of data"),
            10: ("데이터에서 새로운 통찰을 얻음", "New insight drawn from the data"),
        },
    ),
    (
        "사업성",
        "Business impact",
        1.5,
        (1, 10),
        ("실제 사용자와 시장에 가치가 있는가", "Is there value for real users and a market?"),
        {1: ("사용자가 불분명함", "No clear user"), 10: ("바로 도입할 만함", "Ready to adopt")},
    ),
    (
        "발표",
        "Presentation",
        1.0,
        (1, 5),
        ("발표가 명확하고 시간을 지켰는가", "Was the pitch clear and on time?"),
        {
            1: ("전달이 어려움", "Hard to follow"),
            3: ("무난함", "Fine"),
            5: ("설득력 있음", "Convincing"),
        },
    ),
]
ART_CRITERION = (
    "창의성",
    "Creativity",
    1.5,
    (1, 10),
    ("예술 데이터를 새롭게 바라보았는가", "A fresh look at art data?"),
    {
        1: ("익숙한 접근", "A familiar approach"),
        10: ("누구도 시도하지 않은 시각", "A view nobody tried"),
    },
)
FEEDBACK = [
    "문제 정의가 명확하고 데모가 인상적이었습니다.",
    "데이터 전처리 과정을 더 자세히 설명하면 좋겠습니다.",
    "모델 성능 비교가 설득력 있었습니다. 실제 서비스 적용 계획을 보강해 보세요.",
    "발표가 깔끔했습니다. 한계점과 개선 방향도 함께 제시하면 좋겠습니다.",
    "아이디어가 참신합니다. 평가 지표를 하나 더 두면 결과가 더 분명해집니다.",
    "사용자 관점의 시나리오가 좋았습니다. 데이터 출처를 명시해 주세요.",
]
NOTES = ["발표 중 데모 오류가 있었으나 재시연 성공", "심사 시간 초과로 질의응답 생략", ""]
FULLY_SCORED, HALF_SCORED = "cohort1-fintech", "cohort1-news-bigdata"
# The news hackathon's final pitches: three rooms, 20 minutes each, a break after every two;
# the day began an hour before the demo was loaded (to ten minutes), so its room screens
# show a live day.
PITCH_ROOMS = ["A홀", "B홀", "C홀"]


def build(ctx: DemoContext) -> None:
    for slug, event in ctx.events.items():
        _rubric(event, with_art=slug == "cohort1-art-data")
    rng = random.Random("cohort1-judging")  # fixed: the harsh and lenient judges stay put
    news = ctx.events.get(HALF_SCORED)
    if news is not None and ctx.teams.get(HALF_SCORED) and len(ctx.judges) > 8:
        # One staff judge went to school with a team's captain, and said so.
        declare_conflict(
            news,
            ctx.judges[8].id,
            ctx.teams[HALF_SCORED][0].id,
            "팀장과 대학 동기입니다",
            ctx.judges[8].id,
        )
        _calibration(news, ctx)
    for slug, share in ((FULLY_SCORED, 1.0), (HALF_SCORED, 0.5)):
        scored = ctx.events.get(slug)
        if scored is None or not ctx.submissions.get(slug):
            continue  # the teams or submissions step added nothing to judge
        seed = rng.randrange(2**31)
        if slug == HALF_SCORED:
            began = utcnow().replace(second=0, microsecond=0) - timedelta(hours=1)
            began -= timedelta(minutes=began.minute % 10)
            day = DayShape(PITCH_ROOMS, began, 20, 2, 10, seed=seed)
            apply_schedule(scored, day)
            # The shadow sits in the first room beside its panels; every judge scores the
            # calibration item.
            _shadow_first_room(scored)
            sync_calibration(scored)
        else:
            assign_panel(scored, scored.judges_per_submission, seed=seed)
        _score(ctx, scored, share, rng)
    db.session.flush()


def _shadow_first_room(event: Event, pitches: int = 4) -> None:
    """Each shadow judge hears the first room's first pitches, in pitch order, so the
    dashboard can compare them with the panels that scored the same teams."""
    slots = list(
        db.session.scalars(
            select(PitchSlot).where(PitchSlot.event_id == event.id).order_by(PitchSlot.starts_at)
        )
    )
    if not slots:
        return
    room_id = slots[0].room_id
    teams = [s.team_id for s in slots if s.room_id == room_id][:pitches]
    given: Counter[int] = Counter()
    for judge_id in sorted(shadow_ids(event)):
        for team_id in teams:
            try:
                with db.session.begin_nested():
                    add_assignment(event, judge_id, team_id)
                given[judge_id] += 1
            except DomainError:
                continue  # a conflict of interest: the shadow skips that pitch
    tell_judges(event, given)  # "your teams are ready", as for every other judge


def _calibration(event: Event, ctx: DemoContext) -> None:
    """Before assignment: judge12 is a trainee shadowing the panel, and the second team's
    submission is the calibration item (its own judges score it again for the ranking)."""
    teams = ctx.teams[HALF_SCORED]
    if len(ctx.judges) > 11:
        set_shadow(event, ctx.judges[11].id, True)
    if len(teams) > 1:
        mark_calibration(event, teams[1].id)


def _rubric(event: Event, with_art: bool) -> None:
    if db.session.scalar(select(Criterion.id).where(Criterion.event_id == event.id)):
        return
    specs = list(RUBRIC)
    if with_art:
        specs[3] = ART_CRITERION
    for name, name_en, weight, (lo, hi), (text, text_en), levels in specs:
        add_criterion(
            event,
            name=name,
            name_en=name_en,
            weight=weight,
            min_score=lo,
            max_score=hi,
            description=text,
            description_en=text_en,
            levels={str(k): {"ko": ko, "en": en} for k, (ko, en) in levels.items()},
        )


def _score(ctx: DemoContext, event: Event, share: float, rng: random.Random) -> None:
    criteria = criteria_of(event)
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.event_id == event.id))}
    quality = {t: rng.gauss(6.3, 1.4) for t in teams}
    leaning = {j.id: rng.gauss(0, 0.25) for j in ctx.judges}
    if share < 1 and len(ctx.judges) > 10:
        leaning[ctx.judges[9].id] = -3.0  # judge10: noticeably harsh
        leaning[ctx.judges[10].id] = 2.4  # judge11: noticeably lenient
    by_judge: dict[int, list[Assignment]] = {}
    for a in db.session.scalars(
        select(Assignment)
        .where(Assignment.event_id == event.id)
        .order_by(
            Assignment.judge_id,
            # as the judges' queues show them: the calibration items first
            Assignment.purpose != AssignmentPurpose.CALIBRATION,
            Assignment.position,
        )
    ):
        by_judge.setdefault(a.judge_id, []).append(a)
    end = min(event.judging_close_at or ctx.now, ctx.now) - timedelta(hours=2)
    shadows = shadow_ids(event)  # the trainee did all of theirs, to be compared
    for judge_id, queue in by_judge.items():
        strong = abs(leaning.get(judge_id, 0)) > 1 or judge_id in shadows
        done = len(queue) if share >= 1 or strong else round(len(queue) * rng.uniform(0.3, 0.5))
        for index, assignment in enumerate(queue):
            if index > done:
                break
            when = end - timedelta(hours=rng.uniform(1, 70 if share >= 1 else 20))
            values: dict[int, int | None] = {
                c.id: _value(c, quality[assignment.team_id] + leaning.get(judge_id, 0), rng)
                for c in criteria
            }
            if index == done:  # the one they are working on now: a partial draft
                values = dict(list(values.items())[: max(1, len(values) // 2)])
            assignment.opened_at = when - timedelta(minutes=rng.uniform(6, 28))
            record_scores(
                assignment,
                ScoreUpdate(
                    scores=values,
                    feedback=rng.choice(FEEDBACK) if index < done else "",
                    note=rng.choice(NOTES),
                    submit=index < done,
                ),
                actor_id=judge_id,
                source="web",
                check_phase=False,
                now=when,
            )


def _value(criterion: Criterion, level: float, rng: random.Random) -> int:
    """A score on the criterion's scale for a quality level on a 1..10 scale."""
    lo, hi = criterion.min_score, criterion.max_score
    raw = lo + (hi - lo) * (level + rng.gauss(0, 0.6) - 1) / 9
    return max(lo, min(hi, round(raw)))
