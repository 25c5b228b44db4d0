"""People's choice: who may vote, the voting window, casting a vote, the counts and the
award the vote gives at publication (docs/peoples-choice.md).

- Anyone with a role (any role) in any event of the event's program may vote (in the
  event itself when it belongs to no program); others are told the event's vote does
  not exist (404).
- One vote per person and event: a second vote replaces the first, in one statement
  (INSERT … ON CONFLICT DO UPDATE), so parallel votes by one person leave one row.
- Never for one's own team (422); only for a team of this event (422); only while the
  organizers keep voting open (409). Casting takes a shared lock on the window's row and
  closing an exclusive one, so no vote slips in after the close has committed.
- Counts are for organizers only until publication; publication closes the vote and
  turns its result into an award of its own (a tie at the top shares it).

Services only flush; the request commits.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Insert, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.accounts.rules import Viewer, signed_in
from hackathon.db import utcnow
from hackathon.errors import Conflict, Forbidden, NotFound, ValidationFailed
from hackathon.events import services as events
from hackathon.events.models import Event, EventRole
from hackathon.extensions import db
from hackathon.leaderboard.logic.votes import peoples_choice
from hackathon.leaderboard.models import Award, BoardState, Leaderboard, Vote, VotingWindow
from hackathon.teams.models import Team, TeamMember

PEOPLES_CHOICE = "peoples_choice"  # the `kind` of the award the vote gives
AWARD_NAME, AWARD_NAME_EN = "인기상", "People's choice award"


class VotingClosed(Conflict):
    code = "voting_closed"
    message = _l("Voting is closed for this event.")


class OwnTeam(ValidationFailed):
    code = "own_team"
    message = _l("You cannot vote for your own team.")


class NotThisEventsTeam(ValidationFailed):
    code = "unknown_team"
    message = _l("Choose a team of this event.")


class VotingUnchanged(Conflict):
    code = "voting_unchanged"
    message = _l("Voting is already in that state.")


class ResultsOut(Conflict):
    code = "results_published"
    message = _l("The results are published: the vote is over. Hide them to vote again.")


class NotAVoter(Forbidden):
    code = "not_a_voter"
    message = _l("Only people with a role in the program may vote.")


def _program_events(event: Event) -> Any:
    """The ids of the events whose people may vote in this one (a subquery)."""
    if event.program_id is None:
        return select(Event.id).where(Event.id == event.id)
    return select(Event.id).where(Event.program_id == event.program_id)


def may_vote(user: Viewer, event: Event) -> bool:
    """Whether the person holds a role in an event of the event's program."""
    if not signed_in(user) or not events.can_view(user, event):
        return False
    found = db.session.scalar(
        select(EventRole.id)
        .where(EventRole.user_id == user.id, EventRole.event_id.in_(_program_events(event)))
        .limit(1)
    )
    return found is not None


def voting_event(user: Viewer, slug: str) -> Event:
    """The event at `slug` if the person may vote in it or organizes it, else NotFound."""
    event = events.get_event(slug)
    if not (may_vote(user, event) or events.is_organizer(user, event)):
        raise NotFound()
    return event


def window(event: Event, *, lock: bool = False, share: bool = False) -> VotingWindow | None:
    query = select(VotingWindow).where(VotingWindow.event_id == event.id)
    if lock or share:
        query = query.with_for_update(read=share and not lock)
    return db.session.scalar(query.execution_options(populate_existing=True))


def is_open(event: Event) -> bool:
    found = window(event)
    return found is not None and found.is_open


