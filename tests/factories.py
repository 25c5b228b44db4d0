"""Plain factories for test data; each returns a flushed, committed object."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from hackathon.accounts.models import User
from hackathon.accounts.passwords import hash_password
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
