"""The cohort itself: people, companies, the program and its four events."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from hackathon.accounts.logic.passwords import hash_password
from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.events.demo.people import COMPANIES, SKILLS, korean_names
from hackathon.events.models import Company, Event, EventKind, Program, Role
from hackathon.events.services import create_event, create_program, grant_role, invitations
from hackathon.extensions import db

PASSWORD = "demo-password"  # noqa: S105  # nosec B105  # the documented demo password
TRAINEES, JUDGES, MENTORS = 155, 12, 11


@dataclass
class DemoContext:
    rng: random.Random
    now: datetime
    program: Program | None = None
    organizer: User | None = None
    trainees: list[User] = field(default_factory=list)
    judges: list[User] = field(default_factory=list)
    mentors: list[User] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    # company name -> (brief ko, brief en)
    briefs: dict[str, tuple[str, str]] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    # judge user id -> company (some judges are employed by partner companies)
    judge_company: dict[int, Company] = field(default_factory=dict)
    # Filled by the feature steps, per event slug: tracks, teams, submissions.
    tracks: dict[str, list[Any]] = field(default_factory=dict)
    teams: dict[str, list[Any]] = field(default_factory=dict)
    submissions: dict[str, list[Any]] = field(default_factory=dict)


def _user(
    email: str, name: str, password_hash: str, skills: str = "", is_admin: bool = False
) -> User:
    user = User(
        email=email,
        name=name,
        password_hash=password_hash,
        skills=skills,
        is_admin=is_admin,
        disabled=False,
        session_version=1,
        email_verified_at=utcnow(),  # demo accounts have a password: they count as verified
    )
    db.session.add(user)
    return user


def build_people(ctx: DemoContext) -> None:
    hashed = hash_password(PASSWORD)  # one hash for all demo accounts: argon2 is slow
    ctx.organizer = _user("organizer@demo.test", "운영 담당자", hashed, is_admin=True)
    names = korean_names(TRAINEES + JUDGES + MENTORS, ctx.rng)
    for i in range(TRAINEES):
        skills = ";".join(sorted(ctx.rng.sample(SKILLS, ctx.rng.choice([1, 2, 2, 3]))))
        ctx.trainees.append(_user(f"trainee{i + 1}@demo.test", names[i], hashed, skills))
    for i in range(JUDGES):
        ctx.judges.append(_user(f"judge{i + 1}@demo.test", names[TRAINEES + i], hashed))
    for i in range(MENTORS):
        ctx.mentors.append(_user(f"mentor{i + 1}@demo.test", names[TRAINEES + JUDGES + i], hashed))
    for name, brief_ko, brief_en, description in COMPANIES:
        company = Company(name=name, description=description, website="")
        db.session.add(company)
        ctx.companies.append(company)
        ctx.briefs[name] = (brief_ko, brief_en)
    db.session.flush()
    # Judges 1-6 work for partner companies (which decides conflicts); 7-12 are staff.
    for judge, company in zip(ctx.judges[:6], ctx.companies[:6], strict=True):
        ctx.judge_company[judge.id] = company


EVENTS = [
    # slug, Korean name, English name, kind, phase
    (
        "cohort1-fintech",
        "핀테크 인공지능 해커톤",
        "Fintech AI hackathon",
        EventKind.HACKATHON,
        "results",
    ),
    (
        "cohort1-news-bigdata",
        "뉴스 빅데이터 해커톤",
        "News big-data hackathon",
        EventKind.HACKATHON,
        "judging",
    ),
    (
        "cohort1-company-projects",
        "기업 협력 프로젝트",
        "Company projects",
        EventKind.COMPANY_PROJECT,
        "submission",
    ),
    (
        "cohort1-art-data",
        "예술데이터가 바꾸는 세상 해커톤",
        "“How art data changes the world” hackathon",
        EventKind.HACKATHON,
        "team_formation",
    ),
]
PHASES = ["draft", "registration", "team_formation", "submission", "judging", "results"]


def timeline(now: datetime, phase: str) -> dict[str, datetime]:
    """Phase boundaries around `now` so that the event is in `phase` for about two weeks."""
    week = timedelta(days=7)
    index = PHASES.index(phase)
    keys = [
        "registration_opens_at",
        "team_formation_opens_at",
        "teams_lock_at",
        "submissions_close_at",
        "judging_close_at",
    ]
    times = {}
    for position, key in enumerate(keys):
        # Boundaries of phases already passed lie in the past, the others ahead.
        steps = position - index + (1 if position >= index else 0)
        times[key] = now + steps * 2 * week - (week if position < index else timedelta(0))
    times["submissions_open_at"] = times["teams_lock_at"]
    if phase == "submission":
        # Teams formed earlier; submissions have been open a while and close in two weeks.
        times["submissions_open_at"] = now - week
    return times


def build_events(ctx: DemoContext) -> None:
    assert ctx.organizer is not None  # build_people comes first
    ctx.program = create_program(
        "cohort1",
        "인공지능 사관학교 1기",
        "AI Academy, cohort 1",
        "6개월 과정의 인공지능 인재 양성 프로그램",
    )
    for slug, name, name_en, kind, phase in EVENTS:
        event = create_event(
            slug,
            name,
            name_en=name_en,
            kind=kind,
            program_id=ctx.program.id,
            team_min=4 if kind == EventKind.COMPANY_PROJECT else 3,
            team_max=5,
            judges_per_submission=3,
            **timeline(ctx.now, phase),
        )
        ctx.events[slug] = event
        grant_role(event, ctx.organizer, Role.ORGANIZER)
        for trainee in ctx.trainees:
            grant_role(event, trainee, Role.PARTICIPANT)
        for judge in ctx.judges:
            grant_role(event, judge, Role.JUDGE, ctx.judge_company.get(judge.id))
        for mentor, company in zip(ctx.mentors, ctx.companies, strict=True):
            grant_role(event, mentor, Role.MENTOR, company)
        assert event.phase == phase, (slug, event.phase, phase)


# Judges from outside the academy, added to the art-data hackathon by an organizer: they
# have no password yet, and their invitations wait in the outbox (/admin/mail), one in
# English for the judge who reads English.
INVITEES = (
    ("invitee1@demo.test", "한지민", None),
    ("invitee2@demo.test", "오세훈", None),
    ("invitee3@demo.test", "Emma Clark", "en"),
)


def build_invitations(ctx: DemoContext) -> None:
    event = ctx.events["cohort1-art-data"]
    people = []
    for email, name, locale in INVITEES:
        person = User(email=email, name=name, password_hash=None, locale=locale, session_version=1)
        db.session.add(person)
        db.session.flush()
        grant_role(event, person, Role.JUDGE)
        people.append(person)
    invitations.invite_due(event, people)


def new_context(seed: int = 20260301) -> DemoContext:
    # On the hour, so the schedule reads like one a person would set.
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    return DemoContext(rng=random.Random(seed), now=now)
