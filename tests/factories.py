"""Plain factories for test data; each returns a flushed, committed object."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from hackathon.accounts.logic.passwords import hash_password
from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.events.models import Company, Event, EventRole, Role
from hackathon.extensions import db

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
    password: str = "correct-horse-battery",
    **fields: Any,
) -> User:
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
    row = EventRole(
        event_id=event.id,
        user_id=user.id,
        role=Role(role),
        company_id=company.id if company else None,
    )
    db.session.add(row)
    db.session.commit()
    return row


# Leaderboard: tracks, teams with submissions, the rubric and submitted scores.


def add_track(event: Event, name: str | None = None, **fields: Any):
    from hackathon.teams.models import Track

    track = Track(event_id=event.id, name=name or f"트랙 {next(_seq)}", **fields)
    db.session.add(track)
    db.session.commit()
    return track


def add_team(
    event: Event,
    name: str | None = None,
    *,
    track=None,
    members=(),
    submitted_at=None,
    title: str = "",
    summary: str = "",
):
    """A team, optionally in a track, with members and a submitted submission."""
    from hackathon.submissions.models import Submission
    from hackathon.teams.models import Team, TeamMember

    n = next(_seq)
    team = Team(
        event_id=event.id,
        name=name or f"팀 {n}",
        invite_code=f"inv{n:06d}",
        track_id=track.id if track else None,
    )
    db.session.add(team)
    db.session.flush()
    for user in members:
        db.session.add(TeamMember(event_id=event.id, team_id=team.id, user_id=user.id))
    if submitted_at is not None or title:
        db.session.add(
            Submission(
                event_id=event.id,
                team_id=team.id,
                title=title or team.name,
                summary=summary,
                status="submitted",
                submitted_at=submitted_at or utcnow(),
            )
        )
    db.session.commit()
    return team


def add_criterion(
    event: Event,
    name: str | None = None,
    *,
    weight: float = 1.0,
    lo: int = 1,
    hi: int = 10,
    name_en: str | None = None,
):
    from hackathon.judging.models import Criterion

    crit = Criterion(
        event_id=event.id,
        name=name or f"기준 {next(_seq)}",
        name_en=name_en,
        weight=weight,
        min_score=lo,
        max_score=hi,
        position=next(_seq),
    )
    db.session.add(crit)
    db.session.commit()
    return crit


def add_scores(
    event: Event, judge: User, team, values: dict, *, submitted: bool = True, feedback: str = ""
):
    """One judge's scores of one team ({criterion: value}), submitted unless told not to."""
    from hackathon.judging.models import Assignment, Score

    assignment = Assignment(
        event_id=event.id,
        judge_id=judge.id,
        team_id=team.id,
        status="submitted" if submitted else "in_progress",
        feedback=feedback,
        submitted_at=utcnow() if submitted else None,
    )
    db.session.add(assignment)
    db.session.flush()
    for crit, value in values.items():
        db.session.add(Score(assignment_id=assignment.id, criterion_id=crit.id, value=value))
    db.session.commit()
    return assignment


# Teams: tracks and teams with members, a captain and a real invite code.


def make_track(
    event: Event,
    name: str | None = None,
    *,
    capacity: int = 3,
    company: Company | None = None,
    **fields: Any,
):
    from hackathon.teams.models import Track

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
    track=None,
    participants: bool = True,
    **fields: Any,
):
    """A team of the given members (the first is captain unless `captain` says otherwise);
    members are made participants of the event unless `participants=False`."""
    from sqlalchemy import select

    from hackathon.teams.models import Team, TeamMember
    from hackathon.teams.rules import new_invite_code

    members = list(members)
    if participants:
        for user in members:
            if not db.session.scalar(
                select(EventRole.id).where(
                    EventRole.event_id == event.id,
                    EventRole.user_id == user.id,
                    EventRole.role == Role.PARTICIPANT,
                )
            ):
                db.session.add(EventRole(event_id=event.id, user_id=user.id, role=Role.PARTICIPANT))
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
