"""Who may see what of a program's people (docs/cohort.md, "Who sees what"), and the
cohort record's refusals. Anyone who may not see a thing gets 404."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon.accounts.rules import Viewer, signed_in
from hackathon.errors import NotFound, ValidationFailed
from hackathon.events.models import Event, EventRole, Program, Role
from hackathon.extensions import db
from hackathon.leaderboard.services.report import can_see_report

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


class NotATrainee(NotFound):
    """The person takes part in none of the program's events: no record, no portfolio."""


class BadPortfolio(ValidationFailed):
    code = "invalid_portfolio"
    message = _l("Some of the portfolio's fields are not valid.")


class NotYours(ValidationFailed):
    code = "not_your_project"
    message = _l("Choose only your own teams' projects, files and feedback.")


# End of records and portfolios ----------------------------------------------------------
