"""The organizers' judging pages: assignments, conflicts and the dashboard."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.errors import ValidationFailed
from hackathon.events.models import Event
from hackathon.events.services import organized_event
from hackathon.extensions import db
from hackathon.judging.forms import (
    AddAssignmentForm,
    AssignForm,
    CalibrationForm,
    ConflictForm,
    CriterionForm,
    UnlockForm,
)
from hackathon.judging.models import Assignment, Criterion
from hackathon.judging.rules import criteria_of, judge_roles, score_count
from hackathon.judging.services import assignments as service
from hackathon.judging.services import calibration, reassign, rubric
from hackathon.judging.services import dashboard as board
from hackathon.judging.services.conflicts import conflict_map
from hackathon.judging.views import bp
from hackathon.numbers import ascii_int
from hackathon.teams.models import Team
from hackathon.web import writing


def _choices(event: Event) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    ids = [r.user_id for r in judge_roles(event)]
    judges = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.name))
    teams = db.session.scalars(select(Team).where(Team.event_id == event.id).order_by(Team.name))
    return [(u.id, f"{u.name} ({u.email})") for u in judges], [(t.id, t.name) for t in teams]


@bp.get("/events/<slug>/judging/assignments")
@login_required
def assignments_page(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    all_teams = request.args.get("all_teams") == "1"
    k = request.args.get("k", type=ascii_int) or event.judges_per_submission
    assign_form = AssignForm(k=k, all_teams=all_teams)
    add_form, conflict_form, calibration_form = (
        AddAssignmentForm(),
        ConflictForm(),
        CalibrationForm(),
    )
    judges, teams = _choices(event)
    add_form.judge_id.choices = conflict_form.judge_id.choices = judges
    add_form.team_id.choices = conflict_form.team_id.choices = teams
    calibration_form.team_id.choices = teams
    by_pair = conflict_map(event)
    conflicts = sorted(
        (r for reasons in by_pair.values() for r in reasons),
        key=lambda r: (r.kind, r.judge_id, r.team_id),
    )
    names = dict(
        db.session.execute(
            select(User.id, User.name).where(User.id.in_({r.judge_id for r in conflicts}))
        ).all()
    )
    team_names = dict(teams)
    return render_template(
        "judging/assignments.html",
        event=event,
        data=board.build(event),
        in_scope=len(service.teams_in_scope(event, all_teams)),
        missing=service.feasibility(event, k, all_teams, by_pair),
        k=k,
        all_teams=all_teams,
        assign_form=assign_form,
        add_form=add_form,
        conflict_form=conflict_form,
        calibration_form=calibration_form,
        conflicts=conflicts,
        judge_names=names,
        team_names=team_names,
    )


@bp.post("/events/<slug>/judging/assign")
@login_required
def assign(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    form = AssignForm()
    back = url_for("judging.assignments_page", slug=slug)
    if not form.validate_on_submit():
        flash(_("Give the number of judges per team (1 or more)."), "error")
        return redirect(back)
    with writing(catch=service.AssignmentImpossible, quiet=True) as write:
        outcome = calibration.assign_panel(event, form.k.data, form.all_teams.data)
    if not write.ok:
        flash(_("Judges cannot be assigned as asked; nothing was changed."), "error")
        return redirect(
            url_for(
                "judging.assignments_page",
                slug=slug,
                k=form.k.data,
                all_teams="1" if form.all_teams.data else None,
            )
        )
    for text, kind in outcome.report():
        flash(text, kind)
    return redirect(back)


@bp.post("/events/<slug>/judging/assignments/add")
@login_required
def add_assignment(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    form = AddAssignmentForm()
    form.judge_id.choices, form.team_id.choices = _choices(event)
    if form.validate_on_submit():
        with writing():
            service.add_assignment(event, form.judge_id.data, form.team_id.data)
        flash(_("The assignment is added."), "success")
    return redirect(url_for("judging.assignments_page", slug=slug))


@bp.post("/events/<slug>/judging/assignments/<int:assignment_id>/remove")
@login_required
def remove_assignment(slug: str, assignment_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    found = db.session.get(Assignment, assignment_id)
    if found is None or found.event_id != event.id:
        return redirect(url_for("judging.assignments_page", slug=slug))
    with writing():
        reassign.remove_assignment(found, request.form.get("reason") or "organizer")
    flash(_("The assignment is removed; what it held is kept in the audit log."), "success")
    return redirect(url_for("judging.assignments_page", slug=slug))


@bp.post("/events/<slug>/judging/judges/<int:judge_id>/remove")
@login_required
def remove_judge(slug: str, judge_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    back = url_for("judging.assignments_page", slug=slug)
    with writing(catch=service.AssignmentImpossible, quiet=True) as write:
        outcome = reassign.remove_judge(event, judge_id)
    if write.error is not None:
        flash(
            _("The judge's unfinished work cannot be given to others; nothing was changed."),
            "error",
        )
        for line in write.error.details.get("missing", []):
            flash(line, "error")
        return redirect(back)
    flash(
        _(
            "The judge is removed; %(n)d unfinished assignments went to other judges.",
            n=outcome.created,
        ),
        "success",
    )
    return redirect(back)


@bp.post("/events/<slug>/judging/conflicts/add")
@login_required
def add_conflict(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    form = ConflictForm()
    form.judge_id.choices, form.team_id.choices = _choices(event)
    if not form.validate_on_submit():
        flash(_("Choose a judge and a team, and give a reason."), "error")
    else:
        with writing():
            outcome = reassign.declare_conflict(
                event, form.judge_id.data, form.team_id.data, form.reason.data, current_user.id
            )
        flash(_("The conflict is recorded."), "success")
        if outcome.removed and not outcome.replaced:
            flash(_("Its assignment was removed, and no other judge could take the team."), "info")
    return redirect(url_for("judging.assignments_page", slug=slug))


@bp.post("/events/<slug>/judging/conflicts/<int:conflict_id>/remove")
@login_required
def remove_conflict(slug: str, conflict_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    with writing():
        reassign.remove_conflict(event, conflict_id)
    flash(_("The declared conflict is removed."), "success")
    return redirect(url_for("judging.assignments_page", slug=slug))


@bp.get("/events/<slug>/judging/dashboard")
@login_required
def dashboard(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    return render_template("judging/dashboard.html", event=event, data=board.build(event))


# The organizers' rubric editor.


def _criterion(event: Event, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.event_id != event.id:
        abort(404)
    return criterion


@bp.get("/events/<slug>/judging/rubric")
@login_required
def rubric_page(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    criteria = criteria_of(event)
    total_weight = sum(c.weight for c in criteria)
    return render_template(
        "judging/rubric.html",
        event=event,
        criteria=criteria,
        shares={c.id: 100 * c.weight / total_weight for c in criteria} if total_weight else {},
        levels={c.id: rubric.level_list(c) for c in criteria},
        locked=rubric.is_locked(event),
        scores=score_count(event),
        lock_entry=rubric.lock_entry(event),
        unlock_form=UnlockForm(),
    )


def _values(form: CriterionForm) -> dict:
    lo, hi = form.min_score.data, form.max_score.data
    return {
        "name": form.name.data,
        "name_en": form.name_en.data,
        "description": form.description.data,
        "description_en": form.description_en.data,
        "weight": float(form.weight.data),
        "min_score": lo,
        "max_score": hi,
        "levels": rubric.parse_levels(form.levels_ko.data, form.levels_en.data, lo, hi),
    }


def _edit(event: Event, criterion: Criterion | None) -> ResponseReturnValue:
    form = CriterionForm(obj=criterion)
    if request.method == "GET" and criterion is not None:
        form.levels_ko.data = rubric.levels_text(criterion.levels, "ko")
        form.levels_en.data = rubric.levels_text(criterion.levels, "en")
    if form.validate_on_submit():
        with writing(form, catch=ValidationFailed) as write:
            values = _values(form)
            if criterion is None:
                rubric.add_criterion(event, **values)
            else:
                rubric.update_criterion(criterion, **values)
        if write.ok:
            flash(_("The rubric is saved."), "success")
            return redirect(url_for("judging.rubric_page", slug=event.slug))
    return render_template(
        "judging/criterion_form.html",
        event=event,
        form=form,
        criterion=criterion,
        locked=rubric.is_locked(event),
    )


@bp.route("/events/<slug>/judging/rubric/new", methods=["GET", "POST"])
@login_required
def new_criterion(slug: str) -> ResponseReturnValue:
    return _edit(organized_event(slug), None)


@bp.route("/events/<slug>/judging/rubric/<int:criterion_id>/edit", methods=["GET", "POST"])
@login_required
def edit_criterion(slug: str, criterion_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    return _edit(event, _criterion(event, criterion_id))


@bp.post("/events/<slug>/judging/rubric/<int:criterion_id>/delete")
@login_required
def delete_criterion(slug: str, criterion_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    with writing():
        rubric.delete_criterion(_criterion(event, criterion_id))
    flash(_("The criterion is deleted."), "success")
    return redirect(url_for("judging.rubric_page", slug=slug))


@bp.post("/events/<slug>/judging/rubric/<int:criterion_id>/move")
@login_required
def move_criterion(slug: str, criterion_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    step = -1 if request.form.get("direction") == "up" else 1
    with writing():
        rubric.move_criterion(_criterion(event, criterion_id), step)
    return redirect(url_for("judging.rubric_page", slug=slug))


@bp.post("/events/<slug>/judging/rubric/unlock")
@login_required
def unlock_rubric(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    form = UnlockForm()
    with writing():
        rubric.unlock_rubric(event, form.reason.data if form.validate_on_submit() else "")
    flash(_("The rubric is unlocked; your reason is recorded. Lock it again when done."), "success")
    return redirect(url_for("judging.rubric_page", slug=slug))


@bp.post("/events/<slug>/judging/rubric/lock")
@login_required
def lock_rubric(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    with writing():
        rubric.lock_rubric(event)
    flash(_("The rubric is locked again."), "success")
    return redirect(url_for("judging.rubric_page", slug=slug))


# Calibration items and shadow judges (services/calibration.py).


@bp.post("/events/<slug>/judging/calibration")
@login_required
def mark_calibration(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    form = CalibrationForm()
    form.team_id.choices = _choices(event)[1]
    if not form.validate_on_submit():
        flash(_("Choose the team whose submission every judge scores first."), "error")
    else:
        with writing(catch=calibration.TooManyItems) as write:
            made = calibration.mark_calibration(event, form.team_id.data, current_user.id)
        if write.ok:
            flash(_("The calibration item is set; %(n)d judges were given it.", n=made), "success")
    return redirect(url_for("judging.assignments_page", slug=slug))


@bp.post("/events/<slug>/judging/calibration/<int:team_id>/remove")
@login_required
def unmark_calibration(slug: str, team_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    with writing():
        calibration.unmark_calibration(event, team_id)
    flash(_("The calibration item is removed; its scores are kept in the audit log."), "success")
    return redirect(url_for("judging.assignments_page", slug=slug))


@bp.post("/events/<slug>/judging/judges/<int:judge_id>/shadow")
@login_required
def set_shadow(slug: str, judge_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    shadow = request.form.get("shadow") == "1"
    with writing():
        calibration.set_shadow(event, judge_id, shadow, current_user.id)
    if shadow:
        flash(_("The judge is now a shadow judge: their scores no longer count."), "success")
    else:
        flash(_("The judge counts again."), "success")
    flash(_("Assign judges again so that every team has its counting judges."), "info")
    return redirect(url_for("judging.assignments_page", slug=slug))
