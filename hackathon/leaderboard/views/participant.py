"""The people's choice page: the event's teams with a vote button for each person with
a role in the program, their vote marked; for organizers the count per team and the
buttons that open and close voting. Plain forms; `votes.js` sends the same to the API."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hackathon.events import services as events
from hackathon.extensions import db
from hackathon.leaderboard.api import limit_votes
from hackathon.leaderboard.forms import VoteForm, VotingForm
from hackathon.leaderboard.services import votes
from hackathon.leaderboard.views import bp
from hackathon.submissions.models import Submission
from hackathon.teams import rules as teams
from hackathon.teams.models import Track
from hackathon.web import flash_form_errors, writing


@bp.get("/events/<slug>/vote")
@login_required
def vote_page(slug: str) -> ResponseReturnValue:
    event = votes.voting_event(current_user, slug)
    organizer = events.is_organizer(current_user, event)
    vote = votes.my_vote(event, current_user)
    own = teams.team_of(current_user, event)
    titles = dict(
        db.session.execute(
            select(Submission.team_id, Submission.title).where(Submission.event_id == event.id)
        ).all()
    )
    tracks = {t.id: t for t in db.session.scalars(select(Track).where(Track.event_id == event.id))}
    return render_template(
        "leaderboard/vote.html",
        event=event,
        teams=votes.votable_teams(event),
        titles=titles,
        tracks=tracks,
        open=votes.is_open(event),
        voter=votes.may_vote(current_user, event),
        mine=vote.team_id if vote else None,
        own=own.id if own else None,
        organizer=organizer,
        counts=votes.counts(event) if organizer else None,
        form=VoteForm(),
        voting_form=VotingForm(),
        strings=_script_strings(),
    )


def _script_strings() -> dict[str, str]:
    """Texts the page's script shows, in the reader's language."""
    return {
        "vote": _("Vote"),
        "yours": _("Your vote"),
        "saved": _("Your vote for “%(team)s” is saved."),
        "offline": _("Could not reach the server. Please try again."),
    }


@bp.post("/events/<slug>/vote")
@login_required
@limit_votes
def vote(slug: str) -> ResponseReturnValue:
    event = votes.voting_event(current_user, slug)
    form = VoteForm()
    if form.validate_on_submit():
        with writing():
            chosen = votes.cast_vote(event, current_user, form.team_id.data)
            name = chosen.team.name
        flash(_("Your vote for “%(team)s” is saved.", team=name), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("leaderboard.vote_page", slug=slug))
