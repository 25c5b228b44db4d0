"""The judge's pages: the queue, a submission with its scoring form, declaring a conflict.

The scoring form works as a plain form (keyboard, no script); `static/js/judging.js` adds
saving every change as a draft through the API.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hackathon.errors import NotFound, ValidationFailed
from hackathon.events.models import Company, Event
from hackathon.events.services import get_event, is_organizer
from hackathon.extensions import db
from hackathon.judging import rules as services
from hackathon.judging.forms import DeclareForm
from hackathon.judging.models import Assignment, AssignmentPurpose, AssignmentStatus
from hackathon.judging.services.pitch_day import slots_by_team
from hackathon.judging.services.reassign import declare_conflict
from hackathon.judging.services.rubric import criterion_description, level_list
from hackathon.judging.services.scoring import ScoreUpdate, mark_opened, record_scores
from hackathon.judging.views import bp
from hackathon.numbers import int_or_none
from hackathon.submissions.logic.markdown import render_markdown
from hackathon.teams.models import Team, Track
from hackathon.web import writing


def status_label(status: str) -> str:
    labels = {
        AssignmentStatus.TO_DO: _("To do"),
        AssignmentStatus.IN_PROGRESS: _("In progress"),
        AssignmentStatus.SUBMITTED: _("Done"),
    }
    return labels[AssignmentStatus(status)]


@bp.app_context_processor
def judging_helpers() -> dict:
    return {"judging_status_label": status_label}


def _declare_form(event: Event) -> DeclareForm:
    form = DeclareForm()
    teams = db.session.scalars(select(Team).where(Team.event_id == event.id).order_by(Team.name))
    form.team_id.choices = [(t.id, t.name) for t in teams]
    return form


@bp.get("/events/<slug>/judging")
@login_required
def queue(slug: str) -> ResponseReturnValue:
    event = get_event(slug)
    if not services.judges_now(current_user, event):
        if is_organizer(current_user, event):
            return redirect(url_for("judging.dashboard", slug=slug))
        raise NotFound()
    assignments = services.my_assignments(event, current_user.id)
    teams = services.teams_of(assignments)
    titles = {t: s.title for t, s in services.submissions_by_team(event).items()}
    upcoming = next((a for a in assignments if a.status != AssignmentStatus.SUBMITTED), None)
    ranked, calibration = services.split_queue(assignments)
    return render_template(
        "judging/queue.html",
        event=event,
        assignments=ranked,
        calibration=calibration,
        calibration_progress=services.progress(calibration),
        shadow=current_user.id in services.shadow_ids(event),
        teams=teams,
        titles=titles,
        slots=slots_by_team(event),
        progress=services.progress(ranked),
        upcoming=upcoming,
        judging_open=services.judging_open(event),
        declare_form=_declare_form(event),
    )


def _page(
    assignment: Assignment, posted: dict[str, Any] | None = None, status: int = 200
) -> ResponseReturnValue:
    event = assignment.event
    team = assignment.team
    track = db.session.get(Track, team.track_id) if team.track_id else None
    company = db.session.get(Company, track.company_id) if track and track.company_id else None
    submission = services.submission_of(team)
    criteria = services.criteria_of(event)
    scores = services.scores_by_assignment([assignment.id])[assignment.id]
    mine = assignment.judge_id == current_user.id and services.is_judge(current_user, event)
    queue = services.my_assignments(event, assignment.judge_id) if mine else []
    at = next((i for i, a in enumerate(queue) if a.id == assignment.id), len(queue))
    later = queue[at + 1 :]  # the queue's own order: calibration items come first
    following = next((a for a in later if a.status != AssignmentStatus.SUBMITTED), None)
    # A calibration item that is a real team: the judge may have it for the ranking too.
    twin = next((a for a in queue if a.team_id == team.id and a.id != assignment.id), None)
    declare_form = _declare_form(event)
    declare_form.team_id.data = team.id
    return render_template(
        "judging/assignment.html",
        event=event,
        assignment=assignment,
        team=team,
        track=track,
        company=company,
        submission=submission,
        summary_html=render_markdown(submission.summary) if submission else "",
        files=services.current_files(submission),
        criteria=criteria,
        levels={c.id: level_list(c) for c in criteria},
        descriptions={c.id: criterion_description(c) for c in criteria},
        scores={**scores, **(posted or {}).get("scores", {})},
        posted=posted or {},
        mine=mine,
        can_score=mine and services.judging_open(event),
        following=following,
        twin=twin,
        calibration=assignment.purpose == AssignmentPurpose.CALIBRATION,
        declare_form=declare_form,
        strings=_script_strings(),
    ), status


def _script_strings() -> dict[str, str]:
    """Texts the page's script shows, in the reader's language."""
    return {
        "saving": _("Saving…"),
        "saved": _("Draft saved at %(time)s"),
        "unsaved": _("Changes not saved yet"),
        "retrying": _("Not saved: no connection. Trying again…"),
        "stale": _("These scores were changed in another tab or device. Reload to continue."),
        "invalid": _("Not saved: check the highlighted values."),
        "signed_out": _("You were signed out. Sign in again in another tab, then retry."),
        "closed": _("Judging is closed; changes can no longer be saved."),
        "leave": _("Some changes are not saved yet."),
        "reload": _("Reload"),
        "in_progress": status_label(AssignmentStatus.IN_PROGRESS),
    }


@bp.get("/judging/assignments/<int:assignment_id>")
@login_required
def assignment(assignment_id: int) -> ResponseReturnValue:
    found = services.visible_assignment(current_user, assignment_id)
    if found.judge_id == current_user.id and found.opened_at is None:
        with writing():  # only then: a commit would make the page read everything again
            mark_opened(found)
    return _page(found)


def _whole(text: str) -> int | None:
    """A whole number in ASCII digits (hackathon.numbers), else None."""
    return int_or_none(text, signed=True)


def _score(text: str) -> int | bool | None:
    """None for an empty field (no score), False for what is not a whole number: kept so
    that the check names the field."""
    if not text.strip():
        return None
    value = _whole(text)
    return False if value is None else value


def _posted_update() -> tuple[ScoreUpdate, dict]:
    """The scoring form as an update; every criterion field is sent, empty means no score."""
    scores: dict[int, int | None] = {}
    raw: dict[int, str] = {}
    for key, value in request.form.items():
        criterion_id = _whole(key[6:]) if key.startswith("score-") else None
        if criterion_id is not None and criterion_id >= 0:
            raw[criterion_id] = value
            scores[criterion_id] = _score(value)
    version = _whole(request.form.get("version", ""))
    update = ScoreUpdate(
        scores=scores,
        feedback=request.form.get("feedback"),
        note=request.form.get("note"),
        submit=request.form.get("action") == "submit",
        version=-1 if version is None else version,
    )
    return update, {"scores": raw, "feedback": update.feedback, "note": update.note}


@bp.post("/judging/assignments/<int:assignment_id>")
@login_required
def save(assignment_id: int) -> ResponseReturnValue:
    locked = services.own_assignment(current_user, assignment_id, lock=True)
    update, posted = _posted_update()
    if request.form.get("action") == "reopen":
        update = ScoreUpdate(version=update.version)
    with writing(catch=ValidationFailed) as write:
        record_scores(locked, update, actor_id=current_user.id, source="web")
    if not write.ok:
        return _page(services.visible_assignment(current_user, assignment_id), posted, 422)
    if update.submit:
        flash(_("Your scores for “%(team)s” are submitted.", team=locked.team.name), "success")
        return redirect(url_for("judging.queue", slug=locked.event.slug))
    flash(_("Saved."), "success")
    return redirect(url_for("judging.assignment", assignment_id=assignment_id))


@bp.post("/events/<slug>/judging/conflicts")
@login_required
def declare(slug: str) -> ResponseReturnValue:
    event = get_event(slug)
    if not services.judges_now(current_user, event):
        raise NotFound()
    form = _declare_form(event)
    if not form.validate_on_submit():
        flash(_("Choose the team and say why you should not judge it."), "error")
        return redirect(request.referrer or url_for("judging.queue", slug=slug))
    with writing():
        outcome = declare_conflict(
            event, current_user.id, form.team_id.data, form.reason.data, current_user.id
        )
    if outcome.removed:
        flash(
            _("Thank you. The conflict is recorded and this team was taken out of your queue."),
            "success",
        )
    else:
        flash(_("Thank you. The conflict is recorded; organizers can see it."), "success")
    return redirect(url_for("judging.queue", slug=slug))
