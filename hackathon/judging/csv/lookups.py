"""What the `assignments` and `scores` kinds both read: the event's judges and teams by
the names a file uses for them, its assignments, and a row's conflict of interest."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import csvio
from hackathon.accounts.models import User
from hackathon.accounts.services import normalize_email
from hackathon.events.models import Event, EventRole, Role
from hackathon.extensions import db
from hackathon.judging.models import (
    Assignment,
    AssignmentPurpose,
)
from hackathon.teams.models import Team


def lookups(event: Event) -> tuple[dict[str, User], dict[str, Team]]:
    judges = {
        u.email: u
        for u in db.session.scalars(
            select(User)
            .join(EventRole, EventRole.user_id == User.id)
            .where(EventRole.event_id == event.id, EventRole.role == Role.JUDGE)
        )
    }
    teams = {t.name: t for t in db.session.scalars(select(Team).where(Team.event_id == event.id))}
    return judges, teams


def assignments_by_pair(event: Event) -> dict[tuple[int, int], Assignment]:
    """The event's assignments for the ranking (calibration items are set up apart)."""
    return {
        (a.judge_id, a.team_id): a
        for a in db.session.scalars(
            select(Assignment).where(
                Assignment.event_id == event.id, Assignment.purpose == AssignmentPurpose.RANK
            )
        )
    }


def person_and_team(
    row: csvio.Row,
    judges: dict[str, User],
    teams: dict[str, Team],
    problems: list[csvio.RowProblem],
) -> tuple[User | None, Team | None]:
    email, name = normalize_email(row.get("judge_email")), row.get("team")
    judge, team = judges.get(email), teams.get(name)
    if judge is None:
        problems.append(
            csvio.RowProblem(
                row.number, str(_l("“%(email)s” is not a judge of this event", email=email))
            )
        )
    if team is None:
        problems.append(
            csvio.RowProblem(
                row.number, str(_l("there is no team “%(team)s” in this event", team=name))
            )
        )
    return judge, team


def conflict_problem(row: int, reasons: list[Any]) -> csvio.RowProblem:
    labels = "; ".join(r.label for r in reasons)
    return csvio.RowProblem(row, str(_l("conflict of interest: %(why)s", why=labels)))
