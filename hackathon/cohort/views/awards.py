"""Organizers' pages for individual awards: the list, giving one with the person's record
beside the form, editing and removing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from wtforms import SelectChoice

from hackathon.accounts.models import User
from hackathon.cohort.forms import IndividualAwardForm, PlainForm
from hackathon.cohort.models import IndividualAward
from hackathon.cohort.rules import organized_program, trainee_ids
from hackathon.cohort.services import awards
from hackathon.cohort.services.evidence import evidence
from hackathon.cohort.views import bp
from hackathon.events.models import Program
from hackathon.extensions import db
from hackathon.numbers import ascii_int
from hackathon.web import writing


def _trainees(program: Program) -> list[User]:
    ids = trainee_ids(program)
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.name)))


def _form(program: Program, award: IndividualAward | None = None) -> IndividualAwardForm:
    form = IndividualAwardForm(obj=award) if award is not None else IndividualAwardForm()
    form.user_id.choices = [
        SelectChoice(0, "—"),
        *(SelectChoice(u.id, f"{u.name} ({u.email})") for u in _trainees(program)),
    ]
    return form


def _person(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id else None


@bp.route("/programs/<slug>/awards", methods=["GET", "POST"])
@login_required
def awards_page(slug: str) -> ResponseReturnValue:
    program = organized_program(slug)
    form = _form(program)
    if request.method == "GET":
        form.user_id.data = request.args.get("user", 0, type=ascii_int)
    elif form.validate_on_submit():
        with writing(form) as write:
            awards.give_award(
                program,
                form.user_id.data,
                name=form.name.data,
                name_en=form.name_en.data,
                citation=form.citation.data,
            )
        if write.ok:
            flash(_("The award is given."), "success")
            return redirect(url_for("cohort.awards_page", slug=slug))
    person = _person(form.user_id.data)
    return render_template(
        "cohort/awards/index.html",
        program=program,
        awards=awards.program_awards(program),
        form=form,
        person=person,
        evidence=evidence(program, person) if person else None,
        delete_form=PlainForm(),
    )


@bp.route("/programs/<slug>/awards/<int:award_id>", methods=["GET", "POST"])
@login_required
def edit_award(slug: str, award_id: int) -> ResponseReturnValue:
    program = organized_program(slug)
    award = awards.get_award(program, award_id)
    form = _form(program, award)
    if form.validate_on_submit():
        with writing(form) as write:
            awards.update_award(
                program,
                award,
                name=form.name.data,
                name_en=form.name_en.data,
                citation=form.citation.data,
            )
        if write.ok:
            flash(_("The award is saved."), "success")
            return redirect(url_for("cohort.awards_page", slug=slug))
    return render_template(
        "cohort/awards/edit.html",
        program=program,
        award=award,
        form=form,
        person=award.user,
        evidence=evidence(program, award.user),
    )


@bp.post("/programs/<slug>/awards/<int:award_id>/delete")
@login_required
def delete_award(slug: str, award_id: int) -> ResponseReturnValue:
    program = organized_program(slug)
    award = awards.get_award(program, award_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    with writing():
        awards.remove_award(program, award)
    flash(_("The award is removed."), "success")
    return redirect(url_for("cohort.awards_page", slug=slug))
