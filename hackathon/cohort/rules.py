"""Who is who in a program (its organizers, trainees and company reps), who may see what of
its people (docs/cohort.md, "Who sees what"), and the cohort's refusals."""

from __future__ import annotations

from datetime import datetime

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from hackathon.accounts.rules import Viewer, signed_in
from hackathon.db import utcnow
from hackathon.errors import Conflict, Forbidden, NotFound, PhaseClosed, ValidationFailed
from hackathon.events.models import Event, EventRole, Program, Role
from hackathon.events.services import get_program
from hackathon.extensions import db
from hackathon.leaderboard.models import BoardState
from hackathon.leaderboard.services.board import get_board
from hackathon.leaderboard.services.report import can_see_report
from hackathon.teams.models import Team, TeamMentor

# ---------------------------------------------------------------- who is who


def is_program_organizer(user: Viewer, program: Program) -> bool:
    """Site admins and the organizers of any of the program's events (who see its report)."""
    return can_see_report(user, program)


def organized_program(slug: str) -> Program:
    """The program at `slug` if the signed-in person organizes it; 404 for anyone else."""
    program = get_program(slug)
    if not is_program_organizer(current_user, program):
        abort(404)
    return program


def _roles(
    program: Program, role: Role, user_id: int | None = None
) -> list[tuple[int, int | None]]:
    """(user id, company id) of each holder of `role` in the program's events."""
    statement = (
        select(EventRole.user_id, EventRole.company_id)
        .join(Event, Event.id == EventRole.event_id)
        .where(Event.program_id == program.id, EventRole.role == role)
    )
    if user_id is not None:
        statement = statement.where(EventRole.user_id == user_id)
    return [(user, company) for user, company in db.session.execute(statement)]


def trainee_ids(program: Program) -> set[int]:
    """Everyone who is a participant in any of the program's events."""
    return {user_id for user_id, _company in _roles(program, Role.PARTICIPANT)}


def is_trainee(user: Viewer, program: Program) -> bool:
    if not signed_in(user):
        return False
    return any(True for _row in _roles(program, Role.PARTICIPANT, user.id))


def rep_company_ids(user: Viewer, program: Program) -> set[int]:
    """The companies the user represents (role company_rep) in any of the program's events."""
    if not signed_in(user):
        return set()
    return {company for _user, company in _roles(program, Role.COMPANY_REP, user.id) if company}


# ---------------------------------------------------------------- refusals


class NotATrainee(ValidationFailed):
    code = "not_a_trainee"
    message = _l("Choose a trainee of this program.")


class FairNotOpen(Conflict):
    code = "fair_not_open"
    message = _l("The job fair is not taking rankings now.")


class NotOptedIn(Conflict):
    code = "not_opted_in"
    message = _l("Take part in the job fair first; then you can rank the companies.")


class NotYourCompany(Forbidden):
    code = "not_your_company"
    message = _l("You can rank trainees only for a company you represent.")


class BadRanking(ValidationFailed):
    code = "bad_ranking"
    message = _l("Give each rank once, to someone or something on the list.")


class FairLocked(Conflict):
    code = "fair_locked"
    message = _l("The placements are confirmed: reopen the job fair to change it.")


class NotClosed(Conflict):
    code = "fair_not_closed"
    message = _l("Close the job fair to new rankings before confirming the placements.")


class StalePlan(Conflict):
    code = "stale_plan"
    message = _l("The trainees of the job fair changed meanwhile: check the matching again.")


class OverCapacity(ValidationFailed):
    code = "over_capacity"
    message = _l("More trainees than interview places at a company.")


# Records and portfolios ----------------------------------------------------------------


def can_see_people(user: Viewer, program: Program) -> bool:
    """Every trainee's record: site admins and the organizers of any of the program's
    events (the rule of the program report)."""
    return can_see_report(user, program)


def can_browse_talent(user: Viewer, program: Program) -> bool:
    """The talent view: the program's company reps and mentors (that role in any of its
    events) and its organizers. A rep of another program sees nothing of this one."""
    if can_see_people(user, program):
        return True
    if not signed_in(user):
        return False
    return bool(
        db.session.scalar(
            select(EventRole.id)
            .join(Event, Event.id == EventRole.event_id)
            .where(
                Event.program_id == program.id,
                EventRole.user_id == user.id,
                EventRole.role.in_([Role.COMPANY_REP, Role.MENTOR]),
            )
            .limit(1)
        )
    )


def is_self(user: Viewer, user_id: int) -> bool:
    return signed_in(user) and user.id == user_id


class NoRecord(NotFound):
    """The person takes part in none of the program's events: no record, no portfolio."""


class BadPortfolio(ValidationFailed):
    code = "invalid_portfolio"
    message = _l("Some of the portfolio's fields are not valid.")


class NotYours(ValidationFailed):
    code = "not_your_project"
    message = _l("Choose only your own teams' projects, files and feedback.")


# End of records and portfolios ----------------------------------------------------------


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
