"""Organizers' job fair pages: companies and their interview places, the fair's state,
the matching (proposed, reviewed, changed by hand, confirmed) and the placements CSV."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from wtforms import SelectChoice

from hackathon import csvio
from hackathon.cohort.forms import FairCompanyForm, FairStateForm, PlainForm
from hackathon.cohort.models import FairState, JobFair
from hackathon.cohort.rules import organized_program
from hackathon.cohort.services import jobfair, placements
from hackathon.cohort.views import bp
from hackathon.errors import DomainError
from hackathon.events.models import Company, Program
from hackathon.extensions import db
from hackathon.numbers import int_or_none
from hackathon.web import flash_form_errors, writing


def _fair(program: Program) -> JobFair:
    fair = jobfair.get_fair(program)
    if fair is None:
        abort(404)
    return fair


def _company_form() -> FairCompanyForm:
    form = FairCompanyForm()
    companies = db.session.execute(select(Company.id, Company.name).order_by(Company.name)).all()
    form.company_id.choices = [SelectChoice(c.id, c.name) for c in companies]
    return form


@bp.get("/programs/<slug>/jobfair/manage")
@login_required
def manage_fair(slug: str) -> ResponseReturnValue:
    program = organized_program(slug)
    fair = jobfair.get_fair(program)
    return render_template(
        "cohort/jobfair/manage.html",
        program=program,
        fair=fair,
        state=fair.state if fair else FairState.DRAFT,
        companies=jobfair.fair_companies(fair) if fair else [],
        trainees=jobfair.opted_in(fair) if fair else [],
        company_form=_company_form(),
        form=PlainForm(),
    )


@bp.post("/programs/<slug>/jobfair/manage/companies")
@login_required
def set_fair_company(slug: str) -> ResponseReturnValue:
    program = organized_program(slug)
    form = _company_form()
    if form.validate_on_submit():
        with writing():
            fair = jobfair.ensure_fair(program)
            jobfair.set_company(fair, form.company_id.data, form.capacity.data)
        flash(_("The company's interview places are saved."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("cohort.manage_fair", slug=slug))


@bp.post("/programs/<slug>/jobfair/manage/companies/<int:company_id>/delete")
@login_required
def remove_fair_company(slug: str, company_id: int) -> ResponseReturnValue:
    program = organized_program(slug)
    fair = _fair(program)
    if not PlainForm().validate_on_submit():
        abort(400)
    with writing():
        jobfair.remove_company(fair, company_id)
    flash(_("The company no longer takes part in the job fair."), "success")
    return redirect(url_for("cohort.manage_fair", slug=slug))


@bp.post("/programs/<slug>/jobfair/manage/state")
@login_required
def set_fair_state(slug: str) -> ResponseReturnValue:
    program = organized_program(slug)
    form = FairStateForm()
    if not form.validate_on_submit():
        abort(400)
    with writing():
        jobfair.set_state(jobfair.ensure_fair(program), form.state.data)
    flash(_("The job fair's state is saved."), "success")
    return redirect(url_for("cohort.manage_fair", slug=slug))


@bp.route("/programs/<slug>/jobfair/matching", methods=["GET", "POST"])
@login_required
def fair_matching(slug: str) -> ResponseReturnValue:
    program = organized_program(slug)
    fair = _fair(program)
    problem = None
    if request.method == "POST":
        if not PlainForm().validate_on_submit():
            abort(400)
        assignment = _posted_assignment()
        confirming = request.form.get("action") == "confirm"
        with writing(catch=DomainError, quiet=True) as write:
            plan = (placements.confirm if confirming else placements.review)(fair, assignment)
        if write.ok and confirming:
            flash(_("The placements are confirmed."), "success")
            return redirect(url_for("cohort.fair_matching", slug=slug))
        if not write.ok:
            problem = write.error.message if write.error else None
            plan = placements.propose(fair)
    elif fair.state == FairState.CONFIRMED:
        confirmed = {p.user_id: p.company_id for p in placements.placements(fair)}
        plan = placements.review(fair, {u.id: confirmed.get(u.id) for u in jobfair.opted_in(fair)})
    else:
        plan = placements.propose(fair)
    names = {c.company_id: c.company.name for c in plan.companies}
    return render_template(
        "cohort/jobfair/matching.html",
        program=program,
        fair=fair,
        plan=plan,
        names=names,
        reasons=placements.REASONS,
        problem=problem,
        form=PlainForm(),
    )


def _posted_assignment() -> dict[int, int | None]:
    """`company_<user id>` = company id, or empty for no company."""
    assignment: dict[int, int | None] = {}
    for key, value in request.form.items():
        user = int_or_none(key.removeprefix("company_")) if key.startswith("company_") else None
        if user is not None:
            company = int_or_none(value) if value.strip() else None
            if value.strip() and company is None:
                abort(400)
            assignment[user] = company
    return assignment


@bp.get("/programs/<slug>/jobfair/placements.csv")
@login_required
def placements_csv(slug: str) -> ResponseReturnValue:
    program = organized_program(slug)
    fair = _fair(program)
    text = csvio.write(None, placements.placement_rows(fair), placements.COLUMNS)
    return Response(
        "\ufeff" + text,  # a BOM, so Excel reads the Korean names
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{program.slug}-placements.csv"'},
    )
