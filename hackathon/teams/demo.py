"""Demo teams: 33 teams on 11 company briefs matched from preferences, teams for the two
past hackathons, and an art-data hackathon in the middle of team formation."""

from __future__ import annotations

from hackathon.accounts.models import User
from hackathon.events.demo.cohort import DemoContext
from hackathon.events.models import Event
from hackathon.teams.logic import autoform as forming
from hackathon.teams.models import Team, Track
from hackathon.teams.services import finder, formation, organizer, preferences, tracks

ADJECTIVES = [
    "푸른",
    "빛나는",
    "용감한",
    "날쌘",
    "슬기로운",
    "단단한",
    "반짝이는",
    "새벽의",
    "은하",
    "한결같은",
    "따뜻한",
    "바람의",
]
NOUNS = [
    "고래",
    "여우",
    "부엉이",
    "다람쥐",
    "호랑이",
    "펭귄",
    "수달",
    "매",
    "사슴",
    "너구리",
    "돌고래",
    "두루미",
]

FINTECH_TRACKS = [
    ("결제 이상 탐지", "Payment fraud detection", "카드와 간편결제 거래에서 이상 징후를 찾습니다."),
    ("AI 금융 상담", "AI financial advice", "고객 질문에 답하는 금융 상담 에이전트를 만듭니다."),
    ("개인 자산 관리", "Personal wealth management", "소비와 저축 데이터로 자산 관리를 돕습니다."),
]
ART_TRACKS = [
    (
        "미술관 소장품 데이터",
        "Museum collection data",
        "소장품 이미지와 설명으로 새 경험을 만듭니다.",
    ),
    ("공연 예술 데이터", "Performing arts data", "공연 기록과 관객 데이터를 활용합니다."),
    ("문화유산 디지털 아카이브", "Digital heritage archive", "문화유산 기록을 검색하고 잇습니다."),
]
ART_TEAMS = [  # (members, open places, wanted skills)
    (3, 2, "vision;design"),
    (2, 2, "nlp;backend"),
    (3, 1, "frontend"),
    (2, 3, "data;design"),
    (3, 2, "speech;mlops"),
    (4, 1, "design"),
]
ART_SEEKERS = 14


def team_names(ctx: DemoContext, count: int) -> list[str]:
    pairs = [f"{a} {n}" for a in ADJECTIVES for n in NOUNS]
    return ctx.rng.sample(pairs, count)


def _tracks(event: Event, specs: list[tuple[str, str, str]], capacity: int) -> list[Track]:
    return [
        tracks.save_track(
            event, name=name, name_en=name_en, description=description, capacity=capacity
        )
        for name, name_en, description in specs
    ]


def _rank_and_match(
    ctx: DemoContext, event: Event, teams: list[Team], event_tracks: list[Track], per_team: int
) -> None:
    """Every team ranks its favourite tracks (some tracks are more popular), then matching."""
    weights = [1.0 / (1 + (i % 4)) for i in range(len(event_tracks))]
    for team in teams:
        chosen: list[int] = []
        pool, pool_weights = list(event_tracks), list(weights)
        while len(chosen) < per_team:
            pick = ctx.rng.choices(range(len(pool)), pool_weights)[0]
            chosen.append(pool.pop(pick).id)
            pool_weights.pop(pick)
        preferences.replace_preferences(team, chosen)
    plan = preferences.plan_matching(event)
    preferences.apply_matching(event, plan.assignment)


def build_company_projects(ctx: DemoContext) -> None:
    slug = "cohort1-company-projects"
    event = ctx.events[slug]
    event.preferences_to_rank = 5
    briefs = []
    for company in ctx.companies:
        brief_ko, brief_en = ctx.briefs[company.name]
        briefs.append(
            tracks.save_track(
                event,
                name=brief_ko,
                name_en=brief_en,
                description=company.description,
                company_id=company.id,
                capacity=3,
            )
        )
    people = list(ctx.trainees)
    ctx.rng.shuffle(people)
    sizes = [5] * 23 + [4] * 10  # 155 trainees in 33 teams of 4-5
    ctx.rng.shuffle(sizes)
    groups, start = [], 0
    for size in sizes:
        groups.append(people[start : start + size])
        start += size
    teams = organizer.create_teams(event, groups, names=team_names(ctx, len(groups)))
    _rank_and_match(ctx, event, teams, briefs, per_team=5)
    for mentor, company in zip(ctx.mentors, ctx.companies, strict=True):
        for team in teams:
            if team.track is not None and team.track.company_id == company.id:
                organizer.add_mentor(team, mentor.id)
    ctx.tracks[slug], ctx.teams[slug] = briefs, teams


def build_hackathon(
    ctx: DemoContext, slug: str, entrants: int, specs: list[tuple[str, str, str]] | None
) -> None:
    """Some of the cohort entered: teams formed automatically, then matched to tracks."""
    event = ctx.events[slug]
    people = sorted(ctx.rng.sample(ctx.trainees, entrants), key=lambda u: u.id)
    by_id = {u.id: u for u in people}
    groups = forming.autoform(
        [forming.Person(u.id, frozenset(u.skill_list)) for u in people],
        event.team_min,
        event.team_max,
        seed=ctx.rng.randrange(1000),
    )
    teams = organizer.create_teams(
        event, [[by_id[i] for i in g] for g in groups], names=team_names(ctx, len(groups))
    )
    event_tracks = _tracks(event, specs, capacity=5) if specs else []
    if event_tracks:
        _rank_and_match(ctx, event, teams, event_tracks, per_team=len(event_tracks))
    ctx.tracks[slug], ctx.teams[slug] = event_tracks, teams


def build_art_data(ctx: DemoContext) -> None:
    """Team formation is open: a few teams with open places, people looking for a team."""
    slug = "cohort1-art-data"
    event = ctx.events[slug]
    event_tracks = _tracks(event, ART_TRACKS, capacity=10)
    people: list[User] = ctx.rng.sample(
        ctx.trainees, sum(n for n, _o, _s in ART_TEAMS) + ART_SEEKERS
    )
    names = team_names(ctx, len(ART_TEAMS))
    teams = []
    for (size, places, wanted), name in zip(ART_TEAMS, names, strict=True):
        captain, *others = people[:size]
        people = people[size:]
        team = formation.create_team(event, captain, name, "예술 데이터로 새로운 경험을 만듭니다.")
        for member in others:
            formation.join_by_code(event, member, team.invite_code)
        formation.set_open_places(team, captain, places, wanted)
        ranked = ctx.rng.sample(event_tracks, len(event_tracks))
        preferences.set_preferences(team, captain, [t.id for t in ranked])
        teams.append(team)
    notes = [
        "데이터 시각화를 좋아합니다.",
        "백엔드와 배포를 맡을 수 있어요.",
        "전시 기획 경험이 있습니다.",
        "",
    ]
    for index, seeker in enumerate(people):
        finder.mark_looking(event, seeker, seeker.skills, notes[index % len(notes)])
        if index < 3:
            formation.request_to_join(event, teams[index], seeker, "함께하고 싶어요!")
    ctx.tracks[slug], ctx.teams[slug] = event_tracks, teams


def build(ctx: DemoContext) -> None:
    build_company_projects(ctx)
    build_hackathon(ctx, "cohort1-fintech", 66, FINTECH_TRACKS)
    build_hackathon(ctx, "cohort1-news-bigdata", 62, None)
    build_art_data(ctx)
