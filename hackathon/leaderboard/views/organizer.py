"""The organizers' board: state controls, the robustness checks, snapshots and awards;
the fairness report and extra judges at the prize cut-off; opening and closing the
people's choice vote."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from hackathon.auth import is_safe_next
from hackathon.errors import ValidationFailed, back_target, render_error
from hackathon.events.models import Company, Event
from hackathon.events.services import organized_event
from hackathon.extensions import db
from hackathon.judging.services.assignments import AssignmentImpossible
from hackathon.judging.services.extra import add_extra_judges
from hackathon.leaderboard.forms import (
    AwardForm,
    EmptyForm,
    ExtraJudgesForm,
    MoveForm,
    StateForm,
    VotingForm,
    state_actions,
)
from hackathon.leaderboard.logic import ranking
from hackathon.leaderboard.logic.charts import bars, scatter
from hackathon.leaderboard.logic.rows import payload
from hackathon.leaderboard.models import Award, BoardState, Leaderboard
from hackathon.leaderboard.services import board as services
from hackathon.leaderboard.services import fairness, pointer, votes
from hackathon.leaderboard.services.inputs import judging_progress
from hackathon.leaderboard.views import bp
from hackathon.numbers import ascii_int
from hackathon.teams.models import Team
from hackathon.web import attach_errors, flash_form_errors, writing


@bp.get("/events/<slug>/leaderboard/manage")
@login_required
def manage(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    mode = request.args.get("mode") or str(event.scoring_mode)
    if mode not in ranking.MODES:
        abort(404)
    board = services.get_board(event.id) or Leaderboard(state=BoardState.HIDDEN, revision=0)
    data = payload(
        services.compute_board(event, mode),
        event=event.slug,
        state=str(board.state),
        generated_at="",
        awards=services.award_dicts(event.id),
    )
    checks = services.robustness(event, mode)
    return render_template(
        "leaderboard/manage.html",
        event=event,
        board=board,
        data=data,
        mode=mode,
        checks=checks,
        progress=judging_progress(event.id),
        snapshots=services.snapshots(event.id),
        awards=services.awards(event.id),
        award_form=_award_form(event),
        state_actions=state_actions(board.state),
        form=EmptyForm(),
    )


def _award_form(event: Event, award: Award | None = None) -> AwardForm:
    form = AwardForm(obj=award) if award is not None else AwardForm()
    teams = db.session.execute(
        select(Team.id, Team.name).where(Team.event_id == event.id).order_by(Team.name)
    ).all()
    form.team_id.choices = [(0, "—"), *[(t.id, t.name) for t in teams]]
    companies = db.session.execute(select(Company.id, Company.name).order_by(Company.name)).all()
    form.company_id.choices = [(0, "—"), *[(c.id, c.name) for c in companies]]
    return form


@bp.post("/events/<slug>/leaderboard/state")
@login_required
def change_state(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    with writing():
        board = services.set_state(event, form.state.data)
    pointer.wait_until_seen_everywhere()
    flash(_("The leaderboard is now %(state)s.", state=state_label(board.state)), "success")
    back = request.form.get("next")
    return redirect(back if is_safe_next(back) else url_for("leaderboard.manage", slug=slug))


def state_label(state: str) -> str:
    labels = {
        BoardState.HIDDEN: _("hidden"),
        BoardState.LIVE: _("live"),
        BoardState.FROZEN: _("frozen"),
        BoardState.PUBLISHED: _("published"),
    }
    return labels[BoardState(state)]


@bp.post("/events/<slug>/awards")
@login_required
def create_award(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    return _save_award(event, lambda values: services.create_award(event, **values))


@bp.post("/events/<slug>/awards/<int:award_id>")
@login_required
def update_award(slug: str, award_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    award = services.get_award(event, award_id)
    return _save_award(event, lambda values: services.update_award(event, award, **values))


def _save_award(event: Event, save: Callable[[dict[str, Any]], Award]) -> ResponseReturnValue:
    """Validate the award form, save it with `save(values)`, go back to the awards."""
    form = _award_form(event)
    if form.validate_on_submit():
        with writing():
            save(_award_values(form))
        flash(_("The award is saved."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("leaderboard.manage", slug=event.slug, _anchor="awards"))


@bp.post("/events/<slug>/awards/<int:award_id>/delete")
@login_required
def delete_award(slug: str, award_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    award = services.get_award(event, award_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with writing():
        services.delete_award(event, award)
    flash(_("The award is removed."), "success")
    return redirect(url_for("leaderboard.manage", slug=slug, _anchor="awards"))


@bp.post("/events/<slug>/awards/<int:award_id>/move")
@login_required
def move_award(slug: str, award_id: int) -> ResponseReturnValue:
    event = organized_event(slug)
    award = services.get_award(event, award_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    with writing():
        services.move_award(event, award, form.step.data)
    return redirect(url_for("leaderboard.manage", slug=slug, _anchor="awards"))


def _award_values(form: AwardForm) -> dict:
    return {
        "name": form.name.data,
        "name_en": form.name_en.data,
        "team_id": form.team_id.data or None,
        "company_id": form.company_id.data or None,
    }


@bp.errorhandler(services.ScoresDoNotFit)
def scores_do_not_fit(error: services.ScoresDoNotFit) -> ResponseReturnValue:
    """A page, not a redirect: sending the reader back would only fail again. (What a
    write had flushed is rolled back already, by `writing`.)"""
    return render_error(409, error.message)


@bp.errorhandler(ValidationFailed)
def award_invalid(error: ValidationFailed) -> ResponseReturnValue:
    """Each field's problem, not only "some fields are not valid", then back."""
    attach_errors(None, error)
    return redirect(back_target())  # the Referer is the client's: only a page of ours


