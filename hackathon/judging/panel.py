"""The judging section of the event page: a judge's queue, an organizer's links."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from hackathon.accounts.rules import Viewer, signed_in
from hackathon.events.models import Event
from hackathon.events.services import is_organizer
from hackathon.extensions import db
from hackathon.judging import rules as services
from hackathon.judging.models import Assignment, AssignmentStatus


def panel_context(event: Event, user: Viewer) -> dict[str, Any] | None:
    if not signed_in(user):
        return None
    judge = services.is_judge(user, event)
    organizer = is_organizer(user, event)
    if not judge and not organizer:
        return None
    context: dict[str, Any] = {"judge": judge, "organizer": organizer}
    if judge:
        ranked, _calibration = services.split_queue(services.my_assignments(event, user.id))
        context["progress"] = services.progress(ranked)
        context["judging_open"] = services.judging_open(event)
    if organizer:
        counts = dict(
            db.session.execute(
                select(Assignment.status, func.count(Assignment.id))
                .where(services.ranked_work(event.id))  # calibration and shadows aside
                .group_by(Assignment.status)
            ).all()
        )
        context["criteria"] = len(services.criteria_of(event))
        context["assigned"] = sum(counts.values())
        context["submitted"] = counts.get(AssignmentStatus.SUBMITTED, 0)
    return context