def _insert(model: type[Vote] | type[VotingWindow]) -> Any:
    """INSERT … ON CONFLICT in the session's dialect (both speak it)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt: Insert = dialect.insert(model)
    return stmt


def set_voting(event: Event, open_: bool) -> VotingWindow:
    """Open or close the event's vote (organizers). Opening is refused while the results
    are published: their people's choice award is the closed vote's."""
    db.session.execute(
        _insert(VotingWindow)
        .values(event_id=event.id, is_open=False, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["event_id"])
    )
    found = window(event, lock=True)
    assert found is not None  # inserted above unless it was there
    if found.is_open == open_:
        raise VotingUnchanged()
    if open_ and _published(event):
        raise ResultsOut()
    _switch(event, found, open_)
    return found


def _switch(event: Event, found: VotingWindow, open_: bool, reason: str = "organizer") -> None:
    now = utcnow()
    found.is_open = open_
    if open_:
        found.opened_at, found.closed_at = now, None
    else:
        found.closed_at = now
    db.session.flush()
    audit.record(
        "votes.open" if open_ else "votes.close", event_id=event.id, subject=found, reason=reason
    )


def _published(event: Event) -> bool:
    state = db.session.scalar(select(Leaderboard.state).where(Leaderboard.event_id == event.id))
    return state == BoardState.PUBLISHED


def cast_vote(event: Event, user: User, team_id: int) -> Vote:
    """The person's vote in the event, for `team_id`: set, or changed from an earlier one."""
    if not may_vote(user, event):
        if events.is_organizer(user, event):
            raise NotAVoter()
        raise NotFound()
    found = window(event, share=True)  # a close waits for this vote, or this vote for it
    if found is None or not found.is_open:
        raise VotingClosed()
    team = db.session.scalar(select(Team).where(Team.id == team_id, Team.event_id == event.id))
    if team is None:
        raise NotThisEventsTeam(fields={"team_id": str(NotThisEventsTeam.message)})
    own = db.session.scalar(
        select(TeamMember.id).where(TeamMember.team_id == team.id, TeamMember.user_id == user.id)
    )
    if own is not None:
        raise OwnTeam(fields={"team_id": str(OwnTeam.message)})
    now = utcnow()
    stmt = _insert(Vote).values(
        event_id=event.id, voter_id=user.id, team_id=team.id, created_at=now, updated_at=now
    )
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["event_id", "voter_id"],
            set_={"team_id": stmt.excluded.team_id, "updated_at": stmt.excluded.updated_at},
        )
    )
    vote = my_vote(event, user)
    assert vote is not None  # written just above
    return vote


def my_vote(event: Event, user: Viewer) -> Vote | None:
    if not signed_in(user):
        return None
    return db.session.scalar(
        select(Vote)
        .where(Vote.event_id == event.id, Vote.voter_id == user.id)
        .execution_options(populate_existing=True)
    )


def counts(event: Event) -> dict[int, int]:
    """Votes per team that count: the voter still holds a role in the program and is not
    (any more) a member of the team voted for. Organizers only, until publication."""
    own = exists().where(TeamMember.team_id == Vote.team_id, TeamMember.user_id == Vote.voter_id)
    voter = exists().where(
        EventRole.user_id == Vote.voter_id, EventRole.event_id.in_(_program_events(event))
    )
    rows = db.session.execute(
        select(Vote.team_id, func.count(Vote.id))
        .where(Vote.event_id == event.id, ~own, voter)
        .group_by(Vote.team_id)
    ).all()
    return dict(rows)


def votable_teams(event: Event) -> list[Team]:
    return list(
        db.session.scalars(
            select(Team).where(Team.event_id == event.id).order_by(Team.name, Team.id)
        )
    )


def award_at_publication(event: Event) -> list[Award]:
    """Publishing closes the vote and gives its award: the people's choice award of an
    earlier publication is replaced by this one's; no counted vote, no award."""
    found = window(event, lock=True)
    if found is not None and found.is_open:
        _switch(event, found, False, reason="publish")
    for old in db.session.scalars(
        select(Award).where(Award.event_id == event.id, Award.kind == PEOPLES_CHOICE)
    ):
        db.session.delete(old)
    db.session.flush()
    tally = counts(event)
    winners = peoples_choice(tally)
    last = db.session.scalar(select(func.max(Award.position)).where(Award.event_id == event.id))
    given = [
        Award(
            event_id=event.id,
            name=AWARD_NAME,
            name_en=AWARD_NAME_EN,
            team_id=team_id,
            kind=PEOPLES_CHOICE,
            position=(last or 0) + 1,  # after the organizers' prizes; tied winners share it
        )
        for team_id in winners
    ]
    db.session.add_all(given)
    db.session.flush()
    if given:
        audit.record(
            "award.peoples_choice",
            event_id=event.id,
            teams=winners,
            votes=tally[winners[0]],
            voters=sum(tally.values()),
        )
    return given
