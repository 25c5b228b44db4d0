"""The notifications of the demo.

The notifications themselves come from the other features' demo steps, through the same
`notify()` calls a real action makes: the art-data hackathon's join requests reach their
captains, the judges of the two past hackathons hear about their assignments, and the
fintech hackathon's published results and feedback reach its people. This step runs
before those (the order of init_app) and sets what they depend on: two demo people have
turned some kinds of e-mail off, so their notifications stay in the app only.
"""

from __future__ import annotations

from hackathon.events.demo.cohort import DemoContext
from hackathon.notifications.services import set_mail

# (index of the trainee: 1 is trainee2@demo.test, kinds they get in the app only)
APP_ONLY = [(1, ("results_published", "feedback_available")), (2, ("team_request",))]


def build(ctx: DemoContext) -> None:
    for index, kinds in APP_ONLY:
        if index < len(ctx.trainees):
            for kind in kinds:
                set_mail(ctx.trainees[index].id, kind, False)
