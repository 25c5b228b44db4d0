"""The company view: the teams on a company's tracks, which its mentors and reps see and
rank."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hackathon.events import services as events
from hackathon.extensions import db
from hackathon.numbers import int_or_none
from hackathon.teams import rules
from hackathon.teams.models import Team, TeamMentor
from hackathon.teams.services import preferences
from hackathon.teams.views import bp
from hackathon.teams.views.participant import viewable_event
from hackathon.web import writing


@bp.get("/events/<slug>/company-teams")
@login_required
def company_teams(slug: str) -> ResponseReturnValue:
    """Mentors and company reps: the teams on their company's tracks and those they mentor."""
    event = viewable_event(slug)
    companies = rules.company_ids_of(current_user, event)
    organizer = events.is_organizer(current_user, event)
    if not companies and not organizer:
        abort(404)
    tracks = [t for t in rules.tracks_of(event) if organizer or t.company_id in companies]
    all_teams = rules.teams_of(event, with_members=True)
    by_track = {t.id: [team for team in all_teams if team.track_id == t.id] for t in tracks}
    mentored = list(
        db.session.scalars(
            select(Team)
            .join(TeamMentor, TeamMentor.team_id == Team.id)
            .where(Team.event_id == event.id, TeamMentor.user_id == current_user.id)
            .order_by(Team.name)
        )
    )
    return render_template(
        "teams/company.html",
        event=event,
        tracks=tracks,
        by_track=by_track,
        mentored=mentored,
        all_teams=all_teams,
        rankings=preferences.rankings_of(tracks),
    )


@bp.post("/events/<slug>/tracks/<int:track_id>/ranking")
@login_required
def rank_teams(slug: str, track_id: int) -> ResponseReturnValue:
    event = viewable_event(slug)
    track = rules.get_track(event, track_id)
    if not preferences.can_rank_for(current_user, track):
        abort(404)
    ranked: list[tuple[int, int]] = []
    for key, value in request.form.items():
        team_id = int_or_none(key.removeprefix("rank_")) if key.startswith("rank_") else None
        if team_id is not None and value.strip():
            rank = int_or_none(value)
            if rank is None or rank < 1:
                flash(_("Ranks are whole numbers from 1 up."), "error")
                return redirect(url_for("teams.company_teams", slug=slug))
            ranked.append((rank, team_id))
    if len({rank for rank, _team in ranked}) != len(ranked):
        flash(_("Give each rank to one team only."), "error")
        return redirect(url_for("teams.company_teams", slug=slug))
    with writing():
        preferences.set_company_ranking(
            track, current_user, [team for _rank, team in sorted(ranked)]
        )
    flash(_("The ranking for “%(name)s” is saved.", name=track.display_name), "success")
    return redirect(url_for("teams.company_teams", slug=slug))
