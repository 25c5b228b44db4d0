"""The program report's people side (a section the leaderboard's report shows through the
registry): individual awards, participation per trainee, peer-review coverage, check-in
completion and the job fair's placements. See docs/cohort.md, "Program report"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.accounts.rules import Viewer
from hackathon.cohort.models import FairState
from hackathon.cohort.rules import is_program_organizer, trainee_ids
from hackathon.cohort.services import awards, checkins, jobfair, peer, placements
from hackathon.events.models import Program
from hackathon.extensions import db
from hackathon.teams.models import TeamMember


def people_section(program: Program, user: Viewer) -> dict[str, Any] | None:
    """The section's context, for the program's organizers only."""
    if not is_program_organizer(user, program):
        return None
    return {
        "program": program,
        "awards": awards.program_awards(program),
        "participation": participation(program),
        "peer": peer.coverage(program),
        "checkins": checkins.completion(program),
        "fair": _fair(program),
    }


def participation(program: Program) -> dict[str, Any]:
    """Per trainee (a participant of any of the program's events), the events they took part
    in, meaning in a team of that event; and who took part in none."""
    events = list(program.events)
    ids = trainee_ids(program)
    people = (
        list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.name, User.id)))
        if ids
        else []
    )
    taken: dict[int, set[int]] = {}
    if events and ids:
        for user_id, event_id in db.session.execute(
            select(TeamMember.user_id, TeamMember.event_id).where(
                TeamMember.event_id.in_([e.id for e in events]), TeamMember.user_id.in_(ids)
            )
        ):
            taken.setdefault(user_id, set()).add(event_id)
    rows = [{"user": u, "events": taken.get(u.id, set())} for u in people]
    return {
        "events": events,
        "rows": rows,
        "none": [r["user"] for r in rows if not r["events"]],
    }


def _fair(program: Program) -> dict[str, Any] | None:
    fair = jobfair.get_fair(program)
    if fair is None:
        return None
    confirmed = fair.state == FairState.CONFIRMED
    found = placements.placements(fair) if confirmed else []
    counts: dict[int | None, int] = {}
    for p in found:
        counts[p.choice] = counts.get(p.choice, 0) + 1
    return {
        "fair": fair,
        "confirmed": confirmed,
        "placements": found,
        "trainees": len(jobfair.opted_in(fair)),
        "choice_counts": dict(sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))),
    }
