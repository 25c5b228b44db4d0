"""Peer review pages: a member's form (their own ratings only: nobody sees who rated
them) and the organizers' summary per event. See docs/cohort.md, "Peer review"."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackathon.cohort import rules
from hackathon.cohort.forms import PeerReviewForm
from hackathon.cohort.logic.peer import FAR_BELOW, MIN_RATINGS
from hackathon.cohort.services import peer
from hackathon.cohort.views import bp
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.web import writing


def viewable_event(slug: str) -> Event:
    event = events.get_event(slug)
    if not events.can_view(current_user, event):
        abort(404)
    return event


def _forms(event: Event, bound: tuple[int, PeerReviewForm] | None = None) -> dict[str, Any]:
    team, mates = peer.teammates(event, current_user)
    if team is None:
        abort(404)
    mine = peer.given_by(event, current_user)
    forms = {}
    for mate in mates:
        if bound is not None and bound[0] == mate.id:
            forms[mate.id] = bound[1]
            continue
        given = mine.get(mate.id)
        form = PeerReviewForm(
            formdata=None,
            prefix=f"p{mate.id}",
            score=given.score if given else None,
            comment=given.comment if given else "",
        )
        forms[mate.id] = form
    return {
        "event": event,
        "team": team,
        "mates": mates,
        "forms": forms,
        "mine": mine,
        "state": rules.peer_state(event),
    }


@bp.get("/events/<slug>/peer-review")
@login_required
def peer_form(slug: str) -> ResponseReturnValue:
    return render_template("cohort/peer_form.html", **_forms(viewable_event(slug)))


@bp.post("/events/<slug>/peer-review/<int:ratee_id>")
@login_required
def peer_rate(slug: str, ratee_id: int) -> ResponseReturnValue:
    """Refusals (not a teammate, oneself, closed) come back on the form with a 4xx."""
    event = viewable_event(slug)
    form = PeerReviewForm(prefix=f"p{ratee_id}")
    valid = form.validate_on_submit()
    with writing(form, field="score") as write:
        if valid or ratee_id == current_user.id:
            peer.rate(event, current_user, ratee_id, form.score.data, form.comment.data or "")
    if write.ok and valid:
        flash(_("Your rating is saved."), "success")
        return redirect(url_for("cohort.peer_form", slug=slug) + f"#mate-{ratee_id}")
    page = _forms(event, (ratee_id, form))
    if write.error is None and ratee_id not in page["forms"]:
        flash(str(rules.NotTeammate.message), "error")
    status = write.error.status if write.error is not None else 422
    return render_template("cohort/peer_form.html", **page), status


@bp.get("/events/<slug>/peer-review/summary")
@login_required
def peer_summary(slug: str) -> ResponseReturnValue:
    event = events.organized_event(slug)
    return render_template(
        "cohort/peer_summary.html",
        event=event,
        teams=peer.event_summary(event),
        state=rules.peer_state(event),
        far_below=FAR_BELOW,
        min_ratings=MIN_RATINGS,
    )
