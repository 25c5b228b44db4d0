"""The job fair for trainees (opt in, rank companies) and company reps (rank opted-in
trainees for their company)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackathon.cohort.forms import OptForm, choices_form
from hackathon.cohort.models import FairState, JobFair
from hackathon.cohort.rules import is_program_organizer, is_trainee
from hackathon.cohort.services import jobfair
from hackathon.cohort.views import bp
from hackathon.events.models import Program
from hackathon.events.services import get_program
from hackathon.numbers import int_or_none
from hackathon.web import writing


def visible_fair(slug: str) -> tuple[Program, JobFair]:
    """The program's fair for its organizers, and (once out of draft) for its trainees and
    the reps of its companies; 404 for everyone else."""
    program = get_program(slug)
    fair = jobfair.get_fair(program)
    if fair is None:
        abort(404)
    if is_program_organizer(current_user, program):
        return program, fair
    if fair.state == FairState.DRAFT:
        abort(404)
    if is_trainee(current_user, program) or jobfair.represented(fair, program, current_user):
        return program, fair
    abort(404)


def _company_choices(fair: JobFair) -> list[tuple[int, str]]:
    return [(row.company_id, row.company.name) for row in jobfair.fair_companies(fair)]


@bp.get("/programs/<slug>/jobfair")
@login_required
def fair(slug: str) -> ResponseReturnValue:
    program, fair = visible_fair(slug)
    trainee = is_trainee(current_user, program)
    opted = trainee and jobfair.is_opted_in(fair, current_user)
    current = jobfair.choices_of(fair, current_user.id) if opted else []
    form = choices_form(_company_choices(fair), current) if opted else None
    return render_template(
        "cohort/jobfair/fair.html",
        program=program,
        fair=fair,
        trainee=trainee,
        opted=opted,
        form=form,
        companies=jobfair.fair_companies(fair),
        chosen=current,
        represented=jobfair.represented(fair, program, current_user),
        organizer=is_program_organizer(current_user, program),
        opt_form=OptForm(),
    )


@bp.post("/programs/<slug>/jobfair/participation")
@login_required
def participation(slug: str) -> ResponseReturnValue:
    program, fair = visible_fair(slug)
    form = OptForm()
    if not form.validate_on_submit():
        abort(400)
    with writing():
        if form.action.data == "in":
            jobfair.opt_in(fair, program, current_user)
        else:
            jobfair.opt_out(fair, current_user)
    if form.action.data == "in":
        flash(_("You take part in the job fair. Now rank the companies."), "success")
    else:
        flash(_("You no longer take part in the job fair."), "success")
    return redirect(url_for("cohort.fair", slug=slug))


@bp.post("/programs/<slug>/jobfair/choices")
@login_required
def choices(slug: str) -> ResponseReturnValue:
    _program, fair = visible_fair(slug)
    form = choices_form(_company_choices(fair), [])
    if not form.validate_on_submit():
        flash(_("Choose companies from the list."), "error")
        return redirect(url_for("cohort.fair", slug=slug))
    picked = [f.data for f in form.ranks if f.data]
    with writing():
        jobfair.set_choices(fair, current_user, picked)
    flash(_("Your ranking of the companies is saved."), "success")
    return redirect(url_for("cohort.fair", slug=slug))


@bp.route("/programs/<slug>/jobfair/companies/<int:company_id>", methods=["GET", "POST"])
@login_required
def company_ranking(slug: str, company_id: int) -> ResponseReturnValue:
    program, fair = visible_fair(slug)
    mine = {row.company_id: row for row in jobfair.represented(fair, program, current_user)}
    if company_id not in mine:
        abort(404)
    if request.method == "POST":
        ranked = _posted_ranks()
        if ranked is not None:
            with writing():
                jobfair.set_company_ranking(fair, program, company_id, current_user, ranked)
            flash(_("The ranking is saved."), "success")
        return redirect(url_for("cohort.company_ranking", slug=slug, company_id=company_id))
    order = jobfair.ranking_of(fair, company_id)
    return render_template(
        "cohort/jobfair/company.html",
        program=program,
        fair=fair,
        company=mine[company_id].company,
        capacity=mine[company_id].capacity,
        trainees=jobfair.opted_in(fair),
        ranks={user_id: i for i, user_id in enumerate(order, start=1)},
    )


def _posted_ranks() -> list[int] | None:
    """Trainee ids in the order of the ranks typed (`rank_<user id>` = 1, 2, …; empty =
    not ranked); None, with the problem flashed, when the ranks are not whole numbers or
    repeat."""
    ranked: list[tuple[int, int]] = []
    for key, value in request.form.items():
        user = int_or_none(key.removeprefix("rank_")) if key.startswith("rank_") else None
        if user is not None and value.strip():
            rank = int_or_none(value)
            if rank is None or rank < 1:
                flash(_("Ranks are whole numbers from 1 up."), "error")
                return None
            ranked.append((rank, user))
    if len({rank for rank, _user in ranked}) != len(ranked):
        flash(_("Give each rank to one trainee only."), "error")
        return None
    return [user for _rank, user in sorted(ranked)]


@bp.app_context_processor
def fair_helpers() -> dict[str, object]:
    return {
        "fair_state_labels": {
            "draft": _("Draft"),
            "open": _("Open"),
            "closed": _("Closed"),
            "confirmed": _("Confirmed"),
        },
        "fair_state_actions": {
            "draft": _("Back to draft"),
            "open": _("Open for rankings"),
            "closed": _("Close the rankings"),
        },
    }
