"""Plain factories for test data, one per thing: keyword arguments with sensible defaults,
each returning the committed object."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from hackathon.accounts.logic.passwords import hash_password
from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.events.models import Company, Event, EventRole, Role
from hackathon.extensions import db
from hackathon.judging.models import Assignment, Criterion, Score
from hackathon.submissions.models import Submission
from hackathon.teams.models import Team, TeamMember, Track

# The password of every user the factories make.
TEST_PASSWORD = "correct-horse-battery"

_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    # argon2 is slow by design; tests hash each distinct password once.
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def make_user(
    email: str | None = None,
    name: str | None = None,
    *,
    password: str = TEST_PASSWORD,
    event: Event | None = None,
    role: str | None = None,
    company: Company | None = None,
    **fields: Any,
) -> User:
    """A user; with `event`, also in the event's `role` (a participant unless told), for
    `company` when the role is a company's."""
    if event is None and (role or company):
        raise TypeError("a role is held in an event: pass event=")
    n = next(_seq)
    user = User(
        email=email or f"user{n}@example.test",
        name=name or f"사용자 {n}",
        password_hash=_hash(password),
        skills=fields.pop("skills", ""),
        is_admin=fields.pop("is_admin", False),
        disabled=fields.pop("disabled", False),
        session_version=1,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    if event is not None:
        grant(event, user, role or "participant", company)
    return user


def make_company(name: str | None = None) -> Company:
    company = Company(name=name or f"회사 {next(_seq)}", description="", website="")
    db.session.add(company)
    db.session.commit()
    return company


def make_event(slug: str | None = None, *, phase: str = "team_formation", **fields: Any) -> Event:
    """An event whose timeline puts it in the given phase now."""
    now = utcnow()
    hour = timedelta(hours=1)
    day = timedelta(days=1)
    order = ["draft", "registration", "team_formation", "submission", "judging", "results"]
    index = order.index(phase)
    # Boundaries before the wanted phase lie in the past, the rest in the future.
    boundaries = [
        "registration_opens_at",
        "team_formation_opens_at",
        "teams_lock_at",
        "submissions_deadline",
        "judging_close_at",
    ]
    times: dict[str, Any] = {}
    for position, name in enumerate(boundaries):
        offset = (position - index) * day + (hour if position >= index else -hour)
        times[name] = now + offset
    deadline = times.pop("submissions_deadline")
    values: dict[str, Any] = {
        "registration_opens_at": times["registration_opens_at"],
        "team_formation_opens_at": times["team_formation_opens_at"],
        "teams_lock_at": times["teams_lock_at"],
        "submissions_open_at": times["teams_lock_at"],
        "submissions_close_at": deadline,
        "judging_close_at": times["judging_close_at"],
        "grace_minutes": 0,
        "team_min": 1,
        "team_max": 5,
        "judges_per_submission": 3,
        "scoring_mode": "zscore",
        "kind": "hackathon",
        "timezone": "Asia/Seoul",
        "description": "",
    }
    values.update(fields)
    n = next(_seq)
    event = Event(
        slug=slug or f"event-{n}",
        name=fields.pop("name", f"행사 {n}"),
        **{k: v for k, v in values.items() if k != "name"},
    )
    db.session.add(event)
    db.session.commit()
    assert event.phase == phase, (event.phase, phase)
    return event


def grant(event: Event, user: User, role: str, company: Company | None = None) -> EventRole:
    """The user's role in the event (for `company` when the role is a company's)."""
    row = EventRole(
        event_id=event.id,
        user_id=user.id,
        role=Role(role),
        company_id=company.id if company else None,
    )
    db.session.add(row)
    db.session.commit()
    return row


def make_track(
    event: Event,
    name: str | None = None,
    *,
    capacity: int = 3,
    company: Company | None = None,
    **fields: Any,
) -> Track:
    """A track of the event, listed after those made before it."""
    track = Track(
        event_id=event.id,
        name=name or f"트랙 {next(_seq)}",
        capacity=capacity,
        company_id=company.id if company else None,
        position=next(_seq),
        **fields,
    )
    db.session.add(track)
    db.session.commit()
    return track


def make_team(
    event: Event,
    name: str | None = None,
    *,
    members=(),
    captain: User | None = None,
    track: Track | None = None,
    **fields: Any,
) -> Team:
    """A team of the given members, each a participant of the event (made one if not yet);
    the first is captain unless `captain` says otherwise. It has a real invite code."""
    from hackathon.teams.rules import new_invite_code

    members = list(members)
    for user in members:
        if not db.session.scalar(
            select(EventRole.id).where(
                EventRole.event_id == event.id,
                EventRole.user_id == user.id,
                EventRole.role == Role.PARTICIPANT,
            )
        ):
            grant(event, user, "participant")
    lead = captain or (members[0] if members else None)
    team = Team(
        event_id=event.id,
        name=name or f"팀 {next(_seq)}",
        invite_code=new_invite_code(),
        captain_id=lead.id if lead else None,
        track_id=track.id if track else None,
        **fields,
    )
    db.session.add(team)
    db.session.flush()
    for user in members:
        db.session.add(TeamMember(event_id=event.id, team_id=team.id, user_id=user.id))
    db.session.commit()
    return team


def make_submission(
    team: Team,
    *,
    title: str | None = None,
    status: str = "submitted",
    submitted_at: datetime | None = None,
    **fields: Any,
) -> Submission:
    """The team's submission, titled with the team's name unless told; handed in (now,
    unless `submitted_at` says when) unless `status="draft"`."""
    if status == "submitted" and submitted_at is None:
        submitted_at = utcnow()
    submission = Submission(
        event_id=team.event_id,
        team_id=team.id,
        title=team.name if title is None else title,
        status=status,
        submitted_at=submitted_at,
        **fields,
    )
    db.session.add(submission)
    db.session.commit()
    return submission


def make_criterion(
    event: Event,
    name: str | None = None,
    *,
    weight: float = 1.0,
    lo: int = 1,
    hi: int = 10,
    name_en: str | None = None,
    **fields: Any,
) -> Criterion:
    """A criterion of the event's rubric scored from `lo` to `hi`, after those made before."""
    criterion = Criterion(
        event_id=event.id,
        name=name or f"기준 {next(_seq)}",
        name_en=name_en,
        weight=weight,
        min_score=lo,
        max_score=hi,
        position=next(_seq),
        **fields,
    )
    db.session.add(criterion)
    db.session.commit()
    return criterion


def make_assignment(
    judge: User,
    team: Team,
    *,
    scores: dict[Criterion, int] | None = None,
    status: str = "to_do",
    **fields: Any,
) -> Assignment:
    """The judge is given the team, with the judge's `scores` ({criterion: value}) if any;
    a submitted one was handed in now unless `submitted_at` says when."""
    if status == "submitted":
        fields.setdefault("submitted_at", utcnow())
    assignment = Assignment(
        event_id=team.event_id, judge_id=judge.id, team_id=team.id, status=status, **fields
    )
    db.session.add(assignment)
    db.session.flush()
    for criterion, value in (scores or {}).items():
        db.session.add(Score(assignment_id=assignment.id, criterion_id=criterion.id, value=value))
    db.session.commit()
    return assignment
