"""The team finder, and the company view of the teams on a company's tracks."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hackathon.events import services as events
from hackathon.extensions import db
from hackathon.teams import rules
from hackathon.teams import rules as access
from hackathon.teams.forms import RequestForm, SeekerForm
from hackathon.teams.models import Team, TeamMentor
from hackathon.teams.services import finder, preferences
from hackathon.teams.views import bp
from hackathon.teams.views.participant import form_problems, viewable_event


@bp.get("/events/<slug>/finder")
@login_required
def team_finder(slug: str) -> ResponseReturnValue:
    event = viewable_event(slug)
    participant = rules.is_participant(current_user, event)
    if not participant and not events.is_organizer(current_user, event):
        abort(404)
    skill = (request.args.get("skill") or "").strip().lower()[:30]
    seeker = finder.seeker_of(event, current_user)
    form = SeekerForm(
        formdata=None,
        skills=", ".join(current_user.skill_list),
        note=seeker.note if seeker else "",
    )
    return render_template(
        "teams/finder.html",
        event=event,
        skill=skill,
        skills=finder.known_skills(event),
        seekers=finder.seekers(event, skill),
        teams=finder.open_teams(event, skill),
        seeker=seeker,
        form=form,
        request_form=RequestForm(formdata=None),
        participant=participant,
        my_team=rules.team_of(current_user, event),
        open=rules.formation_open(event),
    )


@bp.post("/events/<slug>/finder/me")
@login_required
def looking(slug: str) -> ResponseReturnValue:
    event = viewable_event(slug)
    form = SeekerForm()
    if not form.validate():
        form_problems(form)
        return redirect(url_for("teams.team_finder", slug=slug))
    finder.mark_looking(event, current_user, form.skills.data, form.note.data or "")
    db.session.commit()
    flash(_("Teams can now see that you are looking for a team."), "success")
    return redirect(url_for("teams.team_finder", slug=slug))


@bp.post("/events/<slug>/finder/me/stop")
@login_required
def stop_looking(slug: str) -> ResponseReturnValue:
    event = viewable_event(slug)
    finder.stop_looking(event, current_user)
    db.session.commit()
    flash(_("You are no longer listed as looking for a team."), "success")
    return redirect(url_for("teams.team_finder", slug=slug))


# ---------------------------------------------------------------- companies


@bp.get("/events/<slug>/company-teams")
@login_required
def company_teams(slug: str) -> ResponseReturnValue:
    """Mentors and company reps: the teams on their company's tracks and those they mentor."""
    event = viewable_event(slug)
    companies = access.company_ids_of(current_user, event)
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
        if key.startswith("rank_") and key[5:].isascii() and key[5:].isdigit() and value.strip():
            value = value.strip()
            if not (value.isascii() and value.isdigit()) or int(value) < 1:
                flash(_("Ranks are whole numbers from 1 up."), "error")
                return redirect(url_for("teams.company_teams", slug=slug))
            ranked.append((int(value), int(key[5:])))
    if len({rank for rank, _team in ranked}) != len(ranked):
        flash(_("Give each rank to one team only."), "error")
        return redirect(url_for("teams.company_teams", slug=slug))
    preferences.set_company_ranking(track, current_user, [team for _rank, team in sorted(ranked)])
    db.session.commit()
    flash(_("The ranking for “%(name)s” is saved.", name=track.display_name), "success")
    return redirect(url_for("teams.company_teams", slug=slug))
