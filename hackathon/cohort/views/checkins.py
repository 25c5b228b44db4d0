"""Check-in pages: a team's notes per milestone (its members write, its mentors comment,
anyone who may see the team reads), a mentor's teams, and the organizers' milestones and
team × milestone grid. See docs/cohort.md, "Check-ins"."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackathon.cohort import rules
from hackathon.cohort.forms import CheckInForm, CommentForm, MilestoneForm
from hackathon.cohort.models import Milestone
from hackathon.cohort.services import checkins
from hackathon.cohort.views import bp
from hackathon.cohort.views.peer import viewable_event
from hackathon.events import services as events
from hackathon.events.models import Event
from hackathon.submissions.logic.markdown import render_markdown
from hackathon.teams import rules as teams
from hackathon.teams.models import Team
from hackathon.web import flash_form_errors, writing


def _team_page(event: Event, team: Team, status: int = 200, **forms: object) -> ResponseReturnValue:
    notes = checkins.notes_of(team)
    member = teams.is_member(current_user, team)
    mentor = rules.is_mentor_of(current_user, team)
    note_forms = {}
    if member:
        for m in checkins.milestones_of(event):
            note = notes.get(m.id)
            key = f"note_{m.id}"
            note_forms[m.id] = forms.get(key) or CheckInForm(
                formdata=None, prefix=f"m{m.id}", body=note.body if note else ""
            )
    rows = checkins.grid(event, [team.id])
    return render_template(
        "cohort/checkins_team.html",
        event=event,
        team=team,
        cells=rows[0].cells if rows else [],
        rendered={mid: render_markdown(n.body) for mid, n in notes.items()},
        member=member,
        mentor=mentor,
        note_forms=note_forms,
        comment_form=forms.get("comment") or CommentForm(formdata=None),
        organizer=events.is_organizer(current_user, event),
    ), status


@bp.get("/events/<slug>/checkins")
@login_required
def my_checkins(slug: str) -> ResponseReturnValue:
    """A member lands on their team's check-ins; a mentor on their teams'; organizers on
    the grid."""
    event = viewable_event(slug)
    team = teams.team_of(current_user, event)
    if team is not None:
        return redirect(url_for("cohort.team_checkins", slug=slug, team_id=team.id))
    if events.is_organizer(current_user, event):
        return redirect(url_for("cohort.checkin_grid", slug=slug))
    if checkins.mentored_team_ids(event, current_user):
        return redirect(url_for("cohort.mentor_checkins", slug=slug))
    abort(404)


@bp.get("/events/<slug>/teams/<int:team_id>/checkins")
@login_required
def team_checkins(slug: str, team_id: int) -> ResponseReturnValue:
    event = viewable_event(slug)
    return _team_page(event, teams.visible_team(current_user, event, team_id))


@bp.post("/events/<slug>/teams/<int:team_id>/checkins/<int:milestone_id>")
@login_required
def post_note(slug: str, team_id: int, milestone_id: int) -> ResponseReturnValue:
    event = viewable_event(slug)
    team = teams.visible_team(current_user, event, team_id)
    milestone = checkins.get_milestone(event, milestone_id)
    form = CheckInForm(prefix=f"m{milestone.id}")
    if form.validate_on_submit():
        with writing(form, field="body") as write:
            checkins.post_note(team, milestone, current_user, form.body.data or "")
        if write.ok:
            flash(_("The progress note is saved."), "success")
            return redirect(
                url_for("cohort.team_checkins", slug=slug, team_id=team.id) + f"#m-{milestone.id}"
            )
    if not teams.is_member(current_user, team):
        abort(403)
    return _team_page(event, team, 422, **{f"note_{milestone.id}": form})


@bp.post("/events/<slug>/checkins/<int:checkin_id>/comments")
@login_required
def comment(slug: str, checkin_id: int) -> ResponseReturnValue:
    event = viewable_event(slug)
    checkin = checkins.get_checkin(event, checkin_id)
    team = teams.visible_team(current_user, event, checkin.team_id)
    form = CommentForm()
    target = url_for("cohort.team_checkins", slug=slug, team_id=team.id)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(target + f"#m-{checkin.milestone_id}")
    with writing():
        checkins.add_comment(checkin, current_user, form.body.data or "")
    flash(_("Your comment is posted."), "success")
    return redirect(target + f"#m-{checkin.milestone_id}")


@bp.get("/events/<slug>/checkins/mentor")
@login_required
def mentor_checkins(slug: str) -> ResponseReturnValue:
    event = viewable_event(slug)
    mine = checkins.mentored_team_ids(event, current_user)
    if not mine:
        abort(404)
    return _grid_page(event, checkins.grid(event, mine), organizer=False)


@bp.get("/events/<slug>/checkins/grid")
@login_required
def checkin_grid(slug: str) -> ResponseReturnValue:
    event = events.organized_event(slug)
    return _grid_page(event, checkins.grid(event), organizer=True)


def _grid_page(event: Event, rows: list[checkins.GridRow], organizer: bool) -> str:
    cells = [cell for row in rows for cell in row.cells]
    return render_template(
        "cohort/checkins_grid.html",
        event=event,
        milestones=checkins.milestones_of(event),
        rows=rows,
        organizer=organizer,
        done=sum(1 for c in cells if c.state == checkins.DONE),
        late=sum(1 for c in cells if c.state == checkins.LATE),
    )


def _milestone_page(event: Event, form: MilestoneForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "cohort/milestones.html",
        event=event,
        milestones=checkins.milestones_of(event),
        form=form,
    ), status


def _save(event: Event, form: MilestoneForm, milestone: Milestone | None) -> bool:
    if not form.validate_on_submit():
        return False
    with writing(form) as write:
        checkins.save_milestone(
            event,
            milestone,
            title=form.title.data or "",
            title_en=form.title_en.data,
            prompt=form.prompt.data or "",
            due_at=events.local_to_utc(form.due_at.data, event.timezone),
            position=form.position.data,
        )
    return write.ok


@bp.route("/events/<slug>/milestones", methods=["GET", "POST"])
@login_required
def milestones(slug: str) -> ResponseReturnValue:
    event = events.organized_event(slug)
    form = MilestoneForm()
    if form.is_submitted():
        if _save(event, form, None):
            flash(_("The milestone is saved."), "success")
            return redirect(url_for("cohort.milestones", slug=slug))
        return _milestone_page(event, form, 422)
    return _milestone_page(event, MilestoneForm(formdata=None))


@bp.route("/events/<slug>/milestones/<int:milestone_id>", methods=["GET", "POST"])
@login_required
def edit_milestone(slug: str, milestone_id: int) -> ResponseReturnValue:
    event = events.organized_event(slug)
    milestone = checkins.get_milestone(event, milestone_id)
    form = MilestoneForm()
    if form.is_submitted():
        if _save(event, form, milestone):
            flash(_("The milestone is saved."), "success")
            return redirect(url_for("cohort.milestones", slug=slug))
        status = 422
    else:
        local = milestone.due_at.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)
        form = MilestoneForm(formdata=None, obj=milestone, due_at=local)
        status = 200
    return render_template(
        "cohort/milestone_form.html", event=event, milestone=milestone, form=form
    ), status


@bp.post("/events/<slug>/milestones/<int:milestone_id>/delete")
@login_required
def delete_milestone(slug: str, milestone_id: int) -> ResponseReturnValue:
    event = events.organized_event(slug)
    milestone = checkins.get_milestone(event, milestone_id)
    with writing():
        checkins.delete_milestone(event, milestone)
    flash(_("The milestone is deleted."), "success")
    return redirect(url_for("cohort.milestones", slug=slug))
