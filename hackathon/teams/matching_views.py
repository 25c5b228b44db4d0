"""Organizer buttons for matching teams to tracks and forming teams automatically:
each shows a preview first and changes nothing until it is confirmed."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from hackathon.auth import organized_event
from hackathon.errors import DomainError
from hackathon.extensions import db
from hackathon.teams import bp, organizer, preferences


def _posted_assignment(plan_teams) -> dict[int, int]:
    assignment = {}
    for team in plan_teams:
        value = request.form.get(f"track_{team.id}", type=int)
        if value:
            assignment[team.id] = value
    return assignment


@bp.route("/events/<slug>/teams/matching", methods=["GET", "POST"])
@login_required
def matching(slug: str):
    event = organized_event(slug)
    try:
        plan = preferences.plan_matching(event)
    except DomainError as error:
        db.session.rollback()
        return render_template(
            "teams/matching.html", event=event, plan=None, problem=error.message
        ), 409
    if request.method == "POST":
        assignment = _posted_assignment(plan.teams)
        if len(assignment) != len(plan.teams):
            flash(_("Choose a track for every team."), "error")
        elif request.form.get("action") == "confirm":
            applied = preferences.apply_matching(event, assignment)
            db.session.commit()
            flash(_("Tracks are assigned to %(n)d teams.", n=len(applied.assignment)), "success")
            return redirect(url_for("teams.board", slug=slug))
        else:
            try:
                plan = preferences.review_assignment(event, assignment)
            except DomainError as error:
                db.session.rollback()
                flash(str(error.message), "error")
    return render_template(
        "teams/matching.html",
        event=event,
        plan=plan,
        prefs=preferences.ranked_tracks(event),
        problem=None,
    )


@bp.route("/events/<slug>/teams/autoform", methods=["GET", "POST"])
@login_required
def autoform(slug: str):
    event = organized_event(slug)
    seed = request.values.get("seed", type=int) or 0
    if request.method == "POST":
        teams = organizer.apply_autoform(event, request.form.get("fingerprint", ""), seed)
        db.session.commit()
        flash(_("%(n)d new teams are formed.", n=len(teams)), "success")
        return redirect(url_for("teams.board", slug=slug))
    try:
        plan = organizer.plan_autoform(event, seed)
    except DomainError as error:
        return render_template(
            "teams/autoform.html", event=event, plan=None, problem=error.message, seed=seed
        ), 409
    return render_template("teams/autoform.html", event=event, plan=plan, problem=None, seed=seed)
