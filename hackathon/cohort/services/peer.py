"""Peer review: after an event's submissions close, each member rates each teammate's
contribution 1..5 with an optional comment, until the results are published. Teammates
never learn who gave what; organizers see each person's mean, count and a flag when it is
far below the team's. See docs/cohort.md, "Peer review"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hackathon.accounts.models import User
from hackathon.cohort import rules
from hackathon.cohort.logic import peer as logic
from hackathon.cohort.models import PeerReview
from hackathon.db import utcnow
from hackathon.events.models import Event, Program
from hackathon.extensions import db
from hackathon.notifications.models import Notification
from hackathon.notifications.services import link_to, notify
from hackathon.notifications.services.notify import dialect_insert
from hackathon.teams import rules as teams
from hackathon.teams.models import Team, TeamMember

# The reminder goes out this long before the judging closes (when results are expected).
REMIND_BEFORE = timedelta(hours=24)
NOTICE_EVERY = timedelta(minutes=15)
# Events whose judging closed longer ago than this are no longer looked at by the job.
NOTICE_HORIZON = timedelta(days=30)


# ---------------------------------------------------------------- a member's ratings


def teammates(event: Event, user: User) -> tuple[Team | None, list[User]]:
    """The user's team in the event and its other members, by name."""
    team = teams.team_of(user, event)
    if team is None:
        return None, []
    others = [m.user for m in team.members if m.user_id != user.id]
    return team, sorted(others, key=lambda u: (u.name, u.id))


def given_by(event: Event, rater: User) -> dict[int, PeerReview]:
    """The rater's own ratings in the event, by the teammate rated."""
    rows = db.session.scalars(
        select(PeerReview).where(PeerReview.event_id == event.id, PeerReview.rater_id == rater.id)
    )
    return {row.ratee_id: row for row in rows}


def rate(event: Event, rater: User, ratee_id: int, score: Any, comment: str = "") -> PeerReview:
    """Set the rater's rating of one teammate (1..5, optional comment): set, never added,
    so a retry changes nothing. Only while peer review is open; only teammates, never
    oneself."""
    rules.require_peer_open(event)
    team = teams.team_of(rater, event)
    if team is None:
        raise rules.NoTeam()
    if ratee_id == rater.id:
        raise rules.SelfRating(fields={"ratee": rules.SelfRating.message})
    if not any(m.user_id == ratee_id for m in team.members):
        raise rules.NotTeammate(fields={"ratee": rules.NotTeammate.message})
    if isinstance(score, bool) or not isinstance(score, int) or score not in rules.SCORES:
        raise rules.BadRating(fields={"score": rules.BadRating.message})
    if len(comment or "") > rules.COMMENT_MAX:
        raise rules.CommentTooLong(fields={"comment": rules.CommentTooLong.message})
    return store(event, team, rater.id, ratee_id, score, (comment or "").strip())


def store(
    event: Event, team: Team, rater_id: int, ratee_id: int, score: int, comment: str
) -> PeerReview:
    """One row per (rater, ratee, event), atomically: two requests at once leave one row,
    with the values of whichever wrote last (INSERT … ON CONFLICT DO UPDATE)."""
    now = utcnow()
    values = {"team_id": team.id, "score": score, "comment": comment, "updated_at": now}
    insert = dialect_insert(PeerReview).values(
        event_id=event.id, rater_id=rater_id, ratee_id=ratee_id, created_at=now, **values
    )
    row_id = db.session.scalar(
        insert.on_conflict_do_update(
            index_elements=["rater_id", "ratee_id", "event_id"], set_=values
        ).returning(PeerReview.id)
    )
    review = db.session.get_one(PeerReview, row_id, populate_existing=True)
    return review


# ---------------------------------------------------------------- organizers' summary


@dataclass
class PersonRow:
    user: User
    summary: logic.PersonSummary
    given: int  # ratings this person gave
    comments: list[str] = field(default_factory=list)  # received, without their authors


@dataclass
class TeamSummary:
    team: Team
    people: list[PersonRow]


def _ratings(event_ids: Collection[int]) -> list[PeerReview]:
    if not event_ids:
        return []
    return list(
        db.session.scalars(
            select(PeerReview)
            .where(PeerReview.event_id.in_(event_ids))
            .order_by(PeerReview.ratee_id, PeerReview.comment)
        )
    )


def event_summary(event: Event) -> list[TeamSummary]:
    """Per team, each member's mean and count of ratings received, the flag, how many
    ratings they gave, and the comments they received (in no order that names a rater)."""
    team_list = list(
        db.session.scalars(
            select(Team)
            .where(Team.event_id == event.id)
            .options(selectinload(Team.members).selectinload(TeamMember.user))
            .order_by(Team.name)
        )
    )
    reviews = _ratings([event.id])
    summary = logic.summarise(
        [logic.Rating(r.rater_id, r.ratee_id, r.score) for r in reviews],
        {t.id: [m.user_id for m in t.members] for t in team_list},
    )
    given: dict[int, int] = defaultdict(int)
    comments: dict[int, list[str]] = defaultdict(list)
    for review in reviews:
        given[review.rater_id] += 1
        if review.comment:
            comments[review.ratee_id].append(review.comment)
    return [
        TeamSummary(
            team,
            [
                PersonRow(m.user, summary[m.user_id], given[m.user_id], sorted(comments[m.user_id]))
                for m in sorted(team.members, key=lambda m: m.user.name)
            ],
        )
        for team in team_list
    ]


