"""The organizers' team board, tracks, and the changes they make to teams at any phase."""

from __future__ import annotations

from collections.abc import Container, Iterable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from hackathon import csvio
from hackathon.caching import public_page
from hackathon.errors import DomainError, ValidationFailed
from hackathon.events import services as events
from hackathon.events.models import Company, Event
from hackathon.events.services import organized_event
from hackathon.extensions import db
from hackathon.numbers import ascii_int
from hackathon.registry import get_registry
from hackathon.teams import rules
from hackathon.teams.forms import MoveForm, TrackForm
from hackathon.teams.models import Team, Track
from hackathon.teams.services import organizer, preferences, tracks
from hackathon.teams.views import bp
from hackathon.teams.views.participant import back_or, to_team
from hackathon.web import attach_errors, writing


def move_form(event: Event, board: organizer.Board) -> MoveForm:
    form = MoveForm()
    people = organizer.people_without_team(event) + [
        m.user for row in board.teams for m in row.team.members
    ]
    form.user_id.choices = [
        SelectChoice(u.id, f"{u.name} ({u.email})") for u in sorted(people, key=lambda u: u.name)
    ]
    form.team_id.choices = [
        SelectChoice(0, _("No team")),
        *(SelectChoice(r.team.id, r.team.name) for r in board.teams),
    ]
    return form


