"""The cohort record's rules: lookups, who may do what, and its `DomainError`s.

Peer review and check-ins (docs/cohort.md): when an event's peer review is open, who
mentors a team (and so may comment on its check-ins)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon.accounts.rules import Viewer, signed_in
from hackathon.db import utcnow
from hackathon.errors import Forbidden, NotFound, PhaseClosed, ValidationFailed
from hackathon.events.models import Event, EventRole, Role
from hackathon.extensions import db
from hackathon.leaderboard.models import BoardState
from hackathon.leaderboard.services.board import get_board
from hackathon.teams.models import Team, TeamMentor

# ---------------------------------------------------------------- peer review and check-ins

SCORES = range(1, 6)
COMMENT_MAX = 2000
NOTE_MAX = 20000


class SelfRating(ValidationFailed):
    code = "peer_self_rating"
    message = _l("You cannot rate yourself: rate your teammates.")


class NotTeammate(ValidationFailed):
    code = "peer_not_teammate"
    message = _l("You can only rate members of your own team in this event.")


class NoTeam(Forbidden):
    code = "peer_no_team"
    message = _l("You are not in a team in this event, so there is nobody to rate.")


class BadRating(ValidationFailed):
    code = "peer_bad_rating"
    message = _l("Give a rating from 1 to 5.")


class CommentTooLong(ValidationFailed):
    code = "peer_comment_too_long"
    message = _l("Keep the comment under 2,000 characters.")


class PeerReviewNotOpen(PhaseClosed):
    code = "peer_review_not_open"
    message = _l("Peer review opens when the event's submissions close.")


class PeerReviewClosed(PhaseClosed):
    code = "peer_review_closed"
    message = _l("The results are published: peer reviews can no longer be changed.")


class NotMentor(Forbidden):
    code = "not_team_mentor"
    message = _l("Only the mentors of the team's track can comment on its check-ins.")


class NotTeamMember(Forbidden):
    code = "not_team_member"
    message = _l("Only the team's members can write its check-ins.")


class EmptyText(ValidationFailed):
    code = "empty_text"
    message = _l("Write something first.")


class TextTooLong(ValidationFailed):
    code = "text_too_long"
    message = _l("This text is too long.")


class BadMilestone(ValidationFailed):
    code = "bad_milestone"


PEER_NOT_OPEN, PEER_OPEN, PEER_CLOSED = "not_open", "open", "closed"


def results_published(event: Event) -> bool:
    board = get_board(event.id)
    return board is not None and board.state == BoardState.PUBLISHED


def peer_state(event: Event, now: datetime | None = None) -> str:
    """`not_open` until submissions close (grace included), `closed` once the results are
    published (read-only from then on), `open` in between."""
    deadline = event.submissions_deadline
    if deadline is None or (now or utcnow()) < deadline:
        return PEER_NOT_OPEN
    return PEER_CLOSED if results_published(event) else PEER_OPEN


def require_peer_open(event: Event) -> None:
    state = peer_state(event)
    if state == PEER_NOT_OPEN:
        raise PeerReviewNotOpen()
    if state == PEER_CLOSED:
        raise PeerReviewClosed()


def mentor_ids(team: Team) -> set[int]:
    """Who mentors a team: its own mentors (TeamMentor), and the mentors employed by its
    track's company (teams' rule of who sees a team, narrowed to the mentor role)."""
    ids = set(db.session.scalars(select(TeamMentor.user_id).where(TeamMentor.team_id == team.id)))
    company_id = team.track.company_id if team.track is not None else None
    if company_id is not None:
        ids |= set(
            db.session.scalars(
                select(EventRole.user_id).where(
                    EventRole.event_id == team.event_id,
                    EventRole.role == Role.MENTOR,
                    EventRole.company_id == company_id,
                )
            )
        )
    return ids


def is_mentor_of(user: Viewer, team: Team) -> bool:
    return signed_in(user) and user.id in mentor_ids(team)


def require_mentor(user: Viewer, team: Team) -> None:
    if not is_mentor_of(user, team):
        raise NotMentor()


def clean_text(text: str | None, limit: int) -> str:
    cleaned = (text or "").replace("\x00", "").strip()
    if len(cleaned) > limit:
        raise TextTooLong()
    return cleaned


def require_found(thing: object) -> None:
    if thing is None:
        raise NotFound()


# ---------------------------------------------------------------- end of peer review and check-ins