def peer_by_person(
    program: Program, user_ids: Collection[int] | None = None
) -> dict[int, dict[str, Any]]:
    """Per person rated in any of the program's events: `{"mean": float, "count": int}`
    over all their ratings received there (people without ratings are left out)."""
    query = (
        select(PeerReview.ratee_id, func.avg(PeerReview.score), func.count())
        .join(Event, Event.id == PeerReview.event_id)
        .where(Event.program_id == program.id)
        .group_by(PeerReview.ratee_id)
    )
    if user_ids is not None:
        if not user_ids:
            return {}
        query = query.where(PeerReview.ratee_id.in_(list(user_ids)))
    return {
        ratee: {"mean": round(float(average), 2), "count": int(count)}
        for ratee, average, count in db.session.execute(query).all()
    }


def expected_ratings(event: Event) -> int:
    """Ratings the event's teams owe: n·(n − 1) for each team of n members."""
    sizes = db.session.execute(
        select(func.count())
        .select_from(TeamMember)
        .where(TeamMember.event_id == event.id)
        .group_by(TeamMember.team_id)
    ).scalars()
    return sum(n * (n - 1) for n in sizes)


def coverage(program: Program) -> dict[str, Any]:
    """Ratings given / expected, per event of the program and in all:
    `{"events": [{"slug", "state", "given", "expected"}], "given", "expected"}`."""
    events = list(
        db.session.scalars(select(Event).where(Event.program_id == program.id).order_by(Event.id))
    )
    given = dict(
        db.session.execute(
            select(PeerReview.event_id, func.count())
            .where(PeerReview.event_id.in_([e.id for e in events]))
            .group_by(PeerReview.event_id)
        ).all()
    )
    rows = [
        {
            "slug": e.slug,
            "state": rules.peer_state(e),
            "given": int(given.get(e.id, 0)),
            "expected": expected_ratings(e),
        }
        for e in events
    ]
    return {
        "events": rows,
        "given": sum(r["given"] for r in rows),
        "expected": sum(r["expected"] for r in rows),
    }


# ---------------------------------------------------------------- notices (periodic job)


def send_notices(now: datetime) -> None:
    """The periodic job: once peer review of an event opens, each member of a team of two
    or more is told once; 24 hours before the judging closes (when the results are
    expected) those who have not rated every teammate are reminded once."""
    events = db.session.scalars(
        select(Event).where(
            Event.submissions_close_at.is_not(None),
            Event.submissions_close_at <= now,
            (Event.judging_close_at.is_(None)) | (Event.judging_close_at > now - NOTICE_HORIZON),
        )
    ).all()
    for event in events:
        if rules.peer_state(event, now) == rules.PEER_OPEN:
            _notify_event(event, now)


def _notify_event(event: Event, now: datetime) -> None:
    told = {
        (kind, user_id)
        for kind, user_id in db.session.execute(
            select(Notification.kind, Notification.user_id).where(
                Notification.event_id == event.id,
                Notification.kind.in_(["peer_review_open", "peer_review_reminder"]),
            )
        )
    }
    remind = event.judging_close_at is not None and event.judging_close_at - REMIND_BEFORE <= now
    given: dict[int, int] = dict(
        db.session.execute(
            select(PeerReview.rater_id, func.count())
            .where(PeerReview.event_id == event.id)
            .group_by(PeerReview.rater_id)
        ).all()
    )
    link = link_to("cohort.peer_form", slug=event.slug)
    for team in db.session.scalars(
        select(Team)
        .where(Team.event_id == event.id)
        .options(selectinload(Team.members).selectinload(TeamMember.user))
        .order_by(Team.id)
    ):
        if len(team.members) < 2:
            continue
        for member in team.members:
            if ("peer_review_open", member.user_id) not in told:
                notify(
                    member.user,
                    "peer_review_open",
                    event=event,
                    link=link,
                    key=f"peer-open:{event.id}:{member.user_id}",
                    team=team.name,
                )
            missing = len(team.members) - 1 - given.get(member.user_id, 0)
            if remind and missing > 0 and ("peer_review_reminder", member.user_id) not in told:
                assert event.judging_close_at is not None
                notify(
                    member.user,
                    "peer_review_reminder",
                    event=event,
                    link=link,
                    key=f"peer-reminder:{event.id}:{member.user_id}",
                    team=team.name,
                    missing=missing,
                    closes=event.judging_close_at.isoformat(),
                )
