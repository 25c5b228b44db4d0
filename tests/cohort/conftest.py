"""Two small programs to test the cohort on.

`cohort`: two events, an organizer, trainees, two companies with a rep each, and a second
program whose rep must see nothing of the first (awards, the job fair).

`world`: a program with two events: `pub`, its results published (team awards given), and
`live`, its board live while judging (an award already named there, not yet public). The
trainee captains Alpha in `pub` and is a member of Gamma in `live`; another trainee; a
company rep of this program and one of another program (records, portfolios)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from hackathon.db import utcnow
from hackathon.extensions import db
from tests.factories import (
    grant,
    make_assignment,
    make_company,
    make_criterion,
    make_event,
    make_submission,
    make_team,
    make_track,
    make_user,
)


@dataclass
class Cohort:
    program: object
    events: list
    organizer: object
    trainees: list
    companies: list
    reps: list
    outsider: object  # signed in, no role in the program
    other_rep: object  # a rep of the same company in another program
    extra: dict = field(default_factory=dict)


def make_program(slug: str, name: str = "인공지능 사관학교"):
    from hackathon.events.services import create_program
    from hackathon.extensions import db

    program = create_program(slug, name, "AI Academy")
    db.session.commit()
    return program


@pytest.fixture
def cohort(app) -> Cohort:
    from hackathon.extensions import db

    program = make_program("cohort-x")
    events = [
        make_event(phase="results", program_id=program.id),
        make_event(phase="submission", program_id=program.id),
    ]
    organizer = make_user(name="운영자", event=events[0], role="organizer")
    trainees = [make_user(name=f"교육생 {i}", event=events[0]) for i in range(1, 6)]
    companies = [make_company("가나 AI"), make_company("다라 AI")]
    reps = []
    for company in companies:
        rep = make_user(
            name=f"{company.name} 담당", event=events[1], role="company_rep", company=company
        )
        reps.append(rep)
    other_program = make_program("cohort-y")
    other_event = make_event(phase="submission", program_id=other_program.id)
    other_rep = make_user(event=other_event, role="company_rep", company=companies[0])
    outsider = make_user(name="외부인")
    db.session.expire_all()
    return Cohort(program, events, organizer, trainees, companies, reps, outsider, other_rep)


@pytest.fixture
def open_fair(cohort):
    """The fair, open, both companies taking part (2 and 1 places)."""
    from hackathon.cohort.models import FairState
    from hackathon.cohort.services import jobfair
    from hackathon.extensions import db

    fair = jobfair.ensure_fair(cohort.program)
    jobfair.set_company(fair, cohort.companies[0].id, 2)
    jobfair.set_company(fair, cohort.companies[1].id, 1)
    jobfair.set_state(fair, FairState.OPEN)
    db.session.commit()
    return fair


__all__ = ["Cohort", "grant", "make_program"]


@dataclass
class World:
    program: Any
    pub: Any
    live: Any
    organizer: Any
    trainee: Any
    other: Any
    rep: Any
    outsider_rep: Any
    teams: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)


def _program(slug: str, name: str):
    from hackathon.events.models import Program
    from hackathon.extensions import db

    program = Program(slug=slug, name=name, name_en=None, description="")
    db.session.add(program)
    db.session.commit()
    return program


def _ready_file(submission, slot, name: str, detected: str, content_type: str):
    from hackathon.extensions import db
    from hackathon.submissions.models import SubmissionFile

    row = SubmissionFile(
        upload_id=str(uuid.uuid4()),
        submission_id=submission.id,
        slot_id=slot.id,
        version=1,
        status="ready",
        original_name=name,
        size=10,
        sha256="0" * 64,
        content_type=content_type,
        detected_type=detected,
        backend="local",
        key=f"test/{uuid.uuid4().hex}",
        expires_at=utcnow(),
        completed_at=utcnow(),
    )
    db.session.add(row)
    db.session.commit()
    return row


def _score(event, teams, values):
    judges = [make_user(name=f"심사 {event.slug} {i}") for i in range(2)]
    crit = make_criterion(event, "완성도", lo=1, hi=10)
    for judge in judges:
        grant(event, judge, "judge")
        for team, value in zip(teams, values, strict=True):
            make_assignment(
                judge,
                team,
                scores={crit: value},
                status="submitted",
                feedback=f"{team.name} 팀은 발표가 훌륭했습니다",
            )


@pytest.fixture
def world(app) -> World:
    from hackathon.extensions import db
    from hackathon.leaderboard.services import board as boards
    from hackathon.submissions.models import FileSlot
    from hackathon.submissions.services.slots import ensure_default_slots

    program = _program("c1", "1기")
    pub = make_event("pub", phase="results", program_id=program.id, name="공개 해커톤")
    live = make_event("live", phase="judging", program_id=program.id, name="진행 해커톤")
    organizer = make_user("organizer@example.test", "운영자")
    trainee = make_user("trainee@example.test", "김교육", skills="python;nlp")
    other = make_user("other@example.test", "이교육", skills="vision")
    company = make_company("파트너")
    rep = make_user("rep@example.test", "기업 담당자")
    grant(live, rep, "company_rep", company)
    elsewhere = _program("c2", "2기")
    far = make_event("far", phase="judging", program_id=elsewhere.id)
    outsider_rep = make_user("far-rep@example.test", "다른 기수 담당자")
    grant(far, outsider_rep, "company_rep", company)
    for event in (pub, live):
        grant(event, organizer, "organizer")
    fin = make_track(pub, "금융", name_en="Finance")
    w = World(program, pub, live, organizer, trainee, other, rep, outsider_rep)
    w.teams["alpha"] = make_team(pub, "=Alpha", members=[trainee], track=fin)
    w.teams["beta"] = make_team(pub, "Beta", members=[other])
    w.teams["gamma"] = make_team(live, "Gamma", members=[other, trainee])
    w.teams["delta"] = make_team(live, "Delta", members=[make_user(name="박교육")])
    for key in w.teams:
        make_submission(w.teams[key], title=f"{key} 프로젝트", summary=f"**{key}** 요약")
    _score(pub, [w.teams["alpha"], w.teams["beta"]], [9, 4])
    _score(live, [w.teams["gamma"], w.teams["delta"]], [9, 3])
    ensure_default_slots(pub)
    db.session.commit()
    slides = db.session.scalar(db.select(FileSlot).where(FileSlot.event_id == pub.id))
    from hackathon.submissions.models import Submission

    alpha_sub = db.session.scalar(
        db.select(Submission).where(Submission.team_id == w.teams["alpha"].id)
    )
    w.files["image"] = _ready_file(alpha_sub, slides, "cover.png", "png", "image/png")
    boards.create_award(pub, name="대상", name_en="Grand prize", team_id=w.teams["alpha"].id)
    boards.create_award(live, name="비밀상", name_en="Secret prize", team_id=w.teams["gamma"].id)
    boards.set_state(pub, "live")
    boards.set_state(pub, "published")
    boards.set_state(live, "live")
    db.session.commit()
    return w


def api_put(client, body):
    return client.api("PUT", "/api/v1/me/portfolio", json=body)


@pytest.fixture
def signed_in(new_client, login):
    """A new browser signed in as the given user."""

    def make(user):
        return login(user, client=new_client())

    return make


@dataclass
class Crew:
    event: object
    team: object
    members: list
    outsider: object


@pytest.fixture
def crew(db) -> Crew:
    """An event in judging (submissions closed, results not published) with a team of
    four, and a participant of another team."""
    event = make_event("peer", phase="judging")
    members = [make_user(name=f"팀원{i}", event=event, locale="en") for i in range(4)]
    team = make_team(event, "Night Owls", members=members)
    outsider = make_user(name="남", event=event, locale="en")
    make_team(event, "Early Birds", members=[outsider])
    return Crew(event, team, members, outsider)


def publish(event) -> None:
    from hackathon.leaderboard.models import BoardState
    from hackathon.leaderboard.services.board import ensure_board

    ensure_board(event).state = BoardState.PUBLISHED
    db.session.commit()
