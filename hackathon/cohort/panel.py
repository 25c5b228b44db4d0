"""The job fair's section of the event page, for the program's trainees, the reps of the
fair's companies and its organizers."""

from __future__ import annotations

from typing import Any

from hackathon.accounts.rules import Viewer, signed_in
from hackathon.cohort.models import FairState
from hackathon.cohort.rules import is_program_organizer, is_trainee
from hackathon.cohort.services import jobfair
from hackathon.events.models import Event


def fair_panel(event: Event, user: Viewer) -> dict[str, Any] | None:
    program = event.program
    if program is None or not signed_in(user):
        return None
    fair = jobfair.get_fair(program)
    organizer = is_program_organizer(user, program)
    if fair is None:
        return None
    if not organizer and (
        fair.state == FairState.DRAFT
        or not (is_trainee(user, program) or jobfair.represented(fair, program, user))
    ):
        return None
    return {"program": program, "fair": fair, "organizer": organizer}
