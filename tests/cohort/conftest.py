"""A small program: two events, an organizer, trainees, two companies with a rep each,
and a second program whose rep must see nothing of the first."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.factories import grant, make_company, make_event, make_user


@dataclass
class Cohort:
    program: object
    events: list
    organizer: object
    trainees: list
    companies: list
    reps: list
    outsider: object  # signed in, no role in the program
    other_rep: object  # a rep of the same company in another program
    extra: dict = field(default_factory=dict)


def make_program(slug: str, name: str = "인공지능 사관학교"):
    from hackathon.events.services import create_program
    from hackathon.extensions import db

    program = create_program(slug, name, "AI Academy")
    db.session.commit()
    return program


@pytest.fixture
def cohort(app) -> Cohort:
    from hackathon.extensions import db

    program = make_program("cohort-x")
    events = [
        make_event(phase="results", program_id=program.id),
        make_event(phase="submission", program_id=program.id),
    ]
    organizer = make_user(name="운영자", event=events[0], role="organizer")
    trainees = [make_user(name=f"교육생 {i}", event=events[0]) for i in range(1, 6)]
    companies = [make_company("가나 AI"), make_company("다라 AI")]
    reps = []
    for company in companies:
        rep = make_user(
            name=f"{company.name} 담당", event=events[1], role="company_rep", company=company
        )
        reps.append(rep)
    other_program = make_program("cohort-y")
    other_event = make_event(phase="submission", program_id=other_program.id)
    other_rep = make_user(event=other_event, role="company_rep", company=companies[0])
    outsider = make_user(name="외부인")
    db.session.expire_all()
    return Cohort(program, events, organizer, trainees, companies, reps, outsider, other_rep)


@pytest.fixture
def open_fair(cohort):
    """The fair, open, both companies taking part (2 and 1 places)."""
    from hackathon.cohort.models import FairState
    from hackathon.cohort.services import jobfair
    from hackathon.extensions import db

    fair = jobfair.ensure_fair(cohort.program)
    jobfair.set_company(fair, cohort.companies[0].id, 2)
    jobfair.set_company(fair, cohort.companies[1].id, 1)
    jobfair.set_state(fair, FairState.OPEN)
    db.session.commit()
    return fair


__all__ = ["Cohort", "grant", "make_program"]