@bp.get("/events/<slug>/teams/board")
@login_required
def board(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    data = organizer.board(event)
    return render_template(
        "teams/board.html",
        event=event,
        board=data,
        move=move_form(event, data),
        formation_open=rules.formation_open(event),
    )


@bp.post("/events/<slug>/teams/move")
@login_required
def move(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    form = move_form(event, organizer.board(event))
    if not form.validate():
        flash(_("Choose a person and a team."), "error")
        return redirect(url_for("teams.board", slug=slug))
    with writing():
        target = organizer.move_member(event, form.user_id.data, form.team_id.data or None)
    if target is None:
        flash(_("The person is now without a team."), "success")
    else:
        flash(_("The person is now in “%(name)s”.", name=target.name), "success")
    return redirect(url_for("teams.board", slug=slug))


LOCK_STATES = {"locked": True, "unlocked": False, "schedule": None}


def posted_choice(name: str, allowed: Container[str]) -> str:
    """A posted value that must be one of `allowed`; anything else is a bad request, so a
    form sent without it never falls back to a default that changes something."""
    value = request.form.get(name, "")
    if value not in allowed:
        abort(400)
    return value


def posted_id(name: str) -> int | None:
    """A posted id, 0 meaning none; a missing or non-numeric value is a bad request."""
    value = request.form.get(name, type=ascii_int)
    if value is None:
        abort(400)
    return value or None


@bp.post("/events/<slug>/teams/<int:team_id>/lock")
@login_required
def lock(slug: str, team_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    team = rules.get_team(event, team_id)
    state = posted_choice("state", LOCK_STATES)
    with writing():
        organizer.set_lock(team, LOCK_STATES[state])
    messages = {
        "locked": _("“%(name)s” is locked.", name=team.name),
        "unlocked": _("“%(name)s” is unlocked: its members can change it again.", name=team.name),
    }
    flash(
        messages.get(state, _("“%(name)s” follows the event's schedule again.", name=team.name)),
        "success",
    )
    return redirect(back_or(url_for("teams.board", slug=slug)))


@bp.post("/events/<slug>/teams/<int:team_id>/track")
@login_required
def set_track(slug: str, team_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    team = rules.get_team(event, team_id)
    with writing():
        organizer.set_track(team, posted_id("track_id"))
    flash(_("The track of “%(name)s” is saved.", name=team.name), "success")
    return redirect(back_or(url_for("teams.board", slug=slug)))


@bp.post("/events/<slug>/teams/<int:team_id>/mentors")
@login_required
def mentors(slug: str, team_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    team = rules.get_team(event, team_id)
    user_id = request.form.get("user_id", type=ascii_int) or 0
    if request.form.get("action") == "remove":
        with writing():
            organizer.remove_mentor(team, user_id)
        flash(_("The mentor is removed from the team."), "success")
    else:
        with writing():
            user = organizer.add_mentor(team, user_id)
        flash(_("%(name)s now mentors the team.", name=user.name), "success")
    return to_team(team)


@bp.get("/events/<slug>/teams.csv")
@login_required
def teams_csv(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    kind = get_registry().csv_kinds["teams"]
    assert kind.exporter is not None  # the teams feature registers one
    body = "\ufeff" + csvio.write(kind, kind.exporter(event), kind.columns)  # BOM for Excel
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={event.slug}-teams.csv"},
    )


# ---------------------------------------------------------------- tracks


def track_form(track: Track | None = None) -> TrackForm:
    form = TrackForm(obj=track)
    companies = db.session.scalars(select(Company).order_by(Company.name))
    form.company_id.choices = [
        SelectChoice(0, _("No company")),
        *(SelectChoice(c.id, c.name) for c in companies),
    ]
    if track is not None and not form.is_submitted():
        form.company_id.data = track.company_id or 0
    return form


@bp.get("/events/<slug>/tracks")
@public_page
def track_list(slug: str) -> ResponseReturnValue:
    event = events.get_event(slug)
    if not events.can_view(current_user, event):
        abort(404)
    loads = organizer.track_loads(event)
    return render_template(
        "teams/tracks.html",
        event=event,
        tracks=[row.track for row in loads],
        load={row.track.id: row.teams for row in loads},
        organizer=events.is_organizer(current_user, event),
    )


@bp.route("/events/<slug>/tracks/new", methods=["GET", "POST"])
@bp.route("/events/<slug>/tracks/<int:track_id>/edit", methods=["GET", "POST"])
@login_required
def edit_track(slug: str, track_id: int | None = None) -> ResponseReturnValue:
    event = organized_event(slug)
    track = rules.get_track(event, track_id) if track_id else None
    form = track_form(track)
    if form.validate_on_submit():
        values = {
            f: getattr(form, f).data
            for f in ("name", "name_en", "description", "description_en", "capacity")
        }
        with writing(form, catch=ValidationFailed) as write:
            tracks.save_track(event, track, company_id=form.company_id.data or None, **values)
        if write.ok:
            flash(_("The track is saved."), "success")
            return redirect(url_for("teams.track_list", slug=slug))
    return render_template("teams/track_form.html", event=event, form=form, track=track)


@bp.post("/events/<slug>/tracks/<int:track_id>/delete")
@login_required
def delete_track(slug: str, track_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    track = rules.get_track(event, track_id)
    with writing():
        tracks.delete_track(track)
    flash(_("The track is deleted."), "success")
    return redirect(url_for("teams.track_list", slug=slug))


# Organizer buttons for matching teams to tracks and forming teams automatically:
# each shows a preview first and changes nothing until it is confirmed.


def _posted_assignment(plan_teams: Iterable[Team]) -> dict[int, int]:
    assignment = {}
    for team in plan_teams:
        value = request.form.get(f"track_{team.id}", type=ascii_int)
        if value:
            assignment[team.id] = value
    return assignment


@bp.route("/events/<slug>/teams/matching", methods=["GET", "POST"])
@login_required
def matching(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    try:
        plan = preferences.plan_matching(event)  # reads only: nothing to roll back
    except DomainError as error:
        return render_template(
            "teams/matching.html", event=event, plan=None, problem=error.message
        ), 409
    if request.method == "POST":
        assignment = _posted_assignment(plan.teams)
        if len(assignment) != len(plan.teams):
            flash(_("Choose a track for every team."), "error")
        elif request.form.get("action") == "confirm":
            with writing():
                applied = preferences.apply_matching(event, assignment)
            flash(_("Tracks are assigned to %(n)d teams.", n=len(applied.assignment)), "success")
            return redirect(url_for("teams.board", slug=slug))
        else:
            try:
                plan = preferences.review_assignment(event, assignment)  # reads only
            except DomainError as error:
                attach_errors(None, error)
    return render_template(
        "teams/matching.html",
        event=event,
        plan=plan,
        prefs=preferences.ranked_tracks(event),
        problem=None,
    )


@bp.route("/events/<slug>/teams/autoform", methods=["GET", "POST"])
@login_required
def autoform(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    seed = request.values.get("seed", type=ascii_int) or 0
    avoid = request.values.get("avoid_repeats") == "1"
    if request.method == "POST":
        with writing():
            teams = organizer.apply_autoform(
                event, request.form.get("fingerprint", ""), seed, avoid_repeats=avoid
            )
        flash(_("%(n)d new teams are formed.", n=len(teams)), "success")
        return redirect(url_for("teams.board", slug=slug))
    page = {"event": event, "seed": seed, "avoid_repeats": avoid}
    try:
        plan = organizer.plan_autoform(event, seed, avoid)
    except DomainError as error:
        return render_template("teams/autoform.html", plan=None, problem=error.message, **page), 409
    return render_template(
        "teams/autoform.html",
        plan=plan,
        problem=None,
        repeat_lines=organizer.repeat_lines(plan),
        **page,
    )
