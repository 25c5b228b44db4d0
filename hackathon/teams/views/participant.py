"""Participants' team pages: my team, the directory, a team's page and its actions, and the
team finder."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackathon.caching import public_page
from hackathon.errors import back_target
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.extensions import db, limiter
from hackathon.numbers import ascii_int
from hackathon.teams import rules
from hackathon.teams.forms import (
    JoinForm,
    OpenPlacesForm,
    RenameForm,
    RequestForm,
    SeekerForm,
    TeamForm,
    preferences_form,
)
from hackathon.teams.models import Team
from hackathon.teams.services import finder, formation, organizer, preferences
from hackathon.teams.views import bp
from hackathon.web import flash_form_errors, writing


def viewable_event(slug: str) -> Event:
    event = events.get_event(slug)
    if not events.can_view(current_user, event):
        abort(404)
    return event


def back_or(default: str) -> str:
    """The page the form was sent from when it is one of ours, else `default`."""
    return back_target() if request.referrer else default


def to_team(team: Team) -> ResponseReturnValue:
    return redirect(url_for("teams.team", slug=team.event.slug, team_id=team.id))


@bp.get("/events/<slug>/teams")
@public_page
def directory(slug: str) -> ResponseReturnValue:
    event = viewable_event(slug)
    teams = sorted(organizer.team_rows(event), key=lambda row: row.team.name.lower())
    participant = rules.is_participant(current_user, event)
    return render_template(
        "teams/directory.html",
        event=event,
        teams=teams,
        tracks=rules.tracks_of(event),
        my_team=rules.team_of(current_user, event),
        participant=participant,
        # A form mints a CSRF token (a cookie): only for those who may ask to join.
        request_form=RequestForm() if participant else None,
    )


@bp.get("/events/<slug>/my-team")
@login_required
def my_team(slug: str) -> ResponseReturnValue:
    event = viewable_event(slug)
    team = rules.team_of(current_user, event)
    if team is not None:
        return to_team(team)
    if not rules.is_participant(current_user, event):
        if events.is_organizer(current_user, event):
            return redirect(url_for("teams.board", slug=slug))
        abort(404)
    return render_start(event)


def render_start(
    event: Event,
    team_form: TeamForm | None = None,
    join_form: JoinForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "teams/start.html",
        event=event,
        open=rules.formation_open(event),
        team_form=team_form or TeamForm(formdata=None),
        join_form=join_form or JoinForm(formdata=None),
        requests=formation.my_requests(event, current_user),
        seeker=finder.seeker_of(event, current_user),
    ), status


@bp.post("/events/<slug>/teams/new")
@login_required
def create(slug: str) -> ResponseReturnValue:
    event = viewable_event(slug)
    form = TeamForm()
    if not form.validate():
        return render_start(event, team_form=form, status=422)
    with writing():
        team = formation.create_team(event, current_user, form.name.data, form.description.data)
    flash(
        _(
            "Your team “%(name)s” is created. Share the invite code with your teammates.",
            name=team.name,
        ),
        "success",
    )
    return to_team(team)


# Failed attempts at an invite code, per person: codes are long enough that guessing is
# hopeless, and this keeps it so. Per person, not per address, because a whole classroom
# joins its teams from one network.
JOIN_LIMIT = "10 per minute; 30 per hour"


def _join_limit() -> str:
    return current_app.config.get("TEAM_JOIN_LIMIT") or JOIN_LIMIT


def _join_key() -> str:
    return f"team-join:{current_user.get_id()}"


def _join_failed(_response: Response) -> bool:
    return not g.get("team_joined", False)


@bp.post("/events/<slug>/teams/join")
@login_required
@limiter.limit(_join_limit, key_func=_join_key, deduct_when=_join_failed)
def join(slug: str) -> ResponseReturnValue:
    event = viewable_event(slug)
    form = JoinForm()
    if not form.validate():
        return render_start(event, join_form=form, status=422)
    with writing():
        team = formation.join_by_code(event, current_user, form.code.data)
    g.team_joined = True
    flash(_("You joined “%(name)s”.", name=team.name), "success")
    return to_team(team)


@bp.get("/events/<slug>/teams/<int:team_id>")
@login_required
def team(slug: str, team_id: int) -> ResponseReturnValue:
    event = viewable_event(slug)
    team = rules.visible_team(current_user, event, team_id)
    member = rules.is_member(current_user, team)
    is_org = events.is_organizer(current_user, event)
    captain = team.captain_id == current_user.id
    locked = rules.is_locked(team)
    size = len(team.members)
    return render_template(
        "teams/team.html",
        event=event,
        team=team,
        size=size,
        member=member,
        captain=captain,
        organizer=is_org,
        locked=locked,
        can_manage=(captain and not locked) or is_org,
        under=rules.under_size(team, size),
        mentors=rules.mentors_of(team),
        ranked=preferences.preferences_of(team),
        requests=formation.pending_requests(team) if (captain or is_org) else [],
        rename_form=RenameForm(formdata=None, name=team.name),
        places_form=OpenPlacesForm(
            formdata=None,
            open_places=team.open_places,
            wanted_skills=", ".join(s for s in team.wanted_skills.split(";") if s),
        ),
        available_mentors=organizer.mentors_available(event) if is_org else [],
        tracks=rules.tracks_of(event),
    )


def _team_for_action(slug: str, team_id: int) -> tuple[Event, Team]:
    event = viewable_event(slug)
    team = rules.get_team(event, team_id)
    return event, team


@bp.post("/events/<slug>/teams/<int:team_id>/leave")
@login_required
def leave(slug: str, team_id: int) -> ResponseReturnValue:
    event, team = _team_for_action(slug, team_id)
    name = team.name
    with writing():
        gone = formation.leave_team(team, current_user)
    if gone:
        flash(
            _("You left “%(name)s”. It had no other members, so it is gone.", name=name), "success"
        )
    else:
        flash(_("You left “%(name)s”.", name=name), "success")
    return redirect(url_for("teams.my_team", slug=event.slug))


@bp.post("/events/<slug>/teams/<int:team_id>/members/<int:user_id>/remove")
@login_required
def remove(slug: str, team_id: int, user_id: int) -> ResponseReturnValue:
    event, team = _team_for_action(slug, team_id)
    if events.is_organizer(current_user, event):
        user = rules.member_user(team, user_id)
        with writing():
            organizer.move_member(event, user_id, None)
        flash(_("%(name)s is no longer in the team.", name=user.name), "success")
        if db.session.get(Team, team_id) is None:
            return redirect(url_for("teams.board", slug=slug))
        return to_team(team)
    with writing():
        user = formation.remove_from_team(team, current_user, user_id)
    flash(_("%(name)s is no longer in the team.", name=user.name), "success")
    return to_team(team)


@bp.post("/events/<slug>/teams/<int:team_id>/captain")
@login_required
def captain(slug: str, team_id: int) -> ResponseReturnValue:
    event, team = _team_for_action(slug, team_id)
    user_id = request.form.get("user_id", type=ascii_int) or 0
    with writing():
        if events.is_organizer(current_user, event):
            user = organizer.set_captain(team, user_id)
        else:
            user = formation.transfer_captaincy(team, current_user, user_id)
    flash(_("%(name)s is now the captain.", name=user.name), "success")
    return to_team(team)


@bp.post("/events/<slug>/teams/<int:team_id>/rename")
@login_required
def rename(slug: str, team_id: int) -> ResponseReturnValue:
    event, team = _team_for_action(slug, team_id)
    form = RenameForm()
    if not form.validate():
        flash_form_errors(form)
        return to_team(team)
    with writing():
        if events.is_organizer(current_user, event):
            organizer.rename(team, form.name.data)
        else:
            formation.rename_team(team, current_user, form.name.data)
    flash(_("The team is now called “%(name)s”.", name=team.name), "success")
    return to_team(team)


@bp.post("/events/<slug>/teams/<int:team_id>/code")
@login_required
def regenerate_code(slug: str, team_id: int) -> ResponseReturnValue:
    _event, team = _team_for_action(slug, team_id)
    with writing():
        formation.regenerate_code(team, current_user)
    flash(_("A new invite code is ready; the old one no longer works."), "success")
    return to_team(team)


@bp.post("/events/<slug>/teams/<int:team_id>/open-places")
@login_required
def open_places(slug: str, team_id: int) -> ResponseReturnValue:
    _event, team = _team_for_action(slug, team_id)
    form = OpenPlacesForm()
    if not form.validate():
        flash_form_errors(form)
        return to_team(team)
    with writing():
        formation.set_open_places(
            team, current_user, form.open_places.data, form.wanted_skills.data or ""
        )
    flash(_("The team finder shows your open places."), "success")
    return to_team(team)


@bp.route("/events/<slug>/teams/<int:team_id>/preferences", methods=["GET", "POST"])
@login_required
def rank_tracks(slug: str, team_id: int) -> ResponseReturnValue:
    event = viewable_event(slug)
    team = rules.visible_team(current_user, event, team_id)
    tracks = rules.tracks_of(event)
    needed = preferences.ranks_needed(event, tracks)
    form = preferences_form(tracks, needed, [t.id for t in preferences.preferences_of(team)])
    if form.validate_on_submit():
        with writing():
            preferences.set_preferences(team, current_user, [f.data for f in form.ranks])
        flash(_("Your track preferences are saved."), "success")
        return to_team(team)
    locked = rules.is_locked(team)
    can_edit = events.is_organizer(current_user, event) or (
        team.captain_id == current_user.id and not locked
    )
    return render_template(
        "teams/preferences.html",
        event=event,
        team=team,
        form=form,
        tracks=tracks,
        needed=needed,
        locked=locked,
        can_edit=can_edit,
        ranked=preferences.preferences_of(team),
    )


@bp.post("/events/<slug>/teams/<int:team_id>/requests")
@login_required
def ask_to_join(slug: str, team_id: int) -> ResponseReturnValue:
    event, team = _team_for_action(slug, team_id)
    form = RequestForm()
    if not form.validate():
        flash_form_errors(form)
        return redirect(back_or(url_for("teams.directory", slug=slug)))
    with writing():
        formation.request_to_join(event, team, current_user, form.message.data or "")
    flash(_("Your request to join “%(name)s” is sent to its captain.", name=team.name), "success")
    return redirect(url_for("teams.my_team", slug=slug))


@bp.post("/events/<slug>/teams/<int:team_id>/requests/<int:request_id>/<any(accept,decline):verb>")
@login_required
def decide(slug: str, team_id: int, request_id: int, verb: str) -> ResponseReturnValue:
    _event, team = _team_for_action(slug, team_id)
    with writing():
        decided = formation.decide_request(team, current_user, request_id, verb == "accept")
    if verb == "accept":
        flash(_("%(name)s joined the team.", name=decided.user.name), "success")
    else:
        flash(_("The request from %(name)s is declined.", name=decided.user.name), "success")
    return to_team(team)


@bp.post("/events/<slug>/requests/<int:request_id>/cancel")
@login_required
def cancel_request(slug: str, request_id: int) -> ResponseReturnValue:
    event = viewable_event(slug)
    with writing():
        formation.cancel_request(event, current_user, request_id)
    flash(_("Your request is withdrawn."), "success")
    return redirect(url_for("teams.my_team", slug=slug))


# ---------------------------------------------------------------- the team finder


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
        flash_form_errors(form)
        return redirect(url_for("teams.team_finder", slug=slug))
    with writing():
        finder.mark_looking(event, current_user, form.skills.data, form.note.data or "")
    flash(_("Teams can now see that you are looking for a team."), "success")
    return redirect(url_for("teams.team_finder", slug=slug))


@bp.post("/events/<slug>/finder/me/stop")
@login_required
def stop_looking(slug: str) -> ResponseReturnValue:
    event = viewable_event(slug)
    with writing():
        finder.stop_looking(event, current_user)
    flash(_("You are no longer listed as looking for a team."), "success")
    return redirect(url_for("teams.team_finder", slug=slug))