# The fairness report and extra judges at the prize cut-off (docs/scoring.md) ----------


@bp.get("/events/<slug>/leaderboard/fairness")
@login_required
def fairness_page(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    cut_off = request.args.get("cut_off", type=ascii_int)
    found = fairness.fairness_report(event, cut_off if cut_off and cut_off > 0 else None)
    chosen = found.cut_off if found.cut_off_source == "chosen" else None
    return render_template(
        "leaderboard/fairness.html",
        event=event,
        report=found,
        charts=_drift_charts(found),
        form=ExtraJudgesForm(cut_off=chosen),
        chosen=chosen,
    )


def _drift_charts(found: fairness.Fairness) -> dict[str, Any]:
    """The average total per queue place and per hour, and each judge's dots and line."""
    per_judge = {}
    for judge in found.drift.judges:
        name = found.judge_names.get(judge.judge_id, "")
        by_hour = [(c.hour, c.total) for c in judge.cells if c.hour is not None]
        per_judge[judge.judge_id] = {
            "position": scatter(
                [(c.position, c.total) for c in judge.cells],
                title=_("%(judge)s: total by queue position", judge=name),
                slope=judge.by_position.slope,
            ),
            "hour": scatter(
                by_hour,
                title=_("%(judge)s: total by hour of day", judge=name),
                slope=judge.by_hour.slope,
            )
            if by_hour
            else None,
        }
    return {
        "position": bars(
            [(str(place), mean) for place, mean, _n in found.by_position],
            title=_("Average total by queue position"),
        ),
        "hour": bars(
            [(f"{place % 24:02d}:00", mean) for place, mean, _n in found.by_hour],
            title=_("Average total by hour of day"),
        ),
        "judges": per_judge,
    }


@bp.post("/events/<slug>/leaderboard/fairness/extra")
@login_required
def extra_judges(slug: str) -> ResponseReturnValue:
    event = organized_event(slug)
    form = ExtraJudgesForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("leaderboard.fairness_page", slug=slug))
    back = url_for("leaderboard.fairness_page", slug=slug, cut_off=form.cut_off.data or None)
    with writing(catch=AssignmentImpossible, quiet=True) as write:
        outcome = add_extra_judges(event, form.n.data, form.cut_off.data or None)
    if write.error is not None:
        flash(str(type(write.error).message), "error")
        for line in write.error.details.get("missing", []):
            flash(line, "error")
        return redirect(back)
    for text, kind in outcome.report():
        flash(text, kind)
    return redirect(back)


@bp.post("/events/<slug>/vote/window")
@login_required
def voting_window(slug: str) -> ResponseReturnValue:
    """Open or close the people's choice vote; back to the page it was done from."""
    event = organized_event(slug)
    form = VotingForm()
    if not form.validate_on_submit():
        abort(400)
    with writing():
        votes.set_voting(event, form.open.data == "1")
    flash(_("Voting is open.") if form.open.data == "1" else _("Voting is closed."), "success")
    back = request.form.get("next")
    return redirect(back if is_safe_next(back) else url_for("leaderboard.vote_page", slug=slug))
