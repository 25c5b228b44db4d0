"""Who hears about a team's submission: every member gets the receipt when it is handed
in. (The deadline reminders are a periodic job: `reminders.py`.)"""

from __future__ import annotations

from hackathon.notifications.services import link_to, notify
from hackathon.submissions.models import Submission


def submitted(submission: Submission) -> None:
    """Every member of the team gets the receipt of what was handed in, and when."""
    team = submission.team
    assert submission.submitted_at is not None
    for member in team.members:
        notify(
            member.user,
            "submission_receipt",
            event=submission.event,
            link=link_to("submissions.show", submission_id=submission.id),
            team=team.name,
            title=submission.title,
            submitted_at=submission.submitted_at.isoformat(),
        )
