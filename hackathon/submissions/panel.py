"""What submissions add elsewhere: a panel on the event page and ids in GET /me."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.accounts.rules import Viewer, signed_in
from hackathon.events.models import Event
from hackathon.events.services import is_organizer
from hackathon.extensions import db
from hackathon.submissions.models import Submission, SubmissionStatus
from hackathon.submissions.services.entries import edit_state
from hackathon.teams.models import Team, TeamMember
from hackathon.teams.rules import team_of


def panel_context(event: Event, user: Viewer) -> dict[str, Any] | None:
    """Team members see their submission's state; organizers see how many are in."""
    if not signed_in(user):
        return None
    organizer = is_organizer(user, event)
    team = team_of(user, event)
    if team is None and not organizer:
        return None
    submission = None
    if team is not None:
        submission = db.session.scalar(
            select(Submission).where(Submission.event_id == event.id, Submission.team_id == team.id)
        )
    counts = None
    if organizer:
        statuses = list(
            db.session.scalars(select(Submission.status).where(Submission.event_id == event.id))
        )
        teams = len(db.session.scalars(select(Team.id).where(Team.event_id == event.id)).all())
        counts = {
            "teams": teams,
            "submitted": sum(1 for s in statuses if s == SubmissionStatus.SUBMITTED),
        }
    state = edit_state(submission) if submission is not None else None
    return {
        "team": team,
        "submission": submission,
        "state": state,
        "counts": counts,
        "organizer": organizer,
    }


def fill_me(user: User, per_event: dict[int, dict[str, Any]]) -> None:
    """GET /me: the submission id (and team id) of each event the user is a member in."""
    if not per_event:
        return
    rows = db.session.execute(
        select(TeamMember.event_id, TeamMember.team_id, Submission.id)
        .outerjoin(Submission, Submission.team_id == TeamMember.team_id)
        .where(TeamMember.user_id == user.id, TeamMember.event_id.in_(list(per_event)))
    ).all()
    for event_id, team_id, submission_id in rows:
        entry = per_event[event_id]
        if entry.get("team_id") is None:
            entry["team_id"] = team_id
        entry["submission_id"] = submission_id
